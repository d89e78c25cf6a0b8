// Old verify runs are pruned, and only those: a run still going on (no verify.json yet) and other commands'
// folders stay, whatever their age; the newest finished runs are kept.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { KEEP_RUNS, keepRunsFrom, pruneRuns } from './paths.ts';

/** A run folder; finished ones get a verify.json dated `minutesAgo` back. */
function makeRun(dir: string, name: string, minutesAgo?: number): void {
  const run = join(dir, 'runs', name);
  mkdirSync(join(run, 'allure-report'), { recursive: true });
  writeFileSync(join(run, 'allure-report', 'index.html'), '<html></html>');
  if (minutesAgo === undefined) return;
  writeFileSync(join(run, 'verify.json'), '{}');
  const time = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(join(run, 'verify.json'), time, time);
}

describe('pruneRuns', () => {
  test('keeps the newest finished verify runs, and every unfinished run and other folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-prune-'));
    makeRun(dir, 'verify-oldest', 50);
    makeRun(dir, 'verify-old', 40);
    makeRun(dir, 'verify-middle', 30);
    makeRun(dir, 'verify-newer', 20);
    makeRun(dir, 'verify-newest', 10);
    makeRun(dir, 'verify-going-on'); // started long ago, no verify.json yet
    makeRun(dir, 'e2e-abc'); // `harness e2e`'s folder
    makeRun(dir, 'up-def');
    const removed = pruneRuns(dir, 2);
    assert.deepEqual(
      removed.map((path) => path.split('/').at(-1)),
      ['verify-middle', 'verify-old', 'verify-oldest'],
    );
    assert.deepEqual(readdirSync(join(dir, 'runs')).sort(), [
      'e2e-abc',
      'up-def',
      'verify-going-on',
      'verify-newer',
      'verify-newest',
    ]);
  });

  test('0 keeps every run, and a reports folder without runs is fine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-prune-'));
    assert.deepEqual(pruneRuns(dir, 2), []);
    makeRun(dir, 'verify-a', 5);
    makeRun(dir, 'verify-b', 4);
    assert.deepEqual(pruneRuns(dir, 0), []);
    assert.equal(readdirSync(join(dir, 'runs')).length, 2);
  });

  test('HARNESS_KEEP_RUNS is a whole number; anything else names the variable', () => {
    assert.equal(keepRunsFrom(undefined), KEEP_RUNS);
    assert.equal(keepRunsFrom(''), KEEP_RUNS);
    assert.equal(keepRunsFrom('0'), 0);
    assert.equal(keepRunsFrom('5'), 5);
    for (const bad of ['-1', '2.5', 'all', '1e400']) {
      assert.throws(() => keepRunsFrom(bad), /HARNESS_KEEP_RUNS must be a whole number .*got "/, bad);
    }
  });
});
