// waitForCompletion: the one run-to-completion of a child (Artillery, Playwright, allure generate), with real
// child processes: one that ends by itself keeps its exit code, one that outlives the deadline is stopped.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ManagedProcess, waitForCompletion } from './process.ts';

const dir = mkdtempSync(join(tmpdir(), 'completion-'));

/** Runs `node -e script` to completion within `deadlineMs`; `told` is whether the deadline's callback was called. */
async function runNode(name: string, script: string, deadlineMs: number) {
  const child = await ManagedProcess.start({
    name,
    command: process.execPath,
    args: ['-e', script],
    logFile: join(dir, `${name}.log`),
  });
  let told = false;
  const run = await waitForCompletion(child, deadlineMs, () => {
    told = true;
  });
  return { child, run, told };
}

test('a child that ends by itself keeps its exit code, and the deadline is not called', async () => {
  const { run, told } = await runNode('exits-3', 'process.exit(3)', 60_000);
  assert.deepEqual(run, { exit: { code: 3, signal: null }, timedOut: false });
  assert.equal(told, false);
});

test('a child that outlives its deadline is told about, stopped, and reported as timed out', async () => {
  const { child, run, told } = await runNode('sleeps', 'setTimeout(() => {}, 600_000)', 200);
  assert.equal(run.timedOut, true);
  assert.equal(told, true);
  assert.equal(run.exit.code === 0, false, `the child was stopped, not finished: ${JSON.stringify(run.exit)}`);
  assert.equal(child.running, false);
});
