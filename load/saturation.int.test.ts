// The /proc sampler of the saturation read-out (load/saturation.ts) on real busy processes of ours: a busy process
// group (the load generator's place) and a busy child under an idle parent (PostgreSQL's tree under its postmaster).
// The rules that read its periods are saturation.test.ts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProcSampler } from './saturation.ts';

describe('ProcSampler', () => {
  test('reads the CPU of a busy process group of ours', async () => {
    // A busy loop bounded to 3 s, in its own process group, so the sampler sees it and nothing else.
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 3000; while (Date.now() < end) {}'], {
      detached: true,
      stdio: 'ignore',
    });
    try {
      const sampler = new ProcSampler([child.pid!]).start();
      await sleep(2_000);
      const readings = sampler.stop();
      assert.ok(readings.length >= 2, `${readings.length} readings`);
      const first = readings[0]!;
      const last = readings.at(-1)!;
      const cores = (last.groupSeconds - first.groupSeconds) / ((last.t - first.t) / 1000);
      // A busy loop uses up to one core; on a loaded machine it gets less, but never nothing.
      assert.ok(cores > 0.05 && cores <= 1.3, `busy loop measured at ${cores} cores`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test("reads PostgreSQL's CPU over the whole tree under its postmaster", async () => {
    // An idle parent (the postmaster's place) whose child is busy for 3 s: only the tree's CPU can show it.
    const busy = 'const end = Date.now() + 3000; while (Date.now() < end) {}';
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(busy)}]); setTimeout(() => {}, 4000)`,
      ],
      { detached: true, stdio: 'ignore' },
    );
    try {
      await sleep(300); // the child is started
      // No generator group: the generator reads nothing, PostgreSQL's tree is what is measured.
      const sampler = new ProcSampler([], { postgresPid: parent.pid! }).start();
      await sleep(2_000);
      const readings = sampler.stop();
      const first = readings[0]!;
      const last = readings.at(-1)!;
      assert.ok(last.postgres.size >= 2, `the root and its child: ${[...last.postgres.keys()].join(', ')}`);
      assert.ok(last.postgres.has(parent.pid!));
      const seconds = (last.t - first.t) / 1000;
      const used = [...last.postgres].map(([pid, cpu]) => (cpu - (first.postgres.get(pid) ?? 0)) / seconds);
      const hottest = Math.max(...used);
      assert.ok(hottest > 0.05 && hottest <= 1.3, `busy child measured at ${hottest} of a core`);
      assert.equal(last.groupSeconds, 0);
    } finally {
      process.kill(-parent.pid!, 'SIGKILL');
    }
  });
});
