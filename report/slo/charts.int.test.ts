// The SLO charts against a real Prometheus filled by promtool with slo/testing/datasets.ts (samples every
// 60 s). The curves must be exactly Prometheus' own range answers (asked here over plain HTTP, not through the
// client under test), and the SVG must draw exactly those values (read back through its axis labels).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PrometheusClient } from '../../slo/evaluate/prometheus.ts';
import { resolution, type SliSeries, serviceQueries, serviceSeries, sliSeries } from '../../slo/evaluate/range.ts';
import { loadSloConfig } from '../../slo/load.ts';
import type { SloModel } from '../../slo/model/model.ts';
import { type BackfilledPrometheus, startBackfilledPrometheus, toOpenMetrics } from '../../slo/testing/backfill.ts';
import { PHASES, referenceFamilies, T0 } from '../../slo/testing/datasets.ts';
import { readSvgSeries, seriesPoints } from '../../slo/testing/svg-series.ts';
import { freePort } from '../../stack/ports.ts';
import { cacheSvg, dbSvg, sloGrids, sloSvg, trendSvg } from './charts.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
let prometheus: BackfilledPrometheus;
let seed: SloModel;
// The healthy hour, scraped every 60 s: step 60 s, each point over the 4 minutes before it.
const start = new Date(T0 * 1000);
const end = new Date(PHASES.healthy * 1000);
const SCRAPE = 60;

before(async () => {
  prometheus = await startBackfilledPrometheus(toOpenMetrics(referenceFamilies()));
  seed = (await loadSloConfig(join(repoRoot, 'slo', 'slo-config.yaml'))).model;
});

after(async () => {
  await prometheus?.stop();
});

/** Prometheus' own answer to a range query, over plain HTTP: series -> [t, value][]. */
async function raw(query: string): Promise<[number, number][][]> {
  const url = new URL('/api/v1/query_range', prometheus.url);
  url.search = new URLSearchParams({
    query,
    start: String(T0),
    end: String(PHASES.healthy),
    step: String(SCRAPE),
  }).toString();
  const body = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as {
    data: { result: { values: [number, string][] }[] };
  };
  return body.data.result.map((s) => s.values.map(([t, v]) => [t, Number(v)] as [number, number]));
}

const close = (actual: number, expected: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= Math.max(1e-6, Math.abs(expected) * 0.002),
    `${what}: ${actual} != ${expected}`,
  );

/** The drawn points of series 0 in the SLI panel, x back in seconds since the epoch. */
function drawnSli(svg: string, kind: SliSeries['kind']): [number, number][] {
  const g = sloGrids(kind)[0]!;
  const points = seriesPoints(readSvgSeries(svg, { top: g.top, bottom: g.top + g.height }), 0);
  return points.map((p) => [p.x + T0, p.y]);
}

