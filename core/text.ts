// Small text helpers every layer shares.
import { isAbsolute, relative } from 'node:path';

/**
 * The first line of a text: a message's headline, its details on the lines after. A CRLF ends a line too, so a
 * Windows-made or HTTP text does not keep a stray carriage return.
 */
export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}

/**
 * Lines up a text table: every cell padded to its column's widest cell among `rows` (the header one of them),
 * two spaces between columns, no trailing spaces. The columns are the first row's; `widths` serves a rule
 * under the header.
 */
export function alignColumns(rows: readonly (readonly string[])[]): {
  widths: number[];
  line: (cells: readonly string[]) => string;
} {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return { widths, line };
}

/** A path as the reports and the terminal show it: relative to `cwd` when it lies inside it, else as it is. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
