// The E2E suites catch real faults: with the reference API told to fail one route (MYSTOCKS_FAULTS through
// startStack's `faults`), the spec of that area must fail, and say why in words a tester understands (the
// failing assertion names the quotes table; the export names the page's error). Each case starts its own
// local stack and runs Playwright as a child process against it, with a session folder and output folder of
// its own so a concurrent `npx playwright test` is left alone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildPagesIfStale } from '../e2e/global-setup.ts';
import { startStack } from '../stack/index.ts';
import type { FaultSpec } from '../stack/types.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PLAYWRIGHT_CLI = join(ROOT, 'node_modules/@playwright/test/cli.js');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const skip = existsSync(chromium) ? false : `no Chromium at ${chromium} (set CHROMIUM_PATH)`;

// Run state of these stacks goes to a temp directory, not the developer's .harness/.
process.env.HARNESS_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'harness-e2e-faults-state-'));

interface SpecRun {
  code: number | null;
  output: string;
}

/** `playwright test <spec>` against baseUrl, no retries, plain line output; killed after 4 minutes. */
function runSpec(spec: string, grep: string, baseUrl: string): Promise<SpecRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'harness-e2e-faults-'));
  const child = spawn(
    process.execPath,
    [
      PLAYWRIGHT_CLI,
      'test',
      spec,
      '--project=chromium',
      `--grep=${grep}`,
      '--reporter=line',
      '--retries=0',
      '--workers=2',
      `--output=${scratch}/results`,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        BASE_URL: baseUrl,
        MYSTOCKS_AUTH_DIR: join(scratch, 'auth'),
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
        CI: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), 240_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(scratch, { recursive: true, force: true });
      resolve({ code, output });
    });
  });
}

/**
 * Starts a local stack with `faults`, runs the tests of `spec` whose titles match `grep` against it, stops the
 * stack. A few chosen tests, not the whole spec: every test of a spec under a fault fails the same way, and a
 * whole spec of failures costs minutes of the suite for no more evidence.
 */
async function runWithFaults(spec: string, grep: string, faults: FaultSpec[]): Promise<SpecRun> {
  buildPagesIfStale(() => undefined);
  const stack = await startStack('local', { withPrometheus: false, faults });
  try {
    return await runSpec(spec, grep, stack.info.apiUrl);
  } finally {
    await stack.stop();
  }
}

/** The first lines of each failure in Playwright's line output, for the test log. */
function failureSummary(output: string): string {
  return output
    .split('\n')
    .filter((line) => /^\s+\d+\) \[chromium\]|^\s+Error: |^\s+Received: |Locator: /.test(line))
    .slice(0, 12)
    .join('\n');
}

test('market spec fails, naming the quotes table, when the quotes API answers 503', {
  skip,
  timeout: 300_000,
}, async (t) => {
  const run = await runWithFaults('e2e/market.spec.ts', 'first quotes page|really orders the rows', [
    { route: '/api/market/quotes', errorRate: 1 },
  ]);
  t.diagnostic(failureSummary(run.output));
  assert.equal(run.code, 1, `expected the market spec to fail (exit 1)\n${run.output.slice(-3000)}`);
  assert.match(run.output, /\d+ failed/);
  assert.match(run.output, /1 passed|[1-9]\d* passed/, 'the demo login (setup) still passes: the fault is the cause');
  assert.match(run.output, /error alert shown instead of the quotes table/, 'the failing assertion names the table');
  assert.match(run.output, /Could not load quotes: injected fault/, 'and quotes what the page showed');
});

test('export spec fails with the page error when the export API answers 503', { skip, timeout: 300_000 }, async (t) => {
  const run = await runWithFaults('e2e/export.spec.ts', 'quotes as CSV: the server file name|an inverted date range', [
    { route: '/api/export/:dataset.:format', errorRate: 1 },
  ]);
  t.diagnostic(failureSummary(run.output));
  assert.equal(run.code, 1, `expected the export spec to fail (exit 1)\n${run.output.slice(-3000)}`);
  assert.match(run.output, /\d+ failed/);
  assert.match(
    run.output,
    /No file was downloaded: the export page showed the error "The export failed: injected fault"/,
    'the failure quotes the error the page showed',
  );
  // Refused before any request: the one export case that must still pass under the fault.
  assert.match(run.output, /[1-9]\d* passed/);
});
