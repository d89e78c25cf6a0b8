// `judgeLoadRun`: one Artillery run of a profile against a target, judged by the SLO-derived thresholds. Used,
// through cli/load-run.ts runLoad, by `harness load` and by `harness verify` (which then evaluates the SLOs over
// exactly [startedAt, endedAt]).
//
// Four steps: plan (validate the profile, scenario and SLO file; fail fast on the target and the Pushgateway) ->
// execute (one Artillery child process, the warm-up as its first phase; its 10 s periods and phase starts tailed
// for progress and the breakpoint's early stop) -> judge (pure: the thresholds on the samples of the judged
// window, which starts where the warm-up phase ends) -> summary (the run as data: RunSummary). Its files (summary.md,
// summary.json, report.html, Allure results) are written by report/load/publish.ts publishLoadRun.

import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { HarnessError, type Verdict } from '../core/outcome.ts';
import type { PrometheusAccess } from '../core/prometheus-access.ts';
import { checkRunId } from '../core/run-id.ts';
import type { SloModel } from '../slo/index.ts';
import { serviceEnvironment } from '../stack/local/service-env.ts';
import { ManagedProcess, type ProcessExit, waitForCompletion } from '../stack/process.ts';
import { onTeardown } from '../stack/teardown.ts';
import { lastLines, tailLines } from '../stack/text-files.ts';
import { reproduceCommand, shellCommand } from './command.ts';
import { loadData } from './data.ts';
import { JOURNEYS, selectJourneys } from './journeys.ts';
import { generatorShare, type LoadPlan, PLAN_ENV } from './plan.ts';
import {
  getProfile,
  isPause,
  type Phase,
  type Profile,
  profileDurationSeconds,
  scaleProfile,
  toArtilleryPhases,
  warmupPhase,
} from './profiles.ts';
import {
  type Breakpoint,
  findBreakpoint,
  journeyMix,
  mergePeriods,
  type PeriodStats,
  type PeriodSummary,
  type RunSummary,
  summarizePeriods,
  withSampleLatency,
} from './report.ts';
import { prepareRunScript } from './run-script.ts';
import { nearestRank, SAMPLES_ENV, SAMPLES_FILE, type Sample, splitSamples, WARMUP_SAMPLES_FILE } from './samples.ts';
import { type CpuReading, ProcSampler, readSaturation, type SaturationReadout } from './saturation.ts';
import { thresholdsFromModel, thresholdsFromSloConfig } from './slo-limits.ts';
import {
  evaluateThresholds,
  measureAggregate,
  measureSamples,
  type ReportAggregate,
  type ThresholdResult,
  type ThresholdSpec,
} from './thresholds.ts';
import { journeySteps, judgeJourneySteps, judgeWebVitals, pageVitals, webVitalLimits } from './web-vitals.ts';

const LOAD_DIR = dirname(fileURLToPath(import.meta.url));
/** Artillery's `run` command alone (.ts in a checkout, .js in the package). */
const ARTILLERY_RUN = join(LOAD_DIR, `artillery-run${extname(import.meta.filename)}`);
const REPO_DIR = resolve(LOAD_DIR, '..');
/** The browser-level scenario runs its own script (Playwright engine); every other scenario is an API journey. */
export const BROWSER_SCENARIO = 'browser';
/** Artillery's reporting period. */
const PERIOD_SECONDS = 10;

/** What to run. */
export interface RunLoadOptions {
  /** smoke | average | stress | spike | soak | breakpoint */
  profile: string;
  /** Base URL of the service (pages and /api share it). */
  target: string;
  /** Prometheus Pushgateway for client-side metrics; none are pushed without it. */
  pushgatewayUrl?: string;
  /** One journey (market-browsing, trader-session, fund-flow, exports) or `browser`; the weighted mix when absent. */
  scenario?: string;
  /** Stretch the profile to this many seconds (shape and rates kept). */
  durationSeconds?: number;
  /** Or stretch every phase by this factor. */
  durationScale?: number;
  runId?: string;
  /** Where the run's files go (a folder per run is made inside): usually reports/load. */
  reportDir: string;
  /** Allure results; default the run's own `<reportDir>/<runId>/allure-results`. */
  allureResultsDir?: string;
  /** SLO file the thresholds come from; the repository's slo/slo-config.yaml by default. */
  sloConfigPath?: string;
  /** The SLO model already loaded from that file (harness verify loads it once); read from the file when absent. */
  sloModel?: SloModel;
  /** Percent of journeys taking their occasional steps (default 10; tests use 100 to hit every endpoint). */
  occasionalPct?: number;
  /** The breakpoint profile stops once a threshold broke (default true). */
  stopAtBreakpoint?: boolean;
  /** Progress lines; silent when absent. */
  log?: (line: string) => void;
  /** Also pass Artillery's own console output to `log`. */
  verbose?: boolean;
  /** Chromium for the browser scenario (default CHROMIUM_PATH or /usr/bin/chromium). */
  chromiumPath?: string;
  /** Seconds of warm-up before the judged run (default: the profile's, see DEFAULT_WARMUP_SECONDS); 0 skips it. */
  warmupSeconds?: number;
  /** Prometheus that scrapes the service: the saturation read-out's API figures come from it. */
  prometheusUrl?: string;
  /** Headers, credentials and CA of that Prometheus when it is secured. */
  prometheusAccess?: PrometheusAccess;
  /** The API's scrape job in that Prometheus (default mystocks-api). */
  job?: string;
  /** PostgreSQL's postmaster on this machine (the stack's `postgres` service pid): the read-out samples its CPU. */
  postgresPid?: number;
  /** The words typed (`['harness', 'load', '--profile', ...]`), recorded in the summary as they were. */
  invocation?: readonly string[];
  /**
   * Artillery processes to run side by side (default 1), each with its share of every phase's arrival rate
   * (`generatorPhases`) and its own Pushgateway grouping key; the run is judged on all their samples together.
   */
  generators?: number;
  /**
   * Run generator `generatorIndex` (from 0) of `generators` alone, in the run's own files: its share of every
   * phase and its grouping key, as in a run of all of them (one pod of deploy/k8s/load-generator's Indexed Job).
   */
  generatorIndex?: number;
}

