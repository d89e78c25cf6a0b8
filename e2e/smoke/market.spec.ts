// Smoke: the market page shows the API's overview and quotes, sorts, filters, paginates, suggests symbols,
// and shows an error with a retry when the quotes call fails.
import { expect, test } from './fixtures.ts';

interface Quote {
  symbol: string;
  name: string;
  sector: string;
  price: number;
}
interface QuotesPage {
  items: Quote[];
  total: number;
  totalPages: number;
}
interface Overview {
  indices: { code: string; name: string; price: number; changePct: number }[];
  breadth: { advancers: number };
}

test('shows index cards and the first quotes page as the API answers them', async ({ page }) => {
  const overview = (await (await page.request.get('/api/market/overview')).json()) as Overview;
  const quotes = (await (await page.request.get('/api/market/quotes')).json()) as QuotesPage;
  await page.goto('/market');

  await expect(page.getByRole('heading', { level: 1, name: 'Market' })).toBeVisible();
  const indices = page.getByRole('region', { name: 'Indices' });
  for (const index of overview.indices) {
    const card = indices.getByRole('group', { name: index.name, exact: true });
    await expect(card.getByTestId('metric-value')).toHaveAttribute('data-value', String(index.price));
  }
  await expect(indices.getByRole('group', { name: 'Market breadth' }).locator('dd').first()).toHaveAttribute(
    'data-value',
    String(overview.breadth.advancers),
  );

  const table = page.getByRole('table', { name: 'Quotes' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(quotes.items.length);
  const first = quotes.items[0]!;
  await expect(rows.first().locator('[data-column="symbol"]')).toHaveText(first.symbol);
  await expect(rows.first().locator('[data-column="price"]')).toHaveAttribute('data-value', String(first.price));
  await expect(page.getByTestId('page-info')).toHaveText(new RegExp(`Page 1 of ${quotes.totalPages}`));
  await expect(page.getByTestId('last-updated').locator('time')).toHaveText(/\d\d:\d\d:\d\d/);
});

test('sorts by price, filters by sector and pages through the quotes', async ({ page }) => {
  await page.goto('/market');
  const table = page.getByRole('table', { name: /Quotes/ });
  await expect(table.locator('tbody tr').first()).toBeVisible();

  const byPrice = (await (await page.request.get('/api/market/quotes?sort=price&order=desc')).json()) as QuotesPage;
  const priceHeader = table.getByRole('columnheader', { name: /Price/ });
  await priceHeader.getByRole('button').click();
  await expect(priceHeader).toHaveAttribute('aria-sort', 'ascending');
  await priceHeader.getByRole('button').click();
  await expect(priceHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(table.locator('tbody tr').first().locator('[data-column="symbol"]')).toHaveText(
    byPrice.items[0]!.symbol,
  );

  const sector = byPrice.items[0]!.sector;
  await page.getByLabel('Sector').selectOption(sector);
  const filtered = page.getByRole('table', { name: `Quotes in ${sector}` });
  await expect(filtered).toBeVisible();
  const sectors = await filtered.locator('tbody [data-column="sector"]').allTextContents();
  expect(new Set(sectors)).toEqual(new Set([sector]));

  await page.getByLabel('Sector').selectOption('');
  await page.getByRole('navigation', { name: 'Quotes pages' }).getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByTestId('page-info')).toHaveText(/^Page 2 of/);
  await expect(page).toHaveURL(/page=2/);
});

test('suggests symbols while typing and opens the chart of the one picked', async ({ page }) => {
  const hits = (await (await page.request.get('/api/market/search?q=Bank&limit=8')).json()) as { items: Quote[] };
  await page.goto('/market');
  await page.getByRole('combobox', { name: 'Search symbols' }).fill('Bank');
  const options = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
  await expect(options).toHaveCount(hits.items.length);
  await options.first().click();
  await expect(page).toHaveURL(new RegExp(`/charts/${hits.items[0]!.symbol}$`));
});

test.describe('when the quotes API fails', () => {
  // The browser logs the failed request itself; that line is the point of this test, not a page error.
  test.use({ allowedConsoleErrors: [/Failed to load resource/] });

  test('shows an error with a retry that recovers', async ({ page }) => {
    await page.route('**/api/market/quotes?**', (route) => route.abort('failed'));
    await page.goto('/market');
    const quotes = page.getByRole('region', { name: 'Quotes' });
    await expect(quotes.getByRole('alert')).toContainText('Could not load quotes');
    await page.unroute('**/api/market/quotes?**');
    await quotes.getByRole('button', { name: 'Retry' }).click();
    await expect(quotes.getByRole('table')).toBeVisible();
    await expect(quotes.getByRole('alert')).toHaveCount(0);
  });
});
