/**
 * `verify(options)`: the product's main job as a function. One run:
 *
 *   stack up -> E2E (Playwright child process, BASE_URL = the stack) -> load (runLoad, metrics to Prometheus)
 *   -> compare (with --baseline: the load's samples against the baseline run's, baseline-load.ts) -> settle (one scrape interval plus a margin, then a check that Prometheus has scraped past the load's end)
 *   -> SLO check over exactly [load start, load end] -> reports (Allure results of all three, the Allure 3 HTML
 *   report with history, JUnit, Markdown, verify.json, baseline) -> stack down -> one verdict.
 *
 * This file is the orchestration only: it resolves the options into a run state, walks the stage table
 * (stages.ts: what each stage needs, what skips it), records how each stage ended and writes verify.json. The
 * stages are in stages.ts, the report formats in report/verify/ (reports/paths.ts lays out the run's files).
 *
 * Verdict: the worst of the stages (report/verify/model.ts runVerdict; core/outcome.ts: fail beats inconclusive beats pass),
 * which the dispatcher (cli/dispatch.ts) turns into the exit code. A failed E2E
 * suite does not stop load and the SLO check: CI gets every verdict of the run in one go. A stage that cannot
 * run (the stack did not start, the target is unreachable) makes the run inconclusive, never a pass.
 *
 * The stack is stopped by the `down` stage, which runs whatever happened before it, and on Ctrl-C by
 * stack/teardown.ts (every started process, the Playwright and Artillery children included, is registered there).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HarnessError } from '../../core/outcome.ts';
import type { PrometheusAccess, PrometheusAccessSettings } from '../../core/prometheus-access.ts';
import { firstLine } from '../../core/text.ts';
import type { Margins } from '../../load/compare.ts';
import { verifyJson } from '../../report/verify/json.ts';
import { runVerdict, type VerifyResult } from '../../report/verify/model.ts';
import {
  DEFAULT_CONFIG_PATH,
  type LoadedSloConfig,
  loadSloConfig,
  modelWithJob,
  SloConfigError,
} from '../../slo/index.ts';
import type { Stack } from '../../stack/index.ts';
import { reportsDir as defaultReportsDir, newRunId } from '../../stack/state.ts';
import type { FaultSpec, RequestedStackMode } from '../../stack/types.ts';
import { Progress } from './progress.ts';
import { historyScopeOf, keepRunsFrom, prepareRunDir, pruneRuns, publishRun, reportPaths } from './reports/paths.ts';
import type { RunSettings, RunState, SkippableStage } from './run-state.ts';
import { STAGE_TABLE, type StageOutcome, type StageSpec } from './stages.ts';

/** What verify() returns: the run as data, which report/verify/ renders. */
export type { VerifyResult } from '../../report/verify/model.ts';
export { SKIPPABLE, type SkippableStage } from './run-state.ts';

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
  /** Warm-up before the judged load, seconds (default the profile's; 0 skips it). */
  warmupSeconds?: number;
  /** Stages to leave out. */
  skip?: Iterable<SkippableStage>;
  /**
   * An earlier passing SLO report (JSON) to compare with: regressions beyond an SLO's maxRegressionPct fail it,
   * and this run's load is compared with the load samples in the report's folder's load/ (the compare stage).
   */
  baselinePath?: string;
  /** Margins of the compare stage (load/compare.ts DEFAULT_MARGINS for those not given). */
  compareMargins?: Partial<Margins>;
  /** Faults for the started API (the CLI passes MYSTOCKS_FAULTS); ignored, with a note, in external mode. */
  faults?: FaultSpec[];
  /** Extra environment of the started API (StackOptions.apiEnv). */
  apiEnv?: Record<string, string>;
  /** SLO file (default slo/slo-config.yaml); the load thresholds come from the same file. */
  sloConfigPath?: string;
  /** The API's scrape job (`--job`; default mystocks-api): the SLO queries, settle and the charts select it. */
  job?: string;
  /** Headers, credentials and CA of a secured Prometheus (cli/endpoints.ts resolvePrometheusAccess). */
  prometheusAccess?: { access?: PrometheusAccess; settings?: PrometheusAccessSettings };
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

/** Runs the whole verification; never throws for a failing or unreachable service (fail or inconclusive instead). */
export async function verify(options: VerifyOptions = {}): Promise<VerifyResult> {
  const runStart = performance.now();
  // Read before anything runs: a bad value is a usage error, not a surprise after the run.
  const keepRuns = keepRunsFrom(process.env.HARNESS_KEEP_RUNS);
  const progress = new Progress({
    ...(options.log ? { write: options.log } : {}),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
  });
  const state = newRunState(options);
  await prepareRunDir(state.paths);

  // runStage turns a stage's own errors into its inconclusive verdict; what still throws is the pipeline's own
  // trouble (a report file that cannot be written): the remaining stages are left out, except those that must
  // run (down), and the error goes to the caller.
  let failed = false;
  let failure: unknown;
  for (const spec of STAGE_TABLE) {
    if (failed && !spec.always) continue;
    try {
      await runStage(spec, state, progress);
    } catch (error) {
      if (!failed) failure = error;
      failed = true;
    }
  }
  if (failed) throw failure;

  const slos = state.slo?.slos ?? [];
  const result: VerifyResult = {
    verdict: runVerdict(state.stages),
    stages: state.stages,
    breachedSlos: slos.filter((s) => s.status === 'fail').map((s) => s.name),
    inconclusiveSlos: slos.filter((s) => s.status === 'inconclusive').map((s) => s.name),
    breachedThresholds: state.load?.thresholds.filter((t) => !t.ok).map((t) => t.name) ?? [],
    ...(state.slo ? { slo: state.slo } : {}),
    ...(state.load ? { load: state.load } : {}),
    ...(state.comparison ? { comparison: state.comparison } : {}),
    ...(state.e2e ? { e2e: state.e2e } : {}),
    ...(state.sloWindow ? { sloWindow: state.sloWindow } : {}),
    ...(state.sentence ? { verdictSentence: state.sentence } : {}),
    ...(state.context ? { context: state.context } : {}),
    paths: state.paths,
    wallMs: performance.now() - runStart,
    toolMs: state.toolMs,
  };
  await writeFile(state.paths.json, `${JSON.stringify(verifyJson(result), null, 2)}\n`);
  publishRun(state.paths);
  pruneRuns(state.paths.dir, keepRuns);
  return result;
}