/** The warm-up that ran before the judged window, outside it and outside the thresholds. */
export interface WarmupResult {
  seconds: number;
  startedAt: Date;
  endedAt: Date;
  /** Requests Artillery sent during the warm-up (its errors are not judged, only reported). */
  requests: number;
  /** Its 10 s periods from its own report (empty when it wrote none): drawn, shaded, in the load-window chart. */
  periods: PeriodStats[];
}

/** The outcome of a run. */
export interface LoadResult {
  /** pass: every threshold held; fail: one broke; inconclusive: could not run or judge. */
  verdict: Verdict;
  runId: string;
  /** When the judged Artillery run started and ended (after any warm-up): the window `harness verify` judges. */
  startedAt: Date;
  endedAt: Date;
  /** The warm-up before it, when one ran. */
  warmup?: WarmupResult;
  /** The machine's own noise during the judged run (see watchMachine). */
  machine?: MachineNoise;
  thresholds: ThresholdResult[];
  /** Artillery's JSON report ({ aggregate, intermediate }). */
  reportPath: string;
  /** The readable summary (Markdown). */
  summaryPath: string;
  /** The run as data (summary.json: periods, journey mix, thresholds). */
  summaryJsonPath: string;
  /** The standalone HTML report (charts, thresholds, journey mix, summary). */
  htmlPath: string;
  breakpoint?: Breakpoint;
  /** Why the run could not be judged (exit 2). */
  problem?: string;
}

/** A judged run whose files are still to be written (report/load/publish.ts publishLoadRun writes them). */
export interface JudgedLoadRun {
  result: LoadResult;
  summary: RunSummary;
  /** Where its Allure results go: --allure-dir, else the run's own folder. */
  allureResultsDir: string;
  log: (line: string) => void;
}

/** Runs one load profile; never throws for a bad run (exit code 1 or 2 instead), only for bad options. */
export async function judgeLoadRun(options: RunLoadOptions): Promise<JudgedLoadRun> {
  const run = await planRun(options);
  // This run's own copy of the script, so its bundles are its own (load/run-script.ts). The browser scenario's
  // test function lives in its script, which Artillery must load in every worker by path: it bundles that one
  // itself (load/run-script.ts says why).
  const runScript = prepareRunScript(
    join(LOAD_DIR, 'scenarios', run.browser ? 'browser.ts' : 'api.ts'),
    join(LOAD_DIR, 'processor.ts'),
    run.runId,
    { bundle: !run.browser },
  );
  const unregisterScript = onTeardown(`load scripts ${run.runId}`, async () => runScript.dispose());
  try {
    const execution = await executeRun(run, runScript.path);
    const evidence = await collectEvidence(run, execution);
    const judgement = judgeRun(run, execution, evidence);
    return await summarizeRun(run, execution, evidence, judgement);
  } finally {
    runScript.dispose();
    unregisterScript();
  }
}

/** A run decided before anything is sent: the profile, thresholds, files and the plan Artillery gets. */
interface PlannedRun {
  options: RunLoadOptions;
  log: (line: string) => void;
  runId: string;
  target: string;
  profile: Profile;
  browser: boolean;
  scenarioLabel: string;
  thresholds: ThresholdSpec[];
  /** The browser scenario's Web Vitals bounds (the SLO file's, else Google's "good"). */
  vitals?: Awaited<ReturnType<typeof webVitalLimits>>;
  /** The warm-up, run as the first phase of the same Artillery run; absent for none. */
  warmup?: Phase;
  runDir: string;
  paths: Record<
    'report' | 'log' | 'periods' | 'summary' | 'samples' | 'warmupSamples' | 'summaryJson' | 'html',
    string
  >;
  /** One plan and one set of Artillery files per generator (one generator: the run's own artillery.json etc.). */
  generators: { plan: LoadPlan; report: string; log: string; periods: string; workerId?: string }[];
  command: string;
  reproduce: string;
}

