// Pictures of a load run, from its 10 s periods (what Artillery measured client side):
//   - the load window: request rate, P50/P95/P99 and error share per period on one time axis, three stacked
//     panels, the SLO-derived bounds drawn, the warm-up shaded;
//   - journeys per second against the profile's scheduled rate, the breakpoint marked.
// SVG text, no browser (report/chart-svg.ts).

import type { Breakpoint, PeriodSummary } from '../../load/report.ts';
import type { ThresholdResult } from '../../load/thresholds.ts';
import { trim } from '../../slo/model/units.ts';
import {
  type ChartOption,
  COLOURS,
  lineSeries,
  markLineAt,
  renderSvg,
  roundedLabels,
  stackedPanels,
  timeAxis,
  titleAndLegend,
} from '../chart-svg.ts';

/** What the load charts draw. */
export interface LoadChartInput {
  periods: readonly PeriodSummary[];
  thresholds: readonly Pick<ThresholdResult, 'name' | 'limit'>[];
  /** Seconds from the start that are the profile's own warm-up phase (breakpoint's), shaded when given. */
  warmPhaseSeconds?: number;
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
  height: 560,
  // The title, then the legend on a line of its own under it, then the panels (each with its axis name above).
  grids: [
    { top: 82, height: 110 },
    { top: 240, height: 130 },
    { top: 418, height: 100 },
  ],
} as const;

/** A y axis drawn at its grid's left edge, not where x = 0 (show: the line is drawn, as by default). */
const leftEdge = { show: true, onZero: false };

/**
 * The top of a panel's value axis, from the data it draws: just above its largest value (`drawnMax`), with the
 * bound kept in view when the figure it bounds (`boundedMax`: the P95 for the P95 bound) reaches half of it;
 * then the distance to the bound is what a reader wants to see. A bound far above the data would squash the
 * curves flat (10-50 ms lines under a 0-500 ms axis), so it is left off the scale and named instead. With no
 * data at all the bound is shown. Returns the axis top and whether the bound is drawn.
 */
export function panelTop(
  drawnMax: number,
  bound: number | undefined,
  boundedMax: number = drawnMax,
): { max: number; boundShown: boolean } {
  const top = Number.isFinite(drawnMax) && drawnMax > 0 ? drawnMax : 0;
  if (bound === undefined) return { max: niceMax(top), boundShown: false };
  if (top === 0 || boundedMax >= bound / 2) return { max: niceMax(Math.max(top, bound)), boundShown: true };
  return { max: niceMax(top), boundShown: false };
}

/** Series order of the load window (a test reads them by index). */
export const LOAD_WINDOW_SERIES = ['requests/s', 'P50 ms', 'P95 ms', 'P99 ms', 'errors %'] as const;

/** One figure of a period, as a chart draws it: null or absent where the period has none. */
type Figure = (p: PeriodSummary) => number | null | undefined;

/** The load window chart as SVG: the time axis from the periods drawn, then each panel's scale and series. */
export function loadWindowSvg(input: LoadChartInput): string {
  const { grids } = LOAD_WINDOW_LAYOUT;
  const before = input.warmupBefore;
  const drawn = [...(before?.periods ?? []), ...input.periods];
  const lastSecond = Math.max(10, ...input.periods.map((p) => p.atSeconds));
  const firstSecond = Math.min(0, ...(before ? [before.fromSeconds, ...before.periods.map((p) => p.atSeconds)] : []));
  const scales = loadWindowScales(input.thresholds, drawn);
  // The title, the legend on its own line under it (chart-svg.ts titleAndLegend), then the panels, whose fixed
  // tops leave that room (LOAD_WINDOW_LAYOUT).
  const { title, legend } = titleAndLegend(
    'Load window (per 10 s period)',
    LOAD_WINDOW_SERIES,
    LOAD_WINDOW_LAYOUT.width,
  );
  const option: ChartOption = {
    title,
    legend,
    ...stackedPanels(grids, { left: 70, right: 40 }, (i) => ({
      // Whole seconds at the ends: a measured warm-up of 9.85 s starts the axis at -10, not at -9.85000000000001.
      min: Math.floor(firstSecond),
      max: Math.ceil(lastSecond),
      name: i === grids.length - 1 ? 't (s)' : '',
      nameLocation: 'end' as const,
      axisLabel: roundedLabels,
    })),
    yAxis: loadWindowYAxes(scales),
    series: loadWindowSeries(drawn, scales, warmUpArea(input, firstSecond)),
  };
  return renderSvg(option, LOAD_WINDOW_LAYOUT);
}

