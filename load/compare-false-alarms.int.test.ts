// The comparison's false-alarm rate, on generated samples whose truth is known: 50 healthy pairs shaped like a
// smoke run, and the 50 ms slowdown it must still catch. Pure, but some 10 s of block bootstraps (50 pairs x 12
// endpoints x 4000 replicates), so it runs in the integration tier, beside the others, not in the unit tier's
// one process (docs/conventions.md, "Tests"). The rest of compareRuns is compare.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderComparisonTable } from '../report/load/compare.ts';
import { compareRuns } from './compare.ts';
import { makeRun } from './testing/fake-runs.ts';

test('healthy pairs shaped like a smoke run pass: the false-alarm rate docs/load.md states', () => {
  // 50 pairs of 60 s runs, 12 endpoints at 0.5 to 6 requests/s with medians 3 to 43 ms, slowdowns shared by
  // whole seconds (burstiness 0.3). docs/load.md states "at most 2 %" for such pairs; a regression called
  // between two of them would be a false alarm outright. The 50 ms check below keeps the rule from passing
  // everything.
  const smokeLike = (id: string, seed: number, extra?: Record<string, number>) => {
    const samples = [];
    let median = 0;
    for (const rate of [6, 3, 1, 0.5]) {
      const endpoints: Record<string, number> = {};
      for (let k = 0; k < 3; k++) endpoints[`/e${rate}-${k}`] = 3 + ((median++ * 7) % 40);
      const run = makeRun(id, {
        seconds: 60,
        rate: Math.max(1, rate),
        endpoints,
        burstiness: 0.3,
        seed: seed * 10 + rate * 2,
        ...(extra ? { extra } : {}),
      });
      samples.push(...(rate < 1 ? run.samples.filter((_, j) => j % 2 === 0) : run.samples));
    }
    return { runId: id, dir: `/nonexistent/${id}`, samples };
  };
  const pairs = 50;
  const notPassed: string[] = [];
  for (let p = 0; p < pairs; p++) {
    const c = compareRuns(smokeLike('a', 2 * p + 1), smokeLike('b', 2 * p + 2));
    if (c.verdict !== 'no-significant-difference') notPassed.push(`pair ${p}: ${c.verdict}: ${c.reasons.join('; ')}`);
    assert.notEqual(c.verdict, 'regression', notPassed.at(-1));
  }
  assert.ok(notPassed.length <= pairs * 0.02, notPassed.join('\n'));
  const slow = compareRuns(smokeLike('a', 1001), smokeLike('b', 1002, { '/e6-1': 50 }));
  assert.equal(slow.verdict, 'regression', renderComparisonTable(slow));
  assert.match(slow.reasons.join('\n'), /regression: \/e6-1 p50/);
});
