// The E2E stage: Playwright in a child process against the stack's pages. BASE_URL is the stack's apiUrl, so the
// Playwright config starts no stack of its own; the config is cli/verify/playwright.config.ts (the project's,
// with its report files under the run's reports folder). Allure results land in <reports>/allure-results beside
// those of load and the SLO gate.
//
// Exit code mapping: Playwright 0 -> pass; 1 with failed tests in its JUnit file -> fail; anything else (a crash,
// a global set-up error, no tests run, killed) -> inconclusive, with the tail of its output as the reason.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Verdict } from '../../core/outcome.ts';
import { ManagedProcess, waitForCompletion } from '../../stack/process.ts';
import { lastLines, tailLines } from '../../stack/text-files.ts';

const REPO_DIR = resolve(import.meta.dirname, '..', '..');
/** The config verify runs Playwright with. */
export const VERIFY_PLAYWRIGHT_CONFIG = join(import.meta.dirname, 'playwright.config.ts');

/** What to run. */
export interface E2eOptions {
  /** The pages' origin (the stack's apiUrl). */
  baseUrl: string;
  /** The run's reports folder; Playwright writes <reportsDir>/e2e and <reportsDir>/allure-results. */
  reportsDir: string;
  /** Extra arguments for `playwright test` (a spec path, `--grep`, `--shard 1/2`). */
  args?: string[];
  /** Progress lines. */
  log: (line: string) => void;
  /** Called with a status text for the heartbeat. */
  onStatus?: (describe: () => string) => void;
  /** Longest the suite may run before it is stopped (default 20 min). */
  timeoutMs?: number;
}

/** Test counts from Playwright's JUnit file. */
export interface E2eCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** The outcome of the E2E stage. */
export interface E2eResult {
  verdict: Verdict;
  /** When Playwright was started and when it ended (the SLO window when load is skipped). */
  startedAt: Date;
  endedAt: Date;
  /** Playwright's own exit code, or the signal that ended it. */
  playwrightExit: number | string | null;
  counts?: E2eCounts;
  /** Titles of the failed tests, as the list reporter printed them. */
  failed: string[];
  junitPath: string;
  htmlReportPath: string;
  logPath: string;
  /** Why the stage is inconclusive. */
  problem?: string;
}

/** Runs the suites; never throws for a failing suite (verdict fail or inconclusive instead). */
export async function runE2e(options: E2eOptions): Promise<E2eResult> {
  const dir = join(options.reportsDir, 'e2e');
  await mkdir(dir, { recursive: true });
  const logPath = join(dir, 'playwright.log');
  const junitPath = join(dir, 'junit.xml');
  const htmlReportPath = join(dir, 'playwright-report', 'index.html');
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const args = [cli, 'test', '--config', VERIFY_PLAYWRIGHT_CONFIG, ...(options.args ?? [])];

  let done = 0;
  let failedCount = 0;
  const failed: string[] = [];
  options.onStatus?.(() => `${done} tests done${failedCount > 0 ? `, ${failedCount} failed` : ''}`);

  const startedAt = new Date();
  const child = await ManagedProcess.start({
    name: 'playwright',
    command: process.execPath,
    args,
    cwd: REPO_DIR,
    logFile: logPath,
    stopTimeoutMs: 15_000,
    env: {
      ...process.env,
      BASE_URL: options.baseUrl,
      HARNESS_REPORTS_DIR: options.reportsDir,
      // The list reporter's plain lines, without colour codes or cursor movement.
      FORCE_COLOR: '0',
      CI: process.env.CI ?? '',
    },
  });
  // The list reporter prints one line per finished test: ✓ passed, ✘ failed, - skipped, ±/flaky retried.
  const tail = tailLines(logPath, (line) => {
    const match = /^\s*([✓✘-]|ok|x)\s+\d+\s+(.*)$/u.exec(line);
    if (match) {
      done++;
      if (match[1] === '✘' || match[1] === 'x') {
        failedCount++;
        failed.push(match[2]!.replace(/\s+\(\d+(\.\d+)?m?s\)$/, ''));
        options.log(`FAILED ${match[2]}`);
      }
      return;
    }
    // Playwright's own summary lines ("22 passed (45.8s)", "1 failed") and set-up errors are worth showing.
    if (/^\s*\d+ (passed|failed|flaky|skipped|did not run)|^\s*Error:|^Running \d+ tests?/.test(line))
      options.log(line);
  });
  const timeoutMs = options.timeoutMs ?? 20 * 60_000;
  const { exit, timedOut } = await waitForCompletion(child, timeoutMs, () =>
    options.log(`Playwright still running after ${timeoutMs / 1000} s: stopping it`),
  );
  await tail.stop();
  const endedAt = new Date();

  const counts = existsSync(junitPath) ? parseJunitCounts(await readFile(junitPath, 'utf8')) : undefined;
  const playwrightExit = exit.code ?? exit.signal;
  const base = { startedAt, endedAt, playwrightExit, failed, junitPath, htmlReportPath, logPath };
  const ranTests = counts !== undefined && counts.tests - counts.skipped > 0;
  if (!timedOut && exit.code === 0 && ranTests) return { ...base, verdict: 'pass', counts };
  if (!timedOut && exit.code === 1 && counts && counts.failures + counts.errors > 0) {
    return { ...base, verdict: 'fail', counts };
  }
  const output = await readFile(logPath, 'utf8').catch(() => '');
  const why = timedOut
    ? `Playwright was stopped after ${timeoutMs / 1000} s`
    : exit.code === 0
      ? 'Playwright passed without running a test'
      : `Playwright ended with ${playwrightExit} without a failed test in ${junitPath}`;
  return {
    ...base,
    verdict: 'inconclusive',
    ...(counts ? { counts } : {}),
    problem: `${why}; last lines of ${logPath}:\n${lastLines(output, 15)}`,
  };
}

/** The totals on a JUnit file's <testsuites> element (Playwright writes them there). */
export function parseJunitCounts(xml: string): E2eCounts | undefined {
  const root = /<testsuites\b([^>]*)>/.exec(xml);
  if (!root) return undefined;
  const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root[1]!)?.[1] ?? 0);
  return { tests: attr('tests'), failures: attr('failures'), errors: attr('errors'), skipped: attr('skipped') };
}
