// CSV export: RFC 4180 (CRLF line ends, fields with quotes, commas or line breaks quoted, quotes doubled).

import { stringify } from 'csv-stringify/sync';
import { cellValue, type ExportTable } from './table.ts';

/**
 * Renders the table as UTF-8 CSV: a header row of column headers, then one line per row; null cells are
 * empty. No byte-order mark, so any CSV reader sees the first header as written; the summary is left out
 * because CSV has one table only.
 */
export function renderCsv(table: ExportTable): Buffer {
  const records = [
    table.columns.map((c) => c.header),
    ...table.rows.map((row) => table.columns.map((c) => cellValue(row, c.key))),
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
