// Issue #15 point 7: a run id from the command line is one safe path segment. The CLI and the library refusing an
// unsafe one before anything is written or sent: cli/run-id.int.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSafeRunId } from './run-id.ts';

test('safe run ids: one path segment of letters, digits, -, _ and .', () => {
  for (const good of ['load-1a2b', 'nightly_2026.11.30', 'A', 'x..y']) assert.equal(isSafeRunId(good), true, good);
  for (const bad of ['', '.', '..', 'a/b', '../../x', '/tmp/x', 'a\\b', 'a b', 'a\0b', 'é', 'x'.repeat(129)]) {
    assert.equal(isSafeRunId(bad), false, JSON.stringify(bad));
  }
});
