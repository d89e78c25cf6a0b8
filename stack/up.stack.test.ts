import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { API_ENTRY } from './local/api.ts';
import { descendants, groupRunning, type SeenProcess, stillRunning } from './local/test-support.ts';
import { WORK_DIR_PREFIX } from './local/workdir.ts';
import type { RunStateRecord } from './state.ts';
import type { StackInfo } from './types.ts';
import { waitFor } from './wait.ts';

const HARNESS = fileURLToPath(new URL('../cli/harness.ts', import.meta.url));
const skip = existsSync(API_ENTRY) ? false : `the reference API (${API_ENTRY}) is not there yet`;

/** `harness up --stack local` in a temp working directory, with every process it ever had under it recorded. */
class HarnessUp {
  readonly cwd = mkdtempSync(join(tmpdir(), 'harness-up-test-'));
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly seen = new Map<string, SeenProcess>();
  stderr = '';
  readonly #timer: NodeJS.Timeout;

  constructor() {
    const env = { ...process.env };
    delete env.HARNESS_STATE_DIR;
    delete env.HARNESS_REPORTS_DIR;
    this.child = spawn(process.execPath, [HARNESS, 'up', '--stack', 'local'], {
      cwd: this.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.resume();
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      this.#snapshot();
    });
    // The process tree is sampled often, so that processes which live only briefly (initdb) are seen too.
    this.#timer = setInterval(() => this.#snapshot(), 50);
    this.exited = once(this.child, 'exit').then(([code]) => {
      clearInterval(this.#timer);
      return code as number | null;
    });
  }

  #snapshot(): void {
    if (this.child.pid === undefined || this.child.exitCode !== null) return;
    for (const p of descendants(this.child.pid)) this.seen.set(`${p.pid}/${p.startTicks}`, p);
  }

  get stackFile(): string {
    return join(this.cwd, 'reports', 'stack.json');
  }

  stateFile(runId: string): string {
    return join(this.cwd, '.harness', 'runs', `${runId}.json`);
  }

