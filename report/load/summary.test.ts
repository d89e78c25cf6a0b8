// Golden tests of a load run's summary.md (renderSummary) and of the threshold lines the run prints
// (describeResult): a breakpoint run that broke (testing/breakpoint-run.ts, every figure written out there) and a
// smoke run that produced nothing after its warm-up. Compared with testdata/load-summary-*.golden.*;
// `UPDATE_GOLDEN=1 node --test report/load/summary.test.ts` rewrites them; read the diff before committing. The rest of
// what a run prints at its end (the saturation sentence, the breakpoint and the closing line) is written inline
// by report/load/publish.ts publishLoadRun (the saturation sentence by load/run.ts); the sentence is saturation.test.ts's.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertGolden } from '../../core/testing/golden.ts';
import type { RunSummary } from '../../load/report.ts';
import { breakpointRunSummary } from '../../load/testing/breakpoint-run.ts';
import { describeResult, evaluateThresholds, thresholdsFromLimits } from '../../load/thresholds.ts';
import { renderSummary, toAllureResults } from './summary.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');

/**
 * `harness load --profile smoke` against an API that went away during the warm-up: 10 s of warm-up (30 journeys
 * at 3/s, 168 requests), then nothing; every threshold without data, the run inconclusive with Artillery's last
 * lines.
 */
function emptySmokeRun(): RunSummary {
  const log = '/golden/reports/load/load-3f2a9c10/artillery.log';
  const specs = thresholdsFromLimits({ p95LatencyMs: 300, maxErrorRatePct: 0.1, availabilityPct: 99.9 });
  return {
    runId: 'load-3f2a9c10',
    profile: 'smoke',
    scenario: 'mix',
    target: 'http://127.0.0.1:3000',
    startedAt: '2026-11-30T09:00:10.400Z',
    endedAt: '2026-11-30T09:01:10.400Z',
    verdict: 'inconclusive',
    thresholds: evaluateThresholds(specs, () => null),
    requests: 0,
    machine: { healthzP95Ms: null, probes: 0, eventLoopDelayP99Ms: 12 },
    warmup: {
      seconds: 10,
      startedAt: '2026-11-30T09:00:00.000Z',
      endedAt: '2026-11-30T09:00:10.400Z',
      requests: 168,
    },
    journeyMix: {},
    periods: [],
    problem: [
      `Artillery produced no results after the warm-up (exit 1); last lines of ${log}:`,
      'Phase started: light (index: 1, duration: 60s) 09:00:10(+0000)',
      'Errors:',
      '  ECONNREFUSED: ........................................... 180',
    ].join('\n'),
    command: 'harness load --profile smoke --target http://127.0.0.1:3000',
    reproduce: 'harness load --profile smoke --target http://127.0.0.1:3000',
  };
}

/**
 * Compares the run's summary and its threshold lines with their golden files, `<name>.golden.md` and
 * `<name>-thresholds.golden.txt`; returns the summary's Markdown.
 */
function assertSummaryGoldens(summary: RunSummary, name: string): string {
  const markdown = renderSummary(summary);
  assertGolden(TESTDATA, `${name}.golden.md`, markdown);
  assertGolden(TESTDATA, `${name}-thresholds.golden.txt`, `${summary.thresholds.map(describeResult).join('\n')}\n`);
  return markdown;
}

describe("a load run's summary", () => {
  it("gives one Allure result per threshold, as its golden file (each result's random uuid left out)", () => {
    const summary = breakpointRunSummary();
    const results = toAllureResults(summary, Date.parse(summary.startedAt), Date.parse(summary.endedAt));
    const stable = results.map((result) => ({ ...result, uuid: '(random)' }));
    assertGolden(TESTDATA, 'load-allure-breakpoint.golden.json', `${JSON.stringify(stable, null, 2)}\n`);
    assert.equal(results.length, summary.thresholds.length);
  });

  it('reads as its golden file for a breakpoint run that broke, with what saturated first', () => {
    const summary = breakpointRunSummary();
    const markdown = assertSummaryGoldens(summary, 'load-summary-breakpoint');
    // The figures breakpoint-run.ts works out by hand.
    assert.match(markdown, /^- market-browsing: 69\.99 %\n- trader-session: 30\.01 %$/m);
    assert.match(
      markdown,
      /^Broke at \*\*31 journeys\/s\*\* \(scheduled 30\.99\/s, 173\.6 requests\/s\), 60 s into the run: latency-p95 \(P95 480 ms, errors 0\.35 %\)\. Last rate without a breach: 26\.1 journeys\/s\.$/m,
    );
    assert.match(markdown, /^\| error-rate \| <= 0\.1 % \| 0\.454 % \| \*\*FAIL\*\* \|$/m);
  });

  it('reads as its golden file for a run with nothing to judge, saying why', () => {
    const summary = emptySmokeRun();
    const markdown = assertSummaryGoldens(summary, 'load-summary-no-results');
    assert.match(markdown, /^# Load run load-3f2a9c10: INCONCLUSIVE$/m);
    // Nothing was measured, so nothing was breached; and Artillery's lines stay lines (a code block in the item).
    assert.doesNotMatch(markdown, /Breached/);
    assert.match(markdown, /^No data: latency-p95, error-rate, availability, checks$/m);
    assert.match(
      markdown,
      /artillery\.log:\n\n {2}```\n {2}Phase started: .*\n {2}Errors:\n {4}ECONNREFUSED: \.+ 180\n {2}```\n/,
    );
  });
});
