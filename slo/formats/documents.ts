// Multi-document YAML with located messages: every reader of a foreign format (Sloth, OpenSLO) goes through
// here, so its errors carry file:line:column and the field exactly as the harness's own format does.
import { type Document, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import {
  aliasProblem,
  type ConfigIssue,
  fieldMessage,
  formatPath,
  MAX_ALIAS_EXPANSIONS,
  makeIssue,
  nodeAt,
  type PathKey,
  SpecError,
  valueAt,
} from '../spec/parse.ts';

/** One YAML document of a file, its data and a way to locate any of its fields. */
export interface YamlDocument {
  file: string;
  /** Position of the document in its file (0-based). */
  index: number;
  /** Position of the object in its document when the document is a list of objects (listItems), 0-based. */
  item?: number;
  data: unknown;
  /** A located issue for a field path of this document; `slo` names the SLO in the message. */
  issueAt(path: PathKey[], message: string, slo?: string): ConfigIssue;
  /** The line of a field, for the model's `source`. */
  lineOf(path: PathKey[]): number;
}

/** Parses every document of a YAML text; empty documents (a trailing `---`) are dropped. Throws SpecError. */
export function parseDocuments(text: string, file: string): YamlDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      throw new SpecError([
        makeIssue(file, pos.line, pos.col, '(yaml)', undefined, `YAML syntax: ${error.message.split('\n')[0]}`),
      ]);
    }
    // The same alias limits as the harness's own format, in every document: yaml notices an alias bomb only in
    // toJS(), without a position, and a bomb in a later document once read as "multiple documents".
    const aliases = aliasProblem(doc, file, (offset) => lineCounter.linePos(offset));
    if (aliases !== undefined) throw new SpecError([aliases]);
  }
  return list
    .map((doc, index) => toDocument(doc, index, file, lineCounter))
    .filter((doc) => doc.data !== null && doc.data !== undefined);
}

function toDocument(doc: Document, index: number, file: string, lineCounter: LineCounter): YamlDocument {
  const locate = (path: PathKey[]) => {
    const node = nodeAt(doc.contents as Node | null, path);
    return lineCounter.linePos(node?.range?.[0] ?? 0);
  };
  return {
    file,
    index,
    data: doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }),
    issueAt(path, message, slo) {
      const pos = locate(path);
      return makeIssue(file, pos.line, pos.col, formatPath(path), slo, message);
    },
    lineOf: (path) => locate(path).line,
  };
}

/**
 * The documents with every list document opened into its items: the OpenSLO SDK (openslosdk) and tools built on
 * it write all their objects as one YAML list (`- apiVersion: openslo/v1 ...`), where others write `---`
 * documents; both hold the same objects. An item's fields are located inside its list (`[1].spec.service`), so
 * a message still points at the line it is on. Documents that are not lists pass through unchanged.
 */
export function listItems(docs: YamlDocument[]): YamlDocument[] {
  return docs.flatMap((doc) => {
    if (!Array.isArray(doc.data)) return [doc];
    return doc.data.map(
      (item, at): YamlDocument => ({
        file: doc.file,
        index: doc.index,
        item: at,
        data: item,
        issueAt: (path, message, slo) => doc.issueAt([at, ...path], message, slo),
        lineOf: (path) => doc.lineOf([at, ...path]),
      }),
    );
  });
}

/**
 * The data of a text's first document, or undefined when it cannot be read: enough to tell a format by, without
 * reading the documents after it (whose problems the format's own reader then reports, located).
 */
export function firstDocumentData(text: string): unknown {
  const lineCounter = new LineCounter();
  const first = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const doc = Array.isArray(first) ? first[0] : undefined;
  if (doc === undefined || doc.errors.length > 0) return undefined;
  if (aliasProblem(doc, '', (offset) => lineCounter.linePos(offset)) !== undefined) return undefined;
  return doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
}

/** Validates a document against a zod schema; every problem becomes a located issue. */
export function validate<T extends z.ZodType>(doc: YamlDocument, schema: T, base: PathKey[] = []): z.infer<T> {
  const data = valueAt(doc.data, base);
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => {
    const path = [...base, ...issue.path.filter((key): key is PathKey => typeof key !== 'symbol')];
    const slo = sloNameAt(doc.data, path);
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => doc.issueAt([...path, key], 'unknown field', slo));
    return [doc.issueAt(path, fieldMessage(issue, valueAt(doc.data, path)), slo)];
  });
  throw new SpecError(issues);
}

/** The name of the SLO a path is inside (`...slos[i]...`), for messages. */
function sloNameAt(data: unknown, path: PathKey[]): string | undefined {
  const at = path.indexOf('slos');
  if (at < 0 || typeof path[at + 1] !== 'number') return undefined;
  const name = (valueAt(data, path.slice(0, at + 2)) as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}
