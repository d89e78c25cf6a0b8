// A Playwright reporter for `harness verify`: one JSON line per event, appended to a file, so the E2E stage reads
// progress and counts as data (tests done, failed, flaky, skipped, an ETA) instead of scraping the `list`
// reporter's text. Playwright loads it by path from cli/verify/playwright.config.ts; the file is
// <reports>/e2e/progress.jsonl. The events and their fields are ProgressEvent below.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  FullConfig,
  FullResult,
  Reporter,
  Suite,
  TestCase,
  TestError,
  TestResult,
} from '@playwright/test/reporter';
import type { E2eCounts } from '../../report/verify/model.ts';

/** What one line of the progress file holds. */
export type ProgressEvent =
  /** The run starts: how many tests it will run (retries not counted). */
  | { event: 'begin'; total: number; at: number }
  /**
   * A test attempt ended. `final` is false when Playwright will retry it; `outcome` is Playwright's verdict on the
   * test so far: expected (passed), unexpected (failed), flaky (failed, then passed on a retry), skipped.
   */
  | {
      event: 'test';
      title: string;
      status: TestResult['status'];
      outcome: ReturnType<TestCase['outcome']>;
      retry: number;
      final: boolean;
      durationMs: number;
      at: number;
    }
  /** An error outside any test (a global set-up failure, a worker crash). */
  | { event: 'error'; message: string; at: number }
  /** The run ended: Playwright's status and the final counts, each test counted once. */
  | { event: 'end'; status: FullResult['status']; counts: E2eCounts; at: number };

/** Reporter options, as given in the Playwright config. */
export interface ProgressReporterOptions {
  outputFile: string;
}

/** The reporter itself (Playwright instantiates the default export with the config's options). */
export default class ProgressReporter implements Reporter {
  readonly #file: string;
  #suite: Suite | undefined;

  constructor(options: ProgressReporterOptions) {
    this.#file = options.outputFile;
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.#suite = suite;
    mkdirSync(dirname(this.#file), { recursive: true });
    writeFileSync(this.#file, '');
    this.#write({ event: 'begin', total: suite.allTests().length, at: Date.now() });
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const failedAttempt = result.status !== 'passed' && result.status !== 'skipped';
    this.#write({
      event: 'test',
      title: test.titlePath().filter(Boolean).join(' › '),
      status: result.status,
      outcome: test.outcome(),
      retry: result.retry,
      final: !(failedAttempt && result.retry < test.retries),
      durationMs: result.duration,
      at: Date.now(),
    });
  }

  onError(error: TestError): void {
    this.#write({ event: 'error', message: error.message ?? error.value ?? 'unknown error', at: Date.now() });
  }

  onEnd(result: FullResult): void {
    this.#write({
      event: 'end',
      status: result.status,
      counts: countTests(this.#suite?.allTests() ?? []),
      at: Date.now(),
    });
  }

  #write(event: ProgressEvent): void {
    appendFileSync(this.#file, `${JSON.stringify(event)}\n`);
  }
}

/** Final counts by Playwright's own outcome of each test. */
export function countTests(tests: readonly Pick<TestCase, 'outcome'>[]): E2eCounts {
  const counts: E2eCounts = { tests: tests.length, passed: 0, failed: 0, flaky: 0, skipped: 0 };
  for (const test of tests) {
    const outcome = test.outcome();
    if (outcome === 'expected') counts.passed++;
    else if (outcome === 'unexpected') counts.failed++;
    else if (outcome === 'flaky') counts.flaky++;
    else counts.skipped++;
  }
  return counts;
}

/** The final counts in a progress file: its end event's; undefined when the run never ended (or never began). */
export function readFinalCounts(path: string): E2eCounts | undefined {
  if (!existsSync(path)) return undefined;
  let counts: E2eCounts | undefined;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as ProgressEvent;
    if (event.event === 'end') counts = event.counts;
  }
  return counts;
}
