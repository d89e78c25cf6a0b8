/**
 * `harness e2e [--stack MODE | --target URL] [-- <playwright args>]`: runs the Playwright suites
 * (playwright.config.ts) in a child process against, in this order:
 *   --stack MODE      a stack this command starts (local or containers, or auto) and stops afterwards;
 *                     `--stack external` takes BASE_URL (or API_URL) from the environment;
 *   --target URL      any deployment;
 *   BASE_URL/API_URL  any deployment;
 *   reports/stack.json  the stack `harness up` keeps running (its apiUrl);
 *   otherwise         the config's global set-up starts a local stack for the run.
 * The precedence flag > environment > stack.json is the one of every command (cli/endpoints.ts).
 * Arguments after `--` go to `playwright test` unchanged (a spec, `-g`, `--shard`, `--workers`, ...).
 * Exit codes: 0 every test passed, 1 a test failed, 2 could not run (bad usage, an unreachable deployment, a
 * stack that would not start, a config or global set-up error: Playwright ran no test to a failure).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import { resolveStackMode, type Stack, startStack } from '../../stack/index.ts';
import { linkLatest } from '../../stack/run-pointer.ts';
import { newRunId, reportsDir } from '../../stack/state.ts';
import { onTeardown } from '../../stack/teardown.ts';
import { type CommandSpec, parseCommandArgs, usageError } from '../args.ts';
import { checkUrl, readStackFile, resolveEndpoint } from '../endpoints.ts';
import { PLAYWRIGHT_LINKS } from '../playwright-output.ts';
import { runPlaywright } from '../playwright-run.ts';
import { readFinalCounts } from '../verify/progress-reporter.ts';

/** Environment variables naming the deployment, first wins. */
const TARGET_ENV = ['BASE_URL', 'API_URL'];

const USAGE = `usage: harness e2e [--stack auto|containers|local|external | --target URL] [-- <playwright test args>]

  --stack MODE   start a stack of that mode for this run and stop it afterwards
                 (external: use BASE_URL or API_URL from the environment)
  --target URL   run against this deployment
  without them   BASE_URL (or API_URL), else reports/stack.json's apiUrl (a stack 'harness up' keeps running),
                 else the Playwright config starts a local stack itself

Examples:
  harness e2e                                   all suites
  harness e2e -- e2e/market.spec.ts             one spec
  harness e2e -- -g "sector filter"             tests whose title matches
  BASE_URL=https://staging.example harness e2e --stack external

Reports: reports/runs/<run id>/ (playwright-report, e2e-junit.xml, allure-results, test-results); the same names
in reports/ link to the latest run's (its Allure report: harness report).
Exit codes: 0 all tests passed, 1 a test failed, 2 could not run.`;

/** The flags of `harness e2e` (also read by `harness completion`). */
export const E2E_ARGS = {
  usage: USAGE,
  options: { stack: { type: 'string' }, target: { type: 'string' } },
} as const satisfies CommandSpec;

