// Playwright for the MyStocks pages. BASE_URL names a running deployment; without it, global set-up starts the
// local stack (stack/index.ts, no Prometheus), builds the pages first if needed, exports BASE_URL to the workers
// and stops the stack when the run ends. One login per run (the `setup` project) is reused through storageState.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { chromium, defineConfig, devices } from '@playwright/test';

/** Where the demo user's session is kept between the setup project and the tests (gitignored). */
export const DEMO_STORAGE_STATE = 'playwright/.auth/demo.json';

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

export default defineConfig({
  testDir: './e2e',
  // Starts the local stack when BASE_URL is unset; its returned function is the teardown.
  globalSetup: './e2e/global-setup.ts',
  outputDir: 'reports/test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Two cores on the CI machines; the API and PostgreSQL share them with the browsers.
  workers: process.env.CI ? 2 : undefined,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: [
    ['list'],
    ['html', { outputFolder: 'reports/playwright-report', open: 'never' }],
    ['junit', { outputFile: 'reports/e2e-junit.xml' }],
    ['allure-playwright', { resultsDir: 'reports/allure-results' }],
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
    { name: 'setup', testMatch: /.*\.setup\.ts/ },
    {
      name: 'chromium',
      testIgnore: /.*\.setup\.ts/,
      dependencies: ['setup'],
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, storageState: DEMO_STORAGE_STATE },
    },
  ],
});
