// Playwright for the MyStocks pages (docs/e2e.md). BASE_URL names a running deployment; without it, global set-up
// starts the local stack (stack/index.ts, no Prometheus), builds the pages first if needed, exports BASE_URL to
// the workers and stops the stack when the run ends. The demo user logs in once per run (the `setup` project,
// fixtures/auth.setup.ts) and every test reuses that session through storageState; tests that change data act
// as a user of their worker's own (fixtures/index.ts). Specs: e2e/*.spec.ts; page objects: pages/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, defineConfig, devices, type ReporterDescription } from '@playwright/test';
import { LATEST_LINKS_REPORTER, playwrightOutput } from './cli/playwright-output.ts';
import { OFFLINE_CHROMIUM_ARGS } from './core/chromium.ts';
import { DEMO_STORAGE_STATE } from './fixtures/auth-state.ts';

/**
 * The extension of this config's modules: .ts in a checkout, .js in the built package (scripts/build-package.ts),
 * whose specs, set-up and reporter Playwright loads as JavaScript.
 */
const EXT = extname(import.meta.filename);

/** The harness's progress reporter, by absolute path (the verify config lives in another directory). */
export const PROGRESS_REPORTER = join(import.meta.dirname, 'cli', 'verify', `progress-reporter${EXT}`);

export { DEMO_STORAGE_STATE };

/** Debian's Chromium headless shell (package chromium-headless-shell, installed by scripts/setup.sh). */
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

/**
 * Playwright's own Chromium when it is installed; otherwise CHROMIUM_PATH, or Debian's build (docs: MACHINE.md;
 * `npx playwright install` is not possible on these machines). Without a window, Debian's headless shell: the
 * lighter old headless mode that Playwright's own download also uses for headless runs, where the full browser
 * runs its new headless mode, a whole browser (docs/performance.md, "E2E suite": the whole suite in 182 s against
 * 380 s). A run with a window (`--headed`, `--ui`, `--debug`, PWDEBUG) needs the full browser.
 * Decided once, in the runner (its argv holds those flags), and handed to the workers through the environment.
 */
function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // No bundled browser registered: fall through to the system one.
  }
  if (process.env.HARNESS_CHROMIUM === undefined) {
    const windowed =
      process.argv.some((arg) => ['--headed', '--ui', '--debug'].includes(arg)) || Boolean(process.env.PWDEBUG);
    const chosen = !windowed && existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium';
    process.env.HARNESS_CHROMIUM = chosen;
  }
  return existsSync(process.env.HARNESS_CHROMIUM) ? process.env.HARNESS_CHROMIUM : undefined;
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

/**
 * Where Playwright's files go: a folder of the run's own under reports/runs/ (cli/playwright-output.ts).
 * `harness e2e` names it (HARNESS_E2E_DIR, reports/runs/e2e-<id>/) and links reports/ to it afterwards; a run by
 * hand (`npx playwright test`) gets a new reports/runs/e2e-<id>/, decided once in the runner and handed to the
 * workers through the environment (as HARNESS_CHROMIUM is), and LatestLinksReporter links reports/
 * (playwright-report, e2e-junit.xml, allure-results) to it when the run ends. So two runs never write or read each
 * other's JUnit file, results, HTML report or Allure results, and a finished run's files are never written again.
 */
const OUTPUT = playwrightOutput(import.meta.dirname);

