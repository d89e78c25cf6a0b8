// The SLI trend's x axis names each run by its time and id ("16:42 / verify-ab12"): runs of one day used to be
// told apart by nothing but their position. Read from the drawn SVG, as a reader sees it. No services needed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sloReportOf } from '../../report/verify/testing/runs.ts';
import { latencyResult } from '../../slo/testing/results.ts';
import { readSvgSeries, seriesPoints } from '../../slo/testing/svg-series.ts';
import { appendSloHistory, drawSloTrends, trendLabel } from './pictures.ts';

const report = (time: string, sli: number) => sloReportOf([latencyResult({ sli, window: '1m' })], time);

/** The x-axis label lines under the plot (the lower half of the chart), left to right, grouped by tick. */
function xLabels(svg: string): string[][] {
  const byX = new Map<string, string[]>();
  for (const m of svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)) {
    const attrs = m[1]!;
    const at = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(attrs);
    if (!attrs.includes('text-anchor="middle"') || !at || Number(at[2]) < 160) continue;
    byX.set(at[1]!, [...(byX.get(at[1]!) ?? []), m[2]!]);
  }
  return [...byX.entries()].sort((a, b) => Number(a[0]) - Number(b[0])).map(([, lines]) => lines);
}

describe('SLI trend labels', () => {
  it('names each run of one day by its time (UTC) and short id, under its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trend-labels-'));
    try {
      const path = join(dir, 'slo-history.jsonl');
      const runs = [
        ['2026-12-06T16:42:05.000Z', 'verify-ab12cd34ef56', 0.012],
        ['2026-12-06T16:57:40.000Z', 'verify-0f9e8d7c6b5a', 0.02],
        ['2026-12-06T17:03:12.000Z', 'verify-77aa88bb99cc', 0.0453],
      ] as const;
      for (const [time, run, sli] of runs) await appendSloHistory(path, report(time, sli), 'abc', run);
      const [trend] = await drawSloTrends(path, report(runs[2][0], 0.0453));
      assert.deepEqual(xLabels(trend!.svg), [
        ['1', '16:42', 'verify-ab12'],
        ['2', '16:57', 'verify-0f9e'],
        ['3', '17:03', 'verify-77aa'],
      ]);
      // The points are still where their figures say.
      assert.deepEqual(
        seriesPoints(readSvgSeries(trend!.svg), 0).map((p) => Math.round(p.y * 100) / 100),
        [12, 20, 45.3],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds the date when the runs shown span days, and keeps the time alone for lines without a run id', () => {
    assert.equal(
      trendLabel({ time: '2026-12-05T23:59:00.000Z', run: 'verify-ab12cd34ef56' }, true),
      '12-05 23:59\nverify-ab12',
    );
    assert.equal(trendLabel({ time: '2026-12-06T08:01:00.000Z' }, false), '08:01');
    // A run id of another shape is shown whole.
    assert.equal(trendLabel({ time: '2026-12-06T08:01:00.000Z', run: 'nightly-7' }, false), '08:01\nnightly-7');
  });
});
