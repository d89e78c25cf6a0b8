// Regenerates the README's page screenshots (docs/screenshots/*.png, desktop width) from a running stack:
//   UPDATE_SCREENSHOTS=1 npx playwright test e2e/screenshots.spec.ts
// Only the `screenshots` project runs it, and playwright.config.ts defines that project only when
// UPDATE_SCREENSHOTS is set, so the default run never rewrites committed files (nor lists skipped tests).
// Charts draw without animation (reducedMotion).
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/index.ts';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true, animations: 'disabled' });

test('login', async ({ browser }) => {
  const context = await browser.newContext({
    storageState: { cookies: [], origins: [] },
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  await page.goto('/login?next=%2Frisk');
  await page.getByLabel('Username').fill('demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByText('Enter your password.')).toBeVisible();
  await shot(page, 'login');
  await context.close();
});

test('market', async ({ page }) => {
  await page.goto('/market?refresh=0');
  await expect(page.getByRole('table', { name: 'Quotes' }).locator('tbody tr').first()).toBeVisible();
  await shot(page, 'market');
});

test('fund flow', async ({ page }) => {
  await page.goto('/fund-flow?period=5d');
  await expect(page.getByTestId('fund-flow-chart')).toHaveAttribute('data-rendered', 'true');
  await shot(page, 'fund-flow');
});

test('risk', async ({ page }) => {
  await page.goto('/risk');
  await expect(page.getByRole('table', { name: 'Positions' })).toBeVisible();
  await page.getByRole('button', { name: 'Run backtest' }).click();
  await expect(page.getByTestId('equity-chart')).toHaveAttribute('data-rendered', 'true');
  await shot(page, 'risk');
});

test('charts', async ({ page }) => {
  const quotes = (await (await page.request.get('/api/market/quotes?pageSize=1')).json()) as {
    items: { symbol: string }[];
  };
  await page.goto(`/charts/${quotes.items[0]!.symbol}?indicators=ma,boll,macd`);
  await expect(page.getByTestId('kline-chart')).toHaveAttribute('data-rendered', 'true');
  await shot(page, 'charts');
});

test('export', async ({ page }) => {
  await page.goto('/export');
  await page.getByLabel('Dataset').selectOption('kline');
  await shot(page, 'export');
});
