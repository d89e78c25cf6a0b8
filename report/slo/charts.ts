// Pictures of the SLO gate: each SLO's SLI over the judged window against its objective (and, for ratio SLIs,
// the error budget consumed), the service's cache hit rate by level and DB query P95, and each SLI's trend
// across runs. SVG text, no browser (chart-svg.ts). The data comes from evaluate/range.ts (Prometheus range
// queries) and from the runs' history; this file only draws.
import type { ServiceSeries, SliSeries } from '../../slo/evaluate/range.ts';
import type { SliUnit } from '../../slo/model/model.ts';
import { trim as trimValue } from '../../slo/model/units.ts';
import {
  CHART_SIZE,
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

/** The unit a chart shows an SLI in: seconds are drawn in ms, which is how the reports write them. */
export function displayUnit(unit: SliUnit | 'percent'): { scale: number; name: string } {
  if (unit === 'seconds') return { scale: 1000, name: 'ms' };
  if (unit === 'percent') return { scale: 1, name: '%' };
  return { scale: 1, name: unit === 'none' ? '' : unit };
}

/** Two stacked panels of the SLO chart (ratio SLIs; threshold SLIs use only the first), in pixels. */
export const SLO_LAYOUT = {
  width: 900,
  height: 440,
  // Under the title and the legend's line (chart-svg.ts titleAndLegend).
  grids: [
    { top: 80, height: 170 },
    { top: 300, height: 100 },
  ],
} as const;

/** The grids of an SLO chart: ratio SLIs get the budget panel under the SLI's. */
export function sloGrids(kind: SliSeries['kind']): readonly { top: number; height: number }[] {
  return kind === 'ratio' ? SLO_LAYOUT.grids : [{ top: 80, height: 320 }];
}

const time = (seconds: number, startSeconds: number) => Math.round((seconds - startSeconds) * 1000) / 1000;

/**
 * One SLO over the window: the SLI (x: seconds since the window's start) with the objective drawn; for ratio
 * SLIs a second panel with the budget consumed since the start, in percent of the SLO period's budget.
 */
export function sloSvg(series: SliSeries, windowStart: Date): string {
  const startS = windowStart.getTime() / 1000;
  const { scale, name } = displayUnit(series.unit);
  const objective = series.objective * scale;
  const sli = series.sli.map(([t, v]) => [time(t, startS), v * scale] as const);
  const ratio = series.kind === 'ratio';
  const values = sli.map(([, v]) => v);
  // A ratio SLI near 100 % is flat at any scale that starts at 0: the axis starts just below the lowest of
  // the curve and the objective, so a dip shows.
  const low = Math.min(objective, ...values);
  const high = Math.max(objective, ...values);
  const pad = Math.max((high - low) * 0.15, ratio ? 0.05 : high * 0.1, 1e-9);
  const objectiveLine = markLineAt({ yAxis: objective }, `objective ${series.operator} ${trim(objective)} ${name}`, {
    width: 1.5,
  });
  const grids = sloGrids(series.kind);
  const { title, legend } = titleAndLegend(
    `SLO ${series.name}: SLI over the judged window${series.problem ? ` (${series.problem})` : ''}`,
    ratio ? ['SLI', 'budget consumed %'] : ['SLI'],
    SLO_LAYOUT.width,
  );
  const option: ChartOption = {
    title,
    legend,
    ...stackedPanels(grids, { left: 80, right: 30 }, () => ({ min: 0, name: 't (s)', axisLabel: roundedLabels })),
    yAxis: [
      {
        type: 'value',
        gridIndex: 0,
        name: `SLI ${name}`,
        // The ends are the data's, padded (low - pad is 99.85000000000001 in floating point): labels rounded.
        min: ratio ? Math.max(0, low - pad) : 0,
        max: ratio ? Math.min(100, high + pad) : high + pad,
        scale: ratio,
        axisLabel: roundedLabels,
      },
      ...(ratio ? [{ type: 'value' as const, gridIndex: 1, name: 'budget %', min: 0, axisLabel: roundedLabels }] : []),
    ],
    series: [
      lineSeries('SLI', sli, { xAxisIndex: 0, yAxisIndex: 0, color: COLOURS.rate, markLine: objectiveLine }),
      ...(ratio
        ? [
            lineSeries(
              'budget consumed %',
              (series.budgetConsumed ?? []).map(([t, v]) => [time(t, startS), v * 100] as const),
              { xAxisIndex: 1, yAxisIndex: 1, color: COLOURS.budget, areaStyle: { opacity: 0.2 } },
            ),
          ]
        : []),
    ],
  };
  return renderSvg(option, SLO_LAYOUT);
}

/** Cache hit rate by level, percent, over the window. */
export function cacheSvg(service: ServiceSeries, windowStart: Date): string {
  const startS = windowStart.getTime() / 1000;
  const { title, legend, top } = titleAndLegend(
    'Cache hit rate by level',
    service.cacheHitRateByLevel.map((s) => s.level.toUpperCase()),
  );
  const option: ChartOption = {
    title,
    legend,
    grid: { left: 80, right: 30, top, bottom: 40 },
    xAxis: timeAxis,
    yAxis: { type: 'value', min: 0, max: 100, name: 'hit rate %', axisLabel: roundedLabels },
    series: service.cacheHitRateByLevel.map((s) =>
      lineSeries(
        s.level.toUpperCase(),
        s.points.map(([t, v]) => [time(t, startS), v] as const),
      ),
    ),
  };
  // Legend lines push the plot down; the chart grows by them, so the plot keeps its height.
  return renderSvg(option, { width: CHART_SIZE.width, height: CHART_SIZE.height + top - 58 });
}

/** DB query P95 by operation, ms, over the window. */
export function dbSvg(service: ServiceSeries, windowStart: Date, boundMs?: number): string {
  const startS = windowStart.getTime() / 1000;
  // One legend entry per operation: many operations take several lines, and the chart grows by them.
  const { title, legend, top } = titleAndLegend(
    'DB query P95 by operation',
    service.dbQueryP95ByOperation.map((s) => s.operation),
  );
  const option: ChartOption = {
    title,
    legend,
    grid: { left: 80, right: 30, top, bottom: 40 },
    xAxis: timeAxis,
    yAxis: { type: 'value', min: 0, name: 'ms', axisLabel: roundedLabels },
    series: service.dbQueryP95ByOperation.map((s, i) =>
      lineSeries(
        s.operation,
        s.points.map(([t, v]) => [time(t, startS), v] as const),
        i === 0 && boundMs !== undefined ? { markLine: markLineAt({ yAxis: boundMs }, `bound ${boundMs} ms`) } : {},
      ),
    ),
  };
  // Legend lines push the plot down; the chart grows by them, so the plot keeps its height.
  return renderSvg(option, { width: CHART_SIZE.width, height: CHART_SIZE.height + top - 58 });
}

/** One run's SLI for the trend chart. */
export interface TrendPoint {
  /** Label of the run on the x axis, under its position ("16:42\nverify-ab12": when, and which run). */
  run: string;
  /** The SLI in the SLO's unit (seconds for latency), or null when the run had none. */
  sli: number | null;
}

/** An SLI across the last runs, the objective drawn. x is the run's position (1 = oldest shown). */
export function trendSvg(
  name: string,
  unit: SliUnit | 'percent',
  objective: { operator: string; value: number },
  points: readonly TrendPoint[],
): string {
  const { scale, name: unitName } = displayUnit(unit);
  const { title, top } = titleAndLegend(`SLO ${name}: SLI over the last ${points.length} runs`, []);
  const option: ChartOption = {
    title,
    // Room under the axis for the runs' labels (position, then the run's own label lines).
    grid: { left: 80, right: 60, top, bottom: 64 },
    xAxis: {
      type: 'value',
      min: 1,
      max: Math.max(2, points.length),
      interval: 1,
      name: 'run',
      // Each run by its position (1 = oldest shown) and its label: several runs on one day are told apart by
      // their time and id, where a date alone would repeat. Labels that would overlap are left out.
      axisLabel: {
        fontSize: 10,
        hideOverlap: true,
        formatter: (value: number) => {
          const label = Number.isInteger(value) ? points[value - 1]?.run : undefined;
          return label ? `${value}\n${label}` : String(value);
        },
      },
    },
    yAxis: { type: 'value', name: `SLI ${unitName}`, scale: true, axisLabel: roundedLabels },
    // The reports draw static SVG (no tooltips); where this option is rendered live, its figures read rounded too.
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value) => (typeof value === 'number' ? trimValue(value) : String(value)),
    },
    series: [
      lineSeries(
        'SLI',
        points.map((p, i) => [i + 1, p.sli === null ? null : p.sli * scale] as const),
        {
          color: COLOURS.rate,
          markLine: markLineAt(
            { yAxis: objective.value * scale },
            `objective ${objective.operator} ${trim(objective.value * scale)} ${unitName}`,
          ),
        },
      ),
    ],
  };
  return renderSvg(option);
}

function trim(value: number): string {
  return String(Number(value.toPrecision(4)));
}
