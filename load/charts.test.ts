// The load charts are checked by their data: each drawn point is read back out of the SVG through the axis
// labels (slo/testing/svg-series.ts) and compared with the run's period figures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSvgSeries, seriesPoints } from '../slo/testing/svg-series.ts';
import {
  JOURNEYS_SERIES,
  journeysSvg,
  LOAD_WINDOW_LAYOUT,
  LOAD_WINDOW_SERIES,
  loadWindowSvg,
  niceMax,
} from './charts.ts';
import { getProfile } from './profiles.ts';
import { findBreakpoint, type PeriodStats, summarizePeriods } from './report.ts';
import type { ThresholdSpec } from './thresholds.ts';

/** Six 10 s periods as Artillery reports them; the fourth has no answers (a gap in the latency curves). */
function periods(): PeriodStats[] {
  const t0 = Date.UTC(2026, 10, 30, 7, 0, 0);
  const rows = [
    { created: 20, requests: 120, p50: 8, p95: 21.5, p99: 40, errors: 0 },
    { created: 20, requests: 130, p50: 9, p95: 25, p99: 52.3, errors: 1 },
    { created: 30, requests: 190, p50: 12, p95: 60, p99: 95, errors: 0 },
    { created: 30, requests: 0, p50: null, p95: null, p99: null, errors: 0 },
    { created: 40, requests: 260, p50: 30, p95: 180, p99: 310, errors: 4 },
    { created: 40, requests: 255, p50: 41, p95: 220.7, p99: 402, errors: 2 },
  ];
  return rows.map(
    (r, i): PeriodStats => ({
      period: t0 + i * 10_000,
      counters: {
        'vusers.created': r.created,
        'http.requests': r.requests,
        'mystocks.server_errors': r.errors,
      },
      summaries: r.p95 === null ? {} : { 'http.response_time': { p50: r.p50 ?? 0, p95: r.p95, p99: r.p99 ?? 0 } },
    }),
  );
}

const close = (actual: number, expected: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= Math.max(0.02, Math.abs(expected) * 0.002),
    `${what}: ${actual} != ${expected}`,
  );

const band = (i: number) => {
  const g = LOAD_WINDOW_LAYOUT.grids[i]!;
  return { top: g.top, bottom: g.top + g.height };
};

describe('load charts', () => {
  const profile = getProfile('smoke');
  const summary = summarizePeriods(periods(), profile);
  const thresholds = [
    { name: 'latency-p95', limit: 300 },
    { name: 'error-rate', limit: 0.1 },
  ];

  it('draws request rate, P50/P95/P99 and error share of every period at its time, gaps where there is no answer', () => {
    const svg = loadWindowSvg({ periods: summary, thresholds });
    const panels = [band(0), band(1), band(2)];
    const read = (series: number, panel: number) => seriesPoints(readSvgSeries(svg, panels[panel]), series);
    const expectations: [number, number, (i: number) => number | null | undefined][] = [
      [0, 0, (i) => summary[i]!.requestsPerSecond],
      [1, 1, (i) => summary[i]!.p50Ms],
      [2, 1, (i) => summary[i]!.p95Ms],
      [3, 1, (i) => summary[i]!.p99Ms],
      [4, 2, (i) => summary[i]!.errorRatePct],
    ];
    for (const [series, panel, expected] of expectations) {
      const drawn = read(series, panel);
      const want = summary.map((_, i) => i).filter((i) => expected(i) !== null && expected(i) !== undefined);
      assert.deepEqual(
        drawn.map((p) => p.index),
        want,
        `${LOAD_WINDOW_SERIES[series]}: the points drawn are the periods with a figure`,
      );
      for (const p of drawn) {
        close(p.x, summary[p.index]!.atSeconds, `${LOAD_WINDOW_SERIES[series]} x of period ${p.index}`);
        close(p.y, expected(p.index)!, `${LOAD_WINDOW_SERIES[series]} y of period ${p.index}`);
      }
    }
    // Hand-computed from the rows: period 5 sent 260 requests in 10 s with 4 server errors.
    assert.equal(summary[4]!.requestsPerSecond, 26);
    assert.equal(summary[4]!.errorRatePct, 1.54);
    assert.match(svg, /P95 bound 300 ms/);
    assert.match(svg, /bound 0\.1 %/);
    assert.doesNotMatch(svg, /warm-up/);
  });

  it('shades the warm-up when the run has one', () => {
    const svg = loadWindowSvg({ periods: summary, thresholds, warmUpSeconds: 20 });
    assert.match(svg, />warm-up</);
  });

  it('draws a warm-up run before t = 0, shaded, and the judged periods where they were', () => {
    const warmup = summary.slice(0, 2).map((p) => ({ ...p, atSeconds: p.atSeconds - 30 }));
    const svg = loadWindowSvg({ periods: summary, thresholds, warmupBefore: { fromSeconds: -30, periods: warmup } });
    assert.match(svg, />warm-up</);
    const drawn = seriesPoints(readSvgSeries(svg, band(0)), 0);
    const want = [...warmup, ...summary];
    assert.equal(drawn.length, want.length);
    for (const p of drawn) {
      close(p.x, want[p.index]!.atSeconds, `requests/s x of point ${p.index}`);
      close(p.y, want[p.index]!.requestsPerSecond, `requests/s y of point ${p.index}`);
    }
  });

  it('draws journeys/s against the schedule and marks where a breakpoint run broke', () => {
    const breakpoint = getProfile('breakpoint');
    const specs: ThresholdSpec[] = [
      {
        name: 'latency-p95',
        kind: 'latency-p95',
        limit: 150,
        unit: 'ms',
        comparison: '<=',
        source: 'test',
      },
    ];
    const ramp = summarizePeriods(periods(), breakpoint);
    const b = findBreakpoint(periods(), breakpoint, specs);
    assert.equal(b.broke, true);
    assert.equal(b.atSeconds, 40);
    const svg = journeysSvg({ periods: ramp, thresholds, breakpoint: b });
    const drawn = readSvgSeries(svg);
    for (const [series, pick] of [
      [0, (i: number) => ramp[i]!.arrivalRate],
      [1, (i: number) => ramp[i]!.scheduledRate],
    ] as const) {
      const points = seriesPoints(drawn, series);
      assert.equal(points.length, ramp.length, JOURNEYS_SERIES[series]);
      for (const p of points) close(p.y, pick(p.index), `${JOURNEYS_SERIES[series]} period ${p.index}`);
    }
    assert.match(svg, /broke: latency-p95 at 4 journeys\/s/);
    assert.doesNotMatch(journeysSvg({ periods: ramp, thresholds }), /broke:/);
  });

  it('rounds an axis top up to 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual([niceMax(300), niceMax(0.1), niceMax(47), niceMax(0)], [500, 0.2, 100, 1]);
  });
});
