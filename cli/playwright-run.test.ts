// The process the one Playwright runner makes of a spec, as data: what `harness e2e` and verify's E2E stage hand
// `playwright test` (the command line, the folder, the environment). The runs themselves are in
// playwright-run.int.test.ts and the stack tests.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PLAYWRIGHT_CLI, playwrightInvocation } from './playwright-run.ts';

/** The harness's environment, with both Prometheus credentials (core/prometheus-access.ts CREDENTIAL_ENV), which never reach Playwright. */
const HARNESS_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/bin',
  BASE_URL: 'http://127.0.0.1:1111',
  FORCE_COLOR: '1',
  HARNESS_PROMETHEUS_BASIC_AUTH: 'user:secret',
  HARNESS_PROMETHEUS_BEARER_TOKEN: 'token',
};

test("verify's spec: its config before the extra arguments, Node running Playwright's CLI, a log without colour", () => {
  const invocation = playwrightInvocation(
    {
      config: '/repo/cli/verify/playwright.config.ts',
      args: ['-g', 'quotes'],
      env: { BASE_URL: 'http://127.0.0.1:2222', HARNESS_REPORTS_DIR: '/runs/r1', CI: '' },
      output: { logFile: '/runs/r1/e2e/playwright.log' },
    },
    HARNESS_ENV,
  );
  assert.equal(invocation.command, process.execPath);
  assert.deepEqual(invocation.args, [
    PLAYWRIGHT_CLI,
    'test',
    '--config',
    '/repo/cli/verify/playwright.config.ts',
    '-g',
    'quotes',
  ]);
  assert.deepEqual(invocation.env, {
    PATH: '/usr/bin',
    BASE_URL: 'http://127.0.0.1:2222',
    FORCE_COLOR: '0',
    HARNESS_REPORTS_DIR: '/runs/r1',
    CI: '',
  });
  assert.deepEqual(invocation.output, { logFile: '/runs/r1/e2e/playwright.log' });
});

test("harness e2e's spec without a target: no --config, BASE_URL removed, the terminal's colours kept", () => {
  const invocation = playwrightInvocation(
    {
      args: ['e2e/market.spec.ts'],
      env: { HARNESS_E2E_DIR: '/reports/runs/e2e-1', BASE_URL: undefined },
      output: 'terminal',
    },
    HARNESS_ENV,
  );
  assert.deepEqual(invocation.args, [PLAYWRIGHT_CLI, 'test', 'e2e/market.spec.ts']);
  // Without BASE_URL, the project's config's global set-up starts a stack for the run.
  assert.deepEqual(invocation.env, { PATH: '/usr/bin', FORCE_COLOR: '1', HARNESS_E2E_DIR: '/reports/runs/e2e-1' });
  assert.equal(invocation.output, 'terminal');
});

test("Playwright's own CLI, run in the repository, whose playwright.config.ts is the default config", () => {
  const invocation = playwrightInvocation({ output: 'terminal' }, {});
  assert.match(PLAYWRIGHT_CLI, /node_modules\/@playwright\/test\/cli\.js$/);
  assert.ok(existsSync(PLAYWRIGHT_CLI));
  assert.ok(existsSync(join(invocation.cwd, 'playwright.config.ts')));
  assert.deepEqual(invocation.env, {});
});
