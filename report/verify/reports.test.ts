// Golden tests of verify's report formats: one fixed run (a failed E2E test, a broken load threshold, one SLO met,
// one breached, one without data) rendered as the Markdown summary, JUnit and the terminal summary (the SLO
// table alone is report/slo/render.test.ts), compared with testdata/*.golden.
// `UPDATE_GOLDEN=1 node --test report/verify/reports.test.ts` rewrites them; review the diff before committing. The Allure report of such a run, made by Allure itself, is
// allure.int.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { reportPaths } from '../../cli/verify/reports/paths.ts';
import { assertGolden } from '../../core/testing/golden.ts';
import { type Cell, type Comparison, DEFAULT_MARGINS, OVERALL } from '../../load/compare.ts';
import type { LoadResult } from '../../load/run.ts';
import { smokeThresholds } from '../../load/testing/smoke-run.ts';
import type { SloReport } from '../../slo/index.ts';
import { verifyJson } from './json.ts';
import { compareSuite, renderCombinedJunit } from './junit.ts';
import { renderSummaryMarkdown } from './markdown.ts';
import type { E2eResult, StageResult, VerifyResult } from './model.ts';
import { renderFinalTable } from './terminal.ts';
import { GOLDEN_SLO_REPORT as slo } from './testing/runs.ts';
import { verdictSentence } from './verdict.ts';
import { headline } from './what-ran.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');
const paths = reportPaths('/golden/reports', 'verify-run1');

const load: LoadResult = {
  verdict: 'fail',
  runId: 'verify-run1',
  startedAt: new Date('2026-11-30T08:00:00.000Z'),
  endedAt: new Date('2026-11-30T08:00:30.000Z'),
  thresholds: smokeThresholds(412, 0),
  reportPath: '/golden/reports/load/verify-run1/artillery.json',
  summaryPath: '/golden/reports/load/verify-run1/summary.md',
} as LoadResult;

function e2e(junitPath: string): E2eResult {
  return {
    verdict: 'fail',
    startedAt: new Date('2026-11-30T07:59:00.000Z'),
    endedAt: new Date('2026-11-30T07:59:50.000Z'),
    playwrightExit: 1,
    counts: { tests: 3, passed: 1, failed: 1, flaky: 0, skipped: 1 },
    failed: ['[chromium] › market.spec.ts › shows the overview'],
    junitPath,
    htmlReportPath: '/golden/reports/e2e/playwright-report/index.html',
    logPath: '/golden/reports/e2e/playwright.log',
  };
}

