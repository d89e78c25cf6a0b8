// `harness e2e` with no running stack, so Playwright's own global set-up (e2e/global-setup.ts) starts one
// (issue #15 point 6): MYSTOCKS_FAULTS reaches that stack, or stops the run with a clear message; SIGTERM to the
// harness stops Playwright, its workers, Chromium and that stack, leaving no process behind; and each run's
// files are its own (reports/runs/<run id>/).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { descendants, type SeenProcess, stillRunning } from '../stack/local/test-support.ts';
import { waitFor } from '../stack/wait.ts';

const HARNESS = fileURLToPath(new URL('./harness.ts', import.meta.url));
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const skip = existsSync(chromium) ? false : `no Chromium at ${chromium} (set CHROMIUM_PATH)`;

/** `harness e2e` in a fresh working directory (so no reports/stack.json), every descendant ever seen recorded. */
class HarnessE2e {
  readonly cwd = mkdtempSync(join(tmpdir(), 'harness-e2e-command-test-'));
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly seen = new Map<string, SeenProcess & { command: string }>();
  output = '';
  readonly #timer: NodeJS.Timeout;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    const childEnv = { ...process.env, ...env };
    delete childEnv.BASE_URL;
    delete childEnv.HARNESS_REPORTS_DIR;
    childEnv.HARNESS_STATE_DIR = join(this.cwd, '.harness');
    this.child = spawn(process.execPath, [HARNESS, 'e2e', '--', ...args], {
      cwd: this.cwd,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => (this.output += chunk.toString());
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    this.#timer = setInterval(() => this.#snapshot(), 100);
    this.exited = once(this.child, 'exit').then(([code, signal]) => {
      clearInterval(this.#timer);
      return { code: code as number | null, signal: signal as NodeJS.Signals | null };
    });
  }

  #snapshot(): void {
    if (this.child.pid === undefined || this.child.exitCode !== null) return;
    for (const p of descendants(this.child.pid)) {
      let command = '';
      try {
        command = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        // gone already
      }
      this.seen.set(`${p.pid}/${p.startTicks}`, { ...p, command });
    }
  }

  remove(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    rmSync(this.cwd, { recursive: true, force: true });
  }
}

test('a MYSTOCKS_FAULTS that is not a faults list stops the run with a clear message (exit 2)', { skip }, async () => {
  const run = new HarnessE2e(['e2e/market.spec.ts', '--project', 'chromium'], { MYSTOCKS_FAULTS: '[{"latencyMs":5}]' });
  try {
    const { code } = await run.exited;
    assert.equal(code, 2, run.output);
    assert.match(run.output, /e2e set-up refused to start the stack: MYSTOCKS_FAULTS/);
  } finally {
    run.remove();
  }
});

test('MYSTOCKS_FAULTS reaches the stack Playwright starts: a failing quotes route fails the market spec', {
  skip,
  timeout: 600_000,
}, async () => {
  const run = new HarnessE2e(
    ['e2e/market.spec.ts', '--project', 'chromium', '--retries', '0', '-g', 'shows the index cards'],
    {
      MYSTOCKS_FAULTS: JSON.stringify([{ route: '/api/market/quotes', errorRate: 1 }]),
    },
  );
  try {
    const { code } = await run.exited;
    assert.match(run.output, /fault injection on: MYSTOCKS_FAULTS=/);
    assert.equal(code, 1, run.output);
    assert.match(run.output, /error alert shown instead of the quotes table/);
    // The run's JUnit file is in its own folder, and reports/e2e-junit.xml links to it.
    const runs = readdirSync(join(run.cwd, 'reports', 'runs'));
    assert.equal(runs.length, 1);
    assert.match(readFileSync(join(run.cwd, 'reports', 'runs', runs[0]!, 'e2e-junit.xml'), 'utf8'), /failures="1"/);
    assert.match(readFileSync(join(run.cwd, 'reports', 'e2e-junit.xml'), 'utf8'), /failures="1"/);
  } finally {
    run.remove();
  }
});

test('SIGTERM to harness e2e stops Playwright, Chromium and the stack: no process is left', {
  skip,
  timeout: 600_000,
}, async () => {
  const run = new HarnessE2e(['e2e/market.spec.ts', '--project', 'chromium', '--retries', '0'], {});
  try {
    // Wait until a browser runs: the moment a SIGTERM used to leave Playwright and Chromium behind.
    await waitFor(
      async () => {
        if (run.child.exitCode !== null) throw new Error(`harness e2e ended first:\n${run.output}`);
        // The browser's own executable (argv[0]), not Playwright's command line, which names the project "chromium".
        const browser = (p: { command: string }) => /chrom|headless_shell/i.test(p.command.split(' ')[0] ?? '');
        return [...run.seen.values()].some(browser) ? true : undefined;
      },
      { what: 'Chromium to start under harness e2e', timeoutMs: 400_000, intervalMs: 200 },
    );
    const browsers = [...run.seen.values()].filter((p) => /chrom|headless_shell/i.test(p.command.split(' ')[0] ?? ''));
    assert.ok(browsers.length > 0);
    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    assert.equal(code, 143, run.output);
    const left = [...run.seen.values()].filter((p) => stillRunning(p));
    assert.deepEqual(
      left.map((p) => `${p.pid} ${p.command.slice(0, 80)}`),
      [],
      'processes left after SIGTERM',
    );
  } finally {
    run.remove();
  }
});
