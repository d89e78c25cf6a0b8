// Market: the index cards, breadth and quotes table hold the API's figures; sorting, the sector filter and
// pagination really sort, filter and cover every row; the search suggests what the API finds; a failing
// quotes call shows an error a user can retry.
import { expect, test } from '../fixtures/index.ts';
import type { MarketPage } from '../pages/index.ts';

const QUOTE_COLUMNS = ['symbol', 'name', 'sector', 'price', 'changePct', 'volume', 'amount'] as const;

/**
 * Waits for the quotes block to settle and fails, quoting the page, when it shows its error alert instead of
 * the table. Each case checks this before asking the API for its expectation, so a broken quotes endpoint
 * reads as what a user sees ("Could not load quotes: …"), not as a failed API call in the test.
 */
async function expectQuotesTable(marketPage: MarketPage): Promise<void> {
  await expect(marketPage.quotes.rows.first().or(marketPage.quotesState.error)).toBeVisible();
  const error = (await marketPage.quotesState.error.count())
    ? await marketPage.quotesState.errorMessage.textContent()
    : null;
  expect(error, 'error alert shown instead of the quotes table').toBeNull();
}

test('shows the index cards, breadth and first quotes page as the API answers them', async ({ marketPage, api }) => {
  await marketPage.goto();
  await expectQuotesTable(marketPage);
  const [overview, quotes] = await Promise.all([api.overview(), api.quotes()]);

  await expect(marketPage.heading).toHaveText('Market');
  await expect(marketPage.nav.link('Market')).toHaveAttribute('aria-current', 'page');
  for (const index of overview.indices) {
    await expect(marketPage.indexCard(index.name).value).toHaveAttribute('data-value', String(index.price));
  }
  await expect(marketPage.breadth('Advancers')).toHaveAttribute('data-value', String(overview.breadth.advancers));
  await expect(marketPage.breadth('Decliners')).toHaveAttribute('data-value', String(overview.breadth.decliners));
  await expect(marketPage.breadth('Unchanged')).toHaveAttribute('data-value', String(overview.breadth.unchanged));

  await expect(marketPage.quotes.rows, 'rows of the quotes table').toHaveCount(quotes.items.length);
  const expected = quotes.items.map((q) => Object.fromEntries(QUOTE_COLUMNS.map((c) => [c, String(q[c])])));
  expect(await marketPage.quotes.records(QUOTE_COLUMNS), 'quotes table cells vs GET /api/market/quotes').toEqual(
    expected,
  );
  await expect(marketPage.pageInfo).toHaveText(
    `Page 1 of ${quotes.totalPages} · 1–${quotes.items.length} of ${quotes.total}`,
  );
  await expect(marketPage.lastUpdated).toHaveText(/^\d\d:\d\d:\d\d$/);
});

