/**
 * `verify(options)`: the product's main job as a function. One run:
 *
 *   stack up -> E2E (Playwright child process, BASE_URL = the stack) -> load (runLoad, metrics to Prometheus)
 *   -> settle (one scrape interval plus a margin, then a check that Prometheus has scraped past the load's end)
 *   -> SLO check over exactly [load start, load end] -> reports (Allure results of all three, the Allure 3 HTML
 *   report with history, JUnit, Markdown, verify.json, baseline) -> stack down -> one exit code.
 *
 * Exit code: the worst of the stages (cli/exit-codes.ts: fail beats inconclusive beats pass). A failed E2E
 * suite does not stop load and the SLO check: CI gets every verdict of the run in one go. A stage that cannot
 * run (the stack did not start, the target is unreachable) makes the run inconclusive, never a pass.
 *
 * The SLO window is the load's. With load skipped it is the E2E run's (the traffic the browsers made), said so in
 * the summary; with both skipped there is no window and the SLO stage is inconclusive, saying why.
 *
 * The stack is stopped in a `finally`, and on Ctrl-C by stack/teardown.ts (every started process, the Playwright
 * and Artillery children included, is registered there).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, exitCodeOf, HarnessError, verdictOf, verdictWord, worstVerdict } from '../../core/outcome.ts';
import { type LoadResult, runLoad } from '../../load/run.ts';
import {
  compareWithBaseline,
  DEFAULT_CONFIG_PATH,
  evaluateSlos,
  loadBaseline,
  loadSloConfig,
  renderTable,
  SloConfigError,
  type SloReport,
} from '../../slo/index.ts';
import { resolveStackMode, type Stack, startStack } from '../../stack/index.ts';
import { reportsDir as defaultReportsDir } from '../../stack/state.ts';
import type { FaultSpec, RequestedStackMode, StackOptions } from '../../stack/types.ts';
import { type E2eResult, runE2e } from './e2e.ts';
import { Progress, type StageLog, type StageName } from './progress.ts';
import {
  clearPreviousRun,
  formatSeconds,
  generateAllureReport,
  publishLoadAllure,
  publishSloAllure,
  publishStageProblem,
  type ReportPaths,
  renderCombinedJunit,
  renderStageTable,
  renderSummaryMarkdown,
  reportPaths,
  type StageResult,
  saveBaseline,
  writeSloJson,
  writeStepSummary,
} from './reports.ts';

/** Stages that `--skip` accepts. */
export const SKIPPABLE = ['e2e', 'load', 'slo'] as const;
/** One of {@link SKIPPABLE}. */
export type SkippableStage = (typeof SKIPPABLE)[number];

/** Scrape interval of the Prometheus that local and containers stacks start (StackOptions.scrapeIntervalSeconds). */
const STACK_SCRAPE_SECONDS = 1;
/** Prometheus' own default, assumed for an external Prometheus whose configuration cannot be read. */
const DEFAULT_EXTERNAL_SCRAPE_SECONDS = 15;

/** What to verify, and how. Every field is optional: `verify()` is `harness verify` with no flags. */
export interface VerifyOptions {
  /** Stack mode (default: HARNESS_STACK, else auto). */
  stack?: RequestedStackMode;
  /** Load profile (default smoke). */
  profile?: string;
  /** One journey instead of the weighted mix (load/journeys.ts). */
  scenario?: string;
  /** Stretch the load profile to this many seconds (tests use 20-30 s). */
  durationSeconds?: number;
  /** Stages to leave out. */
  skip?: Iterable<SkippableStage>;
  /** An earlier passing SLO report (JSON) to compare with; regressions beyond an SLO's maxRegressionPct fail it. */
  baselinePath?: string;
  /** Faults for the started API (the CLI passes MYSTOCKS_FAULTS); ignored, with a note, in external mode. */
  faults?: FaultSpec[];
  /** Extra environment of the started API (StackOptions.apiEnv). */
  apiEnv?: Record<string, string>;
  /** SLO file (default slo/slo-config.yaml); the load thresholds come from the same file. */
  sloConfigPath?: string;
  /** Reports folder (default HARNESS_REPORTS_DIR, else reports/). */
  reportsDir?: string;
  /** Extra arguments for `playwright test` (a spec, `--grep`, `--shard`). */
  e2eArgs?: string[];
  /** Seconds added to one scrape interval before the SLO check (default 1). */
  settleMarginSeconds?: number;
  /** Build the Allure HTML report (default true; the results are written either way). */
  allureReport?: boolean;
  /** Progress lines (default stderr). */
  log?: (line: string) => void;
  /** Heartbeat of a silent stage, ms (default 15 000). */
  heartbeatMs?: number;
  /**
   * Called once the load stage starts (Artillery is being started; the first requests follow within seconds),
   * with the stack: tests use it to make the environment misbehave during the load (`stack.controls.stopRedis()`).
   * It runs beside the load; the load stage waits for it. A hook that throws makes the load stage inconclusive.
   */
  onLoadStarted?: (stack: Stack) => void | Promise<void>;
}