/** The load window's value axes: each panel's top (panelTop) and the SLO bounds it is drawn against. */
interface LoadWindowScales {
  requestsMax: number;
  p95Limit: number | undefined;
  errorLimit: number | undefined;
  latency: { max: number; boundShown: boolean };
  errors: { max: number; boundShown: boolean };
}

/** Each panel's axis from its own data: 0 to just above the largest value drawn, the bound in view when near. */
function loadWindowScales(thresholds: LoadChartInput['thresholds'], drawn: readonly PeriodSummary[]): LoadWindowScales {
  const p95Limit = thresholds.find((t) => t.name === 'latency-p95')?.limit;
  const errorLimit = thresholds.find((t) => t.name === 'error-rate')?.limit;
  const largest = (...picks: Figure[]) => Math.max(0, ...drawn.flatMap((p) => picks.map((pick) => pick(p) ?? 0)));
  return {
    requestsMax: panelTop(
      largest((p) => p.requestsPerSecond),
      undefined,
    ).max,
    p95Limit,
    errorLimit,
    latency: panelTop(
      largest(
        (p) => p.p50Ms,
        (p) => p.p95Ms,
        (p) => p.p99Ms,
      ),
      p95Limit,
      largest((p) => p.p95Ms),
    ),
    errors: panelTop(
      largest((p) => p.errorRatePct),
      errorLimit,
    ),
  };
}

/** Shaded, never judged: a warm-up run before t = 0 and the profile's own warm-up phase after it. */
function warmUpArea(input: LoadChartInput, firstSecond: number) {
  const shaded: [number, number][] = [
    ...(input.warmupBefore && firstSecond < 0 ? [[firstSecond, 0] as [number, number]] : []),
    ...(input.warmPhaseSeconds && input.warmPhaseSeconds > 0 ? [[0, input.warmPhaseSeconds] as [number, number]] : []),
  ];
  return shaded.length > 0
    ? {
        silent: true,
        itemStyle: { color: COLOURS.shade },
        label: { show: true, position: 'insideTop' as const, formatter: 'warm-up', color: '#666' },
        data: shaded.map(([from, to]) => [{ xAxis: from }, { xAxis: to }]),
      }
    : undefined;
}

/** An SLO bound across a panel, dashed and named; none without a bound. */
function boundLine(value: number | undefined, label: string) {
  return value === undefined ? undefined : markLineAt({ yAxis: value }, label, { width: 1.5 });
}

/**
 * The three panels' y axes, each at its panel's left edge: by default it crosses the x axis at t = 0, inside a
 * warm-up drawn before it, and its name with it.
 */
function loadWindowYAxes(scales: LoadWindowScales): NonNullable<ChartOption['yAxis']> {
  const { p95Limit, errorLimit, latency, errors } = scales;
  // A bound off the scale is still said, in the axis name: "ms (P95 bound 300 ms, above the scale)".
  const offScale = (name: string, unit: string, what: string, bound: number | undefined, shown: boolean) =>
    bound === undefined || shown ? name : `${name} (${what} ${trim(bound)} ${unit}, above the scale)`;
  return [
    {
      type: 'value',
      gridIndex: 0,
      name: 'requests/s',
      nameTextStyle: { align: 'left' },
      min: 0,
      max: scales.requestsMax,
      axisLabel: roundedLabels,
      axisLine: leftEdge,
    },
    {
      type: 'value',
      gridIndex: 1,
      name: offScale('ms', 'ms', 'P95 bound', p95Limit, latency.boundShown),
      nameTextStyle: { align: 'left' },
      min: 0,
      max: latency.max,
      axisLabel: roundedLabels,
      axisLine: leftEdge,
    },
    {
      type: 'value',
      gridIndex: 2,
      name: offScale('errors %', '%', 'bound', errorLimit, errors.boundShown),
      nameTextStyle: { align: 'left' },
      min: 0,
      max: errors.max,
      axisLabel: roundedLabels,
      axisLine: leftEdge,
    },
  ];
}

