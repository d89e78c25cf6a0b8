// verify's compare stage (--baseline) on recorded run folders: samples.jsonl written as the processor writes it,
// from seeded generators whose truth is known (load/testing/fake-runs.ts). The stage row of STAGE_TABLE runs over a
// run state whose load folder is such a run; the baseline folder is the one saveBaseline writes. Shown: healthy
// against healthy passes; +50 ms on one endpoint fails naming it; runs too short are inconclusive; a baseline
// without samples is inconclusive with the reason; a definite fail elsewhere outranks an inconclusive comparison.
// The full CLI path (a real stack and Artillery) is the healthy run of cli/verify.stack.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { TestResult } from 'allure-js-commons';
import type { Comparison, LoadedRun } from '../../load/compare.ts';
import type { LoadResult } from '../../load/run.ts';
import { SAMPLES_FILE } from '../../load/samples.ts';
import { makeRun, type RunShape, writeRunFolder } from '../../load/testing/fake-runs.ts';
import { renderSummaryMarkdown } from '../../report/verify/markdown.ts';
import { runVerdict, type StageResult } from '../../report/verify/model.ts';
import { verdictSentence } from '../../report/verify/verdict.ts';
import type { SloReport } from '../../slo/index.ts';
import { compareLoadWithBaseline } from './baseline-load.ts';
import { Progress } from './progress.ts';
import { reportPaths, saveBaseline } from './reports/paths.ts';
import type { RunState, SkippableStage } from './run-state.ts';
import { STAGE_TABLE, type StageOutcome } from './stages.ts';

const ENDPOINTS = { '/api/market/overview': 8, '/api/market/quotes': 12, '/api/charts/kline/:symbol': 20 };
const HEALTHY: Omit<RunShape, 'seed'> = { seconds: 90, rate: 20, endpoints: ENDPOINTS, burstiness: 0.1 };
const QUOTES = '/api/market/quotes';

const passingSlo: SloReport = {
  status: 'pass',
  time: '2026-11-30T08:00:00.000Z',
  window: '1m',
  prometheusUrl: 'http://127.0.0.1:9090',
  config: 'slo/slo-config.yaml',
  service: 'mystocks-api',
  slos: [],
};

/** The parts of a LoadResult saveBaseline and the compare stage read: where the run's folder is. */
function loadResultIn(dir: string, runId: string): LoadResult {
  return {
    verdict: 'pass',
    runId,
    startedAt: new Date(0),
    endedAt: new Date(90_000),
    thresholds: [],
    reportPath: join(dir, 'artillery.json'),
    summaryPath: join(dir, 'summary.md'),
    summaryJsonPath: join(dir, 'summary.json'),
    htmlPath: join(dir, 'report.html'),
  };
}

/**
 * A reports folder whose baseline is run A, saved by saveBaseline as a passing verify run saves it, and a run
 * state whose load is run B in reports/load/<B>; `baseline: false` leaves the baseline without samples.
 */
async function setUp(a: LoadedRun, b: LoadedRun, options: { baseline?: boolean; skip?: SkippableStage[] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'harness-baseline-load-'));
  const paths = reportPaths(dir, 'verify-test');
  mkdirSync(paths.allureResults, { recursive: true });
  if (options.baseline === false) {
    await saveBaseline(passingSlo, paths);
  } else {
    writeRunFolder(join(paths.loadDir, a.runId), a);
    await saveBaseline(passingSlo, paths, loadResultIn(join(paths.loadDir, a.runId), a.runId));
  }
  writeRunFolder(join(paths.loadDir, b.runId), b);
  const state: RunState = {
    settings: {
      profile: 'smoke',
      skip: new Set(options.skip ?? []),
      baselinePath: paths.baseline,
      faults: [],
      sloConfigPath: 'slo/slo-config.yaml',
      sloConfigGiven: false,
      settleMarginSeconds: 1,
      allureReport: false,
    },
    paths,
    sloConfig: () => Promise.reject(new Error('the compare stage reads no SLO file')),
    stackLog: () => {},
    load: loadResultIn(join(paths.loadDir, b.runId), b.runId),
    stages: [],
    problems: [],
    toolMs: { e2e: 0, load: 0, slo: 0 },
  };
  return { state, paths };
}

