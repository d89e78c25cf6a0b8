// The comparison's statistics on generated samples whose truth is known (the real-run demonstration is in
// compare.stack.test.ts): same distribution -> no significant difference; +50 ms on one endpoint -> that
// endpoint, and only it, flagged; 20 s runs -> not enough data, inconclusive; and the block bootstrap widens
// its intervals when slow stretches come in blocks (as on a shared machine), where a per-request bootstrap
// would not. Samples come from a seeded generator, so every run of these tests sees the same numbers. The
// false-alarm rate over 50 smoke-like pairs is compare-false-alarms.int.test.ts (10 s of bootstraps).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { renderComparisonTable } from '../report/load/compare.ts';
import { type Cell, compareRuns, comparisonVerdict, describeCell, loadRun, OVERALL, rowOutcome } from './compare.ts';
import { makeRun, writeRunFolder } from './testing/fake-runs.ts';

const ENDPOINTS = { '/api/market/overview': 8, '/api/market/quotes': 12, '/api/charts/kline/:symbol': 20 };
const cell = (c: ReturnType<typeof compareRuns>, endpoint: string, metric: Cell['metric']): Cell =>
  c.rows.find((r) => r.endpoint === endpoint)!.cells.find((x) => x.metric === metric)!;

describe('compareRuns', () => {
  test('two runs from the same distribution show no significant difference', () => {
    const a = makeRun('a', { seconds: 90, rate: 20, endpoints: ENDPOINTS, burstiness: 0.1, seed: 1 });
    const b = makeRun('b', { seconds: 90, rate: 20, endpoints: ENDPOINTS, burstiness: 0.1, seed: 2 });
    const c = compareRuns(a, b);
    assert.equal(c.verdict, 'no-significant-difference', renderComparisonTable(c));
    assert.equal(comparisonVerdict(c), 'pass');
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
    assert.equal(comparisonVerdict(c), 'fail');
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
    assert.equal(comparisonVerdict(c), 'inconclusive');
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

  test('a ramping schedule widens the throughput interval, and throughput is judged against what the pair can resolve', () => {
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
    const throughput = cell(c, OVERALL, 'throughput');
    // The configured 10 % of about 60 req/s is far inside what 5 s blocks of 1 and 3 times the rate can resolve.
    assert.ok(throughput.margin! > throughput.configuredMargin!, table);
    assert.equal(throughput.margin, throughput.resolution, table);
    assert.notEqual(throughput.verdict, 'regression', table);
    assert.equal(cell(c, OVERALL, 'p95').verdict, 'within-margin', table);
    assert.equal(c.verdict, 'no-significant-difference', table);
    assert.match(
      c.reasons[0]!,
      /no regression larger than the margins used: .*throughput [\d.]+ req\/s \(the smallest this pair can judge; configured [\d.]+\)/,
    );
  });

  test('a noisy healthy pair is judged against the margin it can resolve, and passes saying which', () => {
    // Slowdowns shared by whole seconds, as on a busy 2-core machine: the old rule (the configured margin alone)
    // called this pair "cannot tell", as it did 3 healthy comparisons out of 3 on this machine.
    const shape = { seconds: 60, rate: 20, endpoints: { '/api/market/quotes': 12, '/api/market/overview': 25 } };
    const a = makeRun('a', { ...shape, burstiness: 0.6, seed: 21 });
    const b = makeRun('b', { ...shape, burstiness: 0.6, seed: 22 });
    const c = compareRuns(a, b);
    const table = renderComparisonTable(c);
    const p95 = cell(c, OVERALL, 'p95');
    const [lo, hi] = p95.interval!;
    assert.ok(hi - lo > 2 * p95.configuredMargin!, `the interval is far wider than the configured margin\n${table}`);
    assert.ok(p95.resolution! >= hi - lo, table);
    assert.equal(p95.margin, p95.resolution, table);
    assert.equal(c.verdict, 'no-significant-difference', table);
    assert.equal(comparisonVerdict(c), 'pass');
    assert.match(
      c.reasons[0]!,
      new RegExp(`p95 ${p95.margin} ms \\(the smallest this pair can judge; configured ${p95.configuredMargin}\\)`),
    );
    assert.match(describeCell(p95), /margin [\d.]+ \(the smallest this pair can judge; configured [\d.]+\)/);
  });

  test('a thin endpoint is listed with its figures but never decides, however far it moved', () => {
    // 30 requests each: 60 ms on every one of them is plain in the table, and too few to decide (a P50 needs
    // 200). The busy endpoint beside it keeps the comparison judgeable.
    const busy = { seconds: 60, rate: 10, endpoints: { '/api/market/quotes': 12 } };
    const a = makeRun('a', { ...busy, seed: 23 });
    const b = makeRun('b', { ...busy, seed: 24 });
    const thinA = makeRun('a', { seconds: 60, rate: 1, endpoints: { '/api/export/:dataset.:format': 40 }, seed: 25 });
    const thinB = makeRun('b', {
      seconds: 60,
      rate: 1,
      endpoints: { '/api/export/:dataset.:format': 40 },
      extra: { '/api/export/:dataset.:format': 60 },
      seed: 26,
    });
    a.samples.push(...thinA.samples.filter((_, i) => i % 2 === 0));
    b.samples.push(...thinB.samples.filter((_, i) => i % 2 === 0));
    const c = compareRuns(a, b);
    const table = renderComparisonTable(c);
    const thin = c.rows.find((r) => r.endpoint === '/api/export/:dataset.:format')!;
    const p50 = thin.cells.find((x) => x.metric === 'p50')!;
    assert.equal(p50.decides, false, table);
    assert.notEqual(p50.verdict, 'not-enough-data', 'judged and listed');
    assert.ok(p50.difference! > 40, table);
    assert.equal(thin.cells.find((x) => x.metric === 'throughput')!.decides, false);
    assert.match(table, /\(listed, does not decide\)/);
    assert.deepEqual(rowOutcome(thin), { regressed: [], undecided: [] });
    assert.notEqual(c.verdict, 'inconclusive', table);
  });

  test('runs with too few requests for any figure to decide are inconclusive, never a pass', () => {
    const shape = { seconds: 60, rate: 1, endpoints: { '/api/market/quotes': 12 } };
    const c = compareRuns(makeRun('a', { ...shape, seed: 27 }), makeRun('b', { ...shape, seed: 28 }));
    assert.equal(c.verdict, 'inconclusive', renderComparisonTable(c));
    assert.match(
      c.reasons[0]!,
      /not enough data to tell: 60 and 60 requests; even a P50 needs 200 in each run to decide/,
    );
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

describe('loadRun', () => {
  test('a run id read from summary.json or given as a run is held to the --run-id rule', () => {
    const reports = mkdtempSync(join(tmpdir(), 'harness-load-run-'));
    try {
      const crafted = writeRunFolder(
        join(reports, 'crafted'),
        makeRun('../../outside', { seconds: 5, rate: 1, endpoints: { '/x': 5 }, seed: 31 }),
      );
      assert.throws(
        () => loadRun(crafted.dir, reports),
        /summary\.json: runId: '\.\.\/\.\.\/outside' is not a safe run id/,
      );
      assert.throws(() => loadRun('../elsewhere', reports), /run: '\.\.\/elsewhere' is not a safe run id/);
      const fine = writeRunFolder(
        join(reports, 'fine'),
        makeRun('fine-run', { seconds: 5, rate: 1, endpoints: { '/x': 5 }, seed: 32 }),
      );
      assert.equal(loadRun('fine', reports).runId, 'fine-run');
      assert.equal(loadRun(fine.dir, reports).samples.length, 5);
    } finally {
      rmSync(reports, { recursive: true, force: true });
    }
  });
});
