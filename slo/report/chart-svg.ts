// Charts as SVG text, drawn without a browser: ECharts' server-side rendering (the same library the web pages
// use). One helper, so every chart of the reports has the same size, font and no animation, and so a chart
// can be checked by its data (see readSvgSeries) instead of by its pixels.
import * as echarts from 'echarts';

/** An ECharts option (the library's own type). */
export type ChartOption = echarts.EChartsOption;

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

/** Renders an option to a standalone SVG document (no animation, every data point drawn as a symbol). */
export function renderSvg(option: ChartOption, size: { width: number; height: number } = CHART_SIZE): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
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