/** Validates everything (usage and config errors throw, exit 2) and checks the target before a request is sent. */
async function planRun(options: RunLoadOptions): Promise<PlannedRun> {
  const log = options.log ?? (() => {});
  // The id names the run's folder: checked before anything is written (usage error, exit 2).
  const runId = checkRunId(options.runId ?? `load-${randomBytes(4).toString('hex')}`);
  const target = options.target.replace(/\/+$/, '');
  const profile = usageChecked(() =>
    scaleProfile(getProfile(options.profile), {
      ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
      ...(options.durationScale === undefined ? {} : { durationScale: options.durationScale }),
    }),
  );
  const browser = options.scenario === BROWSER_SCENARIO;
  if (options.scenario !== undefined && !browser) usageChecked(() => selectJourneys([options.scenario!]));
  const warmupSeconds = options.warmupSeconds ?? profile.warmupSeconds;
  if (!(warmupSeconds >= 0) || !Number.isFinite(warmupSeconds)) {
    throw new HarnessError(`warm-up must be 0 or more seconds, got ${warmupSeconds}`);
  }
  const generators = generatorCount(options, profile, browser);
  const specs = options.sloModel
    ? thresholdsFromModel(options.sloModel, options.sloConfigPath)
    : await thresholdsFromSloConfig(options.sloConfigPath);
  const runDir = join(resolve(options.reportDir), runId);
  // A run's folder is its own: a second run under the same id would append to its samples and rewrite its
  // report. Refused before a request is sent (exit 2).
  if (existsSync(runDir) && readdirSync(runDir).length > 0) {
    throw new HarnessError(
      `${runDir} already holds a run: choose another --run-id (a run's folder is never rewritten), or remove it`,
    );
  }
  await preflight(target, options.pushgatewayUrl, log);
  await mkdir(runDir, { recursive: true });
  // The browser scenario is judged on Artillery's whole-run report (its page loads leave no samples), which a
  // warm-up phase would enter: it runs none.
  const warmup = browser ? undefined : warmupPhase(profile, warmupSeconds);
  if (browser && warmupSeconds > 0) log('  warm-up: none for the browser scenario (judged on the whole run)');
  const plan: LoadPlan = {
    runId,
    profile: profile.name,
    target,
    phases: toArtilleryPhases({ ...profile, phases: [...(warmup ? [warmup] : []), ...profile.phases] }),
    scenarios: options.scenario && !browser ? [options.scenario] : [],
    ...(options.pushgatewayUrl ? { pushgatewayUrl: options.pushgatewayUrl.replace(/\/+$/, '') } : {}),
    occasionalPct: options.occasionalPct ?? 10,
    progressPlugin: true,
    chromiumPath: options.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  };
  const reproduce = reproduceCommand({ ...options, target, generators });
  const paths = runPaths(runDir);
  return {
    options,
    log,
    runId,
    target,
    profile,
    browser,
    scenarioLabel: options.scenario ?? 'mix',
    // The browser scenario measures pages, not API requests: only its checks apply (see scenarios/browser.ts).
    thresholds: browser ? specs.filter((s) => s.kind === 'checks') : specs,
    ...(browser ? { vitals: await webVitalLimits(options.sloConfigPath) } : {}),
    ...(warmup ? { warmup } : {}),
    runDir,
    paths,
    generators:
      options.generatorIndex === undefined
        ? Array.from({ length: generators }, (_, i) => generatorFiles(plan, paths, runDir, generators, i))
        : [{ ...generatorShare(plan, generators, options.generatorIndex), ...ownFiles(paths) }],
    command: options.invocation ? shellCommand(options.invocation) : reproduce,
    reproduce,
  };
}

/**
 * How many generators, checked: a whole number from 1 to 16. The breakpoint's early stop reads one process's
 * periods as they come, and the browser scenario is judged on one Artillery report: both run one generator.
 */
function generatorCount(options: RunLoadOptions, profile: Profile, browser: boolean): number {
  const count = options.generators ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 16) {
    throw new HarnessError(`--generators must be a whole number from 1 to 16, got ${count}`);
  }
  if (count > 1 && browser) throw new HarnessError('the browser scenario runs one generator (--generators 1)');
  if (count > 1 && profile.name === 'breakpoint') {
    throw new HarnessError('the breakpoint profile runs one generator (--generators 1): its early stop reads one');
  }
  const index = options.generatorIndex;
  if (index !== undefined && !(Number.isInteger(index) && index >= 0 && index < count)) {
    throw new HarnessError(`--generator-index must be a whole number from 0 to ${count - 1}, got ${index}`);
  }
  return count;
}

/**
 * Generator `index`'s plan and files. With one generator, the run's own artillery.json, artillery.log and
 * periods.jsonl; with several, `-g1`, `-g2` ... beside them (artillery.json is then written merged). Every
 * generator appends to the run's one samples file, and pushes under its own grouping key (WORKER_ID).
 */
function generatorFiles(
  plan: LoadPlan,
  paths: PlannedRun['paths'],
  runDir: string,
  count: number,
  index: number,
): PlannedRun['generators'][number] {
  if (count === 1) return { plan, ...ownFiles(paths) };
  const suffix = `-g${index + 1}`;
  return {
    ...generatorShare(plan, count, index),
    report: join(runDir, `artillery${suffix}.json`),
    log: join(runDir, `artillery${suffix}.log`),
    periods: join(runDir, `periods${suffix}.jsonl`),
  };
}

/** The run's own Artillery files: one generator's, or the one generator a --generator-index run runs. */
function ownFiles(paths: PlannedRun['paths']): { report: string; log: string; periods: string } {
  return { report: paths.report, log: paths.log, periods: paths.periods };
}

export function runPaths(runDir: string): PlannedRun['paths'] {
  return {
    report: join(runDir, 'artillery.json'),
    log: join(runDir, 'artillery.log'),
    periods: join(runDir, 'periods.jsonl'),
    summary: join(runDir, 'summary.md'),
    samples: join(runDir, SAMPLES_FILE),
    warmupSamples: join(runDir, WARMUP_SAMPLES_FILE),
    summaryJson: join(runDir, 'summary.json'),
    html: join(runDir, 'report.html'),
  };
}

/** A profile or scenario the user named that does not exist is a usage error (exit 2), not a crash. */
function usageChecked<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new HarnessError((error as Error).message);
  }
}

/** What Artillery did: how it ended, its 10 s periods, when each phase started, and the machine meanwhile. */
interface Execution {
  exit: ProcessExit;
  /** When Artillery was started and when it ended. */
  startedAt: Date;
  endedAt: Date;
  periods: PeriodStats[];
  /** Phase index -> when its first worker began it (ms since the epoch), from the progress plugin. */
  phaseStarts: Map<number, number>;
  /** The breakpoint profile stopped the ramp here. */
  earlyStop?: Breakpoint;
  procReadings: CpuReading[];
  noise: MachineNoise;
  /** Artillery's console output, for the reason when it produced nothing. */
  output: string;
}

