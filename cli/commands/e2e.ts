/**
 * `harness e2e [--stack MODE] [-- <playwright args>]`: runs the Playwright suites (playwright.config.ts) in a
 * child process against, in this order:
 *   --stack MODE      a stack this command starts (local or containers, or auto) and stops afterwards;
 *                     `--stack external` takes BASE_URL (or API_URL) from the environment;
 *   reports/stack.json  the stack `harness up` keeps running (its apiUrl);
 *   BASE_URL          any deployment;
 *   otherwise         the config's global set-up starts a local stack for the run.
 * Arguments after `--` go to `playwright test` unchanged (a spec, `-g`, `--shard`, `--workers`, ...).
 * Exit codes: 0 every test passed, 1 a test failed, 2 could not run (bad usage, an unreachable deployment, a
 * stack that would not start, a config or global set-up error: Playwright ran no test to a failure).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ExitCode, HarnessError } from '../../core/outcome.ts';
import { resolveStackMode, type Stack, startStack } from '../../stack/index.ts';
import { stackFilePath } from '../../stack/state.ts';
import { onTeardown } from '../../stack/teardown.ts';
import type { StackInfo } from '../../stack/types.ts';
import { e2eRunOutput, startPlaywright } from '../e2e-run.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PLAYWRIGHT_CLI = fileURLToPath(new URL('../../node_modules/@playwright/test/cli.js', import.meta.url));

const USAGE = `usage: harness e2e [--stack auto|containers|local|external] [-- <playwright test args>]

  --stack MODE   start a stack of that mode for this run and stop it afterwards
                 (external: use BASE_URL or API_URL from the environment)
  without it     reports/stack.json's apiUrl (a stack 'harness up' keeps running), else BASE_URL,
                 else the Playwright config starts a local stack itself

Examples:
  harness e2e                                   all suites
  harness e2e -- e2e/market.spec.ts             one spec
  harness e2e -- -g "sector filter"             tests whose title matches
  BASE_URL=https://staging.example harness e2e --stack external

Reports: reports/runs/<run id>/ (playwright-report, e2e-junit.xml, allure-results, test-results); the same names
in reports/ link to the latest run's (Allure: npx allure generate reports/allure-results).
Exit codes: 0 all tests passed, 1 a test failed, 2 could not run.`;

export async function run(argv: string[]): Promise<ExitCode> {
  const separator = argv.indexOf('--');
  const own = separator < 0 ? argv : argv.slice(0, separator);
  const playwrightArgs = separator < 0 ? [] : argv.slice(separator + 1);
  let values: { stack?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: own,
      options: { stack: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new HarnessError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return ExitCode.Pass;
  }
  const log = (line: string) => console.error(`harness e2e: ${line}`);

  let stack: Stack | undefined;
  let baseUrl: string | undefined;
  if (values.stack !== undefined) {
    const resolved = await resolveStackMode(values.stack);
    if (resolved.mode === 'external') {
      baseUrl = process.env.BASE_URL || process.env.API_URL;
      if (!baseUrl) throw new HarnessError('--stack external needs BASE_URL (or API_URL) in the environment');
    } else {
      try {
        stack = await startStack(resolved, { withPrometheus: false, log });
      } catch (error) {
        if (error instanceof HarnessError) throw error;
        throw new HarnessError(`the stack did not start: ${error instanceof Error ? error.message : error}`);
      }
      baseUrl = stack.info.apiUrl;
    }
  } else {
    baseUrl = runningStackUrl() ?? (process.env.BASE_URL || undefined);
  }

  const unregister = stack ? onTeardown('harness e2e stack', () => stack.stop()) : undefined;
  try {
    if (baseUrl) {
      await assertReachable(baseUrl);
      log(`running against ${baseUrl}`);
    } else {
      log('no running stack: the Playwright config starts a local one for this run');
    }
    return await runPlaywright(playwrightArgs, baseUrl, log);
  } finally {
    if (stack) {
      log('stopping the stack');
      await stack.stop();
      unregister?.();
    }
  }
}

/** apiUrl of reports/stack.json, when `harness up` is keeping a stack running. */
function runningStackUrl(): string | undefined {
  const file = stackFilePath();
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as StackInfo).apiUrl;
  } catch (error) {
    throw new HarnessError(`cannot read ${file}: ${error instanceof Error ? error.message : error}`);
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

/**
 * Runs `playwright test` with the output on this terminal. Playwright exits 1 both for failed tests and for
 * runs that never got to a test (config or global set-up errors); the JUnit report tells them apart.
 */
export async function runPlaywright(
  args: string[],
  baseUrl: string | undefined,
  log: (line: string) => void,
): Promise<ExitCode> {
  // This run's own folder (playwright.config.ts reads HARNESS_E2E_DIR): a second run cannot touch its files.
  const output = e2eRunOutput();
  const junitFile = output.junitFile;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    HARNESS_E2E_DIR: output.dir,
  };
  if (baseUrl) env.BASE_URL = baseUrl;
  else delete env.BASE_URL;
  log(`reports of this run: ${output.dir}`);
  const child = startPlaywright([PLAYWRIGHT_CLI, 'test', ...args], ROOT, env);
  const { code, signal } = await child.exited;
  output.publish();
  if (code === 0) return ExitCode.Pass;
  const failures = failedTests(junitFile);
  // With a reporter of the caller's choice the JUnit file is not written: trust Playwright's exit code then.
  const ownReporter = args.some((a) => a === '--reporter' || a.startsWith('--reporter='));
  if (code === 1 && (failures > 0 || ownReporter)) {
    log(failures > 0 ? `${failures} test(s) failed` : 'tests failed');
    return ExitCode.Fail;
  }
  log(
    signal
      ? `Playwright was stopped by ${signal}`
      : `Playwright exited ${code} without a failed test: the run could not start (see its output above)`,
  );
  return ExitCode.Inconclusive;
}

/** Failed or errored test cases in the run's JUnit report (0 when there is none). */
function failedTests(junitFile: string): number {
  if (!existsSync(junitFile)) return 0;
  const xml = readFileSync(junitFile, 'utf8');
  const suites = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
  const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suites)?.[1] ?? 0);
  return attr('failures') + attr('errors');
}