/** The five series in LOAD_WINDOW_SERIES order, each on its panel; the bounds shown and the warm-up marked. */
function loadWindowSeries(
  drawn: readonly PeriodSummary[],
  scales: LoadWindowScales,
  warmUp: ReturnType<typeof warmUpArea>,
): NonNullable<ChartOption['series']> {
  const { p95Limit, errorLimit } = scales;
  const at = (pick: Figure) => drawn.map((p) => [p.atSeconds, pick(p) ?? null] as const);
  const latencyBound = scales.latency.boundShown ? boundLine(p95Limit, `P95 bound ${trim(p95Limit!)} ms`) : undefined;
  const errorBound = scales.errors.boundShown ? boundLine(errorLimit, `bound ${trim(errorLimit!)} %`) : undefined;
  const warm = warmUp ? { markArea: warmUp } : {};
  /** Series `i` of LOAD_WINDOW_SERIES on panel `panel` (its x and y axes have the panel's index). */
  const onPanel = (i: number, pick: Figure, panel: number, color: string, marks: Record<string, unknown> = {}) =>
    lineSeries(LOAD_WINDOW_SERIES[i]!, at(pick), { xAxisIndex: panel, yAxisIndex: panel, color, ...marks });
  return [
    onPanel(0, (p) => p.requestsPerSecond, 0, COLOURS.rate, warm),
    onPanel(1, (p) => p.p50Ms, 1, COLOURS.p50),
    onPanel(2, (p) => p.p95Ms, 1, COLOURS.p95, { ...(latencyBound ? { markLine: latencyBound } : {}), ...warm }),
    onPanel(3, (p) => p.p99Ms, 1, COLOURS.p99),
    onPanel(4, (p) => p.errorRatePct, 2, COLOURS.errors, { ...(errorBound ? { markLine: errorBound } : {}), ...warm }),
  ];
}

/** Series order of the journeys chart. */
export const JOURNEYS_SERIES = ['journeys/s (measured)', 'journeys/s (scheduled)'] as const;

/** Journeys per second against the profile's schedule; a breakpoint run's break marked. */
export function journeysSvg(input: LoadChartInput): string {
  const b = input.breakpoint;
  const breakLine =
    b?.broke && b.atSeconds !== undefined
      ? markLineAt({ xAxis: b.atSeconds }, `broke: ${b.threshold} at ${b.arrivalRate} journeys/s`, {
          width: 2,
          solid: true,
        })
      : undefined;
  const { title, legend, top } = titleAndLegend('Journeys per second: measured and scheduled', JOURNEYS_SERIES);
  const option: ChartOption = {
    title,
    legend,
    grid: { left: 70, right: 40, top, bottom: 40 },
    xAxis: timeAxis,
    yAxis: { type: 'value', min: 0, name: 'journeys/s', axisLabel: roundedLabels },
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

/**
 * A round upper end for an axis that must show `value`: 1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten, at
 * least 10 % above, so the curves use most of the panel's height (47 -> 60, not 100). Rounded to 12 significant
 * digits: 3 x 0.1 is 0.30000000000000004 in floating point.
 */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const target = value * 1.1;
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 1.5, 2, 3, 4, 5, 6, 8, 10]) {
    if (step * power >= target) return Number((step * power).toPrecision(12));
  }
  return Number((10 * power).toPrecision(12));
}
