// Visual checks: each of the six pages at desktop width (1280 x 800, full page) against a committed baseline
// (e2e/__screenshots__/visual.spec.ts/*.png). Regenerate after an intended change of the pages with
//   npx playwright test e2e/visual.spec.ts --update-snapshots
// and review the new images before committing them.
//
// Stable pictures: the page's clock is frozen (page.clock.setFixedTime before the page loads, so "Last updated"
// and the market's refresh show one fixed instant; a refresh re-renders the same picture), charts draw without animation (reducedMotion in playwright.config.ts), CSS animations and
// the caret are off. The tolerance (maxDiffPixelRatio in playwright.config.ts) absorbs font hinting and
// anti-aliasing between Chromium builds, and is far below what a changed style does: the last test shows a
// stylesheet injected into the page makes the comparison fail.
import type { Locator, Page } from '@playwright/test';
import { type ApiClient, expect, test } from '../fixtures/index.ts';

/**
 * A full-page capture needs two identical shots in a row; on a loaded two-core machine one shot takes seconds,
 * beyond the 7 s default of `expect`.
 */
const SHOT = { fullPage: true, timeout: 30_000 } as const;

/** The fake clock's time: a trading day in the seed data's market (Asia/Shanghai, as the config's timezone). */
const FROZEN_AT = new Date('2026-06-30T10:30:00+08:00');

/**
 * Fixes the page's clock at FROZEN_AT (page.clock.setFixedTime, before the page loads): Date never moves, so
 * "Last updated" and every time the pages print are the same in every run, and a refresh that fires re-renders
 * the same picture. Timers and animation frames keep running: the pages draw charts on animation frames and
 * Playwright's screenshot waits for one, which a paused clock would withhold.
 */
async function freezeClock(page: Page): Promise<void> {
  await page.clock.setFixedTime(FROZEN_AT);
}

/** Waits until `ready` is visible and, when given, has the attribute value (a chart's data-rendered). */
async function settle(ready: Locator, attribute?: [string, string]): Promise<void> {
  await expect(ready).toBeVisible();
  if (attribute) await expect(ready).toHaveAttribute(attribute[0], attribute[1]);
}

// A full-page capture waits for two identical shots in a row, up to SHOT.timeout, after the page has loaded:
// with the default 30 s test timeout the charts page ran out of time on the loaded two-core machine.
test.slow();

async function firstSymbol(api: ApiClient): Promise<string> {
  return (await api.quotes({ pageSize: 1 })).items[0]!.symbol;
}

test.describe('login at desktop width', () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test.beforeEach(async ({ page }) => freezeClock(page));

  test('login', async ({ page, loginPage }) => {
    await page.goto('/login');
    await settle(loginPage.heading);
    await expect(page).toHaveScreenshot('login.png', SHOT);
  });
});

test.describe('pages at desktop width', () => {
  test.beforeEach(async ({ page }) => freezeClock(page));

  test('market', async ({ page, marketPage }) => {
    // The page's own refresh interval (15 s) stays in place: the paused clock is what keeps it from firing.
    await page.goto('/market');
    await settle(marketPage.quotes.rows.first());
    await expect(page).toHaveScreenshot('market.png', SHOT);
  });

  test('fund flow', async ({ page, fundFlowPage }) => {
    await page.goto('/fund-flow');
    await settle(fundFlowPage.chart.root, ['data-rendered', 'true']);
    await expect(page).toHaveScreenshot('fund-flow.png', SHOT);
  });

  test('risk', async ({ page, riskPage }) => {
    await page.goto('/risk');
    await settle(riskPage.positions.rows.first());
    await expect(page).toHaveScreenshot('risk.png', SHOT);
  });

  test('charts', async ({ page, chartsPage, api }) => {
    await page.goto(`/charts/${await firstSymbol(api)}?indicators=ma,macd`);
    await settle(chartsPage.chart.root, ['data-rendered', 'true']);
    await expect(page).toHaveScreenshot('charts.png', SHOT);
  });

  test('export', async ({ page, exportPage }) => {
    await page.goto('/export');
    await settle(exportPage.heading);
    await expect(page).toHaveScreenshot('export.png', SHOT);
  });
});

test('a changed style fails the visual check', async ({ page, marketPage }, testInfo) => {
  // --update-snapshots (changed or all) would write the faulty page as the new baseline: this test only runs
  // when comparing (the default, `missing`, or `none`).
  const updating = testInfo.config.updateSnapshots === 'all' || testInfo.config.updateSnapshots === 'changed';
  test.skip(updating, 'regenerating baselines: nothing to compare against');
  await freezeClock(page);
  await page.goto('/market');
  await settle(marketPage.quotes.rows.first());
  // The fault: one injected stylesheet, as a careless CSS change would ship (header and headings recoloured).
  await page.addStyleTag({
    content: '.app-header { background: rgb(160, 20, 20) } h1, h2 { color: rgb(160, 20, 20) }',
  });
  let failure: Error | undefined;
  try {
    await expect(page).toHaveScreenshot('market.png', { fullPage: true, timeout: 3_000 });
  } catch (error) {
    failure = error as Error;
  }
  expect(failure?.message, 'comparison with the injected stylesheet').toMatch(/pixels .*different/i);
});
