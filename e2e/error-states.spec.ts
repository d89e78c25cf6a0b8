// Every data page, when its API call fails, shows an error with a Retry (never a blank page), and Retry
// recovers once the API answers again. The failure is simulated by aborting the page's API calls; real faults
// (MYSTOCKS_FAULTS) are exercised by cli/e2e-faults.stack.test.ts.

import { expect, test } from '../fixtures/index.ts';
import { AsyncBlock } from '../pages/index.ts';

// The browser logs each aborted request itself; those lines are what this spec provokes.
test.use({ allowedConsoleErrors: [/Failed to load resource/] });

const PAGES: { path: string; api: string; what: string }[] = [
  { path: '/market', api: '**/api/market/overview', what: 'market overview' },
  { path: '/fund-flow', api: '**/api/fund-flow?**', what: 'fund flow' },
  { path: '/risk', api: '**/api/risk/portfolio', what: 'portfolio risk' },
  { path: '/charts/:first', api: '**/api/charts/kline/**', what: 'K-line data' },
];

for (const { path, api: route, what } of PAGES) {
  test(`${path} shows an error with a retry when its API call fails`, async ({ page, api }) => {
    const url = path.replace(':first', (await api.quotes({ pageSize: 1 })).items[0]!.symbol);
    await page.route(route, (r) => r.abort('failed'));
    await page.goto(url);
    const block = new AsyncBlock(page.locator('main'), what);
    await expect(block.error).toContainText(`Could not load ${what}: the server could not be reached`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.unroute(route);
    await block.retry();
    await expect(block.error).toHaveCount(0);
  });
}