/** Runs Artillery (once per generator), warm-up phase included, tailing its periods for progress and the breakpoint. */
async function executeRun(run: PlannedRun, script: string): Promise<Execution> {
  const { options, log, profile, runId } = run;
  const arrivals = profileDurationSeconds(profile);
  const count = run.generators.length;
  log(
    `load ${runId}: profile ${profile.name} (${arrivals} s of arrivals), scenario ${run.scenarioLabel}, target ${run.target}` +
      (count > 1 ? `, ${count} generators each with 1/${count} of the arrivals` : '') +
      (options.generatorIndex === undefined
        ? ''
        : `, generator ${options.generatorIndex + 1} of ${options.generators ?? 1} alone, with its share of the arrivals`) +
      (options.pushgatewayUrl ? `, metrics to ${options.pushgatewayUrl}` : ', no Pushgateway: metrics stay local'),
  );
  if (run.warmup) {
    log(
      `  warm-up: ${run.warmup.durationSeconds} s at ${run.warmup.arrivalRate} journeys/s, the run's first phase (not judged, outside the SLO window)`,
    );
  }
  const startedAt = new Date();
  const machine = watchMachine(run.target);
  const children = await Promise.all(run.generators.map((generator, i) => startGenerator(run, script, generator, i)));
  // The generators' own CPU (their process groups), PostgreSQL's and the machine's, for the saturation read-out.
  const procSampler = new ProcSampler(
    children.map((child) => child.pid),
    options.postgresPid === undefined ? {} : { postgresPid: options.postgresPid },
  ).start();
  const progress = run.generators.map((generator, i) =>
    watchProgress(run, generator.periods, count > 1 ? `g${i + 1} ` : '', () => children[i]!.kill('SIGINT')),
  );
  const tailLogs = options.verbose
    ? run.generators.map((generator) => tailLines(generator.log, (line) => log(`  | ${line}`)))
    : [];
  // Arrivals, plus time for the last journeys to finish and for Artillery to start its workers: when Artillery
  // still bundled the TypeScript itself (esbuild-wasm, in the main process and every worker) that start alone
  // took over two minutes on the 2-core machine at load average 45. The harness now hands it JavaScript
  // (load/run-script.ts); the five-minute allowance stays for a machine that busy, and the deadline always holds.
  const deadlineMs = (arrivals + (run.warmup?.durationSeconds ?? 0) + 300) * 1000;
  const completed = await Promise.all(
    children.map((child) =>
      waitForCompletion(child, deadlineMs, () =>
        log(`  artillery still running ${deadlineMs / 1000} s after start: stopping it`),
      ),
    ),
  );
  await Promise.all([...progress.map((p) => p.stop()), ...tailLogs.map((t) => t.stop())]);
  const procReadings = procSampler.stop();
  const endedAt = new Date();
  const noise = await machine.stop();
  log(
    `  machine noise: /healthz P95 ${noise.healthzP95Ms ?? '-'} ms over ${noise.probes} probes, load generator event-loop delay P99 ${noise.eventLoopDelayP99Ms} ms`,
  );
  const outputs = await Promise.all(run.generators.map((g) => readFile(g.log, 'utf8').catch(() => '')));
  const earlyStop = progress.find((p) => p.earlyStop())?.earlyStop();
  return {
    // The first generator that did not end well speaks for the run (one that failed is not hidden by others).
    exit: completed.map((c) => c.exit).find((exit) => exit.code !== 0) ?? completed[0]!.exit,
    startedAt,
    endedAt,
    periods: mergePeriods(progress.map((p) => p.periods)),
    phaseStarts: latestPhaseStarts(
      run.generators.map((g) => g.plan),
      progress.map((p) => p.phaseStarts),
    ),
    ...(earlyStop ? { earlyStop } : {}),
    procReadings,
    noise,
    output: outputs.join('\n'),
  };
}

/** Starts one generator's Artillery process. */
function startGenerator(
  run: PlannedRun,
  script: string,
  generator: PlannedRun['generators'][number],
  index: number,
): Promise<ManagedProcess> {
  const several = run.generators.length > 1;
  return ManagedProcess.start({
    name: `artillery ${run.runId}${several ? ` g${index + 1}` : ''}`,
    command: process.execPath,
    // `artillery run`, started without Artillery's other commands (load/artillery-run.ts says why).
    args: [ARTILLERY_RUN, '--output', generator.report, script],
    cwd: REPO_DIR,
    logFile: generator.log,
    stopTimeoutMs: 15_000,
    env: {
      ...artilleryEnvironment(),
      ARTILLERY_DISABLE_TELEMETRY: 'true',
      ARTILLERY_PLUGIN_PATH: join(LOAD_DIR, 'plugins'),
      MYSTOCKS_LOAD_STATS_FILE: generator.periods,
      [SAMPLES_ENV]: run.paths.samples,
      [PLAN_ENV]: JSON.stringify(generator.plan),
      // The Pushgateway grouping key of publish-metrics: one per generator, so none overwrites another's.
      ...(generator.workerId ? { WORKER_ID: generator.workerId } : {}),
    },
  });
}