  /** Waits until stderr contains `text`; fails at once if the harness exits first. */
  async waitForOutput(text: string, timeoutMs = 300_000): Promise<void> {
    await waitFor(
      async () => {
        if (this.stderr.includes(text)) return true;
        if (this.child.exitCode !== null) throw new Error(`harness exited ${this.child.exitCode}:\n${this.stderr}`);
        return undefined;
      },
      { what: `harness up to print "${text}"`, timeoutMs, intervalMs: 50 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${this.stderr}`);
    });
  }

  /** Waits until the stack is up (reports/stack.json written); fails if the harness exited first. */
  async waitForStackFile(): Promise<void> {
    await waitFor(async () => (existsSync(this.stackFile) || this.child.exitCode !== null ? true : undefined), {
      what: 'reports/stack.json',
      timeoutMs: 300_000,
      intervalMs: 100,
    });
    assert.ok(existsSync(this.stackFile), `harness up exited ${this.child.exitCode}:\n${this.stderr}`);
  }

  /**
   * Waits until some process has been seen under the harness; fails at once if the harness exits first. A
   * service's "starting" line comes just before its first process is spawned, so an interrupt sent on the line
   * alone can land before there is anything to leave behind (seen once in a full run on the 2-core machine).
   */
  async waitForAProcess(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        this.#snapshot();
        if (this.seen.size > 0) return true;
        if (this.child.exitCode !== null) throw new Error(`harness exited ${this.child.exitCode}:\n${this.stderr}`);
        return undefined;
      },
      { what: 'a process under harness up', timeoutMs, intervalMs: 10 },
    );
  }

  /** Temp directories of services seen under this harness (their working directory or log file). */
  workDirs(): string[] {
    const dirs = new Set<string>();
    for (const p of this.seen.values()) {
      for (const path of p.paths) {
        const rel = relative(tmpdir(), path);
        const first = rel.split(sep)[0] ?? '';
        if (!rel.startsWith('..') && first.startsWith(WORK_DIR_PREFIX)) dirs.add(join(tmpdir(), first));
      }
    }
    return [...dirs];
  }

  /** Asserts that no process that ran under this harness is left, nor its process group, nor its temp dirs. */
  assertNothingLeft(extraDirs: string[] = []): void {
    for (const p of this.seen.values()) {
      assert.equal(stillRunning(p), false, `pid ${p.pid} (${p.paths.join(', ')}) still runs`);
      // Services lead their own process groups; short helpers (initdb) share the harness's, i.e. the test's.
      if (p.pgid === p.pid) assert.equal(groupRunning(p.pgid), false, `process group ${p.pgid} still has members`);
    }
    for (const dir of [...this.workDirs(), ...extraDirs]) assert.equal(existsSync(dir), false, `${dir} is still there`);
  }

  /** Kills the harness if it still runs and removes its folder: `using up = new HarnessUp()`, whatever the test did. */
  [Symbol.dispose](): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    rmSync(this.cwd, { recursive: true, force: true });
  }
}

test('harness up --stack local writes stack.json, and Ctrl-C stops every process and removes every temp dir', {
  skip,
}, async () => {
  using up = new HarnessUp();
  await up.waitForStackFile();
  const info = JSON.parse(readFileSync(up.stackFile, 'utf8')) as StackInfo;
  assert.deepEqual(Object.keys(info), [
    'mode',
    'runId',
    'ownerPid',
    'apiUrl',
    'postgresUrl',
    'redisUrl',
    'prometheusUrl',
    'pushgatewayUrl',
    'startedAt',
    'services',
  ]);
  assert.equal(info.mode, 'local');
  const ready = await fetch(`${info.apiUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
  assert.equal(ready.status, 200);
  const state = JSON.parse(readFileSync(up.stateFile(info.runId), 'utf8')) as RunStateRecord;
  assert.equal(state.ownerPid, up.child.pid);
  // Every process the local stack runs is on record, the OTLP span receiver included (local-stack.stack.test.ts
  // pins the list of services itself).
  assert.deepEqual(state.processes.map((p) => p.name).sort(), info.services.map((s) => s.name).sort());
  for (const p of state.processes) {
    up.seen.set(`${p.pid}/${p.startTicks}`, { pid: p.pid, startTicks: p.startTicks, pgid: p.pid, paths: [] });
  }

  up.child.kill('SIGINT');
  assert.equal(await up.exited, 0, up.stderr);
  assert.equal(existsSync(up.stackFile), false, 'stack.json is still there');
  assert.equal(existsSync(up.stateFile(info.runId)), false, 'the run state file is still there');
  up.assertNothingLeft(state.workDirs);
});

for (const moment of ['postgres: starting', 'api: starting']) {
  test(`Ctrl-C while services are starting (at "${moment}") leaves no process and no temp dir`, { skip }, async () => {
    using up = new HarnessUp();
    await up.waitForOutput(moment);
    await up.waitForAProcess();
    up.child.kill('SIGINT');
    const code = await up.exited;
    assert.equal(code, 130, `an interrupted start exits 130:\n${up.stderr}`);
    assert.equal(existsSync(up.stackFile), false);
    up.assertNothingLeft();
    assert.ok(up.seen.size > 0, 'no process was seen: the interrupt came too early to test anything');
  });
}

test('a second Ctrl-C while the stack is stopping still stops every process and removes every temp dir', {
  skip,
}, async () => {
  using up = new HarnessUp();
  await up.waitForStackFile();
  up.child.kill('SIGINT');
  await up.waitForOutput('stopping the stack');
  // The second signal lands during teardown: the harness must finish stopping, not walk away.
  up.child.kill('SIGINT');
  const code = await up.exited;
  assert.equal(code, 130, `a second Ctrl-C exits 130:\n${up.stderr}`);
  assert.ok(up.seen.size > 0, 'no process was seen under the harness');
  up.assertNothingLeft();
});

test('harness down stops the stack that harness up runs', { skip }, async () => {
  using up = new HarnessUp();
  await up.waitForOutput(' up (local)');
  await waitFor(async () => (existsSync(up.stackFile) ? true : undefined), { what: 'stack.json', timeoutMs: 30_000 });
  const down = await new Promise<{ code: number | null; out: string }>((resolve) => {
    execFile(process.execPath, [HARNESS, 'down'], { cwd: up.cwd, timeout: 180_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, out: stdout + stderr }),
    );
  });
  assert.equal(down.code, 0, down.out);
  assert.match(down.out, /stack \w+ stopped/);
  assert.equal(await up.exited, 0, up.stderr);
  assert.equal(existsSync(up.stackFile), false);
  up.assertNothingLeft();
});
