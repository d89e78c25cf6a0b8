// Smoke: when the API fails, every data page shows an error with a Retry (never a blank page), and Retry
// recovers once the API answers again. The failure is simulated by aborting the page's API calls; real faults
// (MYSTOCKS_FAULTS) are exercised by the fault-injection suites.
import { expect, test } from './fixtures.ts';

// The browser logs each aborted request itself; those lines are what this spec provokes.
test.use({ allowedConsoleErrors: [/Failed to load resource/] });

const PAGES: { path: string; api: string; what: string }[] = [
  { path: '/market', api: '**/api/market/overview', what: 'market overview' },
  { path: '/fund-flow', api: '**/api/fund-flow?**', what: 'fund flow' },
  { path: '/risk', api: '**/api/risk/portfolio', what: 'portfolio risk' },
  { path: '/charts/:first', api: '**/api/charts/kline/**', what: 'K-line data' },
];

for (const { path, api, what } of PAGES) {
  test(`${path} shows an error with a retry when its API call fails`, async ({ page }) => {
    let url = path;
    if (path.includes(':first')) {
      const quotes = (await (await page.request.get('/api/market/quotes?pageSize=1')).json()) as {
        items: { symbol: string }[];
      };
      url = path.replace(':first', quotes.items[0]!.symbol);
    }
    await page.route(api, (route) => route.abort('failed'));
    await page.goto(url);
    const alert = page.getByRole('alert').filter({ hasText: `Could not load ${what}` });
    await expect(alert).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.unroute(api);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect(alert).toHaveCount(0);
  });
}
