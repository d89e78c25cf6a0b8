// The examples of the `slo` help pages, each run as written by a shell in a child process, with `harness` meaning
// this checkout's CLI: what a user copies from a page works (the rules example runs promtool on what it wrote).
// The pages themselves (golden files, flags, -h) are cli/help.test.ts, in-process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort } from '../stack/ports.ts';
import { SLO_SUBCOMMANDS } from './commands/slo.ts';
import { runHarness } from './dispatch.ts';

const HARNESS = join(import.meta.dirname, 'harness.ts');
/** A working directory of its own, holding a copy of the seed SLO file where the examples expect it. */
const cwd = mkdtempSync(join(tmpdir(), 'harness-help-test-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

/** Runs a shell command line in `cwd` with `harness` meaning this checkout's CLI. */
function sh(commandLine: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ['PROMETHEUS_URL', 'HARNESS_POSTGRES_URL', 'HARNESS_SPANS_FILE']) delete env[name];
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `set -e; harness() { "${process.execPath}" "${HARNESS}" "$@"; }; ${commandLine}`],
      { cwd, env, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

/** The command lines under a page's `example:` heading. */
function examplesOn(page: string): string[] {
  const section = /^example:\n((?: {2}.+\n?)+)/m.exec(page)?.[1] ?? '';
  return section
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

test('every example on an `slo` page runs as written (check: against a Prometheus that is not there)', async () => {
  mkdirSync(join(cwd, 'slo'), { recursive: true });
  copyFileSync(join(import.meta.dirname, '..', 'slo', 'slo-config.yaml'), join(cwd, 'slo', 'slo-config.yaml'));
  for (const sub of Object.keys(SLO_SUBCOMMANDS)) {
    // The page as the harness prints it (in this process: the launch that matters is the example's own).
    const page = await runHarness(['slo', sub, '--help']);
    const examples = examplesOn(page.stdout);
    assert.equal(examples.length, 1, `slo ${sub}: one example`);
    let example = examples[0]!;
    if (sub === 'check') {
      // No Prometheus is started for a help page: the example's address is swapped for a port nobody listens
      // on. The flags are then all accepted (no usage error), the verdict is inconclusive (exit 2) and the
      // markdown report is written all the same; the check against a real Prometheus is slo/evaluate's tests.
      example = example.replace('http://127.0.0.1:9090', `http://127.0.0.1:${await freePort()}`);
      const ran = await sh(example);
      assert.equal(ran.code, 2, `${example}\n${ran.stderr}`);
      assert.doesNotMatch(ran.stderr, /usage:/);
      assert.match(ran.stdout, /SLO check INCONCLUSIVE/);
      assert.match(readFileSync(join(cwd, 'slo.md'), 'utf8'), /^#+ .*SLO/m);
      continue;
    }
    const ran = await sh(example);
    assert.equal(ran.code, 0, `${example}: exit ${ran.code}\n${ran.stderr}`);
  }
  // What the examples wrote is what they say: rules promtool accepts (run above), a dashboard, a routing tree.
  assert.ok(JSON.parse(readFileSync(join(cwd, 'slo-dashboard.json'), 'utf8')).panels.length > 0);
  assert.match(readFileSync(join(cwd, 'alertmanager.yaml'), 'utf8'), /url: https:\/\/oncall\.example\/hook/);
  assert.match(readFileSync(join(cwd, 'openslo.yaml'), 'utf8'), /^apiVersion: openslo\/v1$/m);
});
