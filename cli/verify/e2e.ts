// The E2E stage: Playwright against the stack's pages, run by the harness's one Playwright runner
// (cli/playwright-run.ts), with its output in <reports>/e2e/playwright.log and a deadline. BASE_URL is the stack's
// apiUrl, so the Playwright config starts no stack of its own; the config is cli/verify/playwright.config.ts (the
// project's, with its report files under the run's reports folder). Allure results land in
// <reports>/allure-results beside those of load and the SLO gate.
//
// Progress and counts come from the harness's own reporter (progress-reporter.ts): one JSON line per event in
// <reports>/e2e/progress.jsonl, followed while Playwright runs.
//
// Exit code mapping: Playwright 0 -> pass; 1 with failed tests in the reporter's final counts -> fail; anything
// else (a crash, a global set-up error, no tests run, killed) -> inconclusive, with the tail of its output.
import { mkdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { E2eCounts, E2eResult } from '../../report/verify/model.ts';
import { lastLines } from '../../stack/text-files.ts';
import { runPlaywright } from '../playwright-run.ts';
import type { ProgressEvent } from './progress-reporter.ts';

/** The config verify runs Playwright with (.ts in a checkout, .js in the built package, as this file). */
export const VERIFY_PLAYWRIGHT_CONFIG = join(import.meta.dirname, `playwright.config${extname(import.meta.filename)}`);

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

/** Runs the suites; never throws for a failing suite (verdict fail or inconclusive instead). */
export async function runE2e(options: E2eOptions): Promise<E2eResult> {
  const dir = join(options.reportsDir, 'e2e');
  await mkdir(dir, { recursive: true });
  const logPath = join(dir, 'playwright.log');
  const junitPath = join(dir, 'junit.xml');
  const htmlReportPath = join(dir, 'playwright-report', 'index.html');
  const progress = new E2eProgress();
  options.onStatus?.(() => progress.status(Date.now()));
  const timeoutMs = options.timeoutMs ?? 20 * 60_000;
  const { exit, timedOut, startedAt, endedAt } = await runPlaywright({
    config: VERIFY_PLAYWRIGHT_CONFIG,
    args: options.args ?? [],
    env: { BASE_URL: options.baseUrl, HARNESS_REPORTS_DIR: options.reportsDir, CI: process.env.CI ?? '' },
    output: { logFile: logPath },
    timeoutMs,
    onTimeout: () => options.log(`Playwright still running after ${timeoutMs / 1000} s: stopping it`),
    progress: {
      file: join(dir, 'progress.jsonl'),
      onEvent: (event: ProgressEvent) => {
        const said = progress.apply(event);
        if (said) options.log(said);
      },
    },
  });

  const counts = progress.counts;
  const failed = progress.failed;
  const playwrightExit = exit.code ?? exit.signal;
  const base = { startedAt, endedAt, playwrightExit, failed, junitPath, htmlReportPath, logPath };
  const ranTests = counts !== undefined && counts.tests - counts.skipped > 0;
  if (!timedOut && exit.code === 0 && ranTests) return { ...base, verdict: 'pass', counts };
  if (!timedOut && exit.code === 1 && counts && counts.failed > 0) return { ...base, verdict: 'fail', counts };
  const output = await readFile(logPath, 'utf8').catch(() => '');
  const why = timedOut
    ? `Playwright was stopped after ${timeoutMs / 1000} s`
    : exit.code === 0
      ? 'Playwright passed without running a test'
      : `Playwright ended with ${playwrightExit} without a failed test`;
  return {
    ...base,
    verdict: 'inconclusive',
    ...(counts ? { counts } : {}),
    problem: `${why}; last lines of ${logPath}:\n${lastLines(output, 15)}`,
  };
}

/**
 * What the progress events say so far: tests done (final attempts), failed and flaky, the ETA, the failed
 * titles, and at the end Playwright's own counts. `apply` returns a line worth logging, if any.
 */
export class E2eProgress {
  #total: number | undefined;
  #beganAt = 0;
  #done = 0;
  #failed: string[] = [];
  #flaky = 0;
  #counts: E2eCounts | undefined;

  apply(event: ProgressEvent): string | undefined {
    switch (event.event) {
      case 'begin':
        this.#total = event.total;
        this.#beganAt = event.at;
        return `running ${event.total} test(s)`;
      case 'test':
        if (!event.final) return `retrying ${event.title} (${event.status})`;
        this.#done++;
        if (event.outcome === 'flaky') {
          this.#flaky++;
          return `FLAKY ${event.title} (passed on retry ${event.retry})`;
        }
        if (event.outcome === 'unexpected') {
          this.#failed.push(event.title);
          return `FAILED ${event.title}`;
        }
        return undefined;
      case 'error':
        return `Error: ${event.message}`;
      case 'end': {
        this.#counts = event.counts;
        const c = event.counts;
        return `${c.passed} passed, ${c.failed} failed, ${c.flaky} flaky, ${c.skipped} skipped (${event.status})`;
      }
    }
  }

  /** The heartbeat text: "8/22 tests done, 1 failed, 1 flaky, about 40 s left". */
  status(now: number): string {
    if (this.#total === undefined) return 'Playwright is starting';
    const parts = [`${this.#done}/${this.#total} tests done`];
    if (this.#failed.length > 0) parts.push(`${this.#failed.length} failed`);
    if (this.#flaky > 0) parts.push(`${this.#flaky} flaky`);
    const eta = this.etaSeconds(now);
    if (eta !== undefined) parts.push(`about ${eta} s left`);
    return parts.join(', ');
  }

  /**
   * Seconds left at the pace so far: elapsed / done * (total - done). Undefined before the first test ends, since
   * a pace of nothing done says nothing (the first tests also pay for the browsers' start, so it is rough).
   */
  etaSeconds(now: number): number | undefined {
    if (this.#total === undefined || this.#done === 0) return undefined;
    return Math.round((((now - this.#beganAt) / this.#done) * Math.max(0, this.#total - this.#done)) / 1000);
  }

  /** Final counts; undefined until the run's end event (a run that never began or was killed has none). */
  get counts(): E2eCounts | undefined {
    return this.#counts;
  }

  get failed(): string[] {
    return [...this.#failed];
  }
}
