// The stages of `harness verify`, each a function over the run's state that returns its verdict and artefacts,
// and the table that says in which order they run, what each needs and what skips it. The pipeline in verify.ts
// reads the table; no stage calls another.

import { writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import { displayPath, firstLine } from '../../core/text.ts';
import { diagnoseReport, resetStatementStats } from '../../diagnose/index.ts';
import { renderDiagnosisTable } from '../../report/diagnose/render.ts';
import { writeDiagnosisFiles } from '../../report/diagnose/write.ts';
import { renderComparisonTable } from '../../report/load/compare.ts';
import { renderTable } from '../../report/slo/render.ts';
import {
  generateAllureReport,
  publishComparisonAllure,
  publishLoadAllure,
  publishSkippedStage,
  publishSloAllure,
  publishStageProblem,
} from '../../report/verify/allure.ts';
import { renderCombinedJunit } from '../../report/verify/junit.ts';
import { renderSummaryMarkdown } from '../../report/verify/markdown.ts';
import {
  type RunContext,
  runVerdict,
  type SloWindow,
  type StageName,
  type StageResult,
} from '../../report/verify/model.ts';
import { writeVerifyLoadReport } from '../../report/verify/page.ts';
import { contextLines, verdictSentence } from '../../report/verify/verdict.ts';
import {
  compareWithBaseline,
  discoverScrapeInterval,
  evaluateSlos,
  loadBaseline,
  PROMETHEUS_DEFAULT_SCRAPE_SECONDS,
  PrometheusClient,
  type SloModel,
  type SloReport,
  settle,
} from '../../slo/index.ts';
import type { Stack, StackOptions } from '../../stack/index.ts';
import { resolveStackMode, startStack } from '../../stack/index.ts';
import { API_JOB } from '../../stack/prometheus-config.ts';
import { runLoad } from '../load-run.ts';
import { compareLoadWithBaseline, describeBaselineComparison } from './baseline-load.ts';
import { runE2e } from './e2e.ts';
import { appendSloHistory, currentCommit, drawSloPictures, drawSloTrends, runContext } from './pictures.ts';
import type { StageLog } from './progress.ts';
import { loadRunDir, saveBaseline, writeComparison, writeSloJson, writeStepSummary } from './reports/paths.ts';
import type { RunState, SkippableStage } from './run-state.ts';

/** Scrape interval of the Prometheus that local and containers stacks start (StackOptions.scrapeIntervalSeconds). */
export const STACK_SCRAPE_SECONDS = 1;

/** What a stage returns: its verdict (or skipped), whether it counts towards the run's, its report and one line. */
export type StageOutcome = Omit<StageResult, 'stage' | 'durationMs'>;

/** A precondition of a stage, and what happens to the stage when it does not hold. */
export interface Need {
  /** Why it does not hold (the stage's detail or problem), or undefined when it holds. */
  missing(state: RunState): string | undefined;
  /** skip: the stage is listed as skipped; inconclusive: it ends inconclusive, saying why; omit: not listed. */
  otherwise: 'skip' | 'inconclusive' | 'omit';
}

/** One row of the stage table. */
export interface StageSpec {
  name: StageName;
  /** `--skip <name>` leaves it out (listed as skipped); `--skip slo` also leaves out settle (not listed). */
  skippedBy?: SkippableStage;
  /** Checked in order; the first that does not hold decides. */
  needs: Need[];
  /** Runs even when an earlier stage threw (the stack must come down). */
  always?: boolean;
  run(state: RunState, log: StageLog): Promise<StageOutcome>;
}

const stackStarted: Need = {
  missing: (state) => (state.stack ? undefined : 'the stack did not start'),
  otherwise: 'skip',
};
const stackStartedQuiet: Need = { ...stackStarted, otherwise: 'omit' };
const sloWindow = (otherwise: Need['otherwise']): Need => ({
  missing: (state) =>
    pickSloWindow(state) ? undefined : 'no SLO window: neither load nor E2E ran, so this run made no traffic to judge',
  otherwise,
});
const prometheus = (otherwise: Need['otherwise']): Need => ({
  missing: (state) =>
    state.stack?.info.prometheusUrl
      ? undefined
      : 'the stack has no Prometheus to query (set PROMETHEUS_URL in external mode)',
  otherwise,
});

/**
 * The load comparison runs only when asked for (--baseline) and needs this run's load. `--skip load` lists it as
 * skipped: the user left the load out on purpose, as the load thresholds are; the SLO half of --baseline still
 * runs. A baseline without samples, or a load that left none, is the stage's own inconclusive verdict instead.
 */
const baselineGiven: Need = {
  missing: (state) => (state.settings.baselinePath ? undefined : 'no --baseline'),
  otherwise: 'omit',
};
const loadRan: Need = {
  missing: (state) =>
    state.settings.skip.has('load')
      ? '--skip load: no load to compare with the baseline'
      : state.load
        ? undefined
        : 'the load did not run, so there is nothing to compare with the baseline',
  otherwise: 'skip',
};

/** The run, in order. */
export const STAGE_TABLE: readonly StageSpec[] = [
  { name: 'stack', needs: [], run: stackStage },
  { name: 'e2e', skippedBy: 'e2e', needs: [stackStarted], run: e2eStage },
  { name: 'load', skippedBy: 'load', needs: [stackStarted], run: loadStage },
  { name: 'compare', needs: [baselineGiven, loadRan], run: compareStage },
  {
    name: 'settle',
    skippedBy: 'slo',
    needs: [stackStartedQuiet, sloWindow('omit'), prometheus('omit')],
    run: settleStage,
  },
  {
    name: 'slo',
    skippedBy: 'slo',
    needs: [stackStarted, sloWindow('inconclusive'), prometheus('inconclusive')],
    run: sloStage,
  },
  { name: 'report', needs: [], run: reportStage },
  { name: 'down', needs: [stackStartedQuiet], always: true, run: downStage },
];

/**
 * The SLO window, chosen once: the load's; with load skipped the E2E run's (the browsers' traffic, said so in
 * the summary); with both skipped none, and the note says how to judge a running deployment instead.
 */
export function pickSloWindow(state: RunState): SloWindow | undefined {
  if (state.sloWindow) return state.sloWindow;
  if (state.load) {
    state.sloWindow = { start: state.load.startedAt, end: state.load.endedAt, source: 'load' };
  } else if (state.e2e) {
    state.sloWindow = { start: state.e2e.startedAt, end: state.e2e.endedAt, source: 'e2e' };
    state.sloWindowNote = `Load did not run: the SLOs were evaluated over the E2E run's window (${formatWindow(state.sloWindow)}), that is over the browsers' traffic.`;
  } else {
    state.sloWindowNote =
      'No SLO window: neither load nor E2E ran, so this run made no traffic to judge. `harness slo check --window 1h` judges a running deployment over a time window instead.';
  }
  return state.sloWindow;
}

async function stackStage(state: RunState, log: StageLog): Promise<StageOutcome> {
  const { settings } = state;
  if (settings.faults.length > 0) log(`faults for the API: ${JSON.stringify(settings.faults)}`);
  state.stackLog = log;
  const options: StackOptions = {
    // The stack keeps logging when it stops; those lines belong to the `down` stage.
    log: (line) => state.stackLog(line),
    faults: settings.faults,
    // The SLO gate needs Prometheus; without it nothing does (load's client metrics then stay local).
    withPrometheus: !settings.skip.has('slo'),
    scrapeIntervalSeconds: STACK_SCRAPE_SECONDS,
    ...(settings.prometheusAccess ? { prometheusAccess: settings.prometheusAccess } : {}),
    ...(settings.apiEnv ? { apiEnv: settings.apiEnv } : {}),
  };
  let stack: Stack;
  try {
    stack = await startStack(await resolveStackMode(settings.requestedStack), options);
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    // The stack has stopped whatever it had started; the message names the service and its log tail.
    throw new Error(`the stack did not start: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  state.stack = stack;
  return {
    result: 'pass',
    decides: true,
    detail: `${stack.info.mode}: ${stack.info.services.map((s) => s.name).join(', ')}`,
  };
}

async function e2eStage(state: RunState, log: StageLog): Promise<StageOutcome> {
  const stack = state.stack!;
  const result = await runE2e({
    baseUrl: stack.info.apiUrl,
    reportsDir: state.paths.runDir,
    ...(state.settings.e2eArgs ? { args: state.settings.e2eArgs } : {}),
    log,
    onStatus: log.status,
  });
  state.e2e = result;
  state.toolMs.e2e = result.endedAt.getTime() - result.startedAt.getTime();
  const c = result.counts;
  const counts = c
    ? `${c.passed} passed, ${c.failed} failed${c.flaky > 0 ? `, ${c.flaky} flaky` : ''}, ${c.skipped} skipped`
    : 'no test counts';
  // Without test counts Playwright left no results of its own: the report gets a broken test for the stage.
  if (result.problem) state.problems.push({ stage: 'e2e', problem: result.problem, ownResults: c !== undefined });
  return {
    result: result.verdict,
    decides: true,
    reportPath: result.htmlReportPath,
    detail: result.problem ? `${firstLine(result.problem)} (${counts})` : counts,
  };
}

async function loadStage(state: RunState, log: StageLog): Promise<StageOutcome> {
  const { settings, paths } = state;
  const stack = state.stack!;
  const { model } = await state.sloConfig(log);
  let hookError: unknown;
  const hook = settings.onLoadStarted
    ? Promise.resolve()
        .then(() => settings.onLoadStarted?.(stack))
        .catch((error: unknown) => {
          hookError = error;
        })
    : undefined;
  // Diagnosis: statement statistics start with the judged window, which the load opens.
  if (stack.info.postgresUrl) await resetStatementStats(stack.info.postgresUrl);
  log.status(() => 'waiting for Artillery (it prints every 10 s once it runs)');
  // PostgreSQL's own CPU in "What saturated", where the stack runs it on this machine.
  const postgresPid = stack.info.services.find((service) => service.name === 'postgres')?.pid;
  let result: Awaited<ReturnType<typeof runLoad>>;
  try {
    result = await runLoad({
      profile: settings.profile,
      target: stack.info.apiUrl,
      ...(stack.info.pushgatewayUrl ? { pushgatewayUrl: stack.info.pushgatewayUrl } : {}),
      // The stack's Prometheus gives the summary's "What saturated" its API figures (CPU, event-loop lag, DB
      // pool, breaker); without it only the load generator and the machine are read.
      ...(stack.info.prometheusUrl ? { prometheusUrl: stack.info.prometheusUrl } : {}),
      ...(settings.prometheusAccess?.access ? { prometheusAccess: settings.prometheusAccess.access } : {}),
      ...(settings.job ? { job: settings.job } : {}),
      ...(postgresPid === undefined ? {} : { postgresPid }),
      ...(settings.scenario ? { scenario: settings.scenario } : {}),
      ...(settings.durationSeconds === undefined ? {} : { durationSeconds: settings.durationSeconds }),
      ...(settings.warmupSeconds === undefined ? {} : { warmupSeconds: settings.warmupSeconds }),
      ...(settings.sloConfigGiven ? { sloConfigPath: settings.sloConfigPath } : {}),
      sloModel: model,
      runId: `verify-${stack.info.runId}`,
      reportDir: paths.loadDir,
      allureResultsDir: paths.loadStaging,
      log,
    });
  } finally {
    await hook;
  }
  state.load = result;
  state.toolMs.load = result.endedAt.getTime() - result.startedAt.getTime();
  await publishLoadAllure(result, paths);
  if (hookError !== undefined) {
    const message = hookError instanceof Error ? hookError.message : String(hookError);
    throw new Error(`the onLoadStarted hook failed: ${message}`);
  }
  if (result.problem) state.problems.push({ stage: 'load', problem: result.problem, ownResults: true });
  const broke = result.thresholds.filter((t) => !t.ok).map((t) => t.name);
  return {
    result: result.verdict,
    decides: true,
    reportPath: result.htmlPath,
    detail: result.problem
      ? firstLine(result.problem)
      : broke.length > 0
        ? `thresholds broken: ${broke.join(', ')}`
        : `${result.thresholds.length} thresholds held`,
  };
}

/**
 * This run's load against the baseline's (--baseline F; the samples in F's folder's load/), per endpoint with
 * block-bootstrap intervals (load/compare.ts, as `harness load compare`): the table in the log, compare.json and
 * compare.txt in the run's folder, one Allure test per endpoint. A regression fails the run, "cannot tell" or
 * missing samples make it inconclusive (cli/verify/baseline-load.ts says why).
 */
async function compareStage(state: RunState, log: StageLog): Promise<StageOutcome> {
  const { settings, paths } = state;
  const begin = Date.now();
  log.status(() => 'resampling both runs (block bootstrap)');
  const outcome = compareLoadWithBaseline(
    settings.baselinePath!,
    loadRunDir(state.load!),
    settings.compareMargins ? { margins: settings.compareMargins } : {},
  );
  state.comparison = outcome;
  const comparison = outcome.comparison;
  if (comparison) {
    const table = renderComparisonTable(comparison);
    // The stage log drops a line's leading blanks; a bar keeps the table's columns in place.
    log(
      table
        .split('\n')
        .map((line) => `| ${line}`)
        .join('\n'),
    );
    await writeComparison(`${JSON.stringify(comparison, null, 2)}\n`, `${table}\n`, paths);
    await publishComparisonAllure(comparison, begin, Date.now(), table, paths);
  }
  const detail = describeBaselineComparison(outcome);
  if (outcome.verdict === 'inconclusive') {
    // With a comparison, its Allure tests show the undecided endpoints; without one, a broken test says why.
    state.problems.push({ stage: 'compare', problem: detail, ownResults: comparison !== undefined });
  }
  return {
    result: outcome.verdict,
    decides: true,
    ...(comparison ? { reportPath: paths.compareTxt } : {}),
    detail,
  };
}

/**
 * Waits until Prometheus holds the scrape covering the window's end (slo/evaluate/settle.ts). The interval is the
 * one this harness gave its Prometheus, or for an external one the API job's from Prometheus' configuration.
 */
async function settleStage(state: RunState, log: StageLog): Promise<StageOutcome> {
  const stack = state.stack!;
  const window = pickSloWindow(state)!;
  // Short deadline, no retries: settling must not outlast the interval it waits for.
  const access = state.settings.prometheusAccess?.access;
  const client = new PrometheusClient({
    url: stack.info.prometheusUrl!,
    timeoutMs: 5_000,
    retries: 0,
    ...(access ? { access } : {}),
  });
  // The job the SLO queries select (--job), so settle waits for the scrape the check will read.
  const job = state.settings.job ?? API_JOB;
  let intervalSeconds = STACK_SCRAPE_SECONDS;
  if (stack.info.mode === 'external') {
    const found = await discoverScrapeInterval(client, job);
    if (found === undefined) {
      log(`could not read the scrape interval from ${client.url}; assuming ${PROMETHEUS_DEFAULT_SCRAPE_SECONDS} s`);
    }
    intervalSeconds = found ?? PROMETHEUS_DEFAULT_SCRAPE_SECONDS;
  }
  state.scrapeSeconds = intervalSeconds;
  const detail = await settle({
    client,
    job,
    end: window.end,
    intervalSeconds,
    marginSeconds: state.settings.settleMarginSeconds,
    log,
  });
  return { result: 'pass', decides: true, detail };
}

async function sloStage(state: RunState, log: StageLog): Promise<StageOutcome> {
  const window = pickSloWindow(state)!;
  const { model } = await state.sloConfig(log);
  const report = await evaluateWindow(state, model, window, log);
  state.slo = report;
  await writeSloJson(report, state.paths);
  await publishSloCharts(state, model, window, report, log);
  log(renderTable(report).trimEnd());
  // Diagnosis (docs/operations.md, "Reading a failed run"): where a failed SLO's bad events came from,
  // written beside slo.json as diagnosis.json and diagnosis.md. It never changes the verdict.
  if (report.status === 'fail') await diagnoseFailedSlos(state, report, log);
  return sloOutcome(state, report);
}

/** The SLO report over the judged window, compared with the baseline's (--baseline) where there is one. */
async function evaluateWindow(state: RunState, model: SloModel, window: SloWindow, log: StageLog): Promise<SloReport> {
  const { settings } = state;
  const baseline = settings.baselinePath ? await loadBaseline(settings.baselinePath) : undefined;
  log(`evaluating ${model.slos.length} SLOs over ${formatWindow(window)} (the ${window.source} window)`);
  const begin = performance.now();
  // The warm-up ran before the judged window; the evaluator reads it only to say so in the report.
  const warmup = window.source === 'load' ? state.load?.warmup : undefined;
  // The load's own /healthz probes cover exactly the judged window: the noise as a client saw it (docs/slo.md).
  const probedMs = window.source === 'load' ? state.load?.machine?.healthzP95Ms : undefined;
  const access = settings.prometheusAccess?.access;
  const report = await evaluateSlos(model, {
    prometheusUrl: state.stack!.info.prometheusUrl!,
    ...(access ? { prometheusAccess: access } : {}),
    start: window.start,
    end: window.end,
    ...(warmup ? { warmup: { start: warmup.startedAt, end: warmup.endedAt } } : {}),
    ...(typeof probedMs === 'number' ? { probes: { '/healthz': probedMs / 1000 } } : {}),
  });
  state.toolMs.slo = performance.now() - begin;
  if (!baseline) return report;
  // Where the load comparison judged both runs' requests, it answers "did it get slower"; an SLO's single
  // value against the baseline's is then reported, not judged (slo/evaluate/baseline.ts says why).
  const loadComparison = state.comparison?.comparison;
  const judgedBy = loadComparison
    ? `the load comparison of both runs' requests decides whether this run got slower (${loadComparison.verdict.replaceAll('-', ' ')})`
    : undefined;
  const compared = compareWithBaseline(report, baseline, model, judgedBy === undefined ? {} : { judgedBy });
  log(`compared with the baseline ${settings.baselinePath}`);
  return compared;
}

/**
 * Each SLO's charts into its Allure result: the SLI over the window (range queries) and across the last runs (this
 * run joins the SLI history first). They never change the verdict.
 */
async function publishSloCharts(
  state: RunState,
  model: SloModel,
  window: SloWindow,
  report: SloReport,
  log: StageLog,
): Promise<void> {
  const { settings, paths } = state;
  const access = settings.prometheusAccess?.access;
  const prometheusUrl = state.stack!.info.prometheusUrl!;
  const pictures = await drawSloPictures(model, window, prometheusUrl, state.scrapeSeconds ?? STACK_SCRAPE_SECONDS, {
    ...(access ? { access } : {}),
    ...(settings.job ? { job: settings.job } : {}),
  });
  state.pictures = pictures;
  for (const note of pictures.notes) log(`charts: ${note}`);
  state.commit = await currentCommit();
  await appendSloHistory(paths.sloHistory, report, state.commit, basename(paths.runDir));
  const trends = await drawSloTrends(paths.sloHistory, report);
  state.trends = trends;
  const charts = new Map(
    report.slos.map((s) => [
      s.name,
      [
        ...pictures.slos
          .filter((c) => c.id === `slo-${s.name}`)
          .map((c): [string, string] => ['SLI over the window', c.svg]),
        ...trends.filter((c) => c.id === `trend-${s.name}`).map((c): [string, string] => ['SLI across runs', c.svg]),
      ],
    ]),
  );
  await publishSloAllure(report, window, paths, charts);
}

/** Where a failed SLO's bad events came from: diagnosis.json and diagnosis.md beside slo.json, and a table. */
async function diagnoseFailedSlos(state: RunState, report: SloReport, log: StageLog): Promise<void> {
  const access = state.settings.prometheusAccess?.access;
  const diagnosis = await diagnoseReport(report, {
    postgresUrl: state.stack!.info.postgresUrl,
    spansFile: state.stack!.info.spansFile,
    ...(access ? { prometheusAccess: access } : {}),
  });
  state.breakdowns = diagnosis.breakdowns;
  await writeDiagnosisFiles(diagnosis, dirname(state.paths.sloJson));
  log(renderDiagnosisTable(diagnosis).trimEnd());
}

/** The stage's verdict and line from the report; an SLO without a verdict is also a problem of the run. */
function sloOutcome(state: RunState, report: SloReport): StageOutcome {
  const failed = report.slos.filter((s) => s.status === 'fail');
  const unknown = report.slos.filter((s) => s.status === 'inconclusive');
  if (unknown.length > 0) {
    state.problems.push({
      stage: 'slo',
      problem: `no verdict for ${unknown.map((s) => `${s.name} (${s.reason})`).join('; ')}`,
      ownResults: true,
    });
  }
  const detail = [
    failed.length > 0 ? `breached: ${failed.map((s) => s.name).join(', ')}` : '',
    unknown.length > 0 ? `inconclusive: ${unknown.map((s) => s.name).join(', ')}` : '',
  ].filter(Boolean);
  return {
    result: report.status,
    decides: true,
    reportPath: state.paths.sloJson,
    detail: detail.length > 0 ? detail.join('; ') : `${report.slos.length} SLOs met`,
  };
}

/**
 * Allure results of stages without their own, JUnit, the baseline of a passing run, the Allure HTML report and
 * the Markdown summary. Trouble writing reports does not change the verdict on the service (decides false): it
 * is said, and the files that were written stay.
 */
async function reportStage(state: RunState, log: StageLog): Promise<StageOutcome> {
  const { settings, paths } = state;
  const verdict = runVerdict(state.stages);
  await writeJunitAndProblems(state);
  // The previous passing run, read before this run may replace it as the baseline.
  const previous = await loadBaseline(settings.baselinePath ?? paths.baseline).catch(() => undefined);
  const { context, sentence } = await describeRun(state, verdict);
  if (state.load) {
    await writeVerifyLoadReport(state.load, {
      verdict: { status: verdict, sentence },
      context: contextLines(context),
      ...(state.slo ? { slo: state.slo } : {}),
      ...(state.pictures ? { pictures: state.pictures } : {}),
      trends: state.trends ?? [],
    });
  }
  const saved = state.slo && verdict === 'pass' ? await saveBaseline(state.slo, paths, state.load) : undefined;
  if (saved) {
    const what = saved.loadSamples ? 'SLO results and load samples are' : 'SLO results (no load samples) are';
    log(`this passing run's ${what} the next baseline: ${displayPath(paths.baseline)}`);
  }
  const allureProblem = settings.allureReport ? await generateAllure(state, log) : undefined;
  const summary = renderSummaryMarkdown({
    verdict,
    ...(state.stack ? { stackMode: state.stack.info.mode } : {}),
    profile: settings.profile,
    stages: [...state.stages],
    ...(state.e2e ? { e2e: state.e2e } : {}),
    ...(state.load ? { load: state.load } : {}),
    ...(state.slo ? { slo: state.slo } : {}),
    ...(state.comparison ? { comparison: state.comparison } : {}),
    ...(state.sloWindowNote ? { sloWindowNote: state.sloWindowNote } : {}),
    paths,
    problems: state.problems,
    verdictSentence: sentence,
    context: contextLines(context),
    ...(previous ? { previous } : {}),
    ...(state.load ? { loadReport: state.load.htmlPath } : {}),
  });
  await writeFile(paths.summary, summary);
  if (await writeStepSummary(summary)) log('summary appended to $GITHUB_STEP_SUMMARY');
  return {
    result: allureProblem ? 'inconclusive' : 'pass',
    decides: false,
    reportPath: settings.allureReport ? paths.allureIndex : paths.summary,
    detail: allureProblem ? `Allure report not generated: ${firstLine(allureProblem)}` : 'Allure, JUnit, Markdown',
  };
}

/**
 * Allure results for the problems no stage reported in its own results and for the stages that did not run (a
 * skipped test, so the report does not show a whole pass of less than the run), then the combined JUnit file.
 */
async function writeJunitAndProblems(state: RunState): Promise<void> {
  const { paths } = state;
  const uncovered = state.problems.filter((p) => !p.ownResults);
  for (const p of uncovered) await publishStageProblem(p.stage, p.problem, paths);
  for (const s of state.stages) if (s.result === 'skipped') await publishSkippedStage(s, paths);
  const junit = await renderCombinedJunit({
    ...(state.e2e ? { e2e: state.e2e } : {}),
    ...(state.load ? { load: state.load } : {}),
    ...(state.comparison?.comparison ? { comparison: state.comparison.comparison } : {}),
    ...(state.slo ? { slo: state.slo } : {}),
    problems: uncovered,
  });
  await writeFile(paths.junit, junit);
}

/** What was tested (stack, profile, window, commit) and the verdict in one sentence, kept on the state. */
async function describeRun(state: RunState, verdict: Verdict): Promise<{ context: RunContext; sentence: string }> {
  const { settings } = state;
  const commit = state.commit ?? (await currentCommit());
  const context = runContext({
    ...(state.stack ? { stack: state.stack.info } : {}),
    profile: settings.profile,
    ...(settings.durationSeconds === undefined ? {} : { durationSeconds: settings.durationSeconds }),
    ...(state.sloWindow ? { window: state.sloWindow } : {}),
    ...(commit ? { commit } : {}),
  });
  state.context = context;
  const sentence = verdictSentence({
    verdict,
    ...(state.slo ? { slo: state.slo } : {}),
    ...(state.load ? { load: state.load } : {}),
    ...(state.e2e ? { e2e: state.e2e } : {}),
    problems: state.problems,
    stages: state.stages,
    ...(state.breakdowns ? { breakdowns: state.breakdowns } : {}),
    ...(state.comparison ? { comparison: state.comparison } : {}),
  });
  state.sentence = sentence;
  return { context, sentence };
}

/** `allure generate` (this run joins its profile and scope's history: only verify appends); its error, if any. */
async function generateAllure(state: RunState, log: StageLog): Promise<string | undefined> {
  log('generating the Allure report (allure generate)');
  try {
    await generateAllureReport({ paths: state.paths, log, appendHistory: true });
    return undefined;
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    log(`the Allure report was not generated: ${problem}`);
    return problem;
  }
}

async function downStage(state: RunState, log: StageLog): Promise<StageOutcome> {
  const stack = state.stack!;
  state.stackLog = log;
  await stack.stop();
  return { result: 'pass', decides: false, detail: stack.info.mode === 'external' ? 'nothing to stop' : 'stopped' };
}

function formatWindow(window: { start: Date; end: Date }): string {
  return `${window.start.toISOString()} .. ${window.end.toISOString()} (${((window.end.getTime() - window.start.getTime()) / 1000).toFixed(1)} s)`;
}