/** The outcome of a run. */
export interface VerifyResult {
  /** 0 pass, 1 fail, 2 inconclusive. */
  exitCode: ExitCode;
  stages: StageResult[];
  /** Names of the SLOs that failed. */
  breachedSlos: string[];
  /** Names of the SLOs that were inconclusive. */
  inconclusiveSlos: string[];
  /** Names of the load thresholds that broke. */
  breachedThresholds: string[];
  slo?: SloReport;
  load?: LoadResult;
  e2e?: E2eResult;
  /** The window the SLOs were evaluated over. */
  sloWindow?: { start: Date; end: Date; source: 'load' | 'e2e' };
  paths: ReportPaths;
  /** Wall time of the whole run, ms. */
  wallMs: number;
  /**
   * Time spent inside the stages' own tools, ms: Playwright's process, Artillery's process (runLoad's
   * startedAt..endedAt) and the SLO queries. bench/verify compares it with wallMs.
   */
  toolMs: { e2e: number; load: number; slo: number };
}

/** Runs the whole verification; never throws for a failing or unreachable service (exit 1 or 2 instead). */
export async function verify(options: VerifyOptions = {}): Promise<VerifyResult> {
  const runStart = performance.now();
  const skip = new Set<SkippableStage>(options.skip ?? []);
  const profile = options.profile ?? 'smoke';
  const paths = reportPaths(resolve(options.reportsDir ?? defaultReportsDir()));
  const progress = new Progress({
    ...(options.log ? { write: options.log } : {}),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
  });
  const stages: StageResult[] = [];
  const problems: StageProblem[] = [];
  const toolMs = { e2e: 0, load: 0, slo: 0 };
  // Filled in by the stages (closures), read by the ones after them.
  const run: {
    stack?: Stack;
    e2e?: E2eResult;
    load?: LoadResult;
    slo?: SloReport;
    sloWindow?: VerifyResult['sloWindow'];
    sloWindowNote?: string;
  } = {};

  /** Times a stage and records how it ended; an exception in it is an inconclusive stage, with its message. */
  async function stage(name: StageName, body: (log: StageLog) => Promise<StageOutcome>): Promise<StageResult> {
    const log = progress.stage(name);
    const begin = performance.now();
    let result: StageOutcome;
    try {
      result = await body(log);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push({ stage: name, problem: message, ownResults: false });
      log(`inconclusive: ${message}`);
      result = { result: 'inconclusive', exitCode: ExitCode.Inconclusive, detail: firstLine(message) };
    }
    log.end();
    const done: StageResult = { stage: name, durationMs: performance.now() - begin, ...result };
    if (done.result !== 'skipped') log(`${done.result}${done.detail ? `: ${done.detail}` : ''}`);
    stages.push(done);
    return done;
  }
  const skipped = (name: StageName, detail: string) =>
    stages.push({ stage: name, result: 'skipped', exitCode: null, durationMs: 0, detail });

  /** Where the stack's own lines go: the stage that is running (start-up, then down). */
  let stackLog: (line: string) => void = () => {};

  await clearPreviousRun(paths);
  try {
    // --- stack up
    await stage('stack', async (log) => {
      const resolved = await resolveStackMode(options.stack);
      const faults = options.faults ?? [];
      if (faults.length > 0) log(`faults for the API: ${JSON.stringify(faults)}`);
      stackLog = log;
      const stackOptions: StackOptions = {
        // The stack keeps logging when it stops; those lines belong to the `down` stage.
        log: (line) => stackLog(line),
        faults,
        // The SLO gate needs Prometheus; without it nothing does (load's client metrics then stay local).
        withPrometheus: !skip.has('slo'),
        scrapeIntervalSeconds: STACK_SCRAPE_SECONDS,
        ...(options.apiEnv ? { apiEnv: options.apiEnv } : {}),
      };
      let stack: Stack;
      try {
        stack = await startStack(resolved.mode, stackOptions, resolved);
      } catch (error) {
        if (error instanceof HarnessError) throw error;
        // The stack has stopped whatever it had started; the message names the service and its log tail.
        throw new Error(`the stack did not start: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
      run.stack = stack;
      return {
        result: 'pass',
        exitCode: ExitCode.Pass,
        detail: `${stack.info.mode}: ${stack.info.services.map((s) => s.name).join(', ')}`,
      };
    });

    const started = run.stack;
    if (!started) {
      for (const name of ['e2e', 'load', 'slo'] as const) skipped(name, 'the stack did not start');
    } else {
      if (skip.has('e2e')) skipped('e2e', '--skip e2e');
      else await stage('e2e', (log) => e2eStage(started, log));
      if (skip.has('load')) skipped('load', '--skip load');
      else await stage('load', (log) => loadStage(started, log));
      if (skip.has('slo')) skipped('slo', '--skip slo');
      else await sloStages(started);
    }
    await stage('report', reportStage);
  } finally {
    if (run.stack) {
      const stack = run.stack;
      await stage('down', async (log) => {
        stackLog = log;
        await stack.stop();
        return {
          result: 'pass',
          exitCode: null,
          detail: stack.info.mode === 'external' ? 'nothing to stop' : 'stopped',
        };
      });
    }
  }

  const result: VerifyResult = {
    exitCode: overallExitCode(stages),
    stages,
    breachedSlos: run.slo?.slos.filter((s) => s.status === 'fail').map((s) => s.name) ?? [],
    inconclusiveSlos: run.slo?.slos.filter((s) => s.status === 'inconclusive').map((s) => s.name) ?? [],
    breachedThresholds: run.load?.thresholds.filter((t) => !t.ok).map((t) => t.name) ?? [],
    ...(run.slo ? { slo: run.slo } : {}),
    ...(run.load ? { load: run.load } : {}),
    ...(run.e2e ? { e2e: run.e2e } : {}),
    ...(run.sloWindow ? { sloWindow: run.sloWindow } : {}),
    paths,
    wallMs: performance.now() - runStart,
    toolMs,
  };
  await writeFile(paths.json, `${JSON.stringify(toJson(result), null, 2)}\n`);
  return result;

  // --- the stages (closures over the run's state)

  async function e2eStage(stack: Stack, log: StageLog): Promise<StageOutcome> {
    const result = await runE2e({
      baseUrl: stack.info.apiUrl,
      reportsDir: paths.dir,
      ...(options.e2eArgs ? { args: options.e2eArgs } : {}),
      log,
      onStatus: log.status,
    });
    run.e2e = result;
    toolMs.e2e = result.endedAt.getTime() - result.startedAt.getTime();
    const c = result.counts;
    const counts = c
      ? `${c.tests - c.skipped - c.failures - c.errors} passed, ${c.failures + c.errors} failed, ${c.skipped} skipped`
      : 'no test counts';
    // Without test counts Playwright left no results of its own: the report gets a broken test for the stage.
    if (result.problem) problems.push({ stage: 'e2e', problem: result.problem, ownResults: c !== undefined });
    return {
      result: result.verdict,
      exitCode: exitCodeOf(result.verdict),
      reportPath: result.htmlReportPath,
      detail: result.problem ? `${firstLine(result.problem)} (${counts})` : counts,
    };
  }

  async function loadStage(stack: Stack, log: StageLog): Promise<StageOutcome> {
    let hookError: unknown;
    const hook = options.onLoadStarted
      ? Promise.resolve()
          .then(() => options.onLoadStarted?.(stack))
          .catch((error: unknown) => {
            hookError = error;
          })
      : undefined;
    log.status(() => 'waiting for Artillery (it prints every 10 s once it runs)');
    let result: LoadResult;
    try {
      result = await runLoad({
        profile,
        target: stack.info.apiUrl,
        ...(stack.info.pushgatewayUrl ? { pushgatewayUrl: stack.info.pushgatewayUrl } : {}),
        ...(options.scenario ? { scenario: options.scenario } : {}),
        ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
        ...(options.sloConfigPath ? { sloConfigPath: options.sloConfigPath } : {}),
        runId: `verify-${stack.info.runId}`,
        reportDir: paths.loadDir,
        allureResultsDir: paths.loadStaging,
        log,
      });
    } finally {
      await hook;
    }
    run.load = result;
    toolMs.load = result.endedAt.getTime() - result.startedAt.getTime();
    await publishLoadAllure(result, paths);
    if (hookError !== undefined) {
      const message = hookError instanceof Error ? hookError.message : String(hookError);
      throw new Error(`the onLoadStarted hook failed: ${message}`);
    }
    if (result.problem) problems.push({ stage: 'load', problem: result.problem, ownResults: true });
    const broke = result.thresholds.filter((t) => !t.ok).map((t) => t.name);
    return {
      result: result.verdict,
      exitCode: exitCodeOf(result.verdict),
      reportPath: result.summaryPath,
      detail: result.problem
        ? firstLine(result.problem)
        : broke.length > 0
          ? `thresholds broken: ${broke.join(', ')}`
          : `${result.thresholds.length} thresholds held`,
    };
  }

  /** Picks the window, settles, checks the SLOs. */
  async function sloStages(stack: Stack): Promise<void> {
    if (run.load) run.sloWindow = { start: run.load.startedAt, end: run.load.endedAt, source: 'load' };
    else if (run.e2e) {
      run.sloWindow = { start: run.e2e.startedAt, end: run.e2e.endedAt, source: 'e2e' };
      run.sloWindowNote = `Load did not run: the SLOs were evaluated over the E2E run's window (${formatWindow(run.sloWindow)}), that is over the browsers' traffic.`;
    }
    const window = run.sloWindow;
    const prometheusUrl = stack.info.prometheusUrl;
    if (!window) {
      run.sloWindowNote =
        'No SLO window: neither load nor E2E ran, so this run made no traffic to judge. `harness slo check --window 1h` judges a running deployment over a time window instead.';
      await stage('slo', async () => {
        throw new Error('no SLO window: neither load nor E2E ran, so this run made no traffic to judge');
      });
      return;
    }
    if (!prometheusUrl) {
      await stage('slo', async () => {
        throw new Error('the stack has no Prometheus to query (set PROMETHEUS_URL in external mode)');
      });
      return;
    }
    await stage('settle', async (log) => {
      const margin = options.settleMarginSeconds ?? 1;
      const detail = await settle(prometheusUrl, window.end, stack.info.mode, margin, log);
      return { result: 'pass', exitCode: ExitCode.Pass, detail };
    });
    await stage('slo', async (log) => {
      const model = await loadModel(options.sloConfigPath ?? DEFAULT_CONFIG_PATH, log);
      const baseline = options.baselinePath ? await loadBaseline(options.baselinePath) : undefined;
      log(`evaluating ${model.slos.length} SLOs over ${formatWindow(window)} (the ${window.source} window)`);
      const begin = performance.now();
      let report = await evaluateSlos(model, { prometheusUrl, start: window.start, end: window.end });
      toolMs.slo = performance.now() - begin;
      if (baseline) {
        report = compareWithBaseline(report, baseline, model);
        log(`compared with the baseline ${options.baselinePath}`);
      }
      run.slo = report;
      await writeSloJson(report, paths);
      await publishSloAllure(report, window, paths);
      log(renderTable(report).trimEnd());
      const exitCode = exitCodeOf(report.status);
      const failed = report.slos.filter((s) => s.status === 'fail');
      const unknown = report.slos.filter((s) => s.status === 'inconclusive');
      if (unknown.length > 0) {
        problems.push({
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
        exitCode,
        reportPath: paths.sloJson,
        detail: detail.length > 0 ? detail.join('; ') : `${report.slos.length} SLOs met`,
      };
    });
  }

  async function reportStage(log: StageLog): Promise<StageOutcome> {
    const exitCode = overallExitCode(stages);
    const uncovered = problems.filter((p) => !p.ownResults);
    for (const p of uncovered) await publishStageProblem(p.stage, p.problem, paths);
    const junit = await renderCombinedJunit({
      ...(run.e2e ? { e2e: run.e2e } : {}),
      ...(run.load ? { load: run.load } : {}),
      ...(run.slo ? { slo: run.slo } : {}),
      problems: uncovered,
    });
    await writeFile(paths.junit, junit);
    if (run.slo && exitCode === ExitCode.Pass && (await saveBaseline(run.slo, paths))) {
      log(`this passing run's SLO results are the next baseline: ${relativeToCwd(paths.baseline)}`);
    }
    let allureProblem: string | undefined;
    if (options.allureReport !== false) {
      log('generating the Allure report (allure generate)');
      try {
        await generateAllureReport({ paths, log });
      } catch (error) {
        allureProblem = error instanceof Error ? error.message : String(error);
        log(`the Allure report was not generated: ${allureProblem}`);
      }
    }
    const summary = renderSummaryMarkdown({
      exitCode,
      ...(run.stack ? { stackMode: run.stack.info.mode } : {}),
      profile,
      stages: [...stages],
      ...(run.e2e ? { e2e: run.e2e } : {}),
      ...(run.load ? { load: run.load } : {}),
      ...(run.slo ? { slo: run.slo } : {}),
      ...(run.sloWindowNote ? { sloWindowNote: run.sloWindowNote } : {}),
      paths,
      problems,
    });
    await writeFile(paths.summary, summary);
    if (await writeStepSummary(summary)) log('summary appended to $GITHUB_STEP_SUMMARY');
    // Trouble writing reports does not change the verdict on the service (exitCode null): it is said, and the
    // files that were written stay.
    return {
      result: allureProblem ? 'inconclusive' : 'pass',
      exitCode: null,
      reportPath: options.allureReport === false ? paths.summary : paths.allureIndex,
      detail: allureProblem ? `Allure report not generated: ${firstLine(allureProblem)}` : 'Allure, JUnit, Markdown',
    };
  }
}

/** A stage's problem, and whether the stage's own results already show it (else a broken test stands for it). */
interface StageProblem {
  stage: StageName;
  problem: string;
  ownResults: boolean;
}

type StageOutcome = Omit<StageResult, 'stage' | 'durationMs'>;

/** The run's exit code: the worst of the stages that judged something. */
function overallExitCode(stages: StageResult[]): ExitCode {
  return exitCodeOf(worstVerdict(stages.flatMap((s) => (s.exitCode === null ? [] : [verdictOf(s.exitCode)]))));
}

/** verify.json: the result without the bulky parts (the SLO report is in slo/slo.json). */
function toJson(result: VerifyResult) {
  return {
    exitCode: result.exitCode,
    verdict: verdictOf(result.exitCode),
    stages: result.stages.map((s) => ({ ...s, durationMs: Math.round(s.durationMs) })),
    breachedSlos: result.breachedSlos,
    inconclusiveSlos: result.inconclusiveSlos,
    breachedThresholds: result.breachedThresholds,
    sloWindow: result.sloWindow
      ? {
          start: result.sloWindow.start.toISOString(),
          end: result.sloWindow.end.toISOString(),
          source: result.sloWindow.source,
        }
      : null,
    wallMs: Math.round(result.wallMs),
    toolMs: Object.fromEntries(Object.entries(result.toolMs).map(([k, v]) => [k, Math.round(v)])),
    paths: result.paths,
  };
}

/** The final table, for the CLI to print. */
export function renderFinalTable(result: VerifyResult): string {
  const word = verdictWord(verdictOf(result.exitCode));
  const why = [
    result.breachedSlos.length > 0 ? `SLOs breached: ${result.breachedSlos.join(', ')}` : '',
    result.inconclusiveSlos.length > 0 ? `SLOs without a verdict: ${result.inconclusiveSlos.join(', ')}` : '',
    result.breachedThresholds.length > 0 ? `load thresholds broken: ${result.breachedThresholds.join(', ')}` : '',
    result.e2e && result.e2e.failed.length > 0 ? `E2E tests failed: ${result.e2e.failed.length}` : '',
  ].filter(Boolean);
  return [
    '',
    renderStageTable(result.stages),
    '',
    `harness verify: ${word} (exit ${result.exitCode}) in ${formatSeconds(result.wallMs)}${why.length > 0 ? `; ${why.join('; ')}` : ''}`,
    `summary: ${relativeToCwd(result.paths.summary)}`,
    '',
  ].join('\n');
}

function relativeToCwd(path: string): string {
  const cwd = process.cwd();
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}

async function loadModel(path: string, log: StageLog) {
  try {
    const loaded = await loadSloConfig(path);
    for (const warning of loaded.warnings) log(`warning: ${warning.text}`);
    return loaded.model;
  } catch (error) {
    if (error instanceof SloConfigError) throw new HarnessError(`invalid SLO config:\n${error.message}`);
    throw error;
  }
}

/**
 * Waits until Prometheus holds the scrape that covers the window's end: one scrape interval plus a margin after
 * the end, then (bounded by one more interval) until the API job's latest scrape is at or after the end. The
 * interval is the one this harness gave its Prometheus, or for an external one the API job's (or the global)
 * scrape_interval from Prometheus' configuration. Returns what it waited, for the summary.
 */
async function settle(
  prometheusUrl: string,
  end: Date,
  mode: string,
  marginSeconds: number,
  log: StageLog,
): Promise<string> {
  const intervalSeconds = mode === 'external' ? await externalScrapeInterval(prometheusUrl, log) : STACK_SCRAPE_SECONDS;
  const until = end.getTime() + (intervalSeconds + marginSeconds) * 1000;
  const waitMs = Math.max(0, until - Date.now());
  log(
    `waiting ${(waitMs / 1000).toFixed(1)} s: one scrape interval (${intervalSeconds} s) plus ${marginSeconds} s after the load's end`,
  );
  await sleep(waitMs);
  const deadline = Date.now() + intervalSeconds * 1000;
  for (;;) {
    const latest = await latestScrape(prometheusUrl);
    if (latest !== undefined && latest >= end.getTime() / 1000) {
      return `scraped ${(latest - end.getTime() / 1000).toFixed(1)} s past the end`;
    }
    if (Date.now() >= deadline) {
      const text =
        latest === undefined
          ? 'Prometheus has no scrape of job mystocks-api'
          : `the latest scrape of job mystocks-api is ${(end.getTime() / 1000 - latest).toFixed(1)} s before the end`;
      log(`${text}; checking the SLOs anyway`);
      return text;
    }
    await sleep(500);
  }
}

/** Unix seconds of the newest `up{job="mystocks-api"}` sample, or undefined when there is none or no answer. */
async function latestScrape(prometheusUrl: string): Promise<number | undefined> {
  try {
    const url = `${prometheusUrl.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent('max(timestamp(up{job="mystocks-api"}))')}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as { data?: { result?: { value?: [number, string] }[] } };
    const value = body.data?.result?.[0]?.value?.[1];
    return value === undefined ? undefined : Number(value);
  } catch {
    return undefined;
  }
}

/** The API job's scrape interval from an external Prometheus' configuration, in seconds. */
async function externalScrapeInterval(prometheusUrl: string, log: StageLog): Promise<number> {
  try {
    const response = await fetch(`${prometheusUrl.replace(/\/+$/, '')}/api/v1/status/config`, {
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as { data?: { yaml?: string } };
    const { parse } = await import('yaml');
    const config = parse(body.data?.yaml ?? '') as {
      global?: { scrape_interval?: string };
      scrape_configs?: { job_name?: string; scrape_interval?: string }[];
    };
    const job = config.scrape_configs?.find((c) => c.job_name === 'mystocks-api');
    const text = job?.scrape_interval ?? config.global?.scrape_interval;
    const seconds = text ? durationSeconds(text) : undefined;
    if (seconds !== undefined) return seconds;
  } catch {
    // Thanos, Mimir and others may not serve the config; fall through to Prometheus' default.
  }
  log(`could not read the scrape interval from ${prometheusUrl}; assuming ${DEFAULT_EXTERNAL_SCRAPE_SECONDS} s`);
  return DEFAULT_EXTERNAL_SCRAPE_SECONDS;
}

/** "15s", "1m", "1m30s", "500ms" -> seconds. */
export function durationSeconds(text: string): number | undefined {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0;
  let rest = text.trim();
  if (rest === '') return undefined;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * units[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return total;
}

function formatWindow(window: { start: Date; end: Date }): string {
  return `${window.start.toISOString()} .. ${window.end.toISOString()} (${((window.end.getTime() - window.start.getTime()) / 1000).toFixed(1)} s)`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