/**
 * What an Artillery process inherits: an allow-list, never the harness's whole environment, which holds the
 * Prometheus credentials (HARNESS_PROMETHEUS_BASIC_AUTH, HARNESS_PROMETHEUS_BEARER_TOKEN) and whatever a CI
 * runner put there. Artillery needs Node's and its own settings, Chromium's path and home for the browser
 * scenario, a proxy where one is set, and its DEBUG switch; the harness sets the rest.
 */
export function artilleryEnvironment(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return serviceEnvironment(
    {
      prefixes: ['NODE_', 'ARTILLERY_', 'PLAYWRIGHT_', 'XDG_'],
      names: [
        'CHROMIUM_PATH',
        'DEBUG',
        'USER',
        'HTTP_PROXY',
        'HTTPS_PROXY',
        'NO_PROXY',
        'http_proxy',
        'https_proxy',
        'no_proxy',
      ],
    },
    from,
  );
}

/**
 * Tails one generator's progress file: phase starts, and each 10 s period as a progress line. The breakpoint
 * profile (one generator) stops the ramp (`stop`) once a threshold broke in the judged periods.
 */
function watchProgress(run: PlannedRun, file: string, prefix: string, stop: () => void) {
  const { log, profile, options, thresholds } = run;
  const periods: PeriodStats[] = [];
  const phaseStarts = new Map<number, number>();
  let earlyStop: Breakpoint | undefined;
  const tail = tailLines(file, (line) => {
    const parsed = JSON.parse(line) as PeriodStats | { phaseStarted: { index: number; startTime: number } };
    if ('phaseStarted' in parsed) {
      phaseStarts.set(parsed.phaseStarted.index, parsed.phaseStarted.startTime);
      return;
    }
    periods.push(parsed);
    const judged = run.warmup ? splitPeriods(periods, warmupBoundary(phaseStarts)).judged : periods;
    const s = judged.length > 0 ? summarizePeriods(judged, profile).at(-1)! : undefined;
    const checks = parsed.counters?.['mystocks.check_failures'] ?? 0;
    // A warm-up period is shown as such; a judged one at its time into the judged window.
    const shown = s ?? summarizePeriods([parsed], { phases: [run.warmup ?? profile.phases[0]!] })[0]!;
    log(
      `  ${prefix}${s ? formatClock(s.atSeconds) : 'warm-up'} ${shown.arrivalRate} journeys/s, ${shown.requestsPerSecond} req/s, p95 ${shown.p95Ms ?? '-'} ms, errors ${shown.errorRatePct ?? '-'} %` +
        (checks > 0 ? `, ${checks} failed checks` : ''),
    );
    if (profile.name === 'breakpoint' && options.stopAtBreakpoint !== false && !earlyStop && judged.length > 0) {
      const b = findBreakpoint(judged, profile, thresholds, { final: false });
      if (b.broke) {
        earlyStop = b;
        log(`  breakpoint: ${b.threshold} broke at ${b.arrivalRate} journeys/s; stopping the ramp`);
        stop();
      }
    }
  });
  return { periods, phaseStarts, earlyStop: () => earlyStop, stop: () => tail.stop() };
}

/**
 * The generators' phase starts as one: a phase counts as started once every generator started it (the latest
 * start), so a judged window that begins there holds no generator's warm-up. One generator: its own starts.
 */
export function latestPhaseStarts(
  plans: readonly Pick<LoadPlan, 'phases'>[],
  perGenerator: readonly ReadonlyMap<number, number>[],
): Map<number, number> {
  // A generator given nothing at all (every phase a pause: smoke's 3/s over 4) gets no Artillery worker and
  // reports no phase, so only the generators with arrivals say when a phase began.
  const reporting = perGenerator.filter((_, i) => !plans[i]!.phases.every(isPause));
  const combined = new Map<number, number>();
  for (const index of reporting[0]?.keys() ?? []) {
    const starts = reporting.map((starts) => starts.get(index));
    if (starts.every((start) => start !== undefined)) combined.set(index, Math.max(...(starts as number[])));
  }
  return combined;
}

/**
 * The instant the judged window starts: the start of the first phase after the warm-up, as Artillery reported
 * it. With no warm-up, the first phase's start (else undefined: Artillery never began). With a warm-up whose
 * next phase never began (Artillery ended during the warm-up), +Infinity: nothing is judged.
 */
function judgedStart(run: Pick<PlannedRun, 'warmup'>, phaseStarts: ReadonlyMap<number, number>): number | undefined {
  return run.warmup ? warmupBoundary(phaseStarts) : phaseStarts.get(0);
}

/** The end of the warm-up phase (the run's first): the start of the phase after it, else +Infinity. */
function warmupBoundary(phaseStarts: ReadonlyMap<number, number>): number {
  return phaseStarts.get(1) ?? Number.POSITIVE_INFINITY;
}

/**
 * A period belongs to the warm-up when most of it lies before the boundary (Artillery's periods are 10 s of
 * wall clock, not aligned to phases). Only the charts, the saturation read-out, the journey mix and the
 * breakpoint search read periods; the thresholds are measured on samples, cut exactly at the boundary.
 */
export function splitPeriods(
  periods: readonly PeriodStats[],
  boundaryMs: number,
): { judged: PeriodStats[]; warmup: PeriodStats[] } {
  const beforeBoundary = (p: PeriodStats) => p.period + (PERIOD_SECONDS * 1000) / 2 <= boundaryMs;
  return { judged: periods.filter((p) => !beforeBoundary(p)), warmup: periods.filter(beforeBoundary) };
}

/** What the run is judged on, split at the warm-up's boundary. */
interface Evidence {
  /** The judged window: from the boundary (or the first phase's start) to Artillery's end. */
  window: { startedAt: Date; endedAt: Date };
  samples: Sample[];
  periods: PeriodStats[];
  warmup?: WarmupResult;
  /** Artillery's own aggregate (the whole run); built from the periods after an early stop. */
  aggregate?: ReportAggregate;
}

