import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { renderCsv } from './csv.ts';
import { CONTENT_TYPES, EXPORT_FORMATS, exportFileName, isExportFormat, renderExport } from './index.ts';
import { renderPdf } from './pdf.ts';
import type { ExportTable } from './table.ts';
import { renderXlsx, sheetName } from './xlsx.ts';

const quotes: ExportTable = {
  title: 'Quotes 2026-10-30',
  fileBase: 'quotes-2026-10-30',
  columns: [
    { key: 'symbol', header: 'Symbol' },
    { key: 'name', header: 'Name' },
    { key: 'close', header: 'Close' },
    { key: 'changePct', header: 'Change %' },
    { key: 'note', header: 'Note' },
  ],
  rows: [
    { symbol: '600519', name: 'Kweichow Moutai', close: 1456.78, changePct: -1.25, note: 'says "hold", then, sell' },
    { symbol: '000858', name: '五粮液 Wuliangye', close: 132.5, changePct: 0.4, note: null },
    { symbol: '300750', name: 'Zürich Ångström', close: 201, changePct: 0, note: 'line one\nline two' },
  ],
  summary: [
    ['Securities', '3'],
    ['As of', '2026-10-30'],
  ],
};

/** What each cell should read as text: empty for null, String() for numbers. */
const asText = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** Cell values of a worksheet row from column 1 (exceljs's `values` array is 1-based with a hole at 0). */
const rowValues = (row: ExcelJS.Row): unknown[] => (row.values as unknown[]).slice(1);

/** Text of a PDF and its page count, via pdf-parse. */
async function pdfText(buffer: Buffer): Promise<{ text: string; pages: number }> {
  const parser = new PDFParse({ data: new Uint8Array(buffer) });
  try {
    const result = await parser.getText();
    return { text: result.text, pages: result.total };
  } finally {
    await parser.destroy();
  }
}

describe('renderCsv', () => {
  test('parses back to the header row and every row, with quotes, commas, line breaks and CJK intact', () => {
    const records: string[][] = parse(renderCsv(quotes), { relax_column_count: false });
    assert.deepEqual(records[0], ['Symbol', 'Name', 'Close', 'Change %', 'Note']);
    assert.deepEqual(
      records.slice(1),
      quotes.rows.map((row) => quotes.columns.map((c) => asText(row[c.key]))),
    );
    assert.equal(records[2]?.[1], '五粮液 Wuliangye');
  });
  test('quotes fields the RFC 4180 way and ends records with CRLF', () => {
    const text = renderCsv(quotes).toString('utf8');
    assert.ok(text.startsWith('Symbol,Name,Close,Change %,Note\r\n'), 'no BOM, header first');
    assert.ok(text.includes('"says ""hold"", then, sell"'), 'quotes doubled inside a quoted field');
    assert.ok(text.includes('"line one\nline two"'), 'a line break inside a field is quoted');
  });
});

describe('renderXlsx', () => {
  test('reads back with the header in bold, numbers as numbers and the summary on a second sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderXlsx(quotes)) as unknown as ArrayBuffer); // exceljs types want its own Buffer
    const [data, summary] = workbook.worksheets;
    assert.ok(data && summary);
    assert.equal(data.name, 'Quotes 2026-10-30');
    assert.equal(summary.name, 'Summary');
    assert.deepEqual(rowValues(data.getRow(1)), ['Symbol', 'Name', 'Close', 'Change %', 'Note']);
    assert.equal(data.getRow(1).font?.bold, true);
    quotes.rows.forEach((row, i) => {
      const cells = data.getRow(i + 2);
      quotes.columns.forEach((c, j) => {
        const expected = row[c.key] ?? null;
        const actual = cells.getCell(j + 1).value;
        assert.equal(actual, expected, `row ${i + 1} ${c.key}`);
      });
    });
    assert.equal(typeof data.getCell('C2').value, 'number');
    assert.equal(data.getCell('B3').value, '五粮液 Wuliangye');
    assert.deepEqual(rowValues(summary.getRow(2)), ['Securities', '3']);
    assert.deepEqual(rowValues(summary.getRow(3)), ['As of', '2026-10-30']);
  });
  test('has no summary sheet when the table has no summary', async () => {
    const workbook = new ExcelJS.Workbook();
    const buffer = await renderXlsx({ ...quotes, summary: undefined });
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    assert.equal(workbook.worksheets.length, 1);
  });
  test('makes a title into a legal sheet name', () => {
    assert.equal(sheetName('Risk: report [demo] / 2026?'), 'Risk  report  demo    2026');
    assert.equal(sheetName('x'.repeat(40)).length, 31);
    assert.equal(sheetName(' * '), 'Data');
  });
});

