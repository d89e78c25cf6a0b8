// Shared pointers of concurrent runs (issue #15 point 5), on a real file system: a run publishes its own file
// and the pointer; a run that stops never removes another run's pointer, and hands its own to a run still alive
// (never to one whose owner has ended: run-pointer.int.test.ts, which needs a real ended process).
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { linkLatest, publish, runScopedPath, withdraw } from './run-pointer.ts';

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { runId: string };

test('two runs: each keeps its own file; the stack.json pointer survives the other run stopping', () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-pointer-test-'));
  try {
    const shared = join(dir, 'stack.json');
    publish(shared, { runId: 'a', ownerPid: process.pid, startedAt: '2026-01-01T00:00:00Z' });
    publish(shared, { runId: 'b', ownerPid: process.pid, startedAt: '2026-01-01T00:00:01Z' });
    assert.equal(read(shared).runId, 'b', 'the newest run is the pointer');
    assert.equal(read(runScopedPath(shared, 'a')).runId, 'a');
    assert.equal(read(runScopedPath(shared, 'b')).runId, 'b');

    withdraw(shared, 'a'); // a stops: b's pointer stays exactly as it was.
    assert.equal(read(shared).runId, 'b');
    assert.equal(existsSync(runScopedPath(shared, 'a')), false);

    publish(shared, { runId: 'c', ownerPid: process.pid, startedAt: '2026-01-01T00:00:02Z' });
    withdraw(shared, 'c'); // c owned the pointer and stops: it goes back to b, which is alive.
    assert.equal(read(shared).runId, 'b');

    withdraw(shared, 'b'); // the last run stops: no pointer left.
    assert.equal(existsSync(shared), false);
    assert.equal(existsSync(join(dir, 'runs', 'b')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('linkLatest replaces a link atomically and keeps a file of the old layout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-pointer-test-'));
  try {
    for (const run of ['r1', 'r2']) mkdirSync(join(dir, 'runs', run, 'playwright-report'), { recursive: true });
    const shared = join(dir, 'playwright-report');
    assert.equal(linkLatest(shared, join(dir, 'runs', 'r1', 'playwright-report')), true);
    assert.equal(linkLatest(shared, join(dir, 'runs', 'r2', 'playwright-report')), true);
    assert.equal(readlinkSync(shared), join('runs', 'r2', 'playwright-report'));
    const old = join(dir, 'e2e-junit.xml');
    writeFileSync(old, 'a file of the old layout');
    assert.equal(linkLatest(old, join(dir, 'runs', 'r2', 'e2e-junit.xml')), true);
    assert.equal(lstatSync(old).isSymbolicLink(), true);
    const kept = readdirSync(join(dir, 'runs')).find((name) => name.startsWith('before-run-ids-'));
    assert.ok(kept, 'the old file was moved, not deleted');
    assert.equal(readFileSync(join(dir, 'runs', kept, 'e2e-junit.xml'), 'utf8'), 'a file of the old layout');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
