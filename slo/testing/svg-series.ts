// Test support: reads a chart's data back out of the SVG that ECharts drew, so tests check what a reader sees
// (each point's position against the axis labels), not the option object the code handed to ECharts.
//
// ECharts' SSR output marks each drawn point as `<path ... transform="matrix(s,0,0,s,X,Y)" ecmeta_series_index=
// "i" ecmeta_data_index="j">`; axis labels are `<text ... text-anchor="end|middle" transform="translate(X Y)">
// 120</text>`. A value axis is linear, so two labels fix pixel -> value: v = v0 + (p - p0) (v1 - v0) / (p1 - p0).

/** One drawn point: its series and data index, and its value read back through the axes. */
export interface DrawnPoint {
  series: number;
  index: number;
  x: number;
  y: number;
}

/** A band of the chart in pixels (top and bottom of one grid), for charts with several stacked grids. */
export interface Band {
  top: number;
  bottom: number;
}

interface Label {
  px: number;
  py: number;
  value: number;
}

function labels(svg: string, anchor: 'end' | 'middle' | 'start'): Label[] {
  const found: Label[] = [];
  const re = /<text\b([^>]*)>([^<]*)<\/text>/g;
  for (const match of svg.matchAll(re)) {
    const attrs = match[1]!;
    if (!attrs.includes(`text-anchor="${anchor}"`)) continue;
    const at = /transform="translate\(([-\d.]+) ([-\d.]+)\)"/.exec(attrs);
    const value = Number(match[2]!.replace(/,/g, '').trim());
    if (at && match[2]!.trim() !== '' && Number.isFinite(value)) {
      found.push({ px: Number(at[1]), py: Number(at[2]), value });
    }
  }
  return found;
}

function linear(points: { p: number; v: number }[], what: string): (p: number) => number {
  const sorted = [...points].sort((a, b) => a.p - b.p);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last || first.p === last.p) throw new Error(`fewer than two ${what} labels to read the axis by`);
  return (p) => first.v + ((p - first.p) * (last.v - first.v)) / (last.p - first.p);
}

/**
 * Every drawn point of the SVG, values read through the y-axis labels (left, `text-anchor="end"`) inside `band`
 * and the x-axis labels just below it. Without a band the whole chart is one grid.
 */
export function readSvgSeries(svg: string, band?: Band): DrawnPoint[] {
  const inBand = (y: number) => band === undefined || (y >= band.top - 1 && y <= band.bottom + 1);
  const yLabels = labels(svg, 'end').filter((l) => inBand(l.py));
  const bottom = band?.bottom ?? Math.max(...yLabels.map((l) => l.py));
  const xLabels = labels(svg, 'middle').filter((l) => l.py > bottom && l.py < bottom + 30);
  const yOf = linear(
    yLabels.map((l) => ({ p: l.py, v: l.value })),
    'y-axis',
  );
  const xOf = linear(
    xLabels.map((l) => ({ p: l.px, v: l.value })),
    'x-axis',
  );
  const points: DrawnPoint[] = [];
  const re = /<path\b([^>]*ecmeta_series_index="(\d+)"[^>]*)>/g;
  for (const match of svg.matchAll(re)) {
    const attrs = match[1]!;
    const at = /transform="matrix\([^,]+,[^,]+,[^,]+,[^,]+,([-\d.]+),([-\d.]+)\)"/.exec(attrs);
    const index = /ecmeta_data_index="(\d+)"/.exec(attrs);
    if (!at || !index) continue;
    const py = Number(at[2]);
    if (!inBand(py)) continue;
    points.push({ series: Number(match[2]), index: Number(index[1]), x: xOf(Number(at[1])), y: yOf(py) });
  }
  return points;
}

/** The points of one series, in data order. */
export function seriesPoints(points: DrawnPoint[], series: number): DrawnPoint[] {
  return points.filter((p) => p.series === series).sort((a, b) => a.index - b.index);
}
