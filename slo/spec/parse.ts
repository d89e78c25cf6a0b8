// YAML text -> validated spec, with every problem located: file, line, column, the SLO and the field.
// Errors and warnings are kept apart: an error stops the run (exit 2), a warning is printed and the run goes on.
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { HarnessError } from '../../core/outcome.ts';
import { type ConfigSpec, configSpec, KNOWN_FIELDS } from './schema.ts';

/** One located problem in a config file. `text` is the message a user reads. */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Path of the field from the file's root, e.g. `slos[1].sli.ratio.total`; `(yaml)` for syntax errors. */
  field: string;
  /** Name of the SLO the field belongs to, when there is one. */
  slo?: string;
  message: string;
  /** `slo "latency-p95": objective: must be between 0 and 100 (slo/slo-config.yaml:14:16)` */
  text: string;
}

/** What parsing a config gives: the spec if it is valid, and the warnings either way. */
export interface ParsedSpec {
  spec: ConfigSpec;
  warnings: ConfigIssue[];
  /** Line of each SLO's entry, for reports and rule comments. */
  sloLines: number[];
}

/**
 * A config that cannot be used; carries every error found (not just the first) and the warnings. A HarnessError,
 * inconclusive (exit 2); the loader's SloConfigError (slo/load.ts) is the same error under its own name.
 */
export class SpecError extends HarnessError {
  readonly issues: ConfigIssue[];
  readonly warnings: ConfigIssue[];
  constructor(issues: ConfigIssue[], warnings: ConfigIssue[] = []) {
    super(issues.map((issue) => issue.text).join('\n'));
    this.name = 'SpecError';
    this.issues = issues;
    this.warnings = warnings;
  }
}

export type PathKey = string | number;

/** Parses and validates config text; `file` is the name used in messages. Throws SpecError. */
export function parseSpec(text: string, file: string): ParsedSpec {
  const { doc, data, at } = readYaml(text, file);
  const locate = (path: PathKey[], key?: string) => {
    const node = nodeAt(doc.contents as Node | null, path, key);
    const offset = node?.range?.[0] ?? 0;
    return at(offset);
  };
  const sloName = (path: PathKey[]): string | undefined => {
    if (path[0] !== 'slos' || typeof path[1] !== 'number') return undefined;
    const slos = (data as { slos?: unknown }).slos;
    const entry = Array.isArray(slos) ? (slos[path[1]] as { name?: unknown } | undefined) : undefined;
    return typeof entry?.name === 'string' ? entry.name : undefined;
  };
  const issueAt = (path: PathKey[], message: string, key?: string) => {
    const full = key === undefined ? path : [...path, key];
    const pos = locate(path, key);
    return makeIssue(file, pos.line, pos.col, formatPath(full), sloName(full), message);
  };

  const result = configSpec.safeParse(data);
  if (!result.success) {
    const issues: ConfigIssue[] = [];
    for (const issue of result.error.issues) {
      const path = issue.path.filter((key): key is PathKey => typeof key !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.push(issueAt(path, unknownKeyMessage(key, path), key));
      } else {
        issues.push(issueAt(path, fieldMessage(issue, valueAt(data, path))));
      }
    }
    throw new SpecError(issues, []);
  }

  const spec = result.data;
  const warnings = specWarnings(spec, issueAt);
  const sloLines = spec.slos.map((_, index) => locate(['slos', index]).line);
  return { spec, warnings, sloLines };
}

/**
 * The YAML document and its data, or a SpecError located where the YAML goes wrong: its first syntax error, an
 * alias that cannot be expanded (aliasProblem), or an empty file.
 */
function readYaml(
  text: string,
  file: string,
): { doc: Document.Parsed; data: unknown; at: (offset: number) => { line: number; col: number } } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);

  if (doc.errors.length > 0) {
    // The first syntax error only: the ones after it are mostly the parser losing its footing.
    const issues = doc.errors.slice(0, 1).map((error) => {
      const pos = error.linePos?.[0] ?? at(error.pos[0]);
      const message = `YAML syntax: ${error.message.split('\n')[0]}`;
      return makeIssue(file, pos.line, pos.col, '(yaml)', undefined, message);
    });
    throw new SpecError(issues);
  }
  const aliasIssue = aliasProblem(doc, file, at);
  if (aliasIssue !== undefined) throw new SpecError([aliasIssue]);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    // aliasProblem located the cases we know of; should yaml refuse something else, it is still a located
    // config error (the document's start), never a stack trace.
    const message = `YAML: ${error instanceof Error ? error.message : String(error)}`;
    throw new SpecError([makeIssue(file, 1, 1, '(yaml)', undefined, message)]);
  }
  if (data === null || data === undefined) {
    throw new SpecError([
      makeIssue(file, 1, 1, '(root)', undefined, 'the file is empty; expected version, service and slos'),
    ]);
  }
  return { doc, data, at };
}

/**
 * What a valid spec may still have wrong: an objective that reads as a fraction, and a query without {{window}}
 * (a run window will not apply to it).
 */