/** Splits samples and periods at the boundary (the warm-up's samples move to their own file) and reads the report. */
async function collectEvidence(run: PlannedRun, execution: Execution): Promise<Evidence> {
  const boundary = judgedStart(run, execution.phaseStarts);
  const samples = splitSamples(run.paths.samples, boundary, run.paths.warmupSamples);
  // Several generators: each period's response-time percentiles from the pooled samples, never a mix of the
  // generators' own percentiles.
  const allPeriods =
    run.generators.length > 1
      ? withSampleLatency(execution.periods, [...samples.warmup, ...samples.judged])
      : execution.periods;
  // With no warm-up there is nothing to split off: every period is judged.
  const periods = run.warmup
    ? splitPeriods(allPeriods, warmupBoundary(execution.phaseStarts))
    : { judged: allPeriods, warmup: [] };
  let aggregate: ReportAggregate | undefined;
  if (existsSync(run.paths.report)) {
    aggregate = (JSON.parse(await readFile(run.paths.report, 'utf8')) as { aggregate: ReportAggregate }).aggregate;
  } else if (allPeriods.length > 0) {
    // Stopped early (breakpoint), where Artillery writes no report, or several generators, each with a report of
    // its own: artillery.json is built from the (merged) periods. Counters add up exactly; for latency the worst
    // period's P95 stands in for the run's (the thresholds are measured on the samples, not on this).
    aggregate = aggregateOfPeriods(allPeriods);
    await writeFile(run.paths.report, `${JSON.stringify({ aggregate, intermediate: allPeriods }, null, 2)}\n`);
  }
  const judgedFrom = boundary !== undefined && Number.isFinite(boundary) ? new Date(boundary) : execution.startedAt;
  const warmupFrom = execution.phaseStarts.get(0);
  const warmup: WarmupResult | undefined = run.warmup
    ? {
        seconds: run.warmup.durationSeconds,
        startedAt: warmupFrom === undefined ? execution.startedAt : new Date(warmupFrom),
        endedAt: Number.isFinite(boundary) ? judgedFrom : execution.endedAt,
        requests: samples.warmup.length,
        periods: periods.warmup,
      }
    : undefined;
  if (warmup) {
    run.log(
      `  warm-up: ${warmup.requests} requests in ${((warmup.endedAt.getTime() - warmup.startedAt.getTime()) / 1000).toFixed(1)} s`,
    );
  }
  return {
    window: { startedAt: judgedFrom, endedAt: execution.endedAt },
    samples: samples.judged,
    periods: periods.judged,
    ...(warmup ? { warmup } : {}),
    ...(aggregate ? { aggregate } : {}),
  };
}

/** The verdict and every threshold's result. */
export interface Judgement {
  verdict: Verdict;
  results: ThresholdResult[];
  breakpoint?: Breakpoint;
  /** Why the run could not be judged. */
  problem?: string;
}

/**
 * The run's one judge, pure: the thresholds on the judged window's samples (the browser scenario: on Artillery's
 * aggregate, with its pages' Web Vitals), the breakpoint, and the verdict. Artillery itself judges nothing.
 */
export function judgeRun(
  run: Pick<PlannedRun, 'browser' | 'thresholds' | 'vitals' | 'profile' | 'warmup'> & {
    generators: readonly Pick<PlannedRun['generators'][number], 'log'>[];
  },
  execution: Pick<Execution, 'exit' | 'earlyStop' | 'output'>,
  evidence: Pick<Evidence, 'samples' | 'periods' | 'aggregate'>,
): Judgement {
  const { aggregate, samples } = evidence;
  const measure = run.browser ? (aggregate ? measureAggregate(aggregate) : () => null) : measureSamples(samples);
  let results = evaluateThresholds(run.thresholds, measure);
  if (run.browser && aggregate && run.vitals) {
    // What users feel: each page's Web Vitals at P75 against the SLO file's webVitals bounds (or Google's "good").
    const { limits, source } = run.vitals;
    results = [
      ...results,
      ...judgeWebVitals(pageVitals(aggregate), limits, source),
      ...judgeJourneySteps(journeySteps(aggregate), limits, source),
    ];
  }
  const { earlyStop, exit } = execution;
  if (earlyStop) {
    // Stopped at the breakpoint: the threshold that broke is failed, with its value in the breaking period.
    results = results.map((r) =>
      r.name === earlyStop.threshold
        ? { ...r, ok: false, value: (r.name === 'latency-p95' ? earlyStop.p95Ms : earlyStop.errorRatePct) ?? r.value }
        : r,
    );
  }
  const breakpoint =
    run.profile.name === 'breakpoint'
      ? (earlyStop ?? findBreakpoint(evidence.periods, run.profile, run.thresholds))
      : undefined;
  const judged = run.browser
    ? (aggregate?.counters?.['http.requests'] ?? 0) + (aggregate?.counters?.['vusers.created'] ?? 0)
    : samples.length;
  // Every generator's log: with several, the output read is theirs one after another.
  const logs = run.generators.map((g) => g.log).join(', ');
  const lastLinesOfLog = `last lines of ${logs}:\n${lastLines(execution.output, 25)}`;
  const ended = exit.code ?? exit.signal;
  let verdict: Verdict;
  let problem: string | undefined;
  if (judged === 0) {
    verdict = 'inconclusive';
    problem = run.warmup
      ? `Artillery produced no results after the warm-up (exit ${ended}); ${lastLinesOfLog}`
      : `Artillery produced no results (exit ${ended}); ${lastLinesOfLog}`;
  } else if (earlyStop) {
    verdict = 'fail';
  } else if (exit.code === 0) {
    verdict = results.every((r) => r.ok) ? 'pass' : 'fail';
  } else {
    verdict = 'inconclusive';
    problem = `Artillery ended with ${ended} before the run was over; ${lastLinesOfLog}`;
  }
  return { verdict, results, ...(breakpoint ? { breakpoint } : {}), ...(problem ? { problem } : {}) };
}

