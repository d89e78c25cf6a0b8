// The one shape every export (quotes, fund flow, risk report, K-line) is turned into before rendering,
// so each file format has a single renderer.

/** A titled table with optional summary figures, ready to render as CSV, XLSX or PDF. */
export interface ExportTable {
  /** Human title, e.g. 'Quotes 2026-10-30'; names the XLSX sheet and heads the PDF. */
  title: string;
  /** File name stem, e.g. 'quotes-2026-10-30'; see `exportFileName`. */
  fileBase: string;
  /** Columns in display order: `key` into each row, `header` shown to the user. */
  columns: { key: string; header: string }[];
  /** Data rows; a missing key or null renders as an empty cell. */
  rows: Record<string, string | number | null>[];
  /** Label/value figures shown above the PDF table and on the XLSX 'Summary' sheet; not in the CSV. */
  summary?: [label: string, value: string][];
}

/** Options shared by the renderers. */
export interface RenderOptions {
  /**
   * When the file is generated: written into the PDF note and document dates. Without it the metadata
   * dates are fixed (1970-01-01), so the same table renders to the same bytes.
   */
  generatedAt?: Date;
}

/** The date renderers write into file metadata when no generation time is given. */
export const FIXED_DATE = new Date(0);

/** The cell value of `row` for column `key`: null when missing. */
export function cellValue(row: Record<string, string | number | null>, key: string): string | number | null {
  return row[key] ?? null;
}
