// Shared pointers of concurrent runs (issue #15 point 5): a run that stops never hands the pointer to a run whose
// owner process is gone, asked of the real OS with the pid of a child that has ended. The rest of the pointer's
// rules: run-pointer.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { publish, withdraw } from './run-pointer.ts';

/** The pid of a process that has ended, so that "is its owner alive" is answered no by the real OS. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
};

test('a pointer is never handed to a run whose owner process is gone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-pointer-test-'));
  try {
    const shared = join(dir, 'stack.json');
    publish(shared, { runId: 'crashed', ownerPid: deadPid(), startedAt: '2026-01-01T00:00:05Z' });
    publish(shared, { runId: 'mine', ownerPid: process.pid, startedAt: '2026-01-01T00:00:06Z' });
    withdraw(shared, 'mine');
    assert.equal(existsSync(shared), false, 'the crashed run left a file, but nobody serves it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