const compareSpec = STAGE_TABLE.find((s) => s.name === 'compare')!;

/** Runs the compare row of the stage table over the state: its needs first, as the pipeline does. */
async function runCompare(state: RunState): Promise<{ outcome: StageOutcome | 'omitted'; lines: string[] }> {
  const lines: string[] = [];
  for (const need of compareSpec.needs) {
    const why = need.missing(state);
    if (why !== undefined) {
      if (need.otherwise === 'omit') return { outcome: 'omitted', lines };
      assert.equal(need.otherwise, 'skip');
      return { outcome: { result: 'skipped', decides: false, detail: why }, lines };
    }
  }
  const log = new Progress({ write: (line) => lines.push(line) }).stage('compare');
  try {
    return { outcome: await compareSpec.run(state, log), lines };
  } finally {
    log.end();
  }
}

function allureResults(dir: string): TestResult[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('-result.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as TestResult);
}

const stage = (name: StageResult['stage'], outcome: StageOutcome): StageResult => ({
  stage: name,
  durationMs: 0,
  ...outcome,
});

describe('verify --baseline: the load comparison stage', () => {
  test('a healthy run against a healthy baseline passes, with the table, compare.json/.txt and Allure tests', async () => {
    const { state, paths } = await setUp(
      makeRun('base', { ...HEALTHY, seed: 1 }),
      makeRun('this', { ...HEALTHY, seed: 2 }),
    );
    const { outcome, lines } = await runCompare(state);
    assert.ok(outcome !== 'omitted');
    assert.equal(outcome.result, 'pass', outcome.detail);
    assert.equal(outcome.decides, true);
    assert.equal(outcome.detail, 'no significant difference against baseline base');
    assert.equal(outcome.reportPath, paths.compareTxt);
    // The table in the log, and the same table in compare.txt.
    assert.ok(lines.some((line) => line.includes('compare this (B, 5400 requests in 90 s) against base (A')));
    assert.match(readFileSync(paths.compareTxt, 'utf8'), /verdict: no significant difference/);
    const json = JSON.parse(readFileSync(paths.compareJson, 'utf8')) as Comparison;
    assert.equal(json.verdict, 'no-significant-difference');
    assert.deepEqual(
      json.rows.map((r) => r.endpoint),
      ['(all endpoints)', ...Object.keys(ENDPOINTS).sort()],
    );
    const tests = allureResults(paths.allureResults);
    assert.equal(tests.length, 4);
    for (const t of tests) assert.equal(t.status, 'passed', `${t.name}: ${t.statusDetails?.message}`);
    assert.deepEqual(tests.find((t) => t.name === 'load compare: (all endpoints)')?.titlePath, [
      'mystocks-harness',
      'load',
      'compare',
    ]);
    assert.equal(state.problems.length, 0);
    assert.equal(
      verdictSentence({ verdict: 'pass', problems: [], ...(state.comparison ? { comparison: state.comparison } : {}) }),
      'PASS: no load regression against the baseline.',
    );
  });

  test('50 ms added to one endpoint fails the run, naming that endpoint in the stage, sentence and summary', async () => {
    const { state, paths } = await setUp(
      makeRun('base', { ...HEALTHY, seed: 3 }),
      makeRun('this', { ...HEALTHY, seed: 4, extra: { [QUOTES]: 50 } }),
    );
    const { outcome } = await runCompare(state);
    assert.ok(outcome !== 'omitted');
    assert.equal(outcome.result, 'fail', outcome.detail);
    assert.equal(outcome.decides, true);
    assert.match(outcome.detail, /^regression against baseline base: \/api\/market\/quotes p50 /);
    // The faulted route fails its Allure test, and all requests together (it slows them too); no other route does.
    const failed = allureResults(paths.allureResults).filter((t) => t.status === 'failed');
    assert.deepEqual(failed.map((t) => t.name).sort(), ['load compare: (all endpoints)', `load compare: ${QUOTES}`]);
    // The run's verdict: the comparison's fail joins the stages' (everything else passed).
    const stages = [stage('load', { result: 'pass', decides: true, detail: '' }), stage('compare', outcome)];
    assert.equal(runVerdict(stages), 'fail');
    const comparison = state.comparison!;
    const sentence = verdictSentence({ verdict: 'fail', problems: [], comparison });
    assert.match(
      sentence,
      /^FAIL: load regression against the baseline: \/api\/market\/quotes p50 [\d.]+ -> [\d.]+ ms/,
    );
    assert.match(sentence, /; \d+ more regression\(s\)\.$/);
    const summary = renderSummaryMarkdown({
      verdict: 'fail',
      profile: 'smoke',
      stages,
      paths,
      problems: [],
      comparison,
    });
    assert.match(summary, /### Load against the baseline\n\n❌ \*\*regression\*\*: this run \(5400 requests in 90 s\)/);
    assert.match(
      summary,
      /\| \/api\/market\/quotes \| 1800 \/ 1800 \| [\d.]+ ms → [\d.]+ ms \| [\d.]+ \[[\d.]+, [\d.]+\] \| [\d.]+ \| p50: regression \|/,
    );
    assert.match(summary, /\| \/api\/market\/overview \| 1800 \/ 1800 \| .* \| (?!p\d+: regression)[^|]+ \|$/m);
  });

  test('runs too short to tell are inconclusive, saying there is not enough data', async () => {
    const short = { seconds: 20, rate: 5, endpoints: ENDPOINTS };
    const { state, paths } = await setUp(
      makeRun('base', { ...short, seed: 5 }),
      makeRun('this', { ...short, seed: 6, extra: { [QUOTES]: 50 } }),
    );
    const { outcome } = await runCompare(state);
    assert.ok(outcome !== 'omitted');
    assert.equal(outcome.result, 'inconclusive');
    assert.equal(outcome.decides, true);
    assert.match(outcome.detail, /^cannot tell against baseline base: not enough data to tell: .*run A spans 4 blocks/);
    // The comparison's own Allure tests and files show it, so no broken stand-in test is needed.
    assert.deepEqual(
      state.problems.map((p) => [p.stage, p.ownResults]),
      [['compare', true]],
    );
    assert.ok(existsSync(paths.compareJson));
    assert.match(
      verdictSentence({ verdict: 'inconclusive', problems: state.problems }),
      /^INCONCLUSIVE: compare: cannot tell/,
    );
  });

  test('a baseline without load samples is inconclusive with the reason; a definite fail elsewhere outranks it', async () => {
    const { state, paths } = await setUp(
      makeRun('base', { ...HEALTHY, seed: 7 }),
      makeRun('this', { ...HEALTHY, seed: 8 }),
      {
        baseline: false,
      },
    );
    const { outcome } = await runCompare(state);
    assert.ok(outcome !== 'omitted');
    assert.equal(outcome.result, 'inconclusive');
    assert.equal(outcome.decides, true);
    assert.match(
      outcome.detail,
      /^not compared: the baseline has no load samples to compare with \(.*baseline\/load\/samples\.jsonl does not exist\): its run skipped load/,
    );
    assert.equal(outcome.reportPath, undefined);
    assert.ok(!existsSync(paths.compareJson), 'no comparison was written');
    // No comparison of its own: the report stage turns the problem into a broken Allure test.
    assert.deepEqual(
      state.problems.map((p) => [p.stage, p.ownResults]),
      [['compare', false]],
    );
    const summary = renderSummaryMarkdown({
      verdict: 'inconclusive',
      profile: 'smoke',
      stages: [],
      paths,
      problems: state.problems,
      comparison: state.comparison!,
    });
    assert.match(
      summary,
      /### Load against the baseline\n\n⚠️ Not compared \(inconclusive\): the baseline has no load samples/,
    );
    const compare = stage('compare', outcome);
    assert.equal(runVerdict([stage('slo', { result: 'pass', decides: true, detail: '' }), compare]), 'inconclusive');
    assert.equal(runVerdict([stage('slo', { result: 'fail', decides: true, detail: '' }), compare]), 'fail');
  });

  test('this run without samples is inconclusive too; malformed samples are said, not thrown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-baseline-load-'));
    const paths = reportPaths(dir, 'verify-test');
    const baseRun = writeRunFolder(join(dir, 'load', 'base'), makeRun('base', { ...HEALTHY, seed: 9 }));
    await saveBaseline(passingSlo, paths, loadResultIn(baseRun.dir, 'base'));
    const thisDir = join(dir, 'load', 'this');
    mkdirSync(thisDir);
    assert.match(
      compareLoadWithBaseline(paths.baseline, thisDir).reason ?? '',
      /^this run recorded no load samples \(.*this\/samples\.jsonl does not exist\)/,
    );
    writeFileSync(join(thisDir, SAMPLES_FILE), '[1, "/a", 3, 200]\nnot json\n[2, "/a", 3, 200]\n');
    const malformed = compareLoadWithBaseline(paths.baseline, thisDir);
    assert.equal(malformed.verdict, 'inconclusive');
    assert.match(
      malformed.reason ?? '',
      /^the load comparison with the baseline failed: .*samples\.jsonl:2: not a sample/,
    );
  });

  test('--skip load lists the comparison as skipped; without --baseline it is not listed at all', async () => {
    const a = makeRun('base', { ...HEALTHY, seed: 10 });
    const skipped = await setUp(a, makeRun('this', { ...HEALTHY, seed: 11 }), { skip: ['load'] });
    delete skipped.state.load;
    assert.deepEqual((await runCompare(skipped.state)).outcome, {
      result: 'skipped',
      decides: false,
      detail: '--skip load: no load to compare with the baseline',
    });
    const unasked = await setUp(a, makeRun('this', { ...HEALTHY, seed: 11 }));
    delete unasked.state.settings.baselinePath;
    assert.equal((await runCompare(unasked.state)).outcome, 'omitted');
  });
});

