// One chart as the reports embed it, whole: chart-svg.ts's SVG (size, font, no animation, every point a symbol,
// the title and the legend on lines of their own) of an SLO chart with both panels (report/slo/charts.ts sloSvg:
// a ratio SLI against its objective, the budget consumed under it), compared with testdata/slo-chart.golden.svg.
// ECharts' per-process ids and style classes are renumbered (report/testing/normalise.ts). And the axis labels,
// rounded as the reports write figures. The figures a chart draws are read back from the SVG in
// report/slo/charts.int.test.ts and report/load/charts.test.ts; this file holds the drawing.
// `UPDATE_GOLDEN=1 node --test report/chart-svg.test.ts` rewrites the golden file; read it before committing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertGolden } from '../core/testing/golden.ts';
import { sloSvg } from './slo/charts.ts';
import { renumberEcharts } from './testing/normalise.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');

const T0 = 1_800_000_000;

/** The availability SLO (ratio, >= 99.9 %) drawn over its SLI and budget consumed, one point each `step` seconds. */
function availabilityChart(sli: readonly number[], budget: readonly number[], step: number): string {
  const at = (values: readonly number[]) => values.map((v, k): [number, number] => [T0 + k * step, v]);
  return sloSvg(
    {
      name: 'availability',
      kind: 'ratio',
      unit: 'percent',
      operator: '>=',
      objective: 99.9,
      sli: at(sli),
      budgetConsumed: at(budget),
      queries: ['bad', 'total'],
    },
    new Date(T0 * 1000),
  );
}

test('an SLO chart reads, whole, as its golden SVG', () => {
  // Ten scrapes 10 s apart: availability at 100 % but for a dip to 99.5 % at 40-50 s, which spends the budget.
  const svg = availabilityChart(
    [100, 100, 100, 100, 99.5, 99.5, 100, 100, 100, 100],
    [0, 0, 0, 0, 0.05, 0.1, 0.1, 0.1, 0.1, 0.1],
    10,
  );
  assertGolden(TESTDATA, 'slo-chart.golden.svg', `${renumberEcharts(svg)}\n`);
  assert.match(svg, /^<svg [^>]*width="900" height="440"/);
});

test("labels an SLO chart's axis 99.85, not 99.85000000000001", () => {
  // A ratio SLI at 100 % against 99.9 %: the axis starts at 99.9 - 0.05, which floating point makes 99.85000000000001.
  const svg = availabilityChart(Array(30).fill(100), Array(30).fill(0), 1);
  const labels = [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  assert.ok(labels.includes('99.85'), labels.join(' | '));
  assert.deepEqual(
    labels.filter((t) => /\d\.\d{5,}/.test(t)),
    [],
  );
});
