// Playwright for the MyStocks pages (docs/e2e.md). BASE_URL names a running deployment; without it, global set-up
// starts the local stack (stack/index.ts, no Prometheus), builds the pages first if needed, exports BASE_URL to
// the workers and stops the stack when the run ends. The demo user logs in once per run (the `setup` project,
// fixtures/auth.setup.ts) and every test reuses that session through storageState; tests that change data act
// as a user of their worker's own (fixtures/index.ts). Specs: e2e/*.spec.ts; page objects: pages/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { chromium, defineConfig, devices, type ReporterDescription } from '@playwright/test';
import { DEMO_STORAGE_STATE } from './fixtures/auth-state.ts';

/** The harness's progress reporter, by absolute path (the verify config lives in another directory). */
export const PROGRESS_REPORTER = join(import.meta.dirname, 'cli', 'verify', 'progress-reporter.ts');

export { DEMO_STORAGE_STATE };

/**
 * Playwright's own Chromium when it is installed; otherwise CHROMIUM_PATH or Debian's /usr/bin/chromium
 * (docs: MACHINE.md; `npx playwright install` is not possible on these machines).
 */
function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // No bundled browser registered: fall through to the system one.
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/**
 * Video needs Playwright's own ffmpeg build (`npx playwright install ffmpeg`), which machines without
 * Playwright's download (like the Debian CI machines) lack; there, failures keep traces and screenshots only.
 */
function ffmpegInstalled(): boolean {
  const dir = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  try {
    return readdirSync(dir).some((name) => name.startsWith('ffmpeg'));
  } catch {
    return false;
  }
}

/** The commit under test, for the Allure environment (CI's variable first, else git, else "unknown"). */
function commit(): string {
  if (process.env.GITHUB_SHA) return process.env.GITHUB_SHA.slice(0, 12);
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Two on the CI machines; elsewhere at least two (see `workers` below). */
const WORKERS = process.env.CI ? 2 : Math.max(2, Math.floor(availableParallelism() / 2));

/**
 * Allure's categories (also in allurerc.mjs for the Allure 3 report): a failed expectation is a product defect
 * (the page disagreed with the API or with what a user must see); anything else that broke the test (a thrown
 * error, a locator that never appeared in an action, a fixture or set-up error) is a test problem to look at first.
 */
const ALLURE_CATEGORIES = [
  { name: 'Product defects', matchedStatuses: ['failed'] },
  // A page object that stops because the page showed its own error (e.g. an export refused by the server).
  { name: 'Product defects', matchedStatuses: ['broken'], messageRegex: '.*page showed the error.*' },
  { name: 'Test problems', matchedStatuses: ['broken'] },
];

const allure: ReporterDescription = [
  'allure-playwright',
  {
    resultsDir: 'reports/allure-results',
    // Playwright's own steps (fixtures, hooks, expect calls) stay out; the page objects' steps are the story.
    detail: false,
    categories: ALLURE_CATEGORIES,
    // Shown on the report's overview. Read when the config loads: without BASE_URL, global set-up starts a
    // throw-away local stack on a random port, which is not worth naming.
    environmentInfo: {
      'Base URL': process.env.BASE_URL || 'local stack started for the run (stack/, local mode)',
      Browser: `Chromium (${chromiumExecutable() ?? "Playwright's bundled build"})`,
      Commit: commit(),
      Node: process.version,
      Workers: String(WORKERS),
    },
  },
];

export default defineConfig({
  testDir: './e2e',
  // Starts the local stack when BASE_URL is unset; its returned function is the teardown.
  globalSetup: './e2e/global-setup.ts',
  outputDir: 'reports/test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Two cores on the CI machines (the API and PostgreSQL share them with the browsers); at least two elsewhere,
  // since Playwright's default (half the cores) would run one worker on a two-core machine. `--workers` overrides.
  workers: WORKERS,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  // In CI each shard writes a blob report (blob-report/) that `npx playwright merge-reports` joins into one
  // HTML report (docs/e2e.md); locally the HTML report is written directly. Allure and JUnit in both.
  reporter: [
    ['list'],
    process.env.CI ? ['blob'] : ['html', { outputFolder: 'reports/playwright-report', open: 'never' }],
    ['junit', { outputFile: 'reports/e2e-junit.xml' }],
    // Progress and final counts as JSON lines: `harness e2e` and `harness verify` read these, not the text above.
    [PROGRESS_REPORTER, { outputFile: join(import.meta.dirname, 'reports', 'e2e-progress.jsonl') }],
    allure,
  ],
  use: {
    // Read in each worker, after global set-up has exported it.
    baseURL: process.env.BASE_URL,
    // Failure evidence: kept only for failed tests.
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: ffmpegInstalled() ? 'retain-on-failure' : 'off',
    // Charts draw without animation (the pages honour reduced motion), so screenshots are stable.
    reducedMotion: 'reduce',
    locale: 'en-US',
    timezoneId: 'Asia/Shanghai',
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    launchOptions: {
      executablePath: chromiumExecutable(),
      // The network is closed on CI machines: stop Chromium reaching for outside hosts.
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    // Logs the demo user in once and saves the session for every test project.
    { name: 'setup', testDir: './fixtures', testMatch: /auth\.setup\.ts/ },
    {
      name: 'chromium',
      dependencies: ['setup'],
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, storageState: DEMO_STORAGE_STATE },
    },
  ],
});