describe("saveBaseline keeps the passing run's load samples beside slo.json", () => {
  test('copies samples.jsonl and summary.json, drops them for a run without samples, keeps nothing of a failed run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harness-baseline-save-'));
    const paths = reportPaths(dir, 'verify-test');
    const run = writeRunFolder(join(paths.loadDir, 'run-1'), makeRun('run-1', { ...HEALTHY, seed: 12 }));
    assert.deepEqual(await saveBaseline(passingSlo, paths, loadResultIn(run.dir, 'run-1')), { loadSamples: true });
    assert.equal(
      readFileSync(join(paths.baselineLoad, SAMPLES_FILE), 'utf8'),
      readFileSync(join(run.dir, SAMPLES_FILE), 'utf8'),
    );
    assert.equal(JSON.parse(readFileSync(join(paths.baselineLoad, 'summary.json'), 'utf8')).runId, 'run-1');
    assert.equal(JSON.parse(readFileSync(paths.baseline, 'utf8')).status, 'pass');
    // No temp files left behind by the atomic writes.
    assert.deepEqual(readdirSync(paths.baselineLoad).sort(), [SAMPLES_FILE, 'summary.json']);

    // A failing run writes nothing: the baseline stays the earlier passing run's, samples included.
    assert.equal(await saveBaseline({ ...passingSlo, status: 'fail' }, paths), undefined);
    assert.ok(existsSync(join(paths.baselineLoad, SAMPLES_FILE)));

    // A passing run without load (--skip load): its SLO report is the baseline, and no other run's samples stay.
    assert.deepEqual(await saveBaseline({ ...passingSlo, time: '2026-11-30T09:00:00.000Z' }, paths), {
      loadSamples: false,
    });
    assert.ok(!existsSync(paths.baselineLoad));
    assert.equal(JSON.parse(readFileSync(paths.baseline, 'utf8')).time, '2026-11-30T09:00:00.000Z');
  });
});
