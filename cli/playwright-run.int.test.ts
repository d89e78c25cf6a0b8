// The one Playwright runner (playwright-run.ts) on tiny suites, browserless but for one test: its output in a log
// file and the progress reporter followed (verify's E2E stage), the deadline, and the harness' teardown (what a
// Ctrl-C or SIGTERM runs), each leaving no process of the run behind, the browser Playwright launched included.
// `harness e2e` on the terminal, through the same runner, is cli/e2e-command.stack.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { descendants, groupRunning, type SeenProcess, stillRunning } from '../stack/process-tree.ts';
import { teardownAll } from '../stack/teardown.ts';
import { waitFor } from '../stack/wait.ts';
import { PLAYWRIGHT_CLI, runPlaywright } from './playwright-run.ts';
import type { ProgressEvent } from './verify/progress-reporter.ts';

const PROGRESS_SUITE = join(import.meta.dirname, 'verify', 'testdata', 'progress-suite', 'playwright.config.ts');
const HANG_SUITE = join(import.meta.dirname, 'testdata', 'playwright-run', 'playwright.config.ts');
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';
const chromium = process.env.CHROMIUM_PATH || (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

const scratch = mkdtempSync(join(tmpdir(), 'playwright-run-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A process with its command line, read while it runs. */
type Seen = SeenProcess & { command: string };

/** This test's descendants now: the Playwright runner, its workers and their browsers. */
function runProcesses(): Seen[] {
  return descendants(process.pid).map((p) => {
    let command = '';
    try {
      command = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      // gone already
    }
    return { ...p, command };
  });
}

function assertNothingLeft(seen: Seen[]): void {
  const runner = seen.find((p) => p.command.includes(PLAYWRIGHT_CLI));
  assert.ok(runner, `the Playwright runner was seen:\n${seen.map((p) => p.command).join('\n')}`);
  assert.equal(groupRunning(runner.pgid), false, "a process of Playwright's group is left");
  assert.deepEqual(
    seen.filter(stillRunning).map((p) => `${p.pid} ${p.command.slice(0, 100)}`),
    [],
    'processes left after the run',
  );
}

test("verify's way: Playwright's output in the log file, its progress followed as events", {
  timeout: 300_000,
}, async () => {
  const dir = mkdtempSync(join(scratch, 'progress-'));
  const logFile = join(dir, 'playwright.log');
  const events: ProgressEvent[] = [];
  const run = await runPlaywright({
    config: PROGRESS_SUITE,
    env: { PROGRESS_TEST_DIR: dir },
    output: { logFile },
    timeoutMs: 300_000,
    progress: { file: join(dir, 'progress.jsonl'), onEvent: (event) => events.push(event) },
  });
  assert.deepEqual(run.exit, { code: 1, signal: null }, readFileSync(logFile, 'utf8'));
  assert.equal(run.timedOut, false);
  assert.deepEqual(
    events.map((e) => e.event),
    ['begin', 'test', 'test', 'test', 'test', 'test', 'test', 'end'],
    'begin, four tests plus the failed and the flaky one retried (six attempts), end',
  );
  const end = events.at(-1);
  assert.deepEqual(end?.event === 'end' && end.counts, { tests: 4, passed: 1, failed: 1, flaky: 1, skipped: 1 });
  // The progress suite's only reporter writes nothing on stdout, so Playwright adds its own, in the log.
  assert.match(readFileSync(logFile, 'utf8'), /1 failed/);
});

// A stop that never comes fails here on the test's timeout rather than hanging the file.
test('the deadline stops Playwright and says so once; nothing of the run is left', {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(scratch, 'deadline-'));
  let seen: Seen[] = [];
  let told = 0;
  const run = await runPlaywright({
    config: HANG_SUITE,
    args: ['-g', 'without a browser'],
    env: { RUN_TEST_DIR: dir },
    output: { logFile: join(dir, 'playwright.log') },
    timeoutMs: 3_000,
    onTimeout: () => {
      told++;
      seen = runProcesses();
    },
  });
  assert.equal(run.timedOut, true);
  assert.equal(told, 1);
  assert.notDeepEqual(run.exit, { code: 0, signal: null });
  assertNothingLeft(seen);
});

// Last in this file: the teardown, once run, is over for the whole process (stack/teardown.ts).
test("the harness' teardown (Ctrl-C, SIGTERM) stops Playwright, its worker and its browser", {
  skip: existsSync(chromium) ? false : `no Chromium at ${chromium} (set CHROMIUM_PATH)`,
  timeout: 300_000,
}, async () => {
  const dir = mkdtempSync(join(scratch, 'teardown-'));
  const logFile = join(dir, 'playwright.log');
  const running = runPlaywright({
    config: HANG_SUITE,
    args: ['-g', 'with a browser open'],
    env: { RUN_TEST_DIR: dir, CHROMIUM_PATH: chromium },
    output: { logFile },
  });
  await waitFor(async () => (existsSync(join(dir, 'browser')) ? true : undefined), {
    what: `the test to open its browser (log: ${logFile})`,
    timeoutMs: 240_000,
    intervalMs: 200,
  });
  const seen = runProcesses();
  const worker = Number(readFileSync(join(dir, 'browser'), 'utf8'));
  assert.ok(
    seen.some((p) => p.pid === worker),
    'the worker that wrote the file is among the processes seen',
  );
  // The browser's own executable (argv[0]); Playwright's command lines name no browser.
  const browsers = seen.filter((p) => /chrom|headless_shell/i.test(p.command.split(' ')[0] ?? ''));
  assert.ok(browsers.length > 0, `the browser runs:\n${seen.map((p) => p.command.slice(0, 100)).join('\n')}`);
  // Chromium runs in process groups of its own: a signal to Playwright's group alone does not reach it.
  const runner = seen.find((p) => p.command.includes(PLAYWRIGHT_CLI));
  assert.ok(browsers.some((p) => p.pgid !== runner?.pgid));
  await teardownAll();
  const run = await running;
  assert.equal(run.timedOut, false);
  assert.notDeepEqual(run.exit, { code: 0, signal: null });
  assertNothingLeft(seen);
});
