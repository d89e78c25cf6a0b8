// Charts: the K-line draws the API's bars; the bar under the crosshair and the "Show data" table hold values
// that equal indicators computed here, in the test, from the API's bars (fixtures/indicators.ts), for every
// indicator and period; week and month bars are the daily bars regrouped; toggles, period switch and URL
// state behave as a user expects.

import type { ApiClient, Bar, Kline } from '../fixtures/index.ts';
import { expect, test } from '../fixtures/index.ts';
import { isoWeek, referenceIndicators, referenceValue, regroup } from '../fixtures/indicators.ts';
import type { ChartsPage } from '../pages/index.ts';

/** Since before the seed's first day: the whole history, so the reference warms up as the service's does. */
const ALL_HISTORY = { from: '1990-01-01', to: '2099-12-31' };
const COLUMNS = {
  ma: ['ma.ma5', 'ma.ma10', 'ma.ma20'],
  macd: ['macd.dif', 'macd.dea', 'macd.histogram'],
  rsi: ['rsi.rsi14'],
  kdj: ['kdj.k', 'kdj.d', 'kdj.j'],
  boll: ['boll.upper', 'boll.middle', 'boll.lower'],
} as const;

async function firstSymbol(api: ApiClient): Promise<string> {
  return (await api.quotes({ pageSize: 1 })).items[0]!.symbol;
}

