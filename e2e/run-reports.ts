// Builds a run's two reports on disk with the harness' own code (report/load/html-report.ts, the Allure results of
// load and SLOs, `allure generate` with the project's allurerc.mjs), for the spec that opens them from file://
// and for the README screenshots. The figures are a fixed smoke run (six 10 s periods, one breached SLO) so the
// pages are the same every time; what is under test is that the files open from disk and show their charts
// and verdict, not the figures (report/load/charts.test.ts and report/slo/charts.int.test.ts check those against Artillery
// periods and a real Prometheus).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportPaths } from '../cli/verify/reports/paths.ts';
import type { RunSummary } from '../load/report.ts';
import type { LoadResult } from '../load/run.ts';
import { smokePeriods, smokeRunSummary, smokeThresholds } from '../load/testing/smoke-run.ts';
import { loadCharts, renderLoadReportHtml } from '../report/load/html-report.ts';
import { toAllureResults, writeAllureResults } from '../report/load/summary.ts';
import { sloSvg } from '../report/slo/charts.ts';
import { generateAllureReport, publishLoadAllure, publishSloAllure } from '../report/verify/allure.ts';
import type { SloReport } from '../slo/evaluate/evaluate.ts';
import type { SliSeries } from '../slo/evaluate/range.ts';

const T0 = Date.UTC(2026, 10, 30, 7, 0, 0);

/** The fixed run: its load summary, SLO report and per-SLO series. */
export function sampleRun(): { summary: RunSummary; slo: SloReport; series: SliSeries[] } {
  const summary = sampleSummary();
  return { summary, slo: sampleSloReport(summary.endedAt), series: sampleSeries() };
}

/** The load run's summary: six 10 s periods, latency-p95 broken at 420.7 ms, no errors. */
function sampleSummary(): RunSummary {
  const periods = smokePeriods(T0, [
    [20, 120, 8, 21.5, 40, 0],
    [20, 130, 9, 25, 52, 0],
    [20, 128, 12, 60, 95, 0],
    [20, 126, 30, 380, 450, 0],
    [20, 131, 41, 420.7, 502, 0],
    [20, 127, 20, 90, 140, 0],
  ]);
  return smokeRunSummary(periods, {
    runId: 'verify-sample',
    target: 'http://127.0.0.1:3000',
    verdict: 'fail',
    thresholds: smokeThresholds(420.7, 0),
    journeyMix: { 'market-browsing': 50, 'trader-session': 30, 'fund-flow': 15, exports: 5 },
    command: 'harness verify --profile smoke',
  });
}

/**
 * One sample a second over the run's minute: latency near 20 ms but for 0.4 s and more from second 30 to 50
 * (the breach the charts show), and no errors.
 */
function sampleSeries(): SliSeries[] {
  const times = Array.from({ length: 61 }, (_, k) => T0 / 1000 + k);
  const latency = times.map((t, k): [number, number] => [
    t,
    k < 30 || k > 50 ? 0.02 + (k % 5) / 1000 : 0.4 + (k % 7) / 100,
  ]);
  return [
    {
      name: 'latency-p95',
      kind: 'threshold',
      unit: 'seconds',
      operator: '<=',
      objective: 0.3,
      sli: latency,
      queries: ['histogram_quantile(...)'],
    },
    {
      name: 'error-rate',
      kind: 'ratio',
      unit: 'percent',
      operator: '>=',
      objective: 99.9,
      sli: times.map((t) => [t, 100]),
      budgetConsumed: times.map((t) => [t, 0]),
      queries: ['bad', 'total'],
    },
  ];
}

/** The SLO gate's report at `time`: latency-p95 failed, error-rate passed. */
function sampleSloReport(time: string): SloReport {
  return {
    status: 'fail',
    time,
    window: '1m',
    prometheusUrl: 'http://127.0.0.1:9090',
    config: 'slo/slo-config.yaml',
    service: 'mystocks-api',
    slos: [
      {
        name: 'latency-p95',
        description: 'P95 within 300 ms',
        kind: 'threshold',
        status: 'fail',
        sli: 0.4437,
        objective: 0.3,
        operator: '<=',
        unit: 'seconds',
        window: '1m',
        reason: '443.7 ms > 300 ms',
        queries: [],
      },
      {
        name: 'error-rate',
        description: 'At most 0.1 % errors',
        kind: 'ratio',
        status: 'pass',
        sli: 100,
        objective: 99.9,
        operator: '>=',
        unit: 'percent',
        window: '1m',
        errorRatio: 0,
        errorBudget: 0.001,
        burnRate: 0,
        budgetConsumed: 0,
        readAs: 'error-share',
        queries: [],
      },
    ],
  };
}

/** Writes the load page and the Allure reports under `dir`; returns their paths. */
export async function buildRunReports(
  dir: string,
): Promise<{ loadHtml: string; allureIndex: string; allureDashboard: string }> {
  const { summary, slo, series } = sampleRun();
  const start = new Date(summary.startedAt);
  const paths = reportPaths(dir, 'from-disk');
  mkdirSync(paths.allureResults, { recursive: true });
  const sloCharts = series.map((s) => ({
    id: `slo-${s.name}`,
    caption: `SLO ${s.name} over the window`,
    svg: sloSvg(s, start),
  }));
  const loadHtml = join(dir, 'report.html');
  writeFileSync(
    loadHtml,
    renderLoadReportHtml(summary, {
      verdict: {
        status: 'fail',
        sentence: 'FAIL: latency-p95 443.7 ms > 300 ms; load thresholds broken: latency-p95.',
      },
      slo,
      sloCharts,
    }),
  );
  // Load's results go the way verify sends them: staged, then moved into the tree with their threshold lines.
  const load = toAllureResults(summary, T0, T0 + 60_000);
  await writeAllureResults(
    load,
    paths.loadStaging,
    loadCharts(summary).map((c) => ({ name: `chart: ${c.id}`, text: c.svg, ext: 'svg', type: 'image/svg+xml' })),
  );
  await publishLoadAllure({ thresholds: summary.thresholds } as LoadResult, paths); // reads only the thresholds
  await publishSloAllure(
    slo,
    { start, end: new Date(summary.endedAt) },
    paths,
    new Map(sloCharts.map((c) => [c.id.replace(/^slo-/, ''), [['SLI over the window', c.svg] as [string, string]]])),
  );
  await generateAllureReport({ paths, log: () => {} });
  return { loadHtml, allureIndex: paths.allureIndex, allureDashboard: paths.allureDashboard };
}
