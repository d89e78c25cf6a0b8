// The run's reports open from disk: the load report page and Allure's single-file report, each loaded from a
// file:// URL in Chromium, show their charts and the verdict. No server is involved, which is the point.
// With UPDATE_SCREENSHOTS=1 they also rewrite the README's screenshots of both.
//   npx playwright test e2e/reports-from-disk.spec.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '../fixtures/index.ts';
import { buildRunReports } from './run-reports.ts';

// No login: these are files, not the app.
test.use({ storageState: { cookies: [], origins: [] }, viewport: { width: 1280, height: 800 } });
test.describe.configure({ mode: 'serial' });
// Allure's single file is 3-4 MB of inline script: parsing it takes seconds on a quiet machine, and was seen
// taking three minutes on a two-core machine at load average 56 (eight helpers' tests at once).
const OPEN = { waitUntil: 'domcontentloaded' as const, timeout: 300_000 };

let dir: string;
let built: Awaited<ReturnType<typeof buildRunReports>>;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = mkdtempSync(join(tmpdir(), 'harness-reports-from-disk-'));
  built = await buildRunReports(dir);
});

test.afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the load report opens from file:// with its verdict and every chart drawn', async ({ page }) => {
  const failedRequests: string[] = [];
  page.on('requestfailed', (r) => failedRequests.push(r.url()));
  await page.goto(pathToFileURL(built.loadHtml).href, OPEN);
  await expect(page.locator('[data-verdict]')).toHaveText(/^FAIL: latency-p95 443\.7 ms > 300 ms/);
  await expect(page.locator('[data-verdict]')).toBeVisible();
  const charts = page.locator('figure[data-chart]');
  await expect(charts).toHaveCount(4);
  for (const id of ['load-window', 'journeys', 'slo-latency-p95', 'slo-error-rate']) {
    const svg = page.locator(`figure[data-chart="${id}"] svg`);
    await expect(svg).toBeVisible();
    // Drawn, not an empty frame: the browser laid out the points of its series.
    const box = await svg.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(400);
    expect(await svg.locator('path[ecmeta_series_index]').count()).toBeGreaterThan(5);
  }
  await expect(page.getByText('P95 bound 300 ms')).toBeVisible();
  expect(failedRequests).toEqual([]);
  if (process.env.UPDATE_SCREENSHOTS) {
    await page.screenshot({ path: 'docs/screenshots/load-report.png', fullPage: false, animations: 'disabled' });
  }
});

test('the single-file Allure report opens from file:// with the load and SLO tests and their verdicts', async ({
  page,
}) => {
  // Nothing leaves the machine: every request stays on disk (file:, data:, blob:).
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!/^(file|data|blob):/.test(r.url())) outside.push(r.url());
  });
  test.setTimeout(600_000);
  await page.goto(pathToFileURL(built.allureIndex).href, OPEN);
  // The tree: the failed latency threshold and SLO, the passing error rate.
  await expect(page.getByText('SLO latency-p95').first()).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText('load smoke: latency-p95').first()).toBeVisible();
  await expect(page.getByText('SLO error-rate').first()).toBeVisible();
  await page.getByText('SLO latency-p95').first().click();
  await expect(page.getByText('443.7 ms > 300 ms').first()).toBeVisible();
  await expect(page.getByText('chart: SLI over the window').first()).toBeVisible();
  if (process.env.UPDATE_SCREENSHOTS) {
    await page.screenshot({ path: 'docs/screenshots/allure-report.png', fullPage: false, animations: 'disabled' });
  }
  // The trend dashboard is a single file too.
  await page.goto(pathToFileURL(built.allureDashboard).href, OPEN);
  await expect(page.locator('body')).not.toBeEmpty();
  expect(outside).toEqual([]);
});
