// Export: each dataset and format downloads under the server's file name, and the file, read back with a
// library of its own (csv-parse, exceljs, pdf-parse), holds the rows the JSON API returns for the same query;
// inputs the page must refuse never reach the server.
import { readFile } from 'node:fs/promises';
import type { Download } from '@playwright/test';
import { readCsv, readPdfText, readXlsx } from '../fixtures/files.ts';
import type { Quote } from '../fixtures/index.ts';
import { expect, test } from '../fixtures/index.ts';
import type { ExportInput } from '../pages/export-page.ts';
import type { ExportPage } from '../pages/index.ts';

const QUOTE_COLUMNS: [keyof Quote, string][] = [
  ['symbol', 'Symbol'],
  ['name', 'Name'],
  ['sector', 'Sector'],
  ['industry', 'Industry'],
  ['date', 'Date'],
  ['price', 'Price'],
  ['prevClose', 'Prev close'],
  ['change', 'Change'],
  ['changePct', 'Change %'],
  ['open', 'Open'],
  ['high', 'High'],
  ['low', 'Low'],
  ['volume', 'Volume'],
  ['amount', 'Amount'],
];
const FLOW_COLUMNS = [
  ['key', 'Key'],
  ['name', 'Name'],
  ['sector', 'Sector'],
  ['mainNetInflow', 'Main net inflow'],
  ['retailNetInflow', 'Retail net inflow'],
  ['totalNetInflow', 'Total net inflow'],
] as const;
const POSITION_COLUMNS = [
  ['symbol', 'Symbol'],
  ['name', 'Name'],
  ['sector', 'Sector'],
  ['quantity', 'Quantity'],
  ['costPrice', 'Cost price'],
  ['price', 'Price'],
  ['marketValue', 'Market value'],
  ['pnl', 'P&L'],
  ['pnlPct', 'P&L %'],
  ['weight', 'Weight'],
] as const;
const BAR_COLUMNS = [
  ['date', 'Date'],
  ['open', 'Open'],
  ['high', 'High'],
  ['low', 'Low'],
  ['close', 'Close'],
  ['volume', 'Volume'],
  ['amount', 'Amount'],
] as const;

type Columns = readonly (readonly [string, string])[];

/** API items as CSV records: header → String(value). */
function asCsv(items: object[], columns: Columns): Record<string, string>[] {
  return items.map((item) =>
    Object.fromEntries(columns.map(([key, header]) => [header, String((item as Record<string, unknown>)[key] ?? '')])),
  );
}

/** API items as spreadsheet rows: the header row, then values in column order. */
function asSheet(items: object[], columns: Columns): unknown[][] {
  return [
    columns.map(([, header]) => header),
    ...items.map((item) => columns.map(([key]) => (item as Record<string, unknown>)[key] ?? null)),
  ];
}

/** The newest day among the quotes: the day the server names a quotes file after. */
function lastDayOf(quotes: readonly Quote[]): string {
  return quotes
    .map((q) => q.date)
    .sort()
    .at(-1)!;
}

/** Opens the export page and downloads the fund flow for a scope and period, picked as a user picks them. */
async function exportFundFlow(
  exportPage: ExportPage,
  choice: Required<Pick<ExportInput, 'format' | 'scope' | 'period'>>,
): Promise<Download> {
  await exportPage.goto();
  return exportPage.export({ dataset: 'Fund flow', ...choice });
}

