// Charts as SVG text, drawn without a browser: ECharts' server-side rendering (the same library the web pages
// use). One helper, so every chart of the reports has the same size, font and no animation, and so a chart
// can be checked by its data (see readSvgSeries) instead of by its pixels.
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';
import { trim } from '../slo/model/units.ts';

/** An ECharts option (the library's own type). */
export type ChartOption = Echarts.EChartsOption;

/**
 * ECharts, loaded on the first chart and through its CommonJS entry: the package's ESM entry is some 1,500 small
 * modules, which took 6.0 s to import on the 2-core machine while a test run was going on, against 0.7 s for the
 * one-file CommonJS bundle at the same moment (the same library and version, server-side rendering included).
 * Loaded lazily, a command that draws no chart (`harness load --help`, `slo check` without a report) never pays it.
 */
let echartsLib: typeof Echarts | undefined;
function echarts(): typeof Echarts {
  echartsLib ??= createRequire(import.meta.url)('echarts') as typeof Echarts;
  return echartsLib;
}

/** Width and height of the reports' charts, in CSS pixels. */
export const CHART_SIZE = { width: 900, height: 320 } as const;

/** Palette shared by the charts: request rate, P50, P95, P99, errors, bound, warm-up shading. */
export const COLOURS = {
  rate: '#5070dd',
  p50: '#3ba272',
  p95: '#fc8452',
  p99: '#b6373b',
  errors: '#ee6666',
  bound: '#c23531',
  scheduled: '#9a60b4',
  shade: 'rgba(150, 150, 150, 0.18)',
  budget: '#73c0de',
} as const;

/** Axis labels read as the reports write figures (slo/model/units.ts trim): 99.85, never 99.85000000000001. */
export const roundedLabels = { formatter: (value: number) => trim(value) };

/** The x axis of a chart over a window: seconds since its start, from 0. */
export const timeAxis = { type: 'value' as const, min: 0, name: 't (s)', axisLabel: roundedLabels };

/**
 * Panels stacked on one chart, a grid each at its `top` and `height` between the same side margins, each with
 * its own value x axis (`x(i)` gives panel i's further settings), so the panels share the time scale.
 */
export function stackedPanels(
  grids: readonly { top: number; height: number }[],
  sides: { left: number; right: number },
  x: (i: number) => Record<string, unknown>,
) {
  return {
    grid: grids.map((g) => ({ left: sides.left, right: sides.right, top: g.top, height: g.height })),
    xAxis: grids.map((_, i) => ({ type: 'value' as const, gridIndex: i, ...x(i) })),
  };
}

/**
 * A line across a chart at one value (a bound, an objective, a break), named at its end in the bound's colour;
 * dashed unless `solid`, and `width` pixels wide when given.
 */
export function markLineAt(
  at: { yAxis: number } | { xAxis: number },
  label: string,
  style: { width?: number; solid?: boolean } = {},
) {
  return {
    silent: true,
    symbol: 'none',
    lineStyle: {
      color: COLOURS.bound,
      ...(style.solid ? {} : { type: 'dashed' as const }),
      ...(style.width === undefined ? {} : { width: style.width }),
    },
    label: { formatter: label, position: 'insideEndTop' as const, color: COLOURS.bound },
    data: [at],
  };
}

/** Renders an option to a standalone SVG document (no animation, every data point drawn as a symbol). */
export function renderSvg(option: ChartOption, size: { width: number; height: number } = CHART_SIZE): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#fff',
      textStyle: { fontFamily: 'sans-serif' },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * A line series whose every point is drawn as a symbol: ECharts' SVG then marks each point with its series and
 * data index (`ecmeta_series_index`, `ecmeta_data_index`), which is what lets a test read the values back.
 */
export function lineSeries(
  name: string,
  data: readonly (readonly [number, number | null])[],
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'line' as const,
    name,
    showSymbol: true,
    showAllSymbol: true,
    symbolSize: 4,
    connectNulls: false,
    // ECharts draws '-' as a gap.
    data: data.map(([x, y]) => [x, y === null ? '-' : y]),
    ...extra,
  };
}

/** Where a chart's title sits, and its legend under it, in pixels from the top. */
const TITLE_TOP = 8;
const LEGEND_TOP = 32;
const LEGEND_ROW = 22;
/** Space for an axis name above the plot area. */
const AXIS_NAME = 26;
/**
 * Gap between legend entries. ECharts measures text without a browser by a table of Helvetica-like widths; the
 * browser draws `sans-serif` (DejaVu Sans on Linux) some 15 % wider, so a default 10 px gap let a long entry run
 * into the next one's symbol.
 */
const LEGEND_GAP = 24;

/**
 * The title at the top left and the legend on lines of its own under it (a long title beside a long legend
 * overlapped), with `top`: where the first plot area can start, the axis name's line included. The legend's
 * rows are estimated generously (7.5 px a character at 12 px, DejaVu Sans' average), so they never reach the
 * plot. Without names there is no legend.
 */
export function titleAndLegend(
  text: string,
  names: readonly string[],
  width: number = CHART_SIZE.width,
): { title: Record<string, unknown>; legend: Record<string, unknown>; top: number } {
  const available = width - 20;
  let rows = names.length > 0 ? 1 : 0;
  let used = 0;
  for (const name of names) {
    const item = 25 + 5 + name.length * 7.5 + LEGEND_GAP;
    if (used > 0 && used + item > available) {
      rows++;
      used = 0;
    }
    used += item;
  }
  return {
    title: { text, left: 10, top: TITLE_TOP, textStyle: { fontSize: 14 } },
    legend: { show: names.length > 0, top: LEGEND_TOP, left: 10, right: 10, itemGap: LEGEND_GAP },
    top: LEGEND_TOP + rows * LEGEND_ROW + AXIS_NAME,
  };
}
