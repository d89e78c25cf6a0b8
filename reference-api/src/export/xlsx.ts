// Excel export with exceljs: data on the first sheet, summary figures on a second.

import ExcelJS from 'exceljs';
import { cellValue, type ExportTable, FIXED_DATE, type RenderOptions } from './table.ts';

/** Excel rejects sheet names longer than 31 characters or containing any of : \ / ? * [ ]. */
export function sheetName(title: string): string {
  const cleaned = title
    .replace(/[:\\/?*[\]]/g, ' ')
    .trim()
    .slice(0, 31)
    .trim();
  return cleaned === '' ? 'Data' : cleaned;
}

/**
 * Renders the table as an .xlsx workbook: sheet named after the title with a bold header row, numbers
 * stored as numbers (so Excel can sum them) and null as empty cells; a 'Summary' sheet holds the summary.
 */
export async function renderXlsx(table: ExportTable, opts: RenderOptions = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'MyStocks';
  workbook.created = opts.generatedAt ?? FIXED_DATE;
  workbook.modified = opts.generatedAt ?? FIXED_DATE;

  const name = sheetName(table.title);
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.max(10, c.header.length + 2),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(table.columns.map((c) => cellValue(row, c.key)));
  }

  if (table.summary !== undefined && table.summary.length > 0) {
    const summary = workbook.addWorksheet(name === 'Summary' ? 'Summary (2)' : 'Summary');
    summary.columns = [
      { header: 'Item', key: 'label', width: 30 },
      { header: 'Value', key: 'value', width: 24 },
    ];
    summary.getRow(1).font = { bold: true };
    for (const [label, value] of table.summary) summary.addRow([label, value]);
  }

  // writeBuffer is typed as exceljs's own Buffer interface; it is a Node Buffer at runtime.
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
