// CSV export: RFC 4180 (CRLF line ends, fields with quotes, commas or line breaks quoted, quotes doubled), with
// text cells that a spreadsheet would evaluate as formulas neutralised.

import { stringify } from 'csv-stringify/sync';
import { cellValue, type ExportTable } from './table.ts';

/**
 * Characters that make a spreadsheet read a cell as a formula (=, +, -, @) or that some of them skip before
 * deciding (tab, carriage return): OWASP's CSV injection list.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that a spreadsheet would run as a formula gets a leading apostrophe, as OWASP advises, so
 * `=HYPERLINK(...)` in a name opens as the text it is. Numbers stay numbers: a negative number is a value,
 * not a formula, and must still add up in the sheet.
 */
export function neutraliseFormula(value: string | number | null): string | number | null {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Renders the table as UTF-8 CSV: a header row of column headers, then one line per row; null cells are
 * empty. No byte-order mark, so any CSV reader sees the first header as written; the summary is left out
 * because CSV has one table only.
 */
export function renderCsv(table: ExportTable): Buffer {
  const records = [
    table.columns.map((c) => neutraliseFormula(c.header)),
    ...table.rows.map((row) => table.columns.map((c) => neutraliseFormula(cellValue(row, c.key)))),
  ];
  const text = stringify(records, {
    record_delimiter: '\r\n',
    // csv-stringify only quotes the full record delimiter (CRLF); a lone LF or CR inside a field must be
    // quoted too, or most readers would split the record there.
    quoted_match: /[\r\n]/,
    // csv-stringify writes null as an empty field already; numbers go through String(), which keeps
    // every digit JavaScript has (no locale grouping).
    cast: { number: (value) => String(value) },
  });
  return Buffer.from(text, 'utf8');
}