test('sorting by a column really orders the rows, both ways, as the API does', async ({ marketPage, api, page }) => {
  await marketPage.goto();
  await expectQuotesTable(marketPage);
  const priceHeader = marketPage.quotes.header('Price');

  await marketPage.sortBy('Price');
  await expect(priceHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(page).toHaveURL(/sort=price/);
  const ascending = (await marketPage.quotes.columnValues('price')).map(Number);
  expect(ascending, 'prices after sorting ascending').toEqual([...ascending].sort((a, b) => a - b));
  const allByPrice = await api.allQuotes({ sort: 'price', order: 'asc' });
  expect(ascending[0], 'the lowest price of all quotes comes first').toBe(allByPrice[0]!.price);

  await marketPage.sortBy('Price');
  await expect(priceHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/order=desc/);
  const apiDesc = await api.quotes({ sort: 'price', order: 'desc' });
  await expect
    .poll(() => marketPage.quotes.rowKeys(), { message: 'rows sorted by price, descending' })
    .toEqual(apiDesc.items.map((q) => q.symbol));
  const descending = (await marketPage.quotes.columnValues('price')).map(Number);
  expect(descending).toEqual([...descending].sort((a, b) => b - a));

  await marketPage.sortBy('Name');
  await expect(marketPage.quotes.header('Name')).toHaveAttribute('aria-sort', 'ascending');
  await expect(priceHeader).not.toHaveAttribute('aria-sort');
  const byName = await api.quotes({ sort: 'name', order: 'asc' });
  await expect
    .poll(() => marketPage.quotes.rowKeys(), { message: 'rows sorted by name' })
    .toEqual(byName.items.map((q) => q.symbol));
});

test('the sector filter shows exactly the quotes of that sector', async ({ marketPage, api, page }) => {
  await marketPage.goto({ pageSize: 100 });
  await expectQuotesTable(marketPage);
  const sectors = (await api.sectors()).items.map((s) => s.sector);
  const sector = sectors[1] ?? sectors[0]!;
  const expected = await api.allQuotes({ sector });
  await marketPage.filterBySector(sector);

  await expect(marketPage.quotes.root).toHaveAccessibleName(`Quotes in ${sector}`);
  expect(new URL(page.url()).searchParams.get('sector'), 'sector in the URL').toBe(sector);
  await expect(marketPage.quotes.rows).toHaveCount(expected.length);
  expect(new Set(await marketPage.quotes.columnValues('sector'))).toEqual(new Set([sector]));
  expect(await marketPage.quotes.rowKeys()).toEqual(expected.map((q) => q.symbol));
  await expect(marketPage.pageInfo).toHaveAttribute('data-total', String(expected.length));

  await marketPage.filterBySector('');
  await expect(marketPage.quotes.root).toHaveAccessibleName('Quotes');
  const all = await api.quotes({ pageSize: 100 });
  await expect(marketPage.pageInfo).toHaveAttribute('data-total', String(all.total));
});

test('paging forward visits every quote once, in the API order, and back again', { tag: '@mobile' }, async ({
  marketPage,
  api,
}) => {
  await marketPage.goto({ pageSize: 20 });
  await expectQuotesTable(marketPage);
  const all = await api.allQuotes();
  const pages = Math.ceil(all.length / 20);
  await expect(marketPage.pageInfo).toHaveText(new RegExp(`^Page 1 of ${pages} · `));

  const seen: string[] = [];
  for (let n = 1; n <= pages; n++) {
    await expect(marketPage.pageInfo).toHaveAttribute('data-page', String(n));
    seen.push(...(await marketPage.quotes.rowKeys()));
    if (n < pages) await marketPage.nextPage();
  }
  expect(await marketPage.hasNextPage(), 'Next page on the last page').toBe(false);
  expect(seen, 'symbols across all pages').toEqual(all.map((q) => q.symbol));

  await marketPage.previousPage();
  await expect(marketPage.pageInfo).toHaveAttribute('data-page', String(pages - 1));
  await marketPage.setRowsPerPage(100);
  await expect(marketPage.pageInfo).toHaveAttribute('data-page', '1');
  await expect(marketPage.quotes.rows).toHaveCount(Math.min(100, all.length));
});

test('a shared link restores sort, order and page', async ({ marketPage, api }) => {
  await marketPage.goto({ sort: 'changePct', order: 'desc', page: 2, pageSize: 10 });
  await expectQuotesTable(marketPage);
  const expected = await api.quotes({ sort: 'changePct', order: 'desc', page: 2, pageSize: 10 });
  await expect(marketPage.quotes.header('Change %')).toHaveAttribute('aria-sort', 'descending');
  await expect(marketPage.pageSizeSelect).toHaveValue('10');
  await expect(marketPage.pageInfo).toHaveText(`Page 2 of ${expected.totalPages} · 11–20 of ${expected.total}`);
  expect(await marketPage.quotes.rowKeys()).toEqual(expected.items.map((q) => q.symbol));
  const changes = (await marketPage.quotes.columnValues('changePct')).map(Number);
  expect(changes).toEqual([...changes].sort((a, b) => b - a));
});

test('suggests the symbols the API finds and opens the chart of the one picked', async ({ marketPage, api, page }) => {
  const hits = await api.search('Bank', 8);
  expect(hits.items.length, 'API hits for "Bank" in the seed data').toBeGreaterThan(0);
  await marketPage.goto();
  await marketPage.search('Bank');
  await expect(marketPage.suggestions).toHaveCount(hits.items.length);
  const shown = await marketPage.suggestions.evaluateAll((os) => os.map((o) => o.getAttribute('data-symbol')));
  expect(shown).toEqual(hits.items.map((h) => h.symbol));

  await marketPage.pickSuggestion(0);
  const first = hits.items[0]!;
  await expect(page).toHaveURL(new RegExp(`/charts/${first.symbol}$`));
  await expect(marketPage.heading).toHaveText(`${first.name} (${first.symbol})`);
});

test.describe('when the quotes API fails', () => {
  // The browser logs the failed request itself; that line is the point of this test, not a page error.
  test.use({ allowedConsoleErrors: [/Failed to load resource/] });

  test('shows an error with a Retry that recovers, and keeps the index cards', async ({ marketPage, page, api }) => {
    const overview = await api.overview();
    await page.route('**/api/market/quotes?**', (route) => route.abort('failed'));
    await marketPage.goto();
    await expect(marketPage.quotesState.error).toContainText('Could not load quotes: the server could not be reached');
    await expect(marketPage.quotes.root).toHaveCount(0);
    await expect(marketPage.indexCard(overview.indices[0]!.name).value).toBeVisible();

    await page.unroute('**/api/market/quotes?**');
    await marketPage.quotesState.retry();
    await expect(marketPage.quotes.rows.first()).toBeVisible();
    await expect(marketPage.quotesState.error).toHaveCount(0);
  });
});
