// Smoke: the risk page shows the API's portfolio figures and positions, creates (after validating) and deletes
// an alert rule, and runs a backtest whose summary and trades match the API's.
import { expect, test } from './fixtures.ts';

interface Portfolio {
  asOf: string;
  var95: number;
  var99: number;
  maxDrawdown: number;
  sharpe: number;
  positions: { symbol: string; quantity: number }[];
}
interface Backtest {
  totalReturn: number;
  finalEquity: number;
  trades: unknown[];
}

test('shows the portfolio risk figures and positions of the API', async ({ page }) => {
  const p = (await (await page.request.get('/api/risk/portfolio')).json()) as Portfolio;
  await page.goto('/risk');
  await expect(page.getByRole('heading', { level: 1, name: 'Risk' })).toBeVisible();
  const figures = page.getByRole('region', { name: 'Portfolio risk' });
  const value = (name: string) => figures.getByRole('group', { name, exact: true }).getByTestId('metric-value');
  await expect(value('VaR 95%')).toHaveAttribute('data-value', String(p.var95));
  await expect(value('VaR 99%')).toHaveAttribute('data-value', String(p.var99));
  await expect(value('Max drawdown')).toHaveAttribute('data-value', String(p.maxDrawdown));
  await expect(value('Sharpe ratio')).toHaveAttribute('data-value', String(p.sharpe));
  for (const name of ['Volatility', 'Beta']) await expect(value(name)).not.toHaveText('—');

  const rows = page.getByRole('table', { name: 'Positions' }).locator('tbody tr');
  await expect(rows).toHaveCount(p.positions.length);
  const first = p.positions[0]!;
  await expect(rows.first().locator('[data-column="symbol"]')).toHaveText(first.symbol);
  await expect(rows.first().locator('[data-column="quantity"]')).toHaveAttribute('data-value', String(first.quantity));
});

test('validates, creates and deletes an alert rule', async ({ page }) => {
  const p = (await (await page.request.get('/api/risk/portfolio')).json()) as Portfolio;
  await page.goto('/risk');
  const form = page.getByRole('form', { name: 'New alert rule' });
  await form.getByLabel('Metric').selectOption('price_above');
  await form.getByRole('button', { name: 'Create alert' }).click();
  await expect(form.getByText('Enter a 6-digit symbol.')).toBeVisible();
  await expect(form.getByText('Enter a threshold greater than 0.')).toBeVisible();

  const symbol = p.positions[0]!.symbol;
  await form.getByLabel('Symbol').fill(symbol);
  await form.getByLabel('Threshold').fill('98765.43');
  await form.getByRole('button', { name: 'Create alert' }).click();
  await expect(page.getByTestId('alert-status')).toHaveText(`Alert created: Price above 98,765.43 for ${symbol}.`);
  const table = page.getByRole('table', { name: 'Alert rules' });
  const row = table.getByRole('row').filter({ has: page.locator('[data-column="threshold"][data-value="98765.43"]') });
  await expect(row).toHaveCount(1);

  await row.getByRole('button', { name: /^Delete alert/ }).click();
  await expect(page.getByTestId('alert-status')).toHaveText('Alert deleted: Price above 98,765.43.');
  await expect(row).toHaveCount(0);
});

test('runs a backtest and shows the summary, equity curve and trades of the API', async ({ page }) => {
  const p = (await (await page.request.get('/api/risk/portfolio')).json()) as Portfolio;
  await page.goto('/risk');
  const backtest = page.getByRole('region', { name: 'Backtest' });
  const form = backtest.getByRole('form', { name: /crossover backtest/ });
  // Defaults: the first position, the year up to the data's last day, 5/20 days.
  await expect(form.getByLabel('Symbol')).toHaveValue(p.positions[0]!.symbol);
  await expect(form.getByLabel('End date')).toHaveValue(p.asOf);
  const body = {
    symbol: p.positions[0]!.symbol,
    from: await form.getByLabel('Start date').inputValue(),
    to: p.asOf,
    fast: 5,
    slow: 20,
    initialCash: 1_000_000,
  };
  const expected = (await (await page.request.post('/api/risk/backtest', { data: body })).json()) as Backtest;

  await form.getByLabel('Fast MA (days)').fill('30');
  await form.getByRole('button', { name: 'Run backtest' }).click();
  await expect(form.getByText('The slow average must be longer than the fast one.')).toBeVisible();
  await form.getByLabel('Fast MA (days)').fill('5');
  await form.getByRole('button', { name: 'Run backtest' }).click();

  const summary = backtest.getByRole('group', { name: 'Backtest summary' });
  await expect(summary.getByRole('group', { name: 'Total return' }).getByTestId('metric-value')).toHaveAttribute(
    'data-value',
    String(expected.totalReturn),
  );
  await expect(summary.getByRole('group', { name: 'Final equity' }).getByTestId('metric-value')).toHaveAttribute(
    'data-value',
    String(expected.finalEquity),
  );
  await expect(backtest.getByTestId('equity-chart')).toHaveAttribute('data-rendered', 'true');
  if (expected.trades.length > 0) {
    await expect(backtest.getByRole('table', { name: 'Backtest trades' }).locator('tbody tr')).toHaveCount(
      expected.trades.length,
    );
  }
});
