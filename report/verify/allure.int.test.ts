// The Allure report of a verify run, made by Allure itself (`allure generate`, a child process): a skipped stage
// is filed under "Not run", a stage that could not run under its own category, and each reason an SLO had no
// verdict under the category the harness gives it (allure.ts VERIFY_CATEGORIES). The report
// formats' golden files are reports.test.ts, the result files' allure.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportPaths } from '../../cli/verify/reports/paths.ts';
import type { SloReport } from '../../slo/index.ts';
import { generateAllureReport, publishSkippedStage, publishSloAllure, publishStageProblem } from './allure.ts';
import type { StageResult } from './model.ts';
import { GOLDEN_SLO_REPORT } from './testing/runs.ts';

/** `harness verify --skip e2e`: the E2E stage as the run records it. */
const SKIPPED_E2E: StageResult = {
  stage: 'e2e',
  result: 'skipped',
  decides: false,
  durationMs: 0,
  detail: '--skip e2e',
};

/** A run's SLO report: the golden run's first SLO met; its second the template of the SLOs without a verdict below. */
const slo = GOLDEN_SLO_REPORT;

test('the Allure report files a skipped stage under "Not run" and each reason an SLO had no verdict under its own category', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'allure-categories-'));
  try {
    const run = reportPaths(dir, 'verify-categories');
    mkdirSync(run.allureResults, { recursive: true });
    await publishSkippedStage(SKIPPED_E2E, run);
    await publishStageProblem('compare', 'the baseline has no load samples', run);
    const reasons: Record<string, string> = {
      'too little evidence':
        "too little evidence: 12 events in the window, at least 20 needed (minEvents); at this run's rate (0.4 events/s) a load of at least 1 m 3 s would reach it",
      unreachable:
        'good query: Prometheus at http://127.0.0.1:9090 did not answer: connect ECONNREFUSED 127.0.0.1:9090 (2 attempts)',
      'bad query': 'value query: query failed (bad_data): 1:5: parse error: unexpected end of input; query: sum(',
      'many series': 'total query returned 3 series, expected 1 (aggregate it, e.g. with sum()); query: x',
      gaps: 'scrape gaps: up{job="mystocks-api"} was missing or down for 9 of 30 expected scrapes (30 %), more than the tolerance of 2 (onGaps: inconclusive)',
      noise:
        'machine saturated: /healthz P95 180 ms; 412 ms is within 3 x that (540 ms), so the noise explains the breach',
    };
    const report = {
      ...slo,
      status: 'inconclusive',
      slos: [
        slo.slos[0]!,
        ...Object.entries(reasons).map(([name, reason]) => ({ ...slo.slos[1]!, name, status: 'inconclusive', reason })),
      ],
    } as SloReport;
    await publishSloAllure(report, undefined, run);
    await generateAllureReport({ paths: run, log: () => {} });
    const page = readFileSync(run.allureIndex, 'utf8');
    const embedded = (file: string) => {
      const data = new RegExp(`d\\("${file}", *"([^"]*)"\\)`).exec(page)?.[1];
      assert.ok(data, `${file} is embedded in the page`);
      return JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
    };
    // Category -> the tests filed under it (the tree: category, then message, then test).
    const tree = embedded('widgets/categories.json') as {
      nodes: Record<string, { type: string; name: string; childrenIds?: string[] }>;
    };
    const leaves = (id: string): string[] => {
      const node = tree.nodes[id]!;
      return node.type === 'tr' ? [node.name] : (node.childrenIds ?? []).flatMap(leaves);
    };
    const filed = Object.fromEntries(
      Object.entries(tree.nodes)
        .filter(([, n]) => n.type === 'category')
        .map(([id, n]) => [n.name, leaves(id).sort()]),
    );
    assert.deepEqual(filed, {
      'Not run': ['verify stage e2e (not run)'],
      'Stage could not run': ['verify stage compare'],
      'Not enough evidence': ['SLO too little evidence'],
      'Prometheus unreachable': ['SLO unreachable'],
      'Query error': ['SLO bad query'],
      'Data disagrees with the question': ['SLO many series'],
      'Scrape gaps': ['SLO gaps'],
      'Machine noise explains the breach': ['SLO noise'],
    });
    // The skipped stage is in the report's figures: the ring has a skipped slice beside the passed one.
    assert.deepEqual(embedded('widgets/statistic.json'), { total: 9, new: 9, skipped: 1, broken: 7, passed: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