function output(name: string): string {
  return join(OUTPUT.dir, name);
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
    resultsDir: output('allure-results'),
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
  globalSetup: `./e2e/global-setup${EXT}`,
  outputDir: output('test-results'),
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Two cores on the CI machines (the API and PostgreSQL share them with the browsers); at least two elsewhere,
  // since Playwright's default (half the cores) would run one worker on a two-core machine. `--workers` overrides.
  workers: WORKERS,
  timeout: 30_000,
  expect: {
    timeout: 7_000,
    // e2e/visual.spec.ts: up to 1 % of the pixels may differ (font hinting and anti-aliasing between Chromium
    // builds move glyph edges); a changed style moves far more. Animations and the caret are off.
    toHaveScreenshot: { maxDiffPixelRatio: 0.01, animations: 'disabled', caret: 'hide', scale: 'css' },
  },
  // The HTML report is always written (`harness verify` prints its path, CI or not). In CI each shard also
  // writes a blob report (blob-report/) that `npx playwright merge-reports` joins into one HTML report across
  // shards (docs/e2e.md). Allure and JUnit in both. In a GitHub Actions job, Playwright's `github` reporter also
  // turns each failure into an annotation on the run and the pull request.
  reporter: [
    ['list'],
    ...(process.env.GITHUB_ACTIONS === 'true' ? [['github'] as ReporterDescription] : []),
    ['html', { outputFolder: output('playwright-report'), open: 'never' }],
    ...(process.env.CI ? [['blob'] as ReporterDescription] : []),
    ['junit', { outputFile: output('e2e-junit.xml') }],
    // Progress and final counts as JSON lines: `harness e2e` and `harness verify` read these, not the text above.
    [PROGRESS_REPORTER, { outputFile: resolve(import.meta.dirname, output('e2e-progress.jsonl')) }],
    allure,
    // Last: once every reporter above has written, reports/ links to this hand run's files.
    ...(OUTPUT.handRun ? [[LATEST_LINKS_REPORTER, { dir: OUTPUT.dir }] as ReporterDescription] : []),
  ],
  use: {
    // Read in each worker, after global set-up has exported it.
    baseURL: process.env.BASE_URL,
    // Failure evidence. A trace is recorded when a failed test is retried (CI retries once), not for every
    // test: recording snapshots of every action was about a fifth of each test's time on the 2-core machines
    // (bench/e2e/run.ts, docs/performance.md "E2E suite"). Without retries (a local run), `--trace
    // retain-on-failure` keeps the trace of every failure. Screenshots stay on for every failure.
    trace: 'on-first-retry',
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
      args: OFFLINE_CHROMIUM_ARGS,
    },
  },
  // Screenshot baselines of e2e/visual.spec.ts: one folder per spec, no platform suffix (Linux only, Debian's
  // Chromium or Playwright's; the tolerance in the spec absorbs their font hinting differences).
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFilePath}/{arg}{ext}',
  projects: [
    // Logs the demo user in once and saves the session for every test project.
    { name: 'setup', testDir: './fixtures', testMatch: /auth\.setup\.[jt]s$/ },
    // A phone (390 x 844 CSS px, touch, mobile viewport meta honoured): the tests tagged @mobile in the specs
    // where layout matters (login, market paging, charts, export). Listed before `chromium`, on one worker, on
    // purpose: Playwright queues a phase's tests in project order, and a worker that moves to another project is
    // a new process. Listed last, the phone's few tests ran on fresh workers after the desktop ones, a tail of
    // 13-25 s with one worker idle. First, on one worker, that worker makes the switch once, early, while the
    // other starts on the desktop tests, and the desktop tests fill the end (docs/performance.md, "E2E suite").
    {
      name: 'mobile',
      workers: 1,
      dependencies: ['setup'],
      testMatch: /(login|market|charts|export)\.spec\.[jt]s$/,
      grep: /@mobile/,
      use: {
        ...devices['Pixel 5'],
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        storageState: DEMO_STORAGE_STATE,
      },
    },
    {
      name: 'chromium',
      dependencies: ['setup'],
      testIgnore: /screenshots\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, storageState: DEMO_STORAGE_STATE },
    },
    // The README's screenshots (docs/screenshots/*.png): a generator, not a test, so outside the default run.
    // `UPDATE_SCREENSHOTS=1 npx playwright test e2e/screenshots.spec.ts` adds this project and runs only it.
    ...(process.env.UPDATE_SCREENSHOTS
      ? [
          {
            name: 'screenshots',
            dependencies: ['setup'],
            testMatch: /screenshots\.spec\.ts/,
            use: {
              ...devices['Desktop Chrome'],
              viewport: { width: 1280, height: 800 },
              storageState: DEMO_STORAGE_STATE,
            },
          },
        ]
      : []),
  ],
});
