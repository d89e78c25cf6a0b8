// The load charts are checked by their data: each drawn point is read back out of the SVG through the axis
// labels (slo/testing/svg-series.ts) and compared with the run's period figures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getProfile } from '../../load/profiles.ts';
import { findBreakpoint, type PeriodStats, summarizePeriods } from '../../load/report.ts';
import type { ThresholdSpec } from '../../load/thresholds.ts';
import { readSvgSeries, seriesPoints } from '../../slo/testing/svg-series.ts';
import {
  JOURNEYS_SERIES,
  journeysSvg,
  LOAD_WINDOW_LAYOUT,
  LOAD_WINDOW_SERIES,
  loadWindowSvg,
  niceMax,
  panelTop,
} from './charts.ts';

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
    const svg = loadWindowSvg({ periods: summary, thresholds, warmPhaseSeconds: 20 });
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

  it('rounds an axis top up to a round number at least 10 % above, without floating-point noise', () => {
    // 300 x 1.1 = 330 -> 4 x 100; 0.11 -> 1.5 x 0.1; 51.7 -> 6 x 10; 0.275 -> 3 x 0.1, which is
    // 0.30000000000000004 before rounding.
    assert.deepEqual([niceMax(300), niceMax(0.1), niceMax(47), niceMax(0.25), niceMax(0)], [400, 0.15, 60, 0.3, 1]);
  });

  it('keeps a bound in view only when the figure it bounds reaches half of it', () => {
    // P95 at 50 ms under a 300 ms bound: the axis follows the data (55 -> 60).
    assert.deepEqual(panelTop(50, 300), { max: 60, boundShown: false });
    // P99 at 130 ms, P95 at 75: still far from the P95 bound, the axis ends above the P99 (143 -> 150).
    assert.deepEqual(panelTop(130, 300, 75), { max: 150, boundShown: false });
    // P95 at 150 ms, half the bound: the bound is drawn (330 -> 400).
    assert.deepEqual(panelTop(160, 300, 150), { max: 400, boundShown: true });
    // No errors at all: the bound is what there is to see (0.11 -> 0.15).
    assert.deepEqual(panelTop(0, 0.1), { max: 0.15, boundShown: true });
    assert.deepEqual(panelTop(12, undefined), { max: 15, boundShown: false });
  });

  it('scales the latency axis to the data: 10-50 ms curves fill the panel, a far bound is named', () => {
    const fast = summary.map((p, i) => ({
      ...p,
      p50Ms: p.p95Ms === null ? null : 10 + i,
      p95Ms: p.p95Ms === null ? null : 20 + 5 * i,
      p99Ms: p.p95Ms === null ? null : 30 + 4 * i,
    }));
    const svg = loadWindowSvg({ periods: fast, thresholds });
    const values = axisLabels(svg, band(1));
    // The largest value drawn is 50 (P95 of period 5): the axis ends at 60, not at 500 for the 300 ms bound.
    assert.equal(Math.max(...values), 60);
    assert.match(svg, /P95 bound 300 ms, above the scale/);
    const drawn = seriesPoints(readSvgSeries(svg, band(1)), 2);
    for (const p of drawn) close(p.y, fast[p.index]!.p95Ms!, `P95 of period ${p.index}`);
  });

  it('starts a measured warm-up at a whole second and writes every axis label rounded', () => {
    // A warm-up measured at 9.85 s and an error share of 1/3 %: raw, they give labels like -9.850000000000001.
    const odd = summary.map((p, i) => ({ ...p, errorRatePct: i === 1 ? 1 / 3 : p.errorRatePct }));
    const warmup = odd.slice(0, 1).map((p) => ({ ...p, atSeconds: -9.85 }));
    const svg = loadWindowSvg({
      periods: odd,
      thresholds,
      warmupBefore: { fromSeconds: -0.1 - 9.75, periods: warmup },
    });
    const texts = [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    assert.deepEqual(
      texts.filter((t) => /\d\.\d{5,}/.test(t)),
      [],
      'no label with float noise',
    );
    assert.ok(texts.includes('-10'), 'the x axis starts at -10');
  });

  it('puts the legend on its own line under the title, above the first panel', () => {
    const svg = loadWindowSvg({ periods: summary, thresholds });
    const y = (text: string) => {
      const at = new RegExp(`transform="translate\\([-\\d.]+ ([-\\d.]+)\\)"[^>]*>${text}<`).exec(svg);
      assert.ok(at, `${text} is drawn`);
      return Number(at[1]);
    };
    const title = y('Load window \\(per 10 s period\\)');
    // Entries that are not also an axis name.
    for (const entry of ['P50 ms', 'P95 ms', 'P99 ms']) {
      assert.ok(y(entry) >= title + 16, `${entry} is under the title`);
      // The first panel's axis name sits some 15 px above the panel: the legend stays above that line.
      assert.ok(y(entry) <= LOAD_WINDOW_LAYOUT.grids[0].top - 30, `${entry} is above the first panel`);
    }
  });
});

/** The numbers of the y-axis labels drawn inside a band (right-aligned text left of the panel). */
function axisLabels(svg: string, b: { top: number; bottom: number }): number[] {
  return [...svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)]
    .filter((m) => m[1]!.includes('text-anchor="end"'))
    .flatMap((m) => {
      const at = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(m[1]!);
      const y = at ? Number(at[2]) : Number.NaN;
      return y >= b.top - 1 && y <= b.bottom + 1 && m[2]!.trim() !== '' ? [Number(m[2])] : [];
    })
    .filter(Number.isFinite);
}