/** Equal within floating-point noise (the service and the reference sum in different orders). */
function close(shown: string, expected: number | null): boolean {
  if (expected === null) return shown === '';
  const value = Number(shown);
  return shown !== '' && Math.abs(value - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
}

/**
 * Every row of the open data table against the reference computed from all of the API's bars of that period;
 * the mismatches, listed by date and column, are the failure message.
 */
async function expectTableToMatchReference(chartsPage: ChartsPage, history: Bar[], columns: readonly string[]) {
  const reference = referenceIndicators(history);
  await expect(chartsPage.data.rows.first()).toBeVisible();
  const rows = await chartsPage.data.records(['date', ...columns]);
  expect(rows.length, 'rows of the K-line data table').toBeGreaterThan(0);
  const mismatches: string[] = [];
  for (const row of rows) {
    for (const column of columns) {
      const expected = referenceValue(history, reference, column, row.date!);
      if (!close(row[column]!, expected))
        mismatches.push(`${row.date} ${column}: page ${row[column]}, reference ${expected}`);
    }
  }
  expect(mismatches, `indicator values differing from the reference (${rows.length} rows)`).toEqual([]);
}

async function expectDetailsToMatchReference(chartsPage: ChartsPage, history: Bar[], columns: readonly string[]) {
  const reference = referenceIndicators(history);
  const date = await chartsPage.chart.barDetails.getAttribute('data-date');
  expect(date, 'date of the described bar').toBeTruthy();
  for (const column of columns) {
    const expected = referenceValue(history, reference, column, date!);
    const shown = (await chartsPage.chart.detail(column).getAttribute('data-value')) ?? '(missing)';
    expect(close(shown, expected), `${column} on ${date}: page ${shown}, reference ${expected}`).toBe(true);
  }
}

test.describe('daily bars', () => {
  let symbol: string;
  let k: Kline;
  let history: Bar[];

  test.beforeEach(async ({ api }) => {
    symbol = await firstSymbol(api);
    [k, history] = await Promise.all([
      api.kline(symbol, { period: 'day', indicators: 'ma' }),
      api.kline(symbol, { period: 'day', ...ALL_HISTORY }).then((all) => all.bars),
    ]);
  });

  test('draws the API bars and names the security', { tag: '@mobile' }, async ({ chartsPage }) => {
    await chartsPage.goto(symbol);
    await expect(chartsPage.heading).toHaveText(`${k.name} (${symbol})`);
    await expect(chartsPage.nav.link('Charts')).toHaveAttribute('aria-current', 'page');
    const chart = chartsPage.chart.root;
    await expect(chart).toHaveAttribute('data-rendered', 'true');
    await expect(chart).toHaveAttribute('data-period', 'day');
    await expect(chart).toHaveAttribute('data-indicators', 'ma');
    await expect(chart, 'bars drawn').toHaveAttribute('data-bars', String(k.bars.length));
    await expect(chart).toHaveAttribute('data-first-date', k.bars[0]!.date);
    await expect(chart).toHaveAttribute('data-last-date', k.bars.at(-1)!.date);
    await expect(chart).toHaveAccessibleName(
      new RegExp(`^K-line chart of .*\\(${symbol}\\), day bars, with volume and MA\\.`),
    );
  });

  test('describes the last bar with the API figures', async ({ chartsPage }) => {
    const last = k.bars.at(-1)!;
    await chartsPage.goto(symbol);
    await expect(chartsPage.chart.barDetails).toHaveAttribute('data-date', last.date);
    for (const column of ['open', 'high', 'low', 'close', 'volume'] as const) {
      await expect(chartsPage.chart.detail(column), `bar details: ${column}`).toHaveAttribute(
        'data-value',
        String(last[column]),
      );
    }
  });

  test('the MA figures of the described bar equal MA computed from the bars', async ({ chartsPage }) => {
    await chartsPage.goto(symbol);
    await expect(chartsPage.chart.barDetails).toHaveAttribute('data-date', k.bars.at(-1)!.date);
    await expectDetailsToMatchReference(chartsPage, history, COLUMNS.ma);
  });

  test('Home, arrow keys and End move the crosshair bar by bar', { tag: '@mobile' }, async ({ chartsPage }) => {
    await chartsPage.goto(symbol);
    const details = chartsPage.chart.barDetails;
    await expect(details).toHaveAttribute('data-date', k.bars.at(-1)!.date);
    await chartsPage.chart.moveCrosshair('Home');
    await expect(details).toHaveAttribute('data-date', k.bars[0]!.date);
    await expect(chartsPage.chart.detail('close')).toHaveAttribute('data-value', String(k.bars[0]!.close));
    await chartsPage.chart.moveCrosshair('ArrowLeft');
    await expect(details, 'no bar before the first').toHaveAttribute('data-date', k.bars[0]!.date);
    await chartsPage.chart.moveCrosshair('ArrowRight', 3);
    await expect(details).toHaveAttribute('data-date', k.bars[3]!.date);
    await chartsPage.chart.moveCrosshair('End');
    await expect(details).toHaveAttribute('data-date', k.bars.at(-1)!.date);
    await chartsPage.chart.moveCrosshair('ArrowRight');
    await expect(details, 'no bar after the last').toHaveAttribute('data-date', k.bars.at(-1)!.date);
  });

  test('hovering the chart describes the bar under the mouse', async ({ chartsPage }) => {
    await chartsPage.goto(symbol);
    const details = chartsPage.chart.barDetails;
    await expect(details).toHaveAttribute('data-date', k.bars.at(-1)!.date);
    await chartsPage.chart.hoverAt(0.5);
    await expect(details).not.toHaveAttribute('data-date', k.bars.at(-1)!.date);
    const date = await details.getAttribute('data-date');
    const index = k.bars.findIndex((b) => b.date === date);
    expect(index, `hovered bar ${date} among the drawn bars`).toBeGreaterThan(k.bars.length * 0.3);
    expect(index).toBeLessThan(k.bars.length * 0.7);
    await expect(chartsPage.chart.detail('close')).toHaveAttribute('data-value', String(k.bars[index]!.close));
    await expectDetailsToMatchReference(chartsPage, history, COLUMNS.ma);
  });

  test('"Show data" lists every drawn bar as the API gives it', async ({ chartsPage }) => {
    await chartsPage.goto(symbol);
    await expect(chartsPage.dataToggle).toHaveAttribute('aria-expanded', 'false');
    await expect(chartsPage.data.root).toBeHidden();
    await chartsPage.showData();
    await expect(chartsPage.dataToggle).toHaveAttribute('aria-expanded', 'true');
    await expect(chartsPage.data.root).toHaveAccessibleName(`K-line data: ${k.name} (${symbol}), day bars`);
    const fields = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;
    expect(await chartsPage.data.records(fields), 'data table vs GET /api/charts/kline').toEqual(
      k.bars.map((b) => Object.fromEntries(fields.map((f) => [f, String(b[f])]))),
    );
    await chartsPage.hideData();
    await expect(chartsPage.data.root).toBeHidden();
  });

  // One test per indicator: its columns of the data table against the reference implementation.
  const INDICATOR_TABLES = [
    ['ma', 'MA5, MA10 and MA20 equal the reference on every bar'],
    ['macd', 'MACD (DIF, DEA, histogram) equals the reference on every bar'],
    ['rsi', 'RSI 14 equals the reference on every bar'],
    ['kdj', 'KDJ equals the reference on every bar'],
    ['boll', 'Bollinger bands equal the reference on every bar'],
  ] as const;
  for (const [indicator, title] of INDICATOR_TABLES) {
    test(title, async ({ chartsPage }) => {
      await chartsPage.goto(symbol, { indicators: [indicator] });
      await chartsPage.showData();
      await expectTableToMatchReference(chartsPage, history, COLUMNS[indicator]);
    });
  }

  test('every indicator of a bar picked with the keyboard equals the reference', async ({ chartsPage }) => {
    await chartsPage.goto(symbol, { indicators: ['ma', 'macd', 'rsi', 'kdj', 'boll'] });
    await expect(chartsPage.chart.root).toHaveAttribute('data-indicators', 'ma,macd,rsi,kdj,boll');
    await chartsPage.chart.moveCrosshair('ArrowLeft', 5);
    await expect(chartsPage.chart.barDetails).toHaveAttribute('data-date', k.bars.at(-6)!.date);
    await expectDetailsToMatchReference(chartsPage, history, Object.values(COLUMNS).flat());
  });

  test('turning indicators on and off changes the chart, figures, table and URL', async ({ chartsPage, page }) => {
    await chartsPage.goto(symbol);
    await expect(chartsPage.indicator('MA')).toBeChecked();
    await chartsPage.showData();
    await chartsPage.setIndicator('RSI', true);
    await expect(chartsPage.chart.root).toHaveAttribute('data-indicators', 'ma,rsi');
    await expect(page).toHaveURL(/indicators=ma%2Crsi|indicators=ma,rsi/);
    await expect(chartsPage.data.header('RSI14')).toBeVisible();
    await expect(chartsPage.chart.detail('rsi.rsi14')).toBeVisible();

    await chartsPage.setIndicator('MA', false);
    await chartsPage.setIndicator('RSI', false);
    await expect(chartsPage.chart.root).toHaveAttribute('data-indicators', '');
    await expect(page).toHaveURL(/indicators=none/);
    await expect(chartsPage.chart.detail('ma.ma5')).toHaveCount(0);
    await expect(chartsPage.data.root.locator('th[data-column^="ma."], th[data-column^="rsi."]')).toHaveCount(0);
    await expect(chartsPage.chart.root).toHaveAccessibleName(/, day bars, with volume\. /);
  });
});

test.describe('weekly and monthly bars', () => {
  test('weekly bars are the daily bars regrouped by ISO week', async ({ chartsPage, api, page }) => {
    const symbol = await firstSymbol(api);
    const days = (await api.kline(symbol, { period: 'day', ...ALL_HISTORY })).bars;
    const weeks = regroup(days, isoWeek);
    await chartsPage.goto(symbol);
    await chartsPage.selectPeriod('Week');
    await expect(chartsPage.chart.root).toHaveAttribute('data-period', 'week');
    await expect(page).toHaveURL(/period=week/);
    await chartsPage.showData();
    await expect(chartsPage.data.root).toHaveAccessibleName(/, week bars$/);
    const shown = weeks.slice(-250);
    await expect(chartsPage.data.rows, 'weekly rows').toHaveCount(shown.length);
    const fields = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;
    expect(await chartsPage.data.records(fields), 'weekly bars vs daily bars regrouped in the test').toEqual(
      shown.map((b) => Object.fromEntries(fields.map((f) => [f, String(b[f])]))),
    );
  });

  test('weekly MACD and KDJ equal the reference computed from weekly bars', async ({ chartsPage, api }) => {
    const symbol = await firstSymbol(api);
    const weeks = (await api.kline(symbol, { period: 'week', ...ALL_HISTORY })).bars;
    await chartsPage.goto(symbol, { period: 'week', indicators: ['macd', 'kdj'] });
    await expect(chartsPage.period('Week')).toBeChecked();
    await chartsPage.showData();
    await expectTableToMatchReference(chartsPage, weeks, [...COLUMNS.macd, ...COLUMNS.kdj]);
  });

  test('monthly bars regroup the days by month; MA20 stays empty until 20 months exist', async ({
    chartsPage,
    api,
  }) => {
    const symbol = await firstSymbol(api);
    const days = (await api.kline(symbol, { period: 'day', ...ALL_HISTORY })).bars;
    const months = regroup(days, (date) => date.slice(0, 7));
    await chartsPage.goto(symbol, { period: 'month', indicators: ['ma'] });
    await expect(chartsPage.period('Month')).toBeChecked();
    await chartsPage.showData();
    await expect(chartsPage.data.rows).toHaveCount(months.length);
    expect(await chartsPage.data.columnValues('close')).toEqual(months.map((m) => String(m.close)));
    await expectTableToMatchReference(chartsPage, months, COLUMNS.ma);
    // The first 19 months cannot have a 20-month average: the page must show a gap, not a number.
    const ma20 = await chartsPage.data.columnValues('ma.ma20');
    expect(ma20.slice(0, 19)).toEqual(Array(19).fill(''));
    await chartsPage.chart.moveCrosshair('Home');
    await expect(chartsPage.chart.detail('ma.ma20')).toHaveText('—');
  });

  test('a shared link restores period and indicators', async ({ chartsPage, api }) => {
    const symbol = await firstSymbol(api);
    const k = await api.kline(symbol, { period: 'month', indicators: 'rsi,boll' });
    await chartsPage.goto(symbol, { period: 'month', indicators: ['rsi', 'boll'] });
    await expect(chartsPage.period('Month')).toBeChecked();
    await expect(chartsPage.indicator('RSI')).toBeChecked();
    await expect(chartsPage.indicator('BOLL')).toBeChecked();
    await expect(chartsPage.indicator('MA')).not.toBeChecked();
    await expect(chartsPage.chart.root).toHaveAttribute('data-indicators', 'rsi,boll');
    await expect(chartsPage.chart.root).toHaveAttribute('data-bars', String(k.bars.length));
    await expect(chartsPage.chart.detail('boll.upper')).toHaveAttribute(
      'data-value',
      String(k.indicators.boll!.upper.at(-1)),
    );
  });
});

test('searching another symbol opens its chart with the same period and indicators', async ({
  chartsPage,
  api,
  page,
}) => {
  const symbol = await firstSymbol(api);
  const hit = (await api.search('Bank', 8)).items.find((h) => h.symbol !== symbol)!;
  const k = await api.kline(hit.symbol, { period: 'week', indicators: 'macd' });
  await chartsPage.goto(symbol, { period: 'week', indicators: ['macd'] });
  await expect(chartsPage.chart.root).toHaveAttribute('data-rendered', 'true');
  await chartsPage.searchSymbol(hit.symbol);
  await chartsPage.pickSuggestion(0);
  await expect(page).toHaveURL(new RegExp(`/charts/${hit.symbol}\\?period=week&indicators=macd$`));
  await expect(chartsPage.heading).toHaveText(`${k.name} (${hit.symbol})`);
  await expect(chartsPage.chart.root).toHaveAttribute('data-last-date', k.bars.at(-1)!.date);
  await expect(chartsPage.chart.detail('macd.dif')).toHaveAttribute(
    'data-value',
    String(k.indicators.macd!.dif.at(-1)),
  );
});

test.describe('an unknown symbol', () => {
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test('shows the API error with a retry instead of an empty chart', async ({ chartsPage, api }) => {
    const refused = await api.raw<{ message: string }>('GET', '/api/charts/kline/999999');
    expect(refused.status).toBe(404);
    await chartsPage.goto('999999');
    await expect(chartsPage.state.error).toContainText(`Could not load K-line data: ${refused.data.message}`);
    await expect(chartsPage.chart.root).toBeHidden();
    await expect(chartsPage.dataToggle).toHaveCount(0);
  });
});