/** A JUnit file as Playwright writes it: CDATA output, an escaped message, a skipped test. */
const PLAYWRIGHT_JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites id="" name="" tests="3" failures="1" skipped="1" errors="0" time="50">
<testsuite name="market.spec.ts" timestamp="2026-11-30T07:59:00.000Z" hostname="chromium" tests="3" failures="1" skipped="1" time="48" errors="0">
<testcase name="shows the overview" classname="market.spec.ts" time="12">
<failure message="market.spec.ts:10:5 shows the overview" type="FAILURE">
<![CDATA[Error: expected "<table>" & got nothing]]>
</failure>
</testcase>
<testcase name="searches a symbol" classname="market.spec.ts" time="20">
<system-out>
<![CDATA[searched AAPL
]]>
</system-out>
</testcase>
<testcase name="exports CSV" classname="market.spec.ts" time="0">
<skipped>
</skipped>
</testcase>
</testsuite>
</testsuites>`;

const stages: StageResult[] = [
  { stage: 'stack', result: 'pass', decides: true, durationMs: 4210, detail: 'local: postgres, redis, api' },
  {
    stage: 'e2e',
    result: 'fail',
    decides: true,
    durationMs: 50000,
    reportPath: '/golden/reports/e2e/playwright-report/index.html',
    detail: '1 passed, 1 failed, 1 skipped',
  },
  {
    stage: 'load',
    result: 'fail',
    decides: true,
    durationMs: 31000,
    reportPath: load.summaryPath,
    detail: 'thresholds broken: latency-p95',
  },
  { stage: 'settle', result: 'pass', decides: true, durationMs: 2000, detail: 'scraped 0.4 s past the end' },
  {
    stage: 'slo',
    result: 'fail',
    decides: true,
    durationMs: 350,
    reportPath: paths.sloJson,
    detail: 'breached: latency-p95; inconclusive: cache-hit-rate',
  },
  { stage: 'report', result: 'pass', decides: false, durationMs: 900, detail: 'Allure, JUnit, Markdown' },
  { stage: 'down', result: 'pass', decides: false, durationMs: 700, detail: 'stopped' },
];
const problems = [{ stage: 'slo' as const, problem: 'no verdict for cache-hit-rate (no data)', ownResults: true }];

/** The golden run's result, as renderFinalTable and verifyJson read it, `over` laid on top. */
function runResult(over: Partial<VerifyResult> = {}): VerifyResult {
  return {
    verdict: 'fail',
    stages,
    breachedSlos: ['latency-p95'],
    inconclusiveSlos: ['cache-hit-rate'],
    breachedThresholds: ['latency-p95'],
    paths,
    wallMs: 89160,
    toolMs: { e2e: 50_000, load: 30_000, slo: 350 },
    ...over,
  };
}
/** A run in which no SLO and no threshold broke. */
const NOTHING_BROKE = { breachedSlos: [], inconclusiveSlos: [], breachedThresholds: [] };

test('the Markdown summary reads as its golden file', () => {
  assertGolden(
    TESTDATA,
    'summary.golden.md',
    renderSummaryMarkdown({
      verdict: 'fail',
      stackMode: 'local',
      profile: 'smoke',
      stages,
      e2e: e2e('/nonexistent/junit.xml'),
      load,
      slo,
      paths,
      problems,
    }),
  );
});

test('the combined JUnit keeps Playwright suites whole and sums the totals of every suite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'junit-golden-'));
  const junitPath = join(dir, 'junit.xml');
  writeFileSync(junitPath, PLAYWRIGHT_JUNIT);
  const xml = await renderCombinedJunit({
    e2e: e2e(junitPath),
    load,
    slo,
    problems: [{ stage: 'stack', problem: 'first line\nsecond line' }],
  });
  assertGolden(TESTDATA, 'junit.golden.xml', xml);
  // Parsed back, the document says what the parts said: 3 + 2 + 3 + 1 tests; 1 + 1 + 1 failures; 1 + 1 errors.
  const root = new XMLParser({ ignoreAttributes: false }).parse(xml).testsuites;
  assert.deepEqual([root['@_tests'], root['@_failures'], root['@_errors']], ['9', '3', '2']);
  assert.match(xml, /<!\[CDATA\[Error: expected "<table>" & got nothing\]\]>/);
});

test('the terminal summary reads as its golden file', () => {
  const result = runResult({ e2e: e2e('/nonexistent/junit.xml') });
  assertGolden(TESTDATA, 'verify-summary.golden.txt', renderFinalTable(result, '/golden'));
});

test('verify.json keeps its numbers: the run exit code, each deciding stage its own, null for the rest', () => {
  // The Allure report not generated (inconclusive, decides nothing) and a skipped stage say no number.
  const withUndecided: StageResult[] = [
    ...stages.slice(0, 3),
    { stage: 'compare', result: 'skipped', decides: false, durationMs: 0, detail: '--skip load' },
    ...stages.slice(3, 5),
    { ...stages[5]!, result: 'inconclusive', detail: 'Allure report not generated' },
    stages[6]!,
  ];
  const json = verifyJson(runResult({ stages: withUndecided, wallMs: 89160.4 }));
  assert.deepEqual([json.exitCode, json.verdict], [1, 'fail']);
  assert.deepEqual(
    json.stages.map((s) => [s.stage, s.result, s.exitCode]),
    [
      ['stack', 'pass', 0],
      ['e2e', 'fail', 1],
      ['load', 'fail', 1],
      ['compare', 'skipped', null],
      ['settle', 'pass', 0],
      ['slo', 'fail', 1],
      ['report', 'inconclusive', null],
      ['down', 'pass', null],
    ],
  );
  // A stage's fields in the order verify.json has always written them; the run-level `decides` is not one.
  assert.equal(
    JSON.stringify(json.stages[2]),
    `{"stage":"load","durationMs":31000,"result":"fail","exitCode":1,"reportPath":${JSON.stringify(load.summaryPath)},"detail":"thresholds broken: latency-p95"}`,
  );
});

test('the load comparison is a JUnit suite: a regressed endpoint fails, an undecided one errs, thin ones pass', () => {
  const cell = (metric: Cell['metric'], verdict: Cell['verdict'], extra: Partial<Cell> = {}): Cell => ({
    metric,
    unit: metric === 'throughput' ? 'req/s' : 'ms',
    a: 10,
    b: 12,
    difference: 2,
    interval: [1, 3],
    margin: 5,
    configuredMargin: 5,
    decides: true,
    verdict,
    ...extra,
  });
  const run = (runId: string) => ({ runId, dir: `/runs/${runId}`, samples: 5000, seconds: 150, blocks: 30 });
  const comparison: Comparison = {
    runA: run('baseline'),
    runB: run('this-run'),
    confidence: 0.99,
    replicates: 4000,
    blockSeconds: 5,
    margins: DEFAULT_MARGINS,
    verdict: 'regression',
    reasons: [],
    rows: [
      { endpoint: OVERALL, requestsA: 5000, requestsB: 5000, cells: [cell('p50', 'within-margin')] },
      {
        endpoint: '/api/market/quotes',
        requestsA: 900,
        requestsB: 900,
        cells: [cell('p50', 'regression', { b: 62, difference: 52, interval: [50, 53] }), cell('p95', 'within-margin')],
      },
      { endpoint: '/api/auth/me', requestsA: 300, requestsB: 300, cells: [cell('p95', 'inconclusive')] },
      {
        endpoint: '/api/rare',
        requestsA: 40,
        requestsB: 40,
        cells: [
          cell('p95', 'not-enough-data', { reason: 'fewer than 200 requests', decides: false }),
          cell('throughput', 'inconclusive', { decides: false }),
        ],
      },
    ],
  };
  const suite = compareSuite(comparison);
  assert.deepEqual([suite['@_tests'], suite['@_failures'], suite['@_errors']], ['4', '1', '1']);
  const cases = suite.testcase as Record<string, unknown>[];
  assert.deepEqual(
    cases.map((c) => [c['@_name'], 'failure' in c ? 'failure' : 'error' in c ? 'error' : 'pass']),
    [
      ['(all endpoints) (5000 -> 5000 requests)', 'pass'],
      ['/api/market/quotes (900 -> 900 requests)', 'failure'],
      ['/api/auth/me (300 -> 300 requests)', 'error'],
      ['/api/rare (40 -> 40 requests)', 'pass'],
    ],
  );
  const failure = (cases[1]!.failure as Record<string, string>[])[0]!;
  assert.equal(failure['@_message'], 'regression: p50 10 -> 62 ms (difference 52 [50, 53], margin 5)');
  assert.match(
    String((cases[3]!['system-out'] as Record<string, string>)['#text']),
    /not-enough-data \(fewer than 200/,
  );
});

// --- what ran, what was skipped, what could not be judged ---------------------------------------------------

const metSlo: SloReport = {
  ...slo,
  status: 'pass',
  slos: [slo.slos[0]!, { ...slo.slos[1]!, status: 'pass', sli: 212, reason: undefined }],
} as SloReport;
const heldLoad: LoadResult = {
  ...load,
  verdict: 'pass',
  thresholds: smokeThresholds(212, 0),
} as LoadResult;

/** `harness verify --skip e2e` on a healthy service: every stage that ran passed. */
const skippedE2eStages: StageResult[] = [
  stages[0]!,
  { stage: 'e2e', result: 'skipped', decides: false, durationMs: 0, detail: '--skip e2e' },
  { ...stages[2]!, result: 'pass', decides: true, detail: '2 thresholds held' },
  stages[3]!,
  { ...stages[4]!, result: 'pass', decides: true, detail: '2 SLOs met' },
  stages[5]!,
  stages[6]!,
];

/** A run whose SLOs could not be judged: too little evidence for one, Prometheus gone for the other. */
const unjudgedSlo: SloReport = {
  ...slo,
  status: 'inconclusive',
  slos: [
    slo.slos[0]!,
    {
      ...slo.slos[1]!,
      status: 'inconclusive',
      sli: null,
      reason:
        "too little evidence: 12 events in the window, at least 20 needed (minEvents); at this run's rate (0.4 events/s) a load of at least 1 m 3 s would reach it",
    },
    {
      ...slo.slos[2]!,
      reason:
        'good query: Prometheus at http://127.0.0.1:9090 did not answer: connect ECONNREFUSED 127.0.0.1:9090 (2 attempts)',
    },
  ],
} as SloReport;
const unjudgedStages: StageResult[] = [
  stages[0]!,
  { ...stages[1]!, result: 'pass', decides: true, detail: '2 passed, 0 failed, 1 skipped' },
  { ...stages[2]!, result: 'pass', decides: true, detail: '2 thresholds held' },
  stages[3]!,
  { ...stages[4]!, result: 'inconclusive', decides: true, detail: 'inconclusive: latency-p95, cache-hit-rate' },
  stages[5]!,
  stages[6]!,
];
const unjudgedProblems = [
  {
    stage: 'slo' as const,
    problem: `no verdict for ${unjudgedSlo.slos
      .filter((s) => s.status === 'inconclusive')
      .map((s) => `${s.name} (${s.reason})`)
      .join('; ')}`,
    ownResults: true,
  },
];

test('a run with a skipped stage says so in its headline, its verdict sentence and its summary', () => {
  const sentence = verdictSentence({
    verdict: 'pass',
    slo: metSlo,
    load: heldLoad,
    problems: [],
    stages: skippedE2eStages,
  });
  assert.equal(
    sentence,
    'PASS — e2e skipped (--skip e2e): browser tests did not run; 2 SLOs met, 2 load thresholds held.',
  );
  assertGolden(
    TESTDATA,
    'summary-skipped-e2e.golden.md',
    renderSummaryMarkdown({
      verdict: 'pass',
      stackMode: 'local',
      profile: 'smoke',
      stages: skippedE2eStages,
      load: heldLoad,
      slo: metSlo,
      paths,
      problems: [],
      verdictSentence: sentence,
    }),
  );
  const result = runResult({
    verdict: 'pass',
    stages: skippedE2eStages,
    ...NOTHING_BROKE,
    verdictSentence: sentence,
    wallMs: 41_500,
    toolMs: { e2e: 0, load: 30_000, slo: 350 },
  });
  assertGolden(TESTDATA, 'verify-summary-skipped-e2e.golden.txt', renderFinalTable(result, '/golden'));
});

test('an inconclusive run says what could not be judged and why, in its headline and its summary', () => {
  const sentence = verdictSentence({
    verdict: 'inconclusive',
    slo: unjudgedSlo,
    load: heldLoad,
    problems: unjudgedProblems,
  });
  assert.match(sentence, /^INCONCLUSIVE: slo: no verdict for latency-p95 \(too little evidence: 12 events/);
  assertGolden(
    TESTDATA,
    'summary-inconclusive.golden.md',
    renderSummaryMarkdown({
      verdict: 'inconclusive',
      stackMode: 'local',
      profile: 'smoke',
      stages: unjudgedStages,
      e2e: { ...e2e('/nonexistent/junit.xml'), verdict: 'pass', failed: [] },
      load: heldLoad,
      slo: unjudgedSlo,
      paths,
      problems: unjudgedProblems,
      verdictSentence: sentence,
    }),
  );
  const result = runResult({
    verdict: 'inconclusive',
    stages: unjudgedStages,
    ...NOTHING_BROKE,
    inconclusiveSlos: ['latency-p95', 'cache-hit-rate'],
    verdictSentence: sentence,
    wallMs: 92_300,
  });
  assertGolden(TESTDATA, 'verify-summary-inconclusive.golden.txt', renderFinalTable(result, '/golden'));
});

test('stages skipped for one reason share it; a stage of the run that could not judge is named', () => {
  const down: StageResult[] = [
    { ...stages[0]!, result: 'inconclusive', decides: true, detail: 'the stack did not start: postgres exited' },
    ...(['e2e', 'load', 'slo'] as const).map(
      (stage): StageResult => ({
        stage,
        result: 'skipped',
        decides: false,
        durationMs: 0,
        detail: 'the stack did not start',
      }),
    ),
    { ...stages[5]!, result: 'inconclusive', decides: false, detail: 'Allure report not generated' },
  ];
  assert.equal(
    headline('inconclusive', down, { exitCode: true }),
    'INCONCLUSIVE (exit 2) — could not be judged: stack; e2e, load and slo skipped (the stack did not start): browser tests did not run, no load was sent (load thresholds not checked) and the SLOs were not judged',
  );
  assert.equal(
    headline(
      'pass',
      stages.filter((s) => s.result === 'pass'),
    ),
    'PASS',
  );
});
