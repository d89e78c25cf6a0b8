import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExitCode, exitCodeOf, HarnessError, VERDICTS, verdictOf, verdictWord, worstVerdict } from './outcome.ts';

test('each verdict maps to its exit code and back, and has one word', () => {
  assert.deepEqual(
    VERDICTS.map((v) => [v, exitCodeOf(v), verdictOf(exitCodeOf(v)), verdictWord(v)]),
    [
      ['pass', 0, 'pass', 'PASS'],
      ['fail', 1, 'fail', 'FAIL'],
      ['inconclusive', 2, 'inconclusive', 'INCONCLUSIVE'],
    ],
  );
});

test('a breach outranks an unknown, which outranks a pass; nothing judged is a pass', () => {
  assert.equal(worstVerdict(['pass', 'inconclusive', 'fail', 'pass']), 'fail');
  assert.equal(worstVerdict(['pass', 'inconclusive']), 'inconclusive');
  assert.equal(worstVerdict(['pass', 'pass']), 'pass');
  assert.equal(worstVerdict([]), 'pass');
});

test('a HarnessError is inconclusive unless it says otherwise, and keeps its cause', () => {
  const cause = new Error('ECONNREFUSED');
  const error = new HarnessError('Prometheus is unreachable', { cause });
  assert.equal(error.verdict, 'inconclusive');
  assert.equal(exitCodeOf(error.verdict), ExitCode.Inconclusive);
  assert.equal(error.cause, cause);
  assert.equal(new HarnessError('breached', { verdict: 'fail' }).verdict, 'fail');
});