describe('renderPdf', () => {
  test('has a text layer with the title, note, summary and every cell', async () => {
    const { text, pages } = await pdfText(await renderPdf(quotes, { generatedAt: new Date('2026-10-30T07:30:00Z') }));
    assert.equal(pages, 1);
    assert.ok(text.includes('Quotes 2026-10-30'));
    assert.ok(text.includes('Generated by MyStocks on 2026-10-30 07:30 UTC'));
    assert.ok(text.includes('Securities: 3'));
    assert.ok(text.includes('Page 1 of 1'));
    const flat = text.replace(/\s+/g, ' ');
    assert.ok(flat.includes('Symbol Name Close Change % Note'));
    assert.ok(flat.includes('600519 Kweichow Moutai 1456.78 -1.25'), flat);
    assert.ok(flat.includes('300750 Zürich Ångström 201 0'), 'Latin-1 letters survive the built-in font');
  });

  test('spreads a 300-row table over several pages, repeating the header and keeping every row', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      symbol: String(600000 + i),
      name: `Security ${i}`,
      close: 10 + i / 4,
    }));
    const table: ExportTable = {
      title: 'Big',
      fileBase: 'big',
      // Symbol, Name and Close: the quotes table's first three columns.
      columns: quotes.columns.slice(0, 3),
      rows,
    };
    const { text, pages } = await pdfText(await renderPdf(table));
    assert.ok(pages > 1, `${pages} pages`);
    const lines = text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    for (const row of rows) assert.ok(lines.includes(`${row.symbol} ${row.name} ${row.close}`), row.symbol);
    assert.equal(lines.filter((l) => l === 'Symbol Name Close').length, pages, 'one header row per page');
    assert.ok(text.includes(`Page ${pages} of ${pages}`));
  });

  test('renders the same bytes twice when no generation time is given', async () => {
    assert.ok((await renderPdf(quotes)).equals(await renderPdf(quotes)));
  });
});

describe('renderExport and file names', () => {
  test('dispatches each format to a renderer whose output starts with that format’s magic bytes', async () => {
    const starts: Record<string, string> = { csv: 'Symbol,', xlsx: 'PK', pdf: '%PDF-' };
    for (const format of EXPORT_FORMATS) {
      const buffer = await renderExport(quotes, format);
      const magic = starts[format]!;
      assert.equal(buffer.subarray(0, magic.length).toString('latin1'), magic, format);
      assert.ok(CONTENT_TYPES[format].length > 0);
    }
  });
  test('builds safe file names from the base and the format', () => {
    assert.equal(exportFileName('quotes-2026-10-30', 'csv'), 'quotes-2026-10-30.csv');
    assert.equal(exportFileName('risk report/2026 10:30', 'pdf'), 'risk-report-2026-10-30.pdf');
    assert.equal(exportFileName('../../etc/passwd', 'xlsx'), 'etc-passwd.xlsx');
    assert.equal(exportFileName('贵州茅台', 'csv'), 'export.csv');
  });
  test('recognises only the three format names', () => {
    assert.ok(isExportFormat('pdf'));
    assert.ok(!isExportFormat('docx'));
    assert.ok(!isExportFormat(undefined));
  });
});