describe('SLO charts from Prometheus range queries', () => {
  let series: SliSeries[];
  const byName = (name: string) => series.find((s) => s.name === name)!;

  before(async () => {
    series = await sliSeries(seed, { prometheusUrl: prometheus.url, start, end, scrapeSeconds: SCRAPE });
  });

  it('steps at the scrape interval and rolls over four scrapes, growing the step for long windows', () => {
    assert.deepEqual(resolution(start, end, SCRAPE), { stepSeconds: 60, rollingMs: 240_000 });
    // 3 h at 1 s would be 10 800 points: the step grows to keep at most 600.
    assert.deepEqual(resolution(new Date(0), new Date(3 * 3600_000), 1), { stepSeconds: 18, rollingMs: 36_000 });
  });

  it('draws a threshold SLI as Prometheus answers it, in ms, against its bound', async () => {
    const latency = byName('latency-p95');
    assert.equal(latency.problem, undefined);
    assert.equal(
      latency.queries[0],
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="mystocks-api",endpoint!="/healthz"}[4m])))',
    );
    const [answer] = await raw(latency.queries[0]!);
    const expected = answer!.filter(([, v]) => Number.isFinite(v));
    assert.ok(expected.length >= 55, `points in the hour: ${expected.length}`);
    assert.deepEqual(latency.sli, expected);
    const svg = sloSvg(latency, start);
    const drawn = drawnSli(svg, 'threshold');
    assert.equal(drawn.length, expected.length);
    drawn.forEach(([t, v], i) => {
      close(t, expected[i]![0], `t of point ${i}`);
      close(v, expected[i]![1] * 1000, `P95 ms of point ${i}`);
    });
    assert.match(svg, /objective &lt;= 300 ms|objective <= 300 ms/);
  });

  it('draws a ratio SLI as 1 - bad/total of the range answers and its budget consumed since the start', async () => {
    const errors = byName('error-rate');
    assert.equal(errors.problem, undefined);
    const [bad] = await raw(errors.queries[0]!);
    const [total] = await raw(errors.queries[1]!);
    const badAt = new Map(bad!);
    const expected = total!
      .filter(([t, v]) => v > 0 && badAt.has(t))
      .map(([t, v]) => [t, 100 * (1 - badAt.get(t)! / v)] as [number, number]);
    assert.equal(errors.sli.length, expected.length);
    errors.sli.forEach(([t, v], i) => {
      assert.equal(t, expected[i]![0]);
      close(v, expected[i]![1], `SLI at ${t}`);
    });
    // Budget consumed at each point: the running sums of the answers (range.ts' formula, by hand here).
    let badSum = 0;
    let totalSum = 0;
    const consumedExpected = total!.map(([t, v]) => {
      badSum += badAt.get(t) ?? 0;
      totalSum += v;
      return [t, (badSum / totalSum / 0.001) * ((t - T0) / (30 * 86400))] as [number, number];
    });
    errors.budgetConsumed!.forEach(([t, v], i) => {
      assert.equal(t, consumedExpected[i]![0]);
      close(v, consumedExpected[i]![1], `budget consumed at ${t}`);
    });
    // And near the verdict's figure: 5 of 10 000 requests failed in the hour, error ratio 0.0005, burn rate
    // 0.5, one hour of a 30-day period: 0.5 / 720 = 0.000694. Near, not equal: the data set's last failure
    // is its last sample, which only one rolling window (not four) sees, so the curve ends ~15 % low.
    const consumed = errors.budgetConsumed!.at(-1)![1];
    assert.ok(Math.abs(consumed - 0.5 / 720) / (0.5 / 720) < 0.2, `budget consumed at the end: ${consumed}`);
    const drawn = drawnSli(sloSvg(errors, start), 'ratio');
    assert.equal(drawn.length, expected.length);
    drawn.forEach(([, v], i) => {
      close(v, expected[i]![1], `drawn SLI ${i}`);
    });
  });

  it('draws cache hit rate by level and DB P95 by operation as Prometheus answers them', async () => {
    const service = await serviceSeries({ prometheusUrl: prometheus.url, start, end, scrapeSeconds: SCRAPE });
    assert.deepEqual(service.problems, []);
    const queries = serviceQueries(240_000);
    const svg = cacheSvg(service, start);
    const drawn = readSvgSeries(svg);
    for (const [i, level] of ['l1', 'l2'].entries()) {
      const [answer] = await raw(queries.cache[i]!);
      const expected = answer!.filter(([, v]) => Number.isFinite(v)).map(([t, v]) => [t, v * 100]);
      const points = seriesPoints(drawn, i);
      assert.equal(points.length, expected.length, level);
      points.forEach((p, k) => {
        close(p.y, expected[k]![1]!, `${level} point ${k}`);
      });
      // datasets.ts: L1 700 hits of 1000 lookups, L2 150 of 300: about 70 % and 50 % in every 4 minutes.
      const mean = points.reduce((sum, p) => sum + p.y, 0) / points.length;
      close(Math.round(mean), level === 'l1' ? 70 : 50, `${level} mean`);
    }
    const [db] = await raw(queries.db);
    const dbDrawn = seriesPoints(readSvgSeries(dbSvg(service, start, 100)), 0);
    const dbExpected = db!.filter(([, v]) => Number.isFinite(v));
    assert.equal(service.dbQueryP95ByOperation[0]!.operation, 'select');
    assert.equal(dbDrawn.length, dbExpected.length);
    dbDrawn.forEach((p, k) => {
      close(p.y, dbExpected[k]![1] * 1000, `DB P95 point ${k}`);
    });
  });

  it('says why an SLO has no curve instead of drawing an empty one as healthy', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const broken = await sliSeries(seed, { prometheusUrl: closed, start, end, scrapeSeconds: SCRAPE, retries: 0 });
    for (const s of broken) {
      assert.deepEqual(s.sli, []);
      assert.match(s.problem ?? '', new RegExp(`Prometheus at ${closed} did not answer`));
    }
    const client = new PrometheusClient({ url: prometheus.url, retries: 0 });
    const syntax = await client.queryRange('sum(', T0, PHASES.healthy, 60);
    assert.equal(syntax.kind, 'error');
    const empty = await client.queryRange('nothing_here_total', T0, PHASES.healthy, 60);
    assert.equal(empty.kind, 'no-data');
    assert.match(sloSvg(broken[0]!, start), /did not answer/);
  });

  it('draws an SLI trend across runs, a run without a figure as a gap', () => {
    const svg = trendSvg('latency-p95', 'seconds', { operator: '<=', value: 0.3 }, [
      { run: 'a', sli: 0.012 },
      { run: 'b', sli: null },
      { run: 'c', sli: 0.0453 },
      { run: 'd', sli: 0.31 },
    ]);
    const points = seriesPoints(readSvgSeries(svg), 0);
    assert.deepEqual(
      points.map((p) => p.index),
      [0, 2, 3],
    );
    points.forEach((p, k) => {
      close(p.y, [12, 45.3, 310][k]!, `trend point ${k}`);
    });
    close(points[1]!.x, 3, 'x of the third run');
  });
});
