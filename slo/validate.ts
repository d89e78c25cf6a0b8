// `harness slo validate FILE...`: each file read as `slo check` reads it (any format, a folder as OpenSLO),
// then every SLI query held to two rules the readers do not all enforce: it parses as PromQL (the harness's
// own format checks only templates), and it reads its window (`{{window}}`, Sloth's `{{.window}}`, or
// OpenSLO's `counter: true` applied), since a query without one reads the same all-time value for every
// window judged or recorded. Every problem names file, line and field. A burn-rate alert that can never fire
// (its every condition needs an error ratio above 1) is a warning.
import { readFile } from 'node:fs/promises';
import { parseDocuments } from './formats/documents.ts';
import { type QueryRole, type QuerySites, querySitesOf } from './formats/sites.ts';
import { loadSloConfig, SloConfigError } from './load.ts';
import { unreachableAlertWarnings } from './model/alerts.ts';
import { RAW_ERROR_RATIO_TOTAL, type Slo, type SloFormat } from './model/model.ts';
import { promqlSyntaxError } from './model/promql.ts';
import { type ConfigIssue, type PathKey, valueAt } from './spec/parse.ts';

/** What validating one file found. */
export interface FileValidation {
  /** The path as given. */
  path: string;
  format?: SloFormat;
  /** How many SLOs the file holds, when it could be read. */
  slos?: number;
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** A window template in the model's spelling (the readers turn Sloth's into it). */
const WINDOW = /\{\{\s*window\s*\}\}/;

/** How to give a query its window, in the words of each format. */
const WINDOW_FIX: Record<SloFormat, string> = {
  harness: 'read the counters over [{{window}}]',
  sloth: 'read the counters over [{{.window}}]',
  openslo: 'read the counters over [{{window}}], or say ratioMetric.counter: true',
};

/** Validates one SLO file or OpenSLO folder. Never throws for a problem of the file: it is in `issues`. */
export async function validateSloFile(path: string): Promise<FileValidation> {
  let loaded: Awaited<ReturnType<typeof loadSloConfig>>;
  try {
    loaded = await loadSloConfig(path);
  } catch (error) {
    if (!(error instanceof SloConfigError)) throw error;
    return { path, issues: error.issues, warnings: error.warnings };
  }
  const { model, warnings } = loaded;
  const format = model.format ?? 'harness';
  const harnessSites = format === 'harness' ? await harnessQuerySites(path, model.file, model.slos) : undefined;
  const issues: ConfigIssue[] = [];
  model.slos.forEach((slo, index) => {
    const sites = harnessSites?.[index] ?? querySitesOf(slo) ?? {};
    for (const [role, query] of queriesOf(slo)) {
      const at =
        sites[role] ??
        ((message: string): ConfigIssue => ({
          file: slo.source.file,
          line: slo.source.line,
          column: 1,
          field: role,
          slo: slo.name,
          message,
          text: `slo "${slo.name}": ${role}: ${message} (${slo.source.file}:${slo.source.line}:1)`,
        }));
      const syntax = promqlSyntaxError(query);
      if (syntax !== undefined) issues.push(at(syntax));
      else if (!WINDOW.test(query))
        issues.push(
          at(
            slo.sli.kind === 'ratio'
              ? `reads no window, so every window judged or recorded reads the same all-time ratio: ${WINDOW_FIX[format]}`
              : 'reads no window, so its value is the same for every window judged or recorded: read it over [{{window}}] (a gauge with max_over_time(...[{{window}}]), a histogram with rate(..._bucket[{{window}}]))',
          ),
        );
    }
  });
  // A reader's own warning at the same place as one of these errors says the same thing (Sloth's "has no
  // {{.window}}"); the error stands alone.
  const place = (issue: ConfigIssue) => `${issue.file}:${issue.line}:${issue.column}`;
  const errorPlaces = new Set(issues.map(place));
  return {
    path,
    format,
    slos: model.slos.length,
    issues,
    // A burn-rate alert whose every condition needs an error ratio above 1 never fires (model/alerts.ts).
    warnings: [
      ...warnings.filter((warning) => !errorPlaces.has(place(warning))),
      ...unreachableAlertWarnings(model.slos),
    ],
  };
}

/** The queries of an SLI by role; a raw error ratio's synthetic total (vector(1)) is not the file's. */
function queriesOf(slo: Slo): [QueryRole, string][] {
  const sli = slo.sli;
  if (sli.kind === 'threshold') return [['query', sli.query]];
  const list: [QueryRole, string][] = [];
  if (sli.good !== undefined) list.push(['good', sli.good]);
  if (sli.bad !== undefined) list.push(['bad', sli.bad]);
  if (sli.total !== RAW_ERROR_RATIO_TOTAL) list.push(['total', sli.total]);
  return list;
}

/** Where a harness file writes each SLO's queries: `slos[i].sli.ratio.good`, `slos[i].sli.threshold.query`. */
async function harnessQuerySites(path: string, file: string, slos: Slo[]): Promise<QuerySites[]> {
  const [doc] = parseDocuments(await readFile(path, 'utf8'), file);
  if (doc === undefined) return [];
  return slos.map((slo, index) => {
    const base: PathKey[] = ['slos', index, 'sli'];
    const at = (path: PathKey[]) => (message: string) => doc.issueAt([...base, ...path], message, slo.name);
    // A latency SLI's queries are made from its histogram, bound and selector; only the selector can break them.
    if (valueAt(doc.data, [...base, 'latency']) !== undefined) {
      const made = (role: QueryRole) => (message: string) =>
        doc.issueAt([...base, 'latency', 'selector'], `makes a ${role} query that ${message}`, slo.name);
      return { good: made('good'), total: made('total') };
    }
    return slo.sli.kind === 'threshold'
      ? { query: at(['threshold', 'query']) }
      : { good: at(['ratio', 'good']), bad: at(['ratio', 'bad']), total: at(['ratio', 'total']) };
  });
}

/** The report of `harness slo validate`: a line per file, its problems under it; ok when none has an error. */
export function renderValidation(results: FileValidation[]): { text: string; ok: boolean } {
  const lines: string[] = [];
  for (const result of results) {
    const count = result.issues.length;
    lines.push(
      count === 0
        ? `${result.path}: ok (${result.format}, ${result.slos} SLO${result.slos === 1 ? '' : 's'})`
        : `${result.path}: ${count} error${count === 1 ? '' : 's'}`,
    );
    for (const issue of result.issues) lines.push(`  ${issue.text}`);
    for (const warning of result.warnings) lines.push(`  warning: ${warning.text}`);
  }
  return { text: `${lines.join('\n')}\n`, ok: results.every((result) => result.issues.length === 0) };
}
