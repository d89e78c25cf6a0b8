// Accessibility: axe-core (through @axe-core/playwright) scans each of the six pages in three states, loaded,
// empty and error, against WCAG 2.1 A and AA. A serious or critical violation fails the test; the full axe
// result is attached to the test either way, minor and moderate findings included.
//
// How each state is reached: loaded and most errors from the real API (a wrong password, a symbol the API does
// not know). The risk page's empty state is real too: the worker's own user holds no positions and no alert
// rules. The seed data never leaves market, fund-flow or charts without rows, so there the empty state is the
// API's own answer with its list emptied (route.fulfill): the only way to show it. A network failure is an
// aborted request, as in error-states.spec.ts.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { type ApiClient, expect, test, userTest } from '../fixtures/index.ts';
import { AsyncBlock } from '../pages/index.ts';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// An axe scan checks every element against every rule (colour contrast is the costly one): a few seconds on a
// quiet machine, much longer on a loaded one, so these tests get three times the default timeout.
test.slow();

/** Scans the whole document; fails on serious and critical violations, naming rule, impact and elements. */
async function expectNoSeriousViolations(page: Page, state: string): Promise<void> {
  // The cast: @axe-core/playwright types `page` with the playwright-core that npm hoisted (Artillery's 1.62),
  // not @playwright/test's 1.65; at run time it only calls Page methods both versions have.
  const axePage = page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'];
  // Legacy mode runs axe.run() in the page itself. The default runs axe.runPartial() in each frame, then opens a
  // blank page in the same context to run axe.finishRun() there: that page, and evaluating axe-core's source a
  // third time in it, was about half of every scan (2.9 s -> 1.5 s a scan, headless shell, this machine). What
  // the default adds is results from cross-origin iframes, and none of the six pages has an iframe (checked
  // here, so a page that gains one fails loudly instead of being scanned in part).
  expect(page.frames(), `${state}: legacy mode scans no cross-origin frame`).toHaveLength(1);
  const results = await new AxeBuilder({ page: axePage }).withTags(WCAG_TAGS).setLegacyMode().analyze();
  await test.info().attach(`axe ${state}`, { body: JSON.stringify(results, null, 2), contentType: 'application/json' });
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }));
  expect(serious, `serious or critical axe violations (${state})`).toEqual([]);
}

/** Answers a JSON API call with the real answer, its `field` list emptied (see the header for why). */
async function emptyList(page: Page, url: string, field: string): Promise<void> {
  await page.route(url, async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: { ...body, [field]: [], ...(field === 'items' ? { total: 0 } : {}) } });
  });
}

async function firstSymbol(api: ApiClient): Promise<string> {
  return (await api.quotes({ pageSize: 1 })).items[0]!.symbol;
}

