// Pictures of a load run, from its 10 s periods (what Artillery measured client side):
//   - the load window: request rate, P50/P95/P99 and error share per period on one time axis, three stacked
//     panels, the SLO-derived bounds drawn, the warm-up shaded;
//   - journeys per second against the profile's scheduled rate, the breakpoint marked.
// SVG text, no browser (slo/report/chart-svg.ts).
import { type ChartOption, COLOURS, lineSeries, renderSvg } from '../slo/report/chart-svg.ts';
import type { Breakpoint, PeriodSummary } from './report.ts';
import type { ThresholdResult } from './thresholds.ts';

/** What the load charts draw. */
export interface LoadChartInput {
  periods: readonly PeriodSummary[];
  thresholds: readonly Pick<ThresholdResult, 'name' | 'limit'>[];
  /** Seconds from the start that are the profile's own warm-up phase (breakpoint's), shaded when given. */
  warmUpSeconds?: number;
  /**
   * A warm-up run before the judged one (`--warmup`, main's warm-up outside the judged window): its periods at
   * negative seconds, t = 0 being the judged run's first period, drawn and shaded from `fromSeconds` to 0.
   */
  warmupBefore?: { fromSeconds: number; periods: readonly PeriodSummary[] };
  breakpoint?: Breakpoint;
}

/** The load window's three panels, in pixels: tests read each one's values through its own axis. */
export const LOAD_WINDOW_LAYOUT = {
  width: 900,
  height: 520,
  grids: [
    { top: 50, height: 110 },
    { top: 200, height: 130 },
    { top: 370, height: 100 },
  ],
} as const;

/** Series order of the load window (a test reads them by index). */
export const LOAD_WINDOW_SERIES = ['requests/s', 'P50 ms', 'P95 ms', 'P99 ms', 'errors %'] as const;

/** The load window chart as SVG. */
export function loadWindowSvg(input: LoadChartInput): string {
  const { grids } = LOAD_WINDOW_LAYOUT;
  const p95Limit = input.thresholds.find((t) => t.name === 'latency-p95')?.limit;
  const errorLimit = input.thresholds.find((t) => t.name === 'error-rate')?.limit;
  const before = input.warmupBefore;
  const drawn = [...(before?.periods ?? []), ...input.periods];
  const at = (pick: (p: PeriodSummary) => number | null | undefined) =>
    drawn.map((p) => [p.atSeconds, pick(p) ?? null] as const);
  const lastSecond = Math.max(10, ...input.periods.map((p) => p.atSeconds));
  const firstSecond = Math.min(0, ...(before ? [before.fromSeconds, ...before.periods.map((p) => p.atSeconds)] : []));
  // Shaded, never judged: a warm-up run before t = 0 and the profile's own warm-up phase after it.
  const shaded: [number, number][] = [
    ...(before && firstSecond < 0 ? [[firstSecond, 0] as [number, number]] : []),
    ...(input.warmUpSeconds && input.warmUpSeconds > 0 ? [[0, input.warmUpSeconds] as [number, number]] : []),
  ];
  const warmUp =
    shaded.length > 0
      ? {
          silent: true,
          itemStyle: { color: COLOURS.shade },
          label: { show: true, position: 'insideTop' as const, formatter: 'warm-up', color: '#666' },
          data: shaded.map(([from, to]) => [{ xAxis: from }, { xAxis: to }]),
        }
      : undefined;
  const boundLine = (value: number | undefined, label: string) =>
    value === undefined
      ? undefined
      : {
          silent: true,
          symbol: 'none',
          lineStyle: { color: COLOURS.bound, type: 'dashed' as const, width: 1.5 },
          label: { formatter: label, position: 'insideEndTop' as const, color: COLOURS.bound },
          data: [{ yAxis: value }],
        };
  const latencyBound = boundLine(p95Limit, `P95 bound ${p95Limit} ms`);
  const errorBound = boundLine(errorLimit, `bound ${errorLimit} %`);
  const option: ChartOption = {
    title: { text: 'Load window (per 10 s period)', left: 10, top: 8, textStyle: { fontSize: 14 } },
    legend: { top: 8, right: 10 },
    grid: grids.map((g) => ({ left: 70, right: 30, top: g.top, height: g.height })),
    xAxis: grids.map((_, i) => ({
      type: 'value' as const,
      gridIndex: i,
      min: firstSecond,
      max: lastSecond,
      name: i === grids.length - 1 ? 't (s)' : '',
      nameLocation: 'end' as const,
    })),
    yAxis: [
      { type: 'value', gridIndex: 0, name: 'requests/s', min: 0 },
      {
        type: 'value',
        gridIndex: 1,
        name: 'ms',
        min: 0,
        // The bound stays in view even when the run was far below it.
        ...(p95Limit === undefined
          ? {}
          : { max: (extent: { max: number }) => niceMax(Math.max(extent.max, p95Limit)) }),
      },
      {
        type: 'value',
        gridIndex: 2,
        name: 'errors %',
        min: 0,
        ...(errorLimit === undefined
          ? {}
          : { max: (extent: { max: number }) => niceMax(Math.max(extent.max, errorLimit)) }),
      },
    ],
    series: [
      lineSeries(
        LOAD_WINDOW_SERIES[0],
        at((p) => p.requestsPerSecond),
        {
          xAxisIndex: 0,
          yAxisIndex: 0,
          color: COLOURS.rate,
          ...(warmUp ? { markArea: warmUp } : {}),
        },
      ),
      lineSeries(
        LOAD_WINDOW_SERIES[1],
        at((p) => p.p50Ms),
        { xAxisIndex: 1, yAxisIndex: 1, color: COLOURS.p50 },
      ),
      lineSeries(
        LOAD_WINDOW_SERIES[2],
        at((p) => p.p95Ms),
        {
          xAxisIndex: 1,
          yAxisIndex: 1,
          color: COLOURS.p95,
          ...(latencyBound ? { markLine: latencyBound } : {}),
          ...(warmUp ? { markArea: warmUp } : {}),
        },
      ),
      lineSeries(
        LOAD_WINDOW_SERIES[3],
        at((p) => p.p99Ms),
        { xAxisIndex: 1, yAxisIndex: 1, color: COLOURS.p99 },
      ),
      lineSeries(
        LOAD_WINDOW_SERIES[4],
        at((p) => p.errorRatePct),
        {
          xAxisIndex: 2,
          yAxisIndex: 2,
          color: COLOURS.errors,
          ...(errorBound ? { markLine: errorBound } : {}),
          ...(warmUp ? { markArea: warmUp } : {}),
        },
      ),
    ],
  };
  return renderSvg(option, LOAD_WINDOW_LAYOUT);
}

