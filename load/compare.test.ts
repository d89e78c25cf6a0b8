// The comparison's statistics on generated samples whose truth is known (the real-run demonstration is in
// compare.real.test.ts): same distribution -> no significant difference; +50 ms on one endpoint -> that
// endpoint, and only it, flagged; 20 s runs -> not enough data, inconclusive; and the block bootstrap widens
// its intervals when slow stretches come in blocks (as on a shared machine), where a per-request bootstrap
// would not. Samples come from a seeded generator, so every run of these tests sees the same numbers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Cell, compareRuns, comparisonExitCode, OVERALL, renderComparisonTable } from './compare.ts';
import { makeRun } from './testing/fake-runs.ts';

const ENDPOINTS = { '/api/market/overview': 8, '/api/market/quotes': 12, '/api/charts/kline/:symbol': 20 };
const cell = (c: ReturnType<typeof compareRuns>, endpoint: string, metric: Cell['metric']): Cell =>
  c.rows.find((r) => r.endpoint === endpoint)!.cells.find((x) => x.metric === metric)!;

describe('compareRuns', () => {
  test('two runs from the same distribution show no significant difference', () => {
    const a = makeRun('a', { seconds: 90, rate: 20, endpoints: ENDPOINTS, burstiness: 0.1, seed: 1 });
    const b = makeRun('b', { seconds: 90, rate: 20, endpoints: ENDPOINTS, burstiness: 0.1, seed: 2 });
    const c = compareRuns(a, b);
    assert.equal(c.verdict, 'no-significant-difference', renderComparisonTable(c));
    assert.equal(comparisonExitCode(c), 0);
    for (const row of c.rows) {
      for (const x of row.cells) assert.notEqual(x.verdict, 'regression', `${row.endpoint} ${x.metric}`);
    }
  });

  test('50 ms added to one endpoint flags that endpoint and no other', () => {
    const a = makeRun('a', { seconds: 90, rate: 20, endpoints: ENDPOINTS, burstiness: 0.1, seed: 3 });
    const b = makeRun('b', {
      seconds: 90,
      rate: 20,
      endpoints: ENDPOINTS,
      burstiness: 0.1,
      seed: 4,
      extra: { '/api/market/quotes': 50 },
    });
    const c = compareRuns(a, b);
    assert.equal(c.verdict, 'regression');
    assert.equal(comparisonExitCode(c), 1);
    for (const metric of ['p50', 'p95', 'p99'] as const) {
      const x = cell(c, '/api/market/quotes', metric);
      assert.equal(x.verdict, 'regression', `quotes ${metric}: ${JSON.stringify(x)}`);
      // The interval holds the true shift's neighbourhood: +50 ms on every request moves each quantile by 50 ms.
      assert.ok(x.interval![0] < 50 + 5 && x.interval![1] > 50 - 5, `quotes ${metric} interval ${x.interval}`);
    }
    for (const endpoint of ['/api/market/overview', '/api/charts/kline/:symbol']) {
      for (const x of c.rows.find((r) => r.endpoint === endpoint)!.cells) {
        assert.notEqual(x.verdict, 'regression', `${endpoint} ${x.metric} flagged: ${JSON.stringify(x)}`);
      }
    }
  });

  test('runs too short to tell are inconclusive, saying there is not enough data', () => {
    const a = makeRun('a', { seconds: 20, rate: 5, endpoints: ENDPOINTS, seed: 5 });
    const b = makeRun('b', {
      seconds: 20,
      rate: 5,
      endpoints: ENDPOINTS,
      seed: 6,
      extra: { '/api/market/quotes': 50 },
    });
    const c = compareRuns(a, b);
    assert.equal(c.verdict, 'inconclusive');
    assert.equal(comparisonExitCode(c), 2);
    assert.equal(cell(c, OVERALL, 'p95').verdict, 'not-enough-data');
    assert.match(
      c.reasons.join('\n'),
      /not enough data to tell: .* run A spans 4 blocks of 5 s; at least 6 are needed/,
    );
  });

  test('a P99 from too few requests is not judged, though P50 of the same requests is', () => {
    const a = makeRun('a', { seconds: 60, rate: 3, endpoints: { '/api/market/overview': 8 }, seed: 7 });
    const b = makeRun('b', { seconds: 60, rate: 3, endpoints: { '/api/market/overview': 8 }, seed: 8 });
    const c = compareRuns(a, b);
    // 180 requests: P99 needs 1000 (10 beyond the quantile), P95 needs 200, P50 needs 20.
    assert.equal(cell(c, OVERALL, 'p99').verdict, 'not-enough-data');
    assert.match(cell(c, OVERALL, 'p99').reason!, /has 180 requests; p99 needs at least 1000/);
    assert.equal(cell(c, OVERALL, 'p95').verdict, 'not-enough-data');
    assert.notEqual(cell(c, OVERALL, 'p50').verdict, 'not-enough-data');
  });

  test('slow stretches that come in blocks widen the interval (the reason for a block bootstrap)', () => {
    const shape = { seconds: 90, rate: 20, endpoints: { '/api/market/quotes': 12 } };
    const calm = compareRuns(makeRun('a', { ...shape, seed: 9 }), makeRun('b', { ...shape, seed: 10 }));
    const bursty = compareRuns(
      makeRun('a', { ...shape, burstiness: 0.5, seed: 9 }),
      makeRun('b', { ...shape, burstiness: 0.5, seed: 10 }),
    );
    const width = (c: ReturnType<typeof compareRuns>) => {
      const [lo, hi] = cell(c, OVERALL, 'p95').interval!;
      return hi - lo;
    };
    assert.ok(width(bursty) > 2 * width(calm), `bursty ${width(bursty)} vs calm ${width(calm)}`);
  });

  test('the same two runs always give the same intervals (seeded)', () => {
    const a = makeRun('a', { seconds: 60, rate: 20, endpoints: ENDPOINTS, seed: 11 });
    const b = makeRun('b', { seconds: 60, rate: 20, endpoints: ENDPOINTS, seed: 12 });
    assert.deepEqual(compareRuns(a, b).rows, compareRuns(a, b).rows);
  });

  test('throughput that cannot be told apart (a ramping schedule) does not decide; latencies do', () => {
    // The same latencies; B's arrivals ramp: every other 5 s block has three times the requests, as the
    // profiles' ramp phases make some blocks busier than others. Mean throughput is about the same.
    const a = makeRun('a', { seconds: 90, rate: 20, endpoints: ENDPOINTS, burstiness: 0.1, seed: 15 });
    const b = makeRun('b', { seconds: 90, rate: 20, endpoints: ENDPOINTS, burstiness: 0.1, seed: 16 });
    const t0 = Math.min(...b.samples.map((x) => x.t));
    const quiet = (t: number) => Math.floor((t - t0) / 5000) % 2 === 0;
    b.samples = b.samples.filter((x, i) => !quiet(x.t) || i % 2 === 0);
    b.samples.push(...b.samples.filter((x) => !quiet(x.t)).map((x) => ({ ...x, t: x.t + 1 })));
    const c = compareRuns(a, b);
    const table = renderComparisonTable(c);
    assert.equal(cell(c, OVERALL, 'throughput').verdict, 'inconclusive', table);
    assert.equal(cell(c, OVERALL, 'p95').verdict, 'within-margin', table);
    assert.equal(c.verdict, 'no-significant-difference', table);
    assert.match(c.reasons[0]!, /throughput figures could not be told apart/);
  });

  test('fewer requests served and more errors are regressions too', () => {
    const a = makeRun('a', { seconds: 60, rate: 20, endpoints: { '/api/market/quotes': 12 }, seed: 13 });
    const b = makeRun('b', { seconds: 60, rate: 10, endpoints: { '/api/market/quotes': 12 }, seed: 14 });
    // One request in five fails, spread over the whole run.
    b.samples.forEach((s, i) => {
      if (i % 5 === 0) s.status = 503;
    });
    const c = compareRuns(a, b);
    assert.equal(cell(c, OVERALL, 'throughput').verdict, 'regression');
    assert.equal(cell(c, OVERALL, 'errorShare').verdict, 'regression');
  });
});