async function body(download: Download): Promise<Buffer> {
  return readFile(await download.path());
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

test('quotes as CSV: the server file name and every quote of the API', { tag: '@mobile' }, async ({
  exportPage,
  api,
}) => {
  const quotes = await api.allQuotes();
  const lastDay = lastDayOf(quotes);
  await exportPage.goto();
  await expect(exportPage.heading).toHaveText('Export');
  const download = await exportPage.export({ dataset: 'Quotes', format: 'CSV' });
  expect(download.suggestedFilename()).toBe(`quotes-${lastDay}.csv`);
  await expect(exportPage.status).toHaveText(`Downloaded quotes-${lastDay}.csv.`);
  await expect(exportPage.status).toHaveAttribute('data-filename', `quotes-${lastDay}.csv`);
  expect(readCsv(await body(download)), 'CSV rows vs GET /api/market/quotes').toEqual(asCsv(quotes, QUOTE_COLUMNS));
});

test('quotes of one sector as CSV hold that sector only', async ({ exportPage, api }) => {
  const sector = (await api.sectors()).items[0]!.sector;
  const quotes = await api.allQuotes({ sector });
  await exportPage.goto();
  const download = await exportPage.export({ dataset: 'Quotes', format: 'CSV', sector });
  const rows = readCsv(await body(download));
  expect(new Set(rows.map((r) => r.Sector))).toEqual(new Set([sector]));
  expect(rows, `CSV rows vs GET /api/market/quotes?sector=${sector}`).toEqual(asCsv(quotes, QUOTE_COLUMNS));
});

test('quotes as Excel: the cells read back are the API quotes, numbers as numbers', async ({ exportPage, api }) => {
  const quotes = await api.allQuotes();
  await exportPage.goto();
  const download = await exportPage.export({ dataset: 'Quotes', format: 'Excel' });
  expect(download.suggestedFilename()).toMatch(/^quotes-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const sheets = await readXlsx(await body(download));
  const [first] = sheets.values();
  expect(first, 'first sheet vs GET /api/market/quotes').toEqual(asSheet(quotes, QUOTE_COLUMNS));
});

test('quotes as PDF: the title and every symbol with its price', async ({ exportPage, api }) => {
  const quotes = await api.allQuotes();
  const lastDay = lastDayOf(quotes);
  await exportPage.goto();
  const download = await exportPage.export({ dataset: 'Quotes', format: 'PDF' });
  expect(download.suggestedFilename()).toBe(`quotes-${lastDay}.pdf`);
  const text = oneLine(await readPdfText(await body(download)));
  expect(text).toContain(`Quotes ${lastDay}`);
  const missing = quotes.filter((q) => !text.includes(`${q.symbol} `) || !text.includes(` ${q.price} `));
  expect(
    missing.map((q) => `${q.symbol} ${q.price}`),
    'quotes missing from the PDF text',
  ).toEqual([]);
});

test('fund flow by industry over 5 days as CSV: the API ranking', async ({ exportPage, api }) => {
  const flow = await api.fundFlow('industry', '5d', 200);
  const download = await exportFundFlow(exportPage, { format: 'CSV', scope: 'Industry', period: '5 days' });
  expect(download.suggestedFilename()).toBe(`fund-flow-${flow.to}.csv`);
  expect(readCsv(await body(download)), 'CSV rows vs GET /api/fund-flow').toEqual(asCsv(flow.items, FLOW_COLUMNS));
});

test('fund flow by stock over 20 days as Excel: every stock the API ranks', async ({ exportPage, api }) => {
  const flow = await api.fundFlow('stock', '20d', 200);
  const download = await exportFundFlow(exportPage, { format: 'Excel', scope: 'Stock', period: '20 days' });
  expect(download.suggestedFilename()).toBe(`fund-flow-${flow.to}.xlsx`);
  const sheets = await readXlsx(await body(download));
  const [name, rows] = [...sheets.entries()][0]!;
  expect(name).toMatch(/^Fund flow by stock/);
  expect(rows, 'sheet vs GET /api/fund-flow').toEqual(asSheet(flow.items, FLOW_COLUMNS));
});

test('the risk report as PDF carries the portfolio figures and positions', async ({ exportPage, api }) => {
  const p = await api.portfolio();
  await exportPage.goto();
  const download = await exportPage.export({ dataset: 'Risk report', format: 'PDF' });
  expect(download.suggestedFilename()).toBe(`risk-report-${p.asOf}.pdf`);
  const text = oneLine(await readPdfText(await body(download)));
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  for (const figure of [
    `Risk report ${p.asOf}`,
    `Market value: ${p.marketValue.toFixed(2)}`,
    `VaR 95 %: ${pct(p.var95)} (${p.var95Amount.toFixed(2)})`,
    `VaR 99 %: ${pct(p.var99)} (${p.var99Amount.toFixed(2)})`,
    `Max drawdown: ${pct(p.maxDrawdown)}`,
    `Volatility: ${pct(p.volatility)}`,
    `Beta: ${p.beta.toFixed(4)}`,
    `Sharpe: ${p.sharpe.toFixed(4)}`,
  ]) {
    expect(text, `PDF text should contain "${figure}"`).toContain(figure);
  }
  for (const position of p.positions) expect(text).toContain(`${position.symbol} `);
});

test('the risk report as Excel: positions sheet and summary sheet', async ({ exportPage, api }) => {
  const p = await api.portfolio();
  await exportPage.goto();
  await exportPage.fill({ dataset: 'Risk report', format: 'Excel' });
  await expect(exportPage.field('Symbol')).toBeHidden();
  const download = await exportPage.download();
  expect(download.suggestedFilename()).toBe(`risk-report-${p.asOf}.xlsx`);
  const sheets = await readXlsx(await body(download));
  const [positions] = sheets.values();
  expect(positions, 'positions sheet vs GET /api/risk/portfolio').toEqual(asSheet(p.positions, POSITION_COLUMNS));
  const summary = new Map((sheets.get('Summary') ?? []).map((row) => [row[0], row[1]]));
  expect(summary.get('As of')).toBe(p.asOf);
  expect(summary.get('Market value')).toBe(p.marketValue.toFixed(2));
  expect(summary.get('Beta')).toBe(p.beta.toFixed(4));
});

test('the risk report as CSV lists the positions of the API', async ({ exportPage, api }) => {
  const p = await api.portfolio();
  await exportPage.goto();
  const download = await exportPage.export({ dataset: 'Risk report', format: 'CSV' });
  expect(download.suggestedFilename()).toBe(`risk-report-${p.asOf}.csv`);
  expect(readCsv(await body(download))).toEqual(asCsv(p.positions, POSITION_COLUMNS));
});

test('K-line bars of a date range as CSV: named after the symbol and last day', async ({ exportPage, api }) => {
  const symbol = (await api.quotes({ pageSize: 1 })).items[0]!.symbol;
  const recent = (await api.kline(symbol)).bars;
  const from = recent.at(-30)!.date;
  const to = recent.at(-10)!.date;
  const expected = (await api.kline(symbol, { from, to })).bars;
  await exportPage.goto();
  const download = await exportPage.export({ dataset: 'K-line', format: 'CSV', symbol, from, to });
  expect(download.suggestedFilename()).toBe(`kline-${symbol}-${to}.csv`);
  await expect(exportPage.status).toHaveText(`Downloaded kline-${symbol}-${to}.csv.`);
  const rows = readCsv(await body(download));
  expect(rows.length).toBe(21);
  expect(rows, `CSV rows vs GET /api/charts/kline/${symbol}?from=${from}&to=${to}`).toEqual(
    asCsv(expected, BAR_COLUMNS),
  );
});

test('weekly K-line bars as Excel equal the API weekly bars', async ({ exportPage, api }) => {
  const symbol = (await api.quotes({ pageSize: 2 })).items[1]!.symbol;
  const weekly = await api.kline(symbol, { period: 'week' });
  await exportPage.goto();
  const download = await exportPage.export({ dataset: 'K-line', format: 'Excel', symbol, barPeriod: 'Week' });
  expect(download.suggestedFilename()).toBe(`kline-${symbol}-${weekly.bars.at(-1)!.date}.xlsx`);
  const [rows] = (await readXlsx(await body(download))).values();
  expect(rows, 'sheet vs GET /api/charts/kline?period=week').toEqual(asSheet(weekly.bars, BAR_COLUMNS));
});

test.describe('refused exports', () => {
  test('an inverted date range or a bad symbol is refused before any request', async ({ exportPage, page }) => {
    let exportCalls = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/export/')) exportCalls += 1;
    });
    let downloads = 0;
    page.on('download', () => {
      downloads += 1;
    });
    await exportPage.goto();
    await exportPage.fill({ dataset: 'K-line', format: 'CSV', symbol: '000001', from: '2026-06-30', to: '2026-01-01' });
    await exportPage.pressDownload();
    await expect(exportPage.message('The start date must be on or before the end date.')).toBeVisible();
    await expect(exportPage.field('Start date')).toHaveAttribute('aria-invalid', 'true');
    await expect(exportPage.field('Start date')).toBeFocused();

    await exportPage.fill({ dataset: 'K-line', format: 'CSV', symbol: '12', from: '', to: '' });
    await exportPage.pressDownload();
    await expect(exportPage.message('Enter a 6-digit symbol.')).toBeVisible();
    await expect(exportPage.field('Symbol')).toHaveAttribute('aria-invalid', 'true');
    await expect(exportPage.status).toHaveText('');
    expect(exportCalls, 'export requests sent').toBe(0);
    expect(downloads, 'files downloaded').toBe(0);
  });

  test.describe('by the API', () => {
    test.use({ allowedConsoleErrors: [/status of 404/] });

    test('an unknown symbol says what the API answered, with no file', async ({ exportPage, api }) => {
      const refused = await api.exportFile('kline', 'csv', { symbol: '999999' });
      expect(refused.status).toBe(404);
      const message = (JSON.parse(refused.body.toString('utf8')) as { message: string }).message;
      await exportPage.goto();
      await exportPage.fill({ dataset: 'K-line', format: 'CSV', symbol: '999999' });
      await exportPage.pressDownload();
      await expect(exportPage.alert).toHaveText(`The export failed: ${message}`);
      await expect(exportPage.status).toHaveText('');
    });
  });
});
