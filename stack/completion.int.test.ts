// waitForCompletion: the one run-to-completion of a child (Artillery, Playwright, allure generate), with real
// child processes: one that ends by itself keeps its exit code, one that outlives the deadline is stopped.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ManagedProcess, waitForCompletion } from './process.ts';

const dir = mkdtempSync(join(tmpdir(), 'completion-'));

test('a child that ends by itself keeps its exit code, and the deadline is not called', async () => {
  const child = await ManagedProcess.start({
    name: 'exits-3',
    command: process.execPath,
    args: ['-e', 'process.exit(3)'],
    logFile: join(dir, 'exits.log'),
  });
  let told = false;
  const run = await waitForCompletion(child, 60_000, () => {
    told = true;
  });
  assert.deepEqual(run, { exit: { code: 3, signal: null }, timedOut: false });
  assert.equal(told, false);
});

test('a child that outlives its deadline is told about, stopped, and reported as timed out', async () => {
  const child = await ManagedProcess.start({
    name: 'sleeps',
    command: process.execPath,
    args: ['-e', 'setTimeout(() => {}, 600_000)'],
    logFile: join(dir, 'sleeps.log'),
  });
  let told = false;
  const run = await waitForCompletion(child, 200, () => {
    told = true;
  });
  assert.equal(run.timedOut, true);
  assert.equal(told, true);
  assert.equal(run.exit.code === 0, false, `the child was stopped, not finished: ${JSON.stringify(run.exit)}`);
  assert.equal(child.running, false);
});
