// Smoke: the fund-flow page ranks the API's flows in its table and chart, per scope tab and period.
import { expect, test } from './fixtures.ts';

interface FundFlow {
  from: string;
  to: string;
  items: { key: string; name: string; mainNetInflow: number }[];
}

test('shows the sector ranking of the API for one day, then stocks over 5 days', async ({ page }) => {
  const sectors = (await (await page.request.get('/api/fund-flow?scope=sector&period=1d')).json()) as FundFlow;
  await page.goto('/fund-flow');
  await expect(page.getByRole('heading', { level: 1, name: 'Fund flow' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Sector' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('radio', { name: '1 day' })).toBeChecked();

  const panel = page.getByRole('tabpanel', { name: 'Sector' });
  const rows = panel.getByRole('table').locator('tbody tr');
  await expect(rows).toHaveCount(sectors.items.length);
  await expect(rows.first().locator('[data-column="name"]')).toHaveText(sectors.items[0]!.name);
  await expect(rows.first().locator('[data-column="mainNetInflow"]')).toHaveAttribute(
    'data-value',
    String(sectors.items[0]!.mainNetInflow),
  );
  await expect(page.getByTestId('fund-flow-chart')).toHaveAttribute('data-rendered', 'true');
  await expect(page.getByTestId('flow-range')).toHaveText(`${sectors.from} to ${sectors.to}`);

  const stocks = (await (await page.request.get('/api/fund-flow?scope=stock&period=5d')).json()) as FundFlow;
  await page.getByRole('tab', { name: 'Stock' }).click();
  await page.getByRole('radio', { name: '5 days' }).check();
  await expect(page).toHaveURL(/scope=stock/);
  const stockTable = page.getByRole('tabpanel', { name: 'Stock' }).getByRole('table', { name: /by stock, 5 days/ });
  await expect(stockTable.locator('tbody tr')).toHaveCount(stocks.items.length);
  await expect(stockTable.locator('tbody tr').first().locator('[data-column="key"]')).toHaveText(stocks.items[0]!.key);
  await expect(page.getByTestId('fund-flow-chart')).toHaveAttribute(
    'data-keys',
    new RegExp(`^${stocks.items[0]!.key},`),
  );
});
