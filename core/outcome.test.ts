import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExitCode, exitCodeOf, HarnessError, VERDICTS, verdictWord, worstVerdict } from './outcome.ts';

test('each verdict has one exit code and one word: pass 0, fail 1, inconclusive 2', () => {
  assert.deepEqual(
    VERDICTS.map((v) => [v, exitCodeOf(v), verdictWord(v)]),
    [
      ['pass', 0, 'PASS'],
      ['fail', 1, 'FAIL'],
      ['inconclusive', 2, 'INCONCLUSIVE'],
    ],
  );
});

test('the exit code of several verdicts is that of the worst: a breach (1) outranks an unknown (2)', () => {
  // The run's code is exitCodeOf(worstVerdict(...)), as cli/harness.ts and verify do it; not the largest number.
  assert.equal(exitCodeOf(worstVerdict(['pass', 'inconclusive', 'fail'])), 1);
  assert.equal(exitCodeOf(worstVerdict(['inconclusive', 'pass'])), 2);
  assert.equal(exitCodeOf(worstVerdict(['pass', 'pass'])), 0);
  assert.equal(exitCodeOf(worstVerdict([])), 0);
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
