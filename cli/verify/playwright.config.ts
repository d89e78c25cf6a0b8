// The project's Playwright config as `harness verify` runs it: the same projects, browsers, timeouts and reporter
// options (playwright.config.ts stays the one source), with the reporters' files moved under the run's reports
// folder (HARNESS_REPORTS_DIR, default reports/), so a run with its own reports folder (the tests of verify)
// leaves the shared one alone:
//   allure-playwright -> <reports>/allure-results (beside load's and the SLO gate's results)
//   junit -> <reports>/e2e/junit.xml, html -> <reports>/e2e/playwright-report, blob -> <reports>/e2e/blob-report
//   cli/verify/progress-reporter.ts -> <reports>/e2e/progress.jsonl (the E2E stage's progress and counts)
// Playwright resolves a config's relative paths against the directory of the config it loads, which is this
// one; every path of the base config (top level and per project) is therefore made absolute against the
// repository first.
import { isAbsolute, join, resolve } from 'node:path';
import { defineConfig, type PlaywrightTestConfig, type ReporterDescription } from '@playwright/test';
import base, { PROGRESS_REPORTER } from '../../playwright.config.ts';
import { LATEST_LINKS_REPORTER } from '../playwright-output.ts';

const REPO_DIR = resolve(import.meta.dirname, '..', '..');
const REPORTS_DIR = resolve(REPO_DIR, process.env.HARNESS_REPORTS_DIR ?? 'reports');
const E2E_DIR = join(REPORTS_DIR, 'e2e');

function fromRepo(path: string): string {
  return isAbsolute(path) ? path : resolve(REPO_DIR, path);
}

/** The path options of a config or project, absolute. */
function absolutePaths<T extends { testDir?: string; outputDir?: string; snapshotDir?: string }>(config: T): T {
  return {
    ...config,
    ...(config.testDir === undefined ? {} : { testDir: fromRepo(config.testDir) }),
    ...(config.outputDir === undefined ? {} : { outputDir: fromRepo(config.outputDir) }),
    ...(config.snapshotDir === undefined ? {} : { snapshotDir: fromRepo(config.snapshotDir) }),
  };
}

/** Where each reporter that writes files writes them in a verify run; other options are kept as they are. */
function moveReporter(entry: ReporterDescription): ReporterDescription {
  const [name, options] = entry as [string, Record<string, unknown> | undefined];
  const keep = options ?? {};
  switch (name) {
    case 'allure-playwright':
      return [name, { ...keep, resultsDir: join(REPORTS_DIR, 'allure-results') }];
    case 'junit':
      return [name, { ...keep, outputFile: join(E2E_DIR, 'junit.xml') }];
    case 'html':
      return [name, { ...keep, outputFolder: join(E2E_DIR, 'playwright-report'), open: 'never' }];
    case 'blob':
      return [name, { ...keep, outputDir: join(E2E_DIR, 'blob-report') }];
    case 'json':
      return [name, { ...keep, outputFile: join(E2E_DIR, 'results.json') }];
    case PROGRESS_REPORTER:
      return [name, { ...keep, outputFile: join(E2E_DIR, 'progress.jsonl') }];
    default:
      return entry;
  }
}

const reporters: ReporterDescription[] = (
  Array.isArray(base.reporter) ? base.reporter : [[base.reporter ?? 'list']]
) as ReporterDescription[];
// A hand run's link reporter (cli/playwright-output.ts) is left out: verify's files are in its own run folder, and
// verify points reports/ at them itself when the run ends.
const moved = reporters.filter(([name]) => name !== LATEST_LINKS_REPORTER).map(moveReporter);
// verify links the JUnit file in its report and shows the stakeholders the Allure results: both must exist.
if (!moved.some(([name]) => name === 'junit')) moved.push(['junit', { outputFile: join(E2E_DIR, 'junit.xml') }]);
if (!moved.some(([name]) => name === 'allure-playwright')) {
  moved.push(['allure-playwright', { resultsDir: join(REPORTS_DIR, 'allure-results') }]);
}

// The E2E stage's progress and counts come from this reporter (progress-reporter.ts): it must be there.
if (!moved.some(([name]) => name === PROGRESS_REPORTER)) {
  moved.push([PROGRESS_REPORTER, { outputFile: join(E2E_DIR, 'progress.jsonl') }]);
}

/**
 * Specs that test the harness itself, not the service under test: e2e/reports-from-disk.spec.ts opens the
 * harness's own load and Allure reports from disk. They run in the project's own suite (`npm test`), never in a
 * user's `harness verify`, whose verdict is about the service (one of them took 70 s, and its failure once failed
 * a healthy service's run: docs/performance.md, "Five healthy harness verify runs").
 */
export const HARNESS_SELF_TESTS = [/reports-from-disk\.spec\.ts$/];

/** A project's testIgnore with the harness's own specs added (a project's testIgnore replaces the config's). */
function withoutSelfTests<T extends { testIgnore?: string | RegExp | (string | RegExp)[] }>(project: T): T {
  const own = project.testIgnore === undefined ? [] : [project.testIgnore].flat();
  return { ...project, testIgnore: [...own, ...HARNESS_SELF_TESTS] };
}

const config: PlaywrightTestConfig = {
  ...absolutePaths(base),
  testDir: fromRepo(base.testDir ?? '.'),
  outputDir: join(E2E_DIR, 'test-results'),
  ...(typeof base.globalSetup === 'string' ? { globalSetup: fromRepo(base.globalSetup) } : {}),
  ...(typeof base.globalTeardown === 'string' ? { globalTeardown: fromRepo(base.globalTeardown) } : {}),
  testIgnore: [...(base.testIgnore === undefined ? [] : [base.testIgnore].flat()), ...HARNESS_SELF_TESTS],
  ...(base.projects ? { projects: base.projects.map((project) => withoutSelfTests(absolutePaths(project))) } : {}),
  reporter: moved,
};

export default defineConfig(config);