function specWarnings(spec: ConfigSpec, issueAt: (path: PathKey[], message: string) => ConfigIssue): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  spec.slos.forEach((slo, index) => {
    const base: PathKey[] = ['slos', index];
    // Only reachable with allowLowObjective: true (below the floor is an error otherwise); still worth a word.
    if (slo.objective !== undefined && slo.objective <= 1) {
      warnings.push(
        issueAt(
          [...base, 'objective'],
          `${slo.objective} reads as a fraction, but objectives are percentages from 0 to 100 (did you mean ${Number((slo.objective * 100).toPrecision(12))}?)`,
        ),
      );
    }
    const queries: [PathKey[], string][] = slo.sli.ratio
      ? Object.entries(slo.sli.ratio)
          .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
          .map(([key, value]) => [[...base, 'sli', 'ratio', key], value])
      : slo.sli.threshold
        ? [[[...base, 'sli', 'threshold', 'query'], slo.sli.threshold.query]]
        : [];
    for (const [path, query] of queries) {
      if (!/\{\{\s*window\s*\}\}/.test(query)) {
        warnings.push(issueAt(path, 'has no {{window}}; a run window (--window, --start/--end) will not apply to it'));
      }
    }
  });
  return warnings;
}

/**
 * Bound on how many nodes aliases may expand to: an SLO file needs a handful, and a "billion laughs" file (aliases
 * of aliases, each level multiplying) would otherwise take the process's memory.
 */
export const MAX_ALIAS_EXPANSIONS = 1_000;

/**
 * The first alias that cannot be turned into data, located at the alias: one naming no anchor before it, one
 * inside the very node it names (a cycle, which zod would follow forever), or aliases whose expansion passes
 * MAX_ALIAS_EXPANSIONS. yaml itself only notices these in toJS(), by throwing without a position.
 */
export function aliasProblem(
  doc: Document.Parsed,
  file: string,
  at: (offset: number) => { line: number; col: number },
): ConfigIssue | undefined {
  let problem: ConfigIssue | undefined;
  let firstAlias: { line: number; col: number } | undefined;
  visit(doc, {
    Alias(_key, alias, path) {
      const pos = at(alias.range?.[0] ?? 0);
      firstAlias ??= pos;
      const target = alias.resolve(doc);
      const message =
        target === undefined
          ? `YAML alias *${alias.source} names no anchor &${alias.source} defined before it`
          : path.includes(target)
            ? `YAML alias *${alias.source} is inside the node &${alias.source} it refers to (a cycle)`
            : undefined;
      if (message === undefined) return undefined;
      problem = makeIssue(file, pos.line, pos.col, '(yaml)', undefined, message);
      return visit.BREAK;
    },
  });
  if (problem !== undefined || firstAlias === undefined) return problem;
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch {
    return makeIssue(
      file,
      firstAlias.line,
      firstAlias.col,
      '(yaml)',
      undefined,
      `YAML aliases expand to more than ${MAX_ALIAS_EXPANSIONS} nodes (a "billion laughs" file?)`,
    );
  }
  return undefined;
}

export function makeIssue(
  file: string,
  line: number,
  column: number,
  field: string,
  slo: string | undefined,
  message: string,
): ConfigIssue {
  // `slos[1].objective` reads better as `slo "latency-p95": objective` once the SLO has a name.
  const rest = slo === undefined ? field : field.replace(/^(?:spec\.)?slos\[\d+\]\.?/, '');
  // Pseudo-fields such as (yaml) or (root) locate by line and column only.
  const shownField = rest.startsWith('(') ? '' : rest;
  const parts = [slo === undefined ? '' : `slo "${slo}"`, shownField, message].filter((part) => part !== '');
  const text = `${parts.join(': ')} (${file}:${line}:${column})`;
  return { file, line, column, field, ...(slo === undefined ? {} : { slo }), message, text };
}

/** `['slos', 1, 'sli', 'ratio']` -> `slos[1].sli.ratio`. */
export function formatPath(path: PathKey[]): string {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : text === '' ? key : `.${key}`;
  return text;
}

export function valueAt(data: unknown, path: PathKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PathKey, unknown>)[key];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

export function fieldMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    return 'is required';
  }
  if (issue.code === 'invalid_type' || issue.code === 'invalid_value')
    return `${issue.message}, got ${describeValue(value)}`;
  return issue.message;
}

function unknownKeyMessage(key: string, path: PathKey[] = []): string {
  // A threshold control's `multiple` copied onto a latency ratio's, which has none: say why, not "did you mean".
  if (key === 'multiple' && path.at(-1) === 'control' && path.at(-2) !== 'threshold')
    return "unknown field: a latency ratio's control moves the bound by the noise and takes no multiple (a threshold control's, docs/slo.md)";
  const guess = closest(key, KNOWN_FIELDS);
  return guess === undefined ? 'unknown field' : `unknown field (did you mean "${guess}"?)`;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The YAML node at a path; for an unknown key, the key itself; for a missing field, the deepest node that
 * exists (its parent mapping), so the message still points at the right place.
 */
export function nodeAt(root: Node | null, path: PathKey[], key?: string): Node | undefined {
  let node: Node | null | undefined = root;
  let found: Node | undefined = root ?? undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === step);
      node = pair?.value as Node | null | undefined;
      if (node === null && pair && isScalar(pair.key)) return pair.key as Node;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step] as Node | undefined;
    } else {
      node = undefined;
    }
    if (!node) return found;
    found = node;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
    if (pair && isScalar(pair.key)) return pair.key as Node;
  }
  return found;
}
