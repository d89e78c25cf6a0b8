// The process tree as /proc shows it, seen from this very test process (the unit tier starts no child).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { descendants, groupRunning, stillRunning } from './process-tree.ts';
import { processStartTicks } from './state.ts';

test('descendants of the parent include this process, with its process group and working directory', () => {
  const self = descendants(process.ppid).find((p) => p.pid === process.pid);
  assert.ok(self, `pid ${process.pid} not among the descendants of ${process.ppid}`);
  assert.equal(self.startTicks, processStartTicks(process.pid));
  assert.ok(self.paths.includes(process.cwd()), `paths: ${self.paths.join(', ')}`);
  assert.ok(Number.isInteger(self.pgid) && self.pgid > 0, `pgid ${self.pgid}`);
  assert.equal(groupRunning(self.pgid), true);
});

test('stillRunning knows this process by its start time, and not a later one given the same pid', () => {
  const ticks = processStartTicks(process.pid);
  assert.equal(stillRunning({ pid: process.pid, startTicks: ticks }), true);
  assert.equal(stillRunning({ pid: process.pid }), true);
  // Same pid, another start time: a process the OS gave this pid later is not the one that was noted.
  assert.equal(stillRunning({ pid: process.pid, startTicks: (ticks ?? 0) + 1 }), false);
});
