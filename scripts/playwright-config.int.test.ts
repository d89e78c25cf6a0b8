// The Playwright config as CI reads it (CI=true): `harness verify` prints reports/e2e/playwright-report/index.html
// as the E2E stage's report, so the HTML reporter must run in CI too (beside the blob reporter the sharded
// workflow merges); the default run has no permanently skipped project; the phone project exists.
// Read in a child process, since the config reads CI and UPDATE_SCREENSHOTS when it loads.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

/** A reports folder of this test's own: loading a config decides a run folder there, never in the checkout. */
const reportsDir = mkdtempSync(join(tmpdir(), 'playwright-config-test-'));
after(() => rmSync(reportsDir, { recursive: true, force: true }));

interface Loaded {
  reporter: [string, Record<string, unknown> | undefined][];
  projects: { name: string; grep?: string; workers?: number; use: Record<string, unknown> }[];
}

function load(config: string, env: Record<string, string>): Loaded {
  const script = `
    const { default: config } = await import(${JSON.stringify(resolve(config))});
    console.log(JSON.stringify({
      reporter: config.reporter,
      projects: config.projects.map((p) => ({ name: p.name, grep: p.grep && String(p.grep), workers: p.workers, use: p.use ?? {} })),
    }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, HARNESS_REPORTS_DIR: reportsDir, UPDATE_SCREENSHOTS: '', ...env },
  });
  return JSON.parse(out) as Loaded;
}

test("with CI=true, verify's Playwright config writes the HTML report whose path verify prints", () => {
  const loaded = load('cli/verify/playwright.config.ts', { CI: 'true', HARNESS_REPORTS_DIR: reportsDir });
  const html = loaded.reporter.find(([name]) => name === 'html');
  assert.equal(html?.[1]?.outputFolder, join(reportsDir, 'e2e', 'playwright-report'));
  assert.ok(
    loaded.reporter.some(([name]) => name === 'blob'),
    'CI keeps the blob report for merging shards',
  );
});

test('the default run has no screenshot generator; UPDATE_SCREENSHOTS adds it as a project of its own', () => {
  const plain = load('playwright.config.ts', {}).projects.map((p) => p.name);
  assert.deepEqual(plain, ['setup', 'mobile', 'chromium']);
  const updating = load('playwright.config.ts', { UPDATE_SCREENSHOTS: '1' }).projects.map((p) => p.name);
  assert.deepEqual(updating, ['setup', 'mobile', 'chromium', 'screenshots']);
});

test('the mobile project is a 390 x 844 touch screen running the @mobile tests, first and on one worker', () => {
  const mobile = load('playwright.config.ts', {}).projects.find((p) => p.name === 'mobile');
  // Queued before the desktop tests and held to one worker, so its switch of worker process comes early and once
  // (playwright.config.ts; docs/performance.md, "E2E suite"). The order is asserted above.
  assert.equal(mobile?.workers, 1);
  assert.deepEqual(mobile?.use.viewport, { width: 390, height: 844 });
  assert.equal(mobile?.use.hasTouch, true);
  assert.equal(mobile?.use.isMobile, true);
  assert.equal(mobile?.grep, '/@mobile/');
});

test("a user's harness verify runs the service's specs only; the project's suite also runs the harness's own", () => {
  // Playwright's own listing, so the ignore rules are read exactly as a run reads them (project testIgnore
  // replaces the config's). BASE_URL keeps global set-up from starting a stack; --list starts no browser.
  const list = (config: string) =>
    execFileSync('npx', ['playwright', 'test', '--list', '--reporter=list', '-c', config], {
      encoding: 'utf8',
      env: { ...process.env, HARNESS_REPORTS_DIR: reportsDir, BASE_URL: 'http://127.0.0.1:9', UPDATE_SCREENSHOTS: '' },
    });
  const files = (out: string) => new Set([...out.matchAll(/\b([\w-]+\.spec\.ts):\d+/g)].map((m) => m[1]));
  const verify = files(list('cli/verify/playwright.config.ts'));
  const project = files(list('playwright.config.ts'));
  assert.ok(project.has('reports-from-disk.spec.ts'), 'npm test runs the harness self-test');
  assert.ok(!verify.has('reports-from-disk.spec.ts'), 'verify does not');
  // Everything else is the same: the service's specs all run under verify.
  assert.deepEqual([...verify].sort(), [...project].filter((f) => f !== 'reports-from-disk.spec.ts').sort());
  assert.ok(verify.has('csp.spec.ts') && verify.has('market.spec.ts'));
});