/** The run's summary and result, as data; the files and the outcome's log lines are publishLoadRun's. */
async function summarizeRun(
  run: PlannedRun,
  execution: Execution,
  evidence: Evidence,
  judgement: Judgement,
): Promise<JudgedLoadRun> {
  const { log, paths, profile } = run;
  const { verdict, results, breakpoint, problem } = judgement;
  const { window, warmup } = evidence;
  const periodSummaries = summarizePeriods(evidence.periods, profile);
  const saturation = run.browser ? undefined : await saturationOf(run, execution, evidence, breakpoint);
  if (saturation) log(`  saturation: ${saturation.sentence}`);
  const summary: RunSummary = {
    runId: run.runId,
    profile: profile.name,
    scenario: run.scenarioLabel,
    target: run.target,
    startedAt: window.startedAt.toISOString(),
    endedAt: window.endedAt.toISOString(),
    verdict,
    thresholds: results,
    requests: run.browser ? (evidence.aggregate?.counters?.['http.requests'] ?? 0) : evidence.samples.length,
    machine: execution.noise,
    ...(warmup
      ? {
          warmup: {
            seconds: warmup.seconds,
            startedAt: warmup.startedAt.toISOString(),
            endedAt: warmup.endedAt.toISOString(),
            requests: warmup.requests,
            periods: warmupPeriods(warmup, evidence.periods, profile),
          },
        }
      : {}),
    ...(run.generators.length > 1 ? { generators: run.generators.length } : {}),
    // One generator of several alone (a pod): what `harness load merge` reads to judge the N as one (load/merge.ts).
    ...(run.options.generatorIndex === undefined
      ? {}
      : {
          generator: {
            index: run.options.generatorIndex,
            of: run.options.generators ?? 1,
            profile,
            ...(run.warmup ? { warmup: run.warmup } : {}),
            thresholds: run.thresholds,
            exit: execution.exit,
          },
        }),
    ...(run.browser ? { pageRequests: evidence.aggregate?.counters?.['browser.http_requests'] ?? 0 } : {}),
    journeyMix: journeyMix(run.browser && evidence.aggregate ? [evidence.aggregate] : evidence.periods),
    periods: periodSummaries,
    ...(breakpoint ? { breakpoint } : {}),
    ...(saturation ? { saturation } : {}),
    ...(problem ? { problem } : {}),
    command: run.command,
    reproduce: run.reproduce,
    ...(profileWarmPhaseSeconds(profile) === undefined ? {} : { warmPhaseSeconds: profileWarmPhaseSeconds(profile) }),
  };
  const result: LoadResult = {
    verdict,
    runId: run.runId,
    startedAt: window.startedAt,
    endedAt: window.endedAt,
    ...(warmup ? { warmup } : {}),
    machine: execution.noise,
    thresholds: results,
    reportPath: paths.report,
    summaryPath: paths.summary,
    summaryJsonPath: paths.summaryJson,
    htmlPath: paths.html,
    ...(breakpoint ? { breakpoint } : {}),
    ...(problem ? { problem } : {}),
  };
  // The run's own folder unless told otherwise, so a standalone run never lands beside an earlier verify's.
  const allureResultsDir = run.options.allureResultsDir ?? join(run.runDir, 'allure-results');
  return { result, summary, allureResultsDir, log };
}

/** The saturation read-out of an API run: what ran out first, up to the period after a breakpoint's breach. */
async function saturationOf(
  run: PlannedRun,
  execution: Execution,
  evidence: Evidence,
  breakpoint: Breakpoint | undefined,
): Promise<SaturationReadout | undefined> {
  const { options } = run;
  const periods = summarizePeriods(evidence.periods, run.profile);
  if (periods.length === 0) return undefined;
  return readSaturation({
    periods,
    periodStarts: [...evidence.periods].sort((a, b) => a.period - b.period).map((p) => p.period),
    procReadings: execution.procReadings,
    postgresSampled: options.postgresPid !== undefined,
    ...(options.prometheusUrl ? { prometheusUrl: options.prometheusUrl } : {}),
    ...(options.prometheusAccess ? { prometheusAccess: options.prometheusAccess } : {}),
    ...(options.job ? { job: options.job } : {}),
    // Up to the period after the breach: what ran out at the breakpoint, not in the wreckage after it.
    ...(breakpoint?.broke && breakpoint.atSeconds !== undefined ? { untilSeconds: breakpoint.atSeconds + 10 } : {}),
  });
}

/** The machine's own noise while a load runs: a no-op endpoint's latency and the load generator's health. */
export interface MachineNoise {
  /** P95 of GET /healthz as this process saw it (the service's histogram holds the same requests). */
  healthzP95Ms: number | null;
  probes: number;
  /** P99 event-loop delay of this process, which shares the machine with Artillery's workers. */
  eventLoopDelayP99Ms: number;
}

