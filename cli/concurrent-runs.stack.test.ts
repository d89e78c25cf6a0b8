// Issue #15 points 5 and 6, with real stacks: two `harness up` runs and two `harness load` runs in ONE checkout
// and one working directory at the same time. Each keeps its own state and reports; reports/stack.json is a
// pointer that neither run deletes under the other; the two Artillery runs bundle their scripts apart
// (load/.runs/). Then a service of one stack is killed: that `harness up` says which, with its log tail, and
// exits 1, while the other run's stack and pointer stay.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RUN_SCRIPTS_DIR } from '../load/run-script.ts';
import { API_ENTRY } from '../stack/local/api.ts';
import type { RunStateRecord } from '../stack/state.ts';
import type { StackInfo } from '../stack/types.ts';
import { waitFor } from '../stack/wait.ts';

const HARNESS = fileURLToPath(new URL('./harness.ts', import.meta.url));
const skip = existsSync(API_ENTRY) ? false : `the reference API (${API_ENTRY}) is not there yet`;

/** A harness command in `cwd`, its output collected, its exit awaited. */
function harness(cwd: string, args: string[]): { child: ChildProcess; out: () => string; exited: Promise<number> } {
  const env = { ...process.env };
  delete env.HARNESS_STATE_DIR;
  delete env.HARNESS_REPORTS_DIR;
  const child = spawn(process.execPath, [HARNESS, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => (code as number | null) ?? (signal === null ? -1 : 128));
  return { child, out: () => out, exited };
}

function runIdOf(output: string): string {
  const id = /stack (\w+) is up/.exec(output)?.[1];
  assert.ok(id, `no run id in:\n${output}`);
  return id;
}

test('two harness up and two harness load runs in one checkout keep apart; a dead service ends its harness up', {
  skip,
  timeout: 900_000,
}, async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'harness-concurrent-test-'));
  const ups = [
    harness(cwd, ['up', '--stack', 'local', '--no-prometheus']),
    harness(cwd, ['up', '--stack', 'local', '--no-prometheus']),
  ];
  try {
    for (const up of ups) {
      await waitFor(
        async () => {
          if (/stack \w+ is up/.test(up.out())) return true;
          if (up.child.exitCode !== null) throw new Error(`harness up exited ${up.child.exitCode}:\n${up.out()}`);
          return undefined;
        },
        { what: 'harness up to be up', timeoutMs: 400_000, intervalMs: 200 },
      );
    }
    const [idA, idB] = ups.map((up) => runIdOf(up.out())) as [string, string];
    assert.notEqual(idA, idB);
    const own = (id: string) =>
      JSON.parse(readFileSync(join(cwd, 'reports', 'runs', id, 'stack.json'), 'utf8')) as StackInfo;
    const [stackA, stackB] = [own(idA), own(idB)];
    assert.notEqual(stackA.apiUrl, stackB.apiUrl, 'two stacks, two ports');
    const pointer = () => JSON.parse(readFileSync(join(cwd, 'reports', 'stack.json'), 'utf8')) as StackInfo;
    assert.ok([idA, idB].includes(pointer().runId));

    // Two load runs at once from this one checkout, one against each stack.
    const loads = [stackA, stackB].map((stack, i) =>
      harness(cwd, [
        'load',
        '--profile',
        'smoke',
        '--target',
        stack.apiUrl,
        '--duration',
        '5',
        '--warmup',
        '0',
        '--run-id',
        `concurrent-${i}`,
      ]),
    );
    const codes = await Promise.all(loads.map((l) => l.exited));
    for (const [i, code] of codes.entries()) {
      // 1 (a threshold broke on this busy machine) is a judged run; 2 would be a run that could not run at all.
      assert.ok(code === 0 || code === 1, `load ${i} exited ${code}:\n${loads[i]?.out()}`);
      const summary = JSON.parse(readFileSync(join(cwd, 'reports', 'load', `concurrent-${i}`, 'summary.json'), 'utf8'));
      assert.equal(summary.runId, `concurrent-${i}`);
      const report = JSON.parse(
        readFileSync(join(cwd, 'reports', 'load', `concurrent-${i}`, 'artillery.json'), 'utf8'),
      );
      assert.ok(report.aggregate.counters['http.requests'] > 0, `load ${i} sent no request`);
    }
    const leftovers = existsSync(RUN_SCRIPTS_DIR)
      ? readdirSync(RUN_SCRIPTS_DIR).filter((n) => n.startsWith('concurrent-'))
      : [];
    assert.deepEqual(leftovers, [], 'each load run removed its own bundle folder');

    // Kill the API of the run that owns the pointer: its harness up reports it and exits 1.
    const victimId = pointer().runId;
    const victim = ups[victimId === idA ? 0 : 1]!;
    const survivor = ups[victimId === idA ? 1 : 0]!;
    const survivorId = victimId === idA ? idB : idA;
    const state = JSON.parse(readFileSync(join(cwd, '.harness', 'runs', `${victimId}.json`), 'utf8')) as RunStateRecord;
    const api = state.processes.find((p) => p.name === 'api');
    assert.ok(api, 'the run state names the API process');
    process.kill(-api.pid, 'SIGKILL');
    assert.equal(await victim.exited, 1, victim.out());
    assert.match(victim.out(), /api \(pid \d+\) died while the stack was up; last lines of .*api\.log/);
    assert.equal(pointer().runId, survivorId, 'the pointer went to the run that is still up');
    const ready = await fetch(`${own(survivorId).apiUrl}/readyz`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(ready.status, 200, 'the other stack is untouched');

    survivor.child.kill('SIGTERM');
    assert.equal(await survivor.exited, 0, survivor.out());
    assert.equal(existsSync(join(cwd, 'reports', 'stack.json')), false, 'the last run removed the pointer');
  } finally {
    for (const up of ups) if (up.child.exitCode === null) up.child.kill('SIGTERM');
    await Promise.all(ups.map((up) => up.exited));
    rmSync(cwd, { recursive: true, force: true });
  }
});
