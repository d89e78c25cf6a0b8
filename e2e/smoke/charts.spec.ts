// Smoke: the chart page draws the API's bars, describes the hovered bar, exposes the drawn series in its data
// table, and follows the indicator toggles and period switch.
import { expect, test } from './fixtures.ts';

interface Kline {
  name: string;
  bars: { date: string; close: number; volume: number }[];
  indicators: { ma?: { ma5: (number | null)[] }; macd?: { dif: (number | null)[] } };
}

async function firstSymbol(page: import('@playwright/test').Page): Promise<string> {
  const res = (await (await page.request.get('/api/market/quotes?pageSize=1')).json()) as {
    items: { symbol: string }[];
  };
  return res.items[0]!.symbol;
}

test('shows the K-line of the API with volume, MA and the last bar described', async ({ page }) => {
  const symbol = await firstSymbol(page);
  const k = (await (await page.request.get(`/api/charts/kline/${symbol}?period=day&indicators=ma`)).json()) as Kline;
  const last = k.bars.at(-1)!;
  await page.goto(`/charts/${symbol}`);

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${k.name} (${symbol})`);
  const chart = page.getByTestId('kline-chart');
  await expect(chart).toHaveAttribute('data-rendered', 'true');
  await expect(chart).toHaveAttribute('data-bars', String(k.bars.length));
  await expect(chart).toHaveAttribute('data-last-date', last.date);

  const details = page.getByRole('status', { name: 'Bar details' });
  await expect(details).toHaveAttribute('data-date', last.date);
  await expect(details.locator('[data-column="close"]')).toHaveAttribute('data-value', String(last.close));
  await expect(details.locator('[data-column="ma.ma5"]')).toHaveAttribute(
    'data-value',
    String(k.indicators.ma!.ma5.at(-1)),
  );

  // Hovering the plot moves the crosshair to another bar, and the description follows.
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 150);
  await expect(details).not.toHaveAttribute('data-date', last.date);

  await page.getByRole('button', { name: 'Show data' }).click();
  const table = page.getByRole('table', { name: /^K-line data/ });
  await expect(table.locator('tbody tr')).toHaveCount(k.bars.length);
  const lastRow = table.locator(`tbody tr[data-key="${last.date}"]`);
  await expect(lastRow.locator('[data-column="volume"]')).toHaveAttribute('data-value', String(last.volume));
});

test('adds MACD and switches to weekly bars', async ({ page }) => {
  const symbol = await firstSymbol(page);
  const weekly = (await (
    await page.request.get(`/api/charts/kline/${symbol}?period=week&indicators=ma,macd`)
  ).json()) as Kline;
  await page.goto(`/charts/${symbol}`);
  await expect(page.getByTestId('kline-chart')).toHaveAttribute('data-rendered', 'true');

  await page.getByRole('checkbox', { name: 'MACD' }).check();
  await expect(page.getByTestId('kline-chart')).toHaveAttribute('data-indicators', 'ma,macd');
  await page.getByRole('radio', { name: 'Week' }).check();
  await expect(page.getByTestId('kline-chart')).toHaveAttribute('data-period', 'week');
  await expect(page).toHaveURL(/period=week/);

  await page.getByRole('button', { name: 'Show data' }).click();
  const table = page.getByRole('table', { name: /weekly|week bars/ });
  await expect(table.locator('tbody tr')).toHaveCount(weekly.bars.length);
  await expect(table.getByRole('columnheader', { name: 'DIF' })).toBeVisible();
  const lastDif = weekly.indicators.macd!.dif.at(-1);
  await expect(table.locator('tbody tr').last().locator('[data-column="macd.dif"]')).toHaveAttribute(
    'data-value',
    String(lastDif),
  );
});