/**
 * Probes /healthz and /readyz once a second and watches this process's event-loop delay until stop(). The
 * probes feed the controls of the latency SLOs (slo-config.yaml): /healthz is the HTTP latency SLO's (the same
 * histogram, endpoint="/healthz", left out of the SLO's own query), and /readyz's `SELECT 1` on the service's
 * ping connection is the DB latency SLO's (operation="health.ping"). A no-op slows down only when the machine
 * does. Two requests a second add little load; /readyz's answer is not judged here (a deployment without it
 * only loses the DB control).
 */
function watchMachine(target: string): { stop(): Promise<MachineNoise> } {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const latencies: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const begin = performance.now();
      try {
        const response = await fetch(`${target}/healthz`, { signal: AbortSignal.timeout(5_000) });
        await response.body?.cancel();
        if (response.ok) latencies.push(performance.now() - begin);
        const ready = await fetch(`${target}/readyz`, { signal: AbortSignal.timeout(5_000) });
        await ready.body?.cancel();
      } catch {
        // a failed probe is the load's business (its checks count failures), not a latency sample
      }
      await sleep(1_000);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      delay.disable();
      latencies.sort((a, b) => a - b);
      const p95 = nearestRank(latencies, 0.95) ?? null;
      return {
        healthzP95Ms: p95 === null ? null : Math.round(p95),
        probes: latencies.length,
        eventLoopDelayP99Ms: Math.round(delay.percentile(99) / 1e6),
      };
    },
  };
}

/**
 * The warm-up's periods on the judged run's time axis: t = 0 is the judged run's first period (else its
 * start), so the warm-up's fall at negative seconds, with the real gap between the two runs kept.
 */
export function warmupPeriods(warmup: WarmupResult, judged: readonly PeriodStats[], profile: Profile): PeriodSummary[] {
  if (warmup.periods.length === 0) return [];
  const firstJudged = judged.length > 0 ? Math.min(...judged.map((p) => p.period)) : warmup.endedAt.getTime();
  const warmupStart = Math.min(...warmup.periods.map((p) => p.period));
  const shift = Math.round((warmupStart - firstJudged) / 1000);
  const phase = warmupPhase(profile, warmup.seconds)!;
  return summarizePeriods(warmup.periods, { phases: [phase] }).map((p) => ({ ...p, atSeconds: p.atSeconds + shift }));
}

/**
 * Fails fast (exit 2) when the target is not a MyStocks service with the reference data, or the Pushgateway
 * does not answer: better a clear message in seconds than a minute of connection errors judged as a breach.
 */
async function preflight(
  target: string,
  pushgatewayUrl: string | undefined,
  log: (line: string) => void,
): Promise<void> {
  const probe = async (url: string, what: string): Promise<Response> => {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'manual' });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new HarnessError(`${what} ${url} is unreachable: ${cause}`);
    }
  };
  const health = await probe(`${target}/healthz`, 'target');
  await health.body?.cancel();
  if (!health.ok) throw new HarnessError(`target ${target}/healthz answered ${health.status}`);
  const symbol = loadData().symbols[0]!.symbol;
  // A 5xx is the service misbehaving, which is what the load is there to measure, not a sign of missing data:
  // ask again a few times (an injected 5 % error rate answers 503 now and then) and only a 404 or another
  // answer that persists stops the run.
  let quote = await probe(`${target}/api/market/quotes/${symbol}`, 'target');
  for (let attempt = 1; quote.status >= 500 && attempt < 5; attempt++) {
    await quote.body?.cancel();
    await sleep(200);
    quote = await probe(`${target}/api/market/quotes/${symbol}`, 'target');
  }
  await quote.body?.cancel();
  if (quote.status >= 500) {
    log(`load: warning: GET /api/market/quotes/${symbol} answered ${quote.status} five times; running the load anyway`);
  } else if (quote.status !== 200) {
    throw new HarnessError(
      `target ${target} does not serve the reference data set (GET /api/market/quotes/${symbol} answered ${quote.status}); the journeys draw their symbols from it`,
    );
  }
  if (pushgatewayUrl) {
    const ready = await probe(`${pushgatewayUrl.replace(/\/+$/, '')}/-/ready`, 'Pushgateway');
    await ready.body?.cancel();
    if (!ready.ok) throw new HarnessError(`Pushgateway ${pushgatewayUrl} answered ${ready.status}`);
  }
  log(`load: target ${target} answers with the reference data${pushgatewayUrl ? ', Pushgateway ready' : ''}`);
}

/** A report aggregate from periods: counters summed, each summary's worst period kept. */
export function aggregateOfPeriods(periods: readonly PeriodStats[]): ReportAggregate {
  const counters: Record<string, number> = {};
  const summaries: Record<string, Record<string, number>> = {};
  for (const p of periods) {
    for (const [k, v] of Object.entries(p.counters ?? {})) counters[k] = (counters[k] ?? 0) + v;
    for (const [k, s] of Object.entries(p.summaries ?? {})) {
      const into = summaries[k] ?? {};
      summaries[k] = into;
      for (const [agg, v] of Object.entries(s)) into[agg] = Math.max(into[agg] ?? Number.NEGATIVE_INFINITY, v);
    }
  }
  return { counters, summaries };
}

/**
 * Seconds of the profile's own opening warm phase, when it has one (breakpoint does): a judged phase, shaded in
 * the charts. Not the warm-up (`warmupPhase`), which runs before the judged window.
 */
export function profileWarmPhaseSeconds(profile: Profile): number | undefined {
  const first = profile.phases[0];
  return first && /warm/i.test(first.name) ? first.durationSeconds : undefined;
}

function formatClock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Names of the scenarios `--scenario` accepts. */
export const SCENARIO_NAMES = [...JOURNEYS.map((j) => j.name), BROWSER_SCENARIO];