/** Decides from the table whether a stage runs, runs it, and records how it ended (a throw is inconclusive). */
async function runStage(spec: StageSpec, state: RunState, progress: Progress): Promise<void> {
  const { skip } = state.settings;
  if (spec.skippedBy && skip.has(spec.skippedBy)) {
    // settle belongs to the SLO check: `--skip slo` lists the slo stage as skipped, not settle too.
    if (spec.name === spec.skippedBy)
      record(state, spec, 0, { result: 'skipped', decides: false, detail: `--skip ${spec.name}` });
    return;
  }
  let unmet: { why: string; otherwise: 'skip' | 'inconclusive' | 'omit' } | undefined;
  for (const need of spec.needs) {
    const why = need.missing(state);
    if (why !== undefined) {
      unmet = { why, otherwise: need.otherwise };
      break;
    }
  }
  if (unmet?.otherwise === 'omit') return;
  if (unmet?.otherwise === 'skip') {
    record(state, spec, 0, { result: 'skipped', decides: false, detail: unmet.why });
    return;
  }
  const log = progress.stage(spec.name);
  const begin = performance.now();
  let outcome: StageOutcome;
  // A stage's error is said once, whole (with its log tail); the summary keeps its first line.
  let said: string | undefined;
  try {
    if (unmet) throw new Error(unmet.why);
    outcome = await spec.run(state, log);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    state.problems.push({ stage: spec.name, problem: message, ownResults: false });
    said = `inconclusive: ${message}`;
    outcome = { result: 'inconclusive', decides: true, detail: firstLine(message) };
  }
  log.end();
  record(state, spec, performance.now() - begin, outcome);
  if (said !== undefined) log(said);
  else if (outcome.result !== 'skipped') log(`${outcome.result}${outcome.detail ? `: ${outcome.detail}` : ''}`);
}

function record(state: RunState, spec: StageSpec, durationMs: number, outcome: StageOutcome): void {
  state.stages.push({ stage: spec.name, durationMs, ...outcome });
}

/** The options resolved once: defaults filled in, the stack mode decided, the SLO file read on first use. */
function newRunState(options: VerifyOptions): RunState {
  const sloConfigPath = options.sloConfigPath ?? DEFAULT_CONFIG_PATH;
  let loaded: Promise<LoadedSloConfig> | undefined;
  const settings: RunSettings = {
    ...(options.stack ? { requestedStack: options.stack } : {}),
    profile: options.profile ?? 'smoke',
    skip: new Set(options.skip ?? []),
    ...(options.scenario ? { scenario: options.scenario } : {}),
    ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
    ...(options.warmupSeconds === undefined ? {} : { warmupSeconds: options.warmupSeconds }),
    ...(options.baselinePath ? { baselinePath: options.baselinePath } : {}),
    ...(options.compareMargins ? { compareMargins: options.compareMargins } : {}),
    faults: options.faults ?? [],
    ...(options.apiEnv ? { apiEnv: options.apiEnv } : {}),
    sloConfigPath,
    ...(options.job ? { job: options.job } : {}),
    ...(options.prometheusAccess ? { prometheusAccess: options.prometheusAccess } : {}),
    sloConfigGiven: options.sloConfigPath !== undefined,
    ...(options.e2eArgs ? { e2eArgs: options.e2eArgs } : {}),
    settleMarginSeconds: options.settleMarginSeconds ?? 1,
    allureReport: options.allureReport !== false,
    ...(options.onLoadStarted ? { onLoadStarted: options.onLoadStarted } : {}),
  };
  const state: RunState = {
    settings,
    // Run-scoped, so two runs in one checkout keep apart; the Allure history is the one of this run's profile and
    // stages (reports/paths.ts historyFile).
    paths: reportPaths(
      resolve(options.reportsDir ?? defaultReportsDir()),
      `verify-${newRunId()}`,
      historyScopeOf(settings),
    ),
    sloConfig(log) {
      loaded ??= loadSloConfig(sloConfigPath).then(
        (config) => {
          for (const warning of config.warnings) log(`warning: ${warning.text}`);
          // --job points every query at the deployment's scrape job, as `harness slo rules --job` does.
          return options.job
            ? { ...config, model: modelWithJob(config.model, options.job, (warning) => log(`warning: ${warning}`)) }
            : config;
        },
        (error: unknown) => {
          if (error instanceof SloConfigError) throw new HarnessError(`invalid SLO config:\n${error.message}`);
          throw error;
        },
      );
      return loaded;
    },
    stackLog: () => {},
    stages: [],
    problems: [],
    toolMs: { e2e: 0, load: 0, slo: 0 },
  };
  return state;
}