export async function run(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, E2E_ARGS);
  if (parsed.help) return 'pass';
  const { values, passthrough: playwrightArgs } = parsed;
  if (values.target !== undefined) checkUrl('--target', values.target);
  if (values.stack !== undefined && values.target !== undefined) {
    throw usageError(USAGE, `--stack and --target: give one (--stack starts a stack, --target names one)`);
  }
  const log = (line: string) => console.error(`harness e2e: ${line}`);

  let stack: Stack | undefined;
  let baseUrl: string | undefined;
  const resolved = values.stack === undefined ? undefined : await resolveStackMode(values.stack);
  if (resolved && resolved.mode !== 'external') {
    try {
      stack = await startStack(resolved, { withPrometheus: false, log });
    } catch (error) {
      if (error instanceof HarnessError) throw error;
      throw new HarnessError(`the stack did not start: ${error instanceof Error ? error.message : error}`);
    }
    baseUrl = stack.info.apiUrl;
  } else {
    // flag > environment > the running stack's stack.json (cli/endpoints.ts); external mode takes no stack.json.
    const endpoint = resolveEndpoint(
      { flag: { name: '--target', value: values.target }, env: TARGET_ENV, fromStack: (info) => info.apiUrl },
      resolved ? undefined : readStackFile(),
    );
    if (resolved && !endpoint)
      throw new HarnessError('--stack external needs BASE_URL (or API_URL) in the environment');
    baseUrl = endpoint?.url;
  }

  const unregister = stack ? onTeardown('harness e2e stack', () => stack.stop()) : undefined;
  try {
    if (baseUrl) {
      await assertReachable(baseUrl);
      log(`running against ${baseUrl}`);
    } else {
      log('no running stack: the Playwright config starts a local one for this run');
    }
    return await runSuites(playwrightArgs, baseUrl, log);
  } finally {
    if (stack) {
      log('stopping the stack');
      await stack.stop();
      unregister?.();
    }
  }
}

/** Fails with exit 2 unless the deployment answers /healthz within a few seconds. */
async function assertReachable(baseUrl: string): Promise<void> {
  const url = new URL('/healthz', baseUrl).href;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`answered ${res.status}`);
  } catch (error) {
    throw new HarnessError(
      `${baseUrl} is not reachable (GET ${url}: ${error instanceof Error ? error.message : error}); ` +
        "start it with 'harness up', or give another BASE_URL",
    );
  }
}

/** Where one run's Playwright files go, and how the shared paths are pointed at them afterwards. */
interface E2eRunOutput {
  dir: string;
  /** Playwright's progress reporter's JSON lines (cli/verify/progress-reporter.ts). */
  progressFile: string;
  /** Links reports/playwright-report, e2e-junit.xml and allure-results to this run's (the latest run's) copies. */
  publish(): void;
}

/** A new reports/runs/e2e-<id>/ (playwright.config.ts reads it from HARNESS_E2E_DIR). */
function e2eRunOutput(reports: string = reportsDir()): E2eRunOutput {
  const dir = join(reports, 'runs', `e2e-${newRunId()}`);
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    progressFile: join(dir, 'e2e-progress.jsonl'),
    publish() {
      for (const name of PLAYWRIGHT_LINKS) linkLatest(join(reports, name), join(dir, name));
    },
  };
}

/**
 * Runs `playwright test` (cli/playwright-run.ts) with the output on this terminal. Playwright exits 1 both for
 * failed tests and for runs that never got to a test (config or global set-up errors); the progress reporter's
 * counts tell them apart.
 */
async function runSuites(args: string[], baseUrl: string | undefined, log: (line: string) => void): Promise<Verdict> {
  // This run's own folder (playwright.config.ts reads HARNESS_E2E_DIR): a second run cannot touch its files,
  // its progress file (read below to tell failed tests from a run that never ran) included.
  const output = e2eRunOutput();
  log(`reports of this run: ${output.dir}`);
  const { exit } = await runPlaywright({
    args,
    // Without BASE_URL the config's global set-up starts a stack for the run.
    env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', HARNESS_E2E_DIR: output.dir, BASE_URL: baseUrl || undefined },
    output: 'terminal',
  });
  const { code, signal } = exit;
  output.publish();
  if (code === 0) return 'pass';
  const failures = readFinalCounts(output.progressFile)?.failed ?? 0;
  // With a reporter of the caller's choice the progress file is not written: trust Playwright's exit code then.
  const ownReporter = args.some((a) => a === '--reporter' || a.startsWith('--reporter='));
  if (code === 1 && (failures > 0 || ownReporter)) {
    log(failures > 0 ? `${failures} test(s) failed` : 'tests failed');
    return 'fail';
  }
  log(
    signal
      ? `Playwright was stopped by ${signal}`
      : `Playwright exited ${code} without a failed test: the run could not start (see its output above)`,
  );
  return 'inconclusive';
}
