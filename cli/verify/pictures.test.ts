// The data of a verify run's pictures: the SLI history and its trend charts, and what was tested. No services
// needed. The words rendered from them (the verdict sentence) are report/verify/verdict.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sloReportOf as report } from '../../report/verify/testing/runs.ts';
import type { SloResult } from '../../slo/evaluate/evaluate.ts';
import { latencyResult } from '../../slo/testing/results.ts';
import { readSvgSeries, seriesPoints } from '../../slo/testing/svg-series.ts';
import { appendSloHistory, drawSloTrends, runContext } from './pictures.ts';

const slo = (over: Partial<SloResult>): SloResult => latencyResult({ sli: 0.0147, window: '1m', ...over });

describe('SLI history', () => {
  it('keeps one line per run and draws each SLO across the runs, oldest first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-history-'));
    try {
      const path = join(dir, 'slo-history.jsonl');
      for (const sli of [0.012, 0.02, 0.0453]) await appendSloHistory(path, report([slo({ sli })]), 'abc');
      const [trend] = await drawSloTrends(path, report([slo({})]));
      const points = seriesPoints(readSvgSeries(trend!.svg), 0);
      assert.deepEqual(
        points.map((p) => Math.round(p.y * 100) / 100),
        [12, 20, 45.3],
      );
      const limited = await drawSloTrends(path, report([slo({})]), 2);
      assert.equal(seriesPoints(readSvgSeries(limited[0]!.svg), 0).length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what was tested', () => {
  it('gives the profile length as run, the window and the stack', () => {
    const start = new Date('2026-11-30T07:00:00.000Z');
    const context = runContext({
      profile: 'spike',
      window: { start, end: new Date(start.getTime() + 75_000), source: 'load' },
      commit: 'abc',
    });
    assert.equal(context.profileSeconds, 170);
    assert.equal(context.window?.durationMs, 75_000);
    assert.equal(runContext({ profile: 'smoke', durationSeconds: 20 }).profileSeconds, 20);
  });
});
