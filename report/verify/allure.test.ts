// Verify's own Allure results as it writes them into a run's allure-results (allure.ts): a stage that could not
// run and a stage that did not, each SLO with its figures, queries and chart, each load threshold moved in from
// the load run's staging folder with its line, and the comparison with the baseline with its table attached;
// every result placed in one tree (titlePath). Compared, files and attachments, with
// testdata/verify-allure.golden.json, the random uuids renumbered and the clock fixed (report/testing/normalise.ts).
// `UPDATE_GOLDEN=1 node --test report/verify/allure.test.ts` rewrites it; read the diff before committing. The
// report Allure itself makes of such results is allure.int.test.ts. Also the two edits to Allure's own pages.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { reportPaths } from '../../cli/verify/reports/paths.ts';
import { assertGolden } from '../../core/testing/golden.ts';
import type { LoadResult } from '../../load/run.ts';
import { breakpointRunSummary } from '../../load/testing/breakpoint-run.ts';
import { comparedRuns } from '../../load/testing/compared-runs.ts';
import { renderComparisonTable } from '../load/compare.ts';
import { toAllureResults, writeAllureResults } from '../load/summary.ts';
import { allureResultsText } from '../testing/normalise.ts';
import {
  publishComparisonAllure,
  publishLoadAllure,
  publishSkippedStage,
  publishSloAllure,
  publishStageProblem,
  withEmbeddedDataFirst,
  withoutAnalytics,
} from './allure.ts';
import { GOLDEN_SLO_REPORT } from './testing/runs.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');

it("verify's Allure results read as their golden file: every result and attachment, in one tree", async (t) => {
  // A stage's result is stamped with the time it is written: the clock stands still at the SLO window's end.
  const end = Date.parse(GOLDEN_SLO_REPORT.time);
  t.mock.timers.enable({ apis: ['Date'], now: end });
  const dir = mkdtempSync(join(tmpdir(), 'verify-allure-'));
  try {
    const paths = reportPaths(dir, 'verify-run1');
    mkdirSync(paths.allureResults, { recursive: true });
    const window = { start: new Date(end - 30_000), end: new Date(end) };
    await publishStageProblem('compare', 'the baseline has no load samples\nsecond line of the problem', paths);
    await publishSkippedStage(
      { stage: 'e2e', result: 'skipped', decides: false, durationMs: 0, detail: '--skip e2e' },
      paths,
    );
    await publishSloAllure(
      GOLDEN_SLO_REPORT,
      window,
      paths,
      new Map([['latency-p95', [['SLI over the window', '<svg>latency-p95</svg>']]]]),
    );
    // Load's results as the load run stages them (report/load/publish.ts), then moved in with their lines.
    const summary = breakpointRunSummary();
    const [startMs, stopMs] = [Date.parse(summary.startedAt), Date.parse(summary.endedAt)];
    await writeAllureResults(toAllureResults(summary, startMs, stopMs), paths.loadStaging, [
      { name: 'summary', text: '# load summary\n', ext: 'md', type: 'text/markdown' },
    ]);
    await publishLoadAllure({ thresholds: summary.thresholds } as LoadResult, paths); // reads only the thresholds
    const comparison = comparedRuns('regression');
    await publishComparisonAllure(comparison, startMs, stopMs, renderComparisonTable(comparison), paths);
    const text = allureResultsText(paths.allureResults);
    assertGolden(TESTDATA, 'verify-allure.golden.json', text);
    // One tree under mystocks-harness: the stages under verify, the SLOs under their service, the thresholds
    // under their profile and scenario, the comparison under load.
    const titlePaths = new Set(
      (JSON.parse(text).results as { titlePath: string[] }[]).map((r) => r.titlePath.join(' > ')),
    );
    assert.deepEqual([...titlePaths].sort(), [
      'mystocks-harness > SLO > mystocks',
      'mystocks-harness > load > breakpoint / mix',
      'mystocks-harness > load > compare',
      'mystocks-harness > verify',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("cuts Allure's analytics tag and its set-up out of a page, leaving the rest", () => {
  const page =
    '<body><div id="app"></div>\n<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>\n<script>\n  window.dataLayer = window.dataLayer || [];\n  gtag("js", new Date());\n</script>\n<script>window.allure = {};</script></body>';
  assert.equal(withoutAnalytics(page), '<body><div id="app"></div>\n\n\n<script>window.allure = {};</script></body>');
});

it("declares Allure's embedded-data store in <head>, before the app script can ask for data", () => {
  // The shape of Allure 3's single-file page: the app script, then the store and the data that fill it.
  const page = [
    '<html><head><title>r</title></head><body><div id="app"></div>',
    '<script src="data:text/javascript;base64,QVBQ"></script>',
    '<script async>',
    '  window.allureReportDataReady = false;',
    '  window.allureReportData = window.allureReportData || {};',
    '</script>',
    '<script defer>Promise.allSettled([d("widgets/statistic.json", "e30=")]).then(() => { window.allureReportDataReady = true; })</script>',
    '</body></html>',
  ].join('\n');
  const fixed = withEmbeddedDataFirst(page);
  const declared = fixed.indexOf('<script>window.allureReportDataReady = false; window.allureReportData');
  assert.ok(declared > 0 && declared < fixed.indexOf('</head>'), fixed);
  assert.ok(declared < fixed.indexOf('<script src="data:'), 'the store exists before the app runs');
  // The template's own lines stay: they keep the store (|| {}) and then mark it ready.
  assert.equal(fixed.replace(/<script>window\.allureReportDataReady = false; [^<]*<\/script>\n/, ''), page);
  // A page of another layout (no embedded data) is left alone.
  assert.equal(
    withEmbeddedDataFirst('<html><head></head><body></body></html>'),
    '<html><head></head><body></body></html>',
  );
});