test.describe('login', () => {
  // The browser logs the refused login (401) itself.
  test.use({ storageState: { cookies: [], origins: [] }, allowedConsoleErrors: [/status of 401/] });

  test('loaded', async ({ loginPage, page }) => {
    await loginPage.goto();
    await expect(loginPage.heading).toBeVisible();
    await expectNoSeriousViolations(page, 'login loaded');
  });

  test('empty: submitted with no fields', async ({ page }) => {
    await page.goto('/login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByText('Enter your username.')).toBeVisible();
    await expectNoSeriousViolations(page, 'login empty');
  });

  test('error: a wrong password', async ({ loginPage, factory, page }) => {
    const user = await factory.createUser();
    await loginPage.goto();
    await loginPage.logIn(user.username, 'not-the-password');
    await expect(loginPage.alert).toBeVisible();
    await expectNoSeriousViolations(page, 'login error');
  });
});

test.describe('market', () => {
  test.use({ allowedConsoleErrors: [/Failed to load resource/] });

  test('loaded', async ({ marketPage, page }) => {
    await marketPage.goto();
    await expect(marketPage.quotes.rows.first()).toBeVisible();
    await expect(marketPage.indices).toBeVisible();
    await expectNoSeriousViolations(page, 'market loaded');
  });

  test('empty', async ({ marketPage, page }) => {
    await emptyList(page, '**/api/market/quotes?**', 'items');
    await marketPage.goto();
    await expect(marketPage.quotesEmpty).toBeVisible();
    await expectNoSeriousViolations(page, 'market empty');
  });

  test('error', async ({ marketPage, page }) => {
    await page.route('**/api/market/quotes?**', (route) => route.abort('failed'));
    await marketPage.goto();
    await expect(marketPage.quotesState.error).toBeVisible();
    await expectNoSeriousViolations(page, 'market error');
  });
});

test.describe('fund flow', () => {
  test.use({ allowedConsoleErrors: [/Failed to load resource/] });

  test('loaded', async ({ fundFlowPage, page }) => {
    await fundFlowPage.goto();
    await expect(fundFlowPage.table.rows.first()).toBeVisible();
    await expect(fundFlowPage.chart.root).toHaveAttribute('data-rendered', 'true');
    await expectNoSeriousViolations(page, 'fund flow loaded');
  });

  test('empty', async ({ fundFlowPage, page }) => {
    await emptyList(page, '**/api/fund-flow?**', 'items');
    await fundFlowPage.goto();
    await expect(page.getByText('No fund flow data for this period.')).toBeVisible();
    await expectNoSeriousViolations(page, 'fund flow empty');
  });

  test('error', async ({ fundFlowPage, page }) => {
    await page.route('**/api/fund-flow?**', (route) => route.abort('failed'));
    await fundFlowPage.goto();
    await expect(new AsyncBlock(page.locator('main'), 'fund flow').error).toBeVisible();
    await expectNoSeriousViolations(page, 'fund flow error');
  });
});

test.describe('risk', () => {
  test.use({ allowedConsoleErrors: [/Failed to load resource/] });

  test('loaded', async ({ riskPage, page }) => {
    await riskPage.goto();
    await expect(riskPage.positions.rows.first()).toBeVisible();
    await expectNoSeriousViolations(page, 'risk loaded');
  });

  test('error', async ({ riskPage, page }) => {
    await page.route('**/api/risk/portfolio', (route) => route.abort('failed'));
    await riskPage.goto();
    await expect(new AsyncBlock(page.locator('main'), 'portfolio risk').error).toBeVisible();
    await expectNoSeriousViolations(page, 'risk error');
  });
});

userTest('risk empty: a user with no positions and no alert rules', async ({ riskPage, page }) => {
  await riskPage.goto();
  await expect(page.getByText('The portfolio holds no positions.')).toBeVisible();
  await expect(page.getByText('No alert rules yet. Create one below.')).toBeVisible();
  await expectNoSeriousViolations(page, 'risk empty');
});

test.describe('charts', () => {
  // One pattern, never two: Playwright reads a two-element array given to test.use as [value, options], so
  // [/a/, /b/] would set the option to /a/ alone. The unknown symbol's 404 is logged as "Failed to load resource".
  test.use({ allowedConsoleErrors: [/Failed to load resource/] });

  test('loaded', async ({ chartsPage, api, page }) => {
    await chartsPage.goto(await firstSymbol(api), { indicators: ['ma', 'macd'] });
    await expect(chartsPage.chart.root).toHaveAttribute('data-rendered', 'true');
    await expectNoSeriousViolations(page, 'charts loaded');
  });

  test('empty', async ({ chartsPage, api, page }) => {
    await emptyList(page, '**/api/charts/kline/**', 'bars');
    await chartsPage.goto(await firstSymbol(api));
    await expect(page.getByText('No bars for this symbol and period.')).toBeVisible();
    await expectNoSeriousViolations(page, 'charts empty');
  });

  test('error: a symbol the API does not know', async ({ chartsPage, page }) => {
    await chartsPage.goto('999999');
    await expect(new AsyncBlock(page.locator('main'), 'K-line data').error).toBeVisible();
    await expectNoSeriousViolations(page, 'charts error');
  });
});

test.describe('export', () => {
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test('loaded', async ({ exportPage, page }) => {
    await exportPage.goto();
    await expect(exportPage.heading).toHaveText('Export');
    await expectNoSeriousViolations(page, 'export loaded');
  });

  test('empty: K-line without a valid symbol, refused on the field', async ({ exportPage, page }) => {
    await exportPage.goto();
    await exportPage.fill({ dataset: 'K-line', format: 'CSV', symbol: '12' });
    await exportPage.pressDownload();
    await expect(exportPage.message('Enter a 6-digit symbol.')).toBeVisible();
    await expectNoSeriousViolations(page, 'export empty');
  });

  test('error: the API refuses an unknown symbol', async ({ exportPage, page }) => {
    await exportPage.goto();
    await exportPage.fill({ dataset: 'K-line', format: 'CSV', symbol: '999999' });
    await exportPage.pressDownload();
    await expect(exportPage.alert).toContainText('The export failed');
    await expectNoSeriousViolations(page, 'export error');
  });
});
