// Config file -> model: the spec layer (yaml + zod, located errors, warnings) then normalization.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { detectFormat, readForeign } from './formats/detect.ts';
import { listItems, parseDocuments, type YamlDocument } from './formats/documents.ts';
import { isOpenSloDocument, readOpenSlo } from './formats/openslo.ts';
import { buildModel, missingEvidence, type SloModel } from './model/model.ts';
import { type ConfigIssue, makeIssue, parseSpec, SpecError } from './spec/parse.ts';

/** The repository's own SLO file (the seed report's five SLOs and latency-300ms). */
export const DEFAULT_CONFIG_PATH = new URL('./slo-config.yaml', import.meta.url).pathname;

/** A config that cannot be used: exit 2, with every located message (SpecError's issues and warnings). */
export class SloConfigError extends SpecError {
  override name = 'SloConfigError';
}

/** A loaded config: the model and the warnings (never fatal). */
export interface LoadedSloConfig {
  model: SloModel;
  warnings: ConfigIssue[];
}

/**
 * Parses config text in any format the harness reads (its own, Sloth, OpenSLO; detected from version or
 * apiVersion); `file` is the name used in messages, `folder` the documents of the files beside it (OpenSLO's
 * indicatorRef may point there). Throws SloConfigError.
 */
export function parseSloConfig(text: string, file: string, folder: YamlDocument[] = []): LoadedSloConfig {
  try {
    if (detectFormat(text) !== 'harness') return readForeign(text, file, folder);
    const { spec, warnings, sloLines } = parseSpec(text, file);
    const model = buildModel(spec, file, sloLines);
    return { model, warnings: [...warnings, ...evidenceWarnings(model, text, file)] };
  } catch (error) {
    if (error instanceof SpecError) throw new SloConfigError(error.issues, error.warnings);
    throw error;
  }
}

/**
 * A warning for each threshold SLI of a harness file that calls histogram_quantile but whose event count
 * could not be derived (model.ts missingEvidence), located at its query. The file is read for positions a
 * second time only when there is one.
 */
function evidenceWarnings(model: SloModel, text: string, file: string): ConfigIssue[] {
  const found = model.slos.flatMap((slo, index) => {
    const warning = missingEvidence(slo.sli, 'sli.threshold.events');
    return warning === undefined ? [] : [{ index, name: slo.name, warning }];
  });
  if (found.length === 0) return [];
  const [doc] = parseDocuments(text, file);
  return found.map(({ index, name, warning }) =>
    doc!.issueAt(['slos', index, 'sli', 'threshold', 'query'], warning, name),
  );
}

/** The error of a path that cannot be read. */
function unreadable(shown: string, error: unknown): SloConfigError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new SloConfigError([
    {
      file: shown,
      line: 0,
      column: 0,
      field: '(file)',
      message: `cannot read: ${reason}`,
      text: `cannot read ${shown}: ${reason}`,
    },
  ]);
}

/**
 * Reads and parses a config file, or a folder of OpenSLO files (openSloFolder); messages name it relative to
 * the working directory. Throws SloConfigError.
 */
export async function loadSloConfig(path: string = DEFAULT_CONFIG_PATH): Promise<LoadedSloConfig> {
  const shown = displayPath(path);
  let text: string;
  try {
    if ((await stat(path)).isDirectory()) return await openSloFolder(path);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof SloConfigError) throw error;
    throw unreadable(shown, error);
  }
  const folder = detectFormat(text) === 'openslo' ? await folderDocuments(path) : [];
  return parseSloConfig(text, shown, folder);
}

/**
 * A folder of OpenSLO files as one config, as OpenSLO's tools keep them (a Service, SLI and SLO objects in files
 * of their own): every `.yaml`/`.yml` file directly in it, in name order, each `---` documents or one list of
 * objects. Every object must be OpenSLO v1 and every file must parse: a folder given as the config is all of
 * it, so nothing is skipped silently. Throws SloConfigError, each problem located in its own file.
 */
async function openSloFolder(dir: string): Promise<LoadedSloConfig> {
  const shown = displayPath(dir);
  const names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const docs: YamlDocument[] = [];
  const issues: ConfigIssue[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      docs.push(...listItems(parseDocuments(await readFile(file, 'utf8'), displayPath(file))));
    } catch (error) {
      if (error instanceof SpecError) issues.push(...error.issues);
      else throw unreadable(displayPath(file), error);
    }
  }
  for (const doc of docs)
    if (!isOpenSloDocument(doc.data))
      issues.push(doc.issueAt([], 'is not an OpenSLO v1 object (apiVersion: openslo/v1); a folder is read as OpenSLO'));
  if (issues.length === 0 && docs.length === 0)
    issues.push(makeIssue(shown, 0, 0, '(folder)', undefined, 'has no OpenSLO object in a .yaml or .yml file'));
  if (issues.length > 0) throw new SloConfigError(issues);
  try {
    return readOpenSlo(docs, shown);
  } catch (error) {
    if (error instanceof SpecError) throw new SloConfigError(error.issues, error.warnings);
    throw error;
  }
}

/** The YAML documents of the other files in a config's folder; files that do not parse are skipped. */
async function folderDocuments(path: string): Promise<YamlDocument[]> {
  const dir = dirname(path);
  const names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name) && name !== basename(path)).sort();
  const docs: YamlDocument[] = [];
  for (const name of names) {
    try {
      docs.push(...parseDocuments(await readFile(join(dir, name), 'utf8'), displayPath(join(dir, name))));
    } catch {
      // Not every YAML file beside an SLO file is ours to read; a broken neighbour only matters if referenced,
      // and then the reference is reported as not found.
    }
  }
  return docs;
}

function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