/** Series order of the journeys chart. */
export const JOURNEYS_SERIES = ['journeys/s (measured)', 'journeys/s (scheduled)'] as const;

/** Journeys per second against the profile's schedule; a breakpoint run's break marked. */
export function journeysSvg(input: LoadChartInput): string {
  const b = input.breakpoint;
  const breakLine =
    b?.broke && b.atSeconds !== undefined
      ? {
          silent: true,
          symbol: 'none',
          lineStyle: { color: COLOURS.bound, width: 2 },
          label: {
            formatter: `broke: ${b.threshold} at ${b.arrivalRate} journeys/s`,
            position: 'insideEndTop' as const,
            color: COLOURS.bound,
          },
          data: [{ xAxis: b.atSeconds }],
        }
      : undefined;
  const option: ChartOption = {
    title: { text: 'Journeys per second: measured and scheduled', left: 10, top: 8, textStyle: { fontSize: 14 } },
    legend: { top: 8, right: 10 },
    grid: { left: 70, right: 30, top: 50, bottom: 40 },
    xAxis: { type: 'value', min: 0, name: 't (s)' },
    yAxis: { type: 'value', min: 0, name: 'journeys/s' },
    series: [
      lineSeries(
        JOURNEYS_SERIES[0],
        input.periods.map((p) => [p.atSeconds, p.arrivalRate] as const),
        { color: COLOURS.rate, ...(breakLine ? { markLine: breakLine } : {}) },
      ),
      lineSeries(
        JOURNEYS_SERIES[1],
        input.periods.map((p) => [p.atSeconds, p.scheduledRate] as const),
        { color: COLOURS.scheduled, lineStyle: { type: 'dashed' } },
      ),
    ],
  };
  return renderSvg(option);
}

/** A round upper end for an axis that must show `value`: 1, 2 or 5 times a power of ten, at least 10 % above. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const target = value * 1.1;
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 5, 10]) if (step * power >= target) return step * power;
  return 10 * power;
}
