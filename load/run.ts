// `runLoad`: one Artillery run of a profile against a target, judged by the SLO-derived thresholds. Used by
// `harness load` and by `harness verify` (which then evaluates the SLOs over exactly [startedAt, endedAt]).
//
// Order: validate (profile, scenario, SLO file) -> fail fast on the target (and the Pushgateway) -> Artillery in
// a child process, its 10 s periods tailed for progress (and the breakpoint's early stop) -> thresholds on the
// JSON report, cross-checked with Artillery's own ensure verdicts -> summary, JSON and Allure results.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { HarnessError, type Verdict } from '../core/outcome.ts';
import type { PrometheusAccess } from '../core/prometheus-access.ts';
import { checkRunId } from '../core/run-id.ts';
import type { SloModel } from '../slo/index.ts';
import { ManagedProcess, waitForCompletion } from '../stack/process.ts';
import { onTeardown } from '../stack/teardown.ts';
import { lastLines, tailLines } from '../stack/text-files.ts';
import { reproduceCommand, shellCommand } from './command.ts';
import { loadData } from './data.ts';
import { loadCharts, writeLoadReportHtml } from './html-report.ts';
import { JOURNEYS, selectJourneys } from './journeys.ts';
import { type LoadPlan, PLAN_ENV } from './plan.ts';
import {
  getProfile,
  type Phase,
  type Profile,
  profileDurationSeconds,
  scaleProfile,
  toArtilleryPhases,
  warmupPhase,
} from './profiles.ts';
import {
  type Breakpoint,
  type Evidence,
  findBreakpoint,
  journeyMix,
  type PeriodStats,
  type PeriodSummary,
  type RunSummary,
  renderSummary,
  summarizePeriods,
  toAllureResults,
  writeAllureResults,
} from './report.ts';
import { prepareRunScript } from './run-script.ts';
import { SAMPLES_ENV, SAMPLES_FILE } from './samples.ts';
import { ProcSampler, readSaturation } from './saturation.ts';
import { thresholdsFromModel, thresholdsFromSloConfig } from './slo-limits.ts';
import { describeResult, evaluateThresholds, type ReportAggregate, type ThresholdResult } from './thresholds.ts';
import { journeySteps, judgeJourneySteps, judgeWebVitals, pageVitals, webVitalLimits } from './web-vitals.ts';

const LOAD_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = resolve(LOAD_DIR, '..');
/** The browser-level scenario runs its own script (Playwright engine); every other scenario is an API journey. */
export const BROWSER_SCENARIO = 'browser';

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

/** Runs one load profile; never throws for a bad run (exit code 1 or 2 instead), only for bad options. */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => {});
  // The id names the run's folder: checked before anything is written (usage error, exit 2).
  const runId = checkRunId(options.runId ?? `load-${randomBytes(4).toString('hex')}`);
  const target = options.target.replace(/\/+$/, '');

  // Usage and config first: exit 2 before anything is sent.
  let profile: Profile;
  try {
    profile = scaleProfile(getProfile(options.profile), {
      ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
      ...(options.durationScale === undefined ? {} : { durationScale: options.durationScale }),
    });
  } catch (error) {
    throw new HarnessError((error as Error).message);
  }
  const browser = options.scenario === BROWSER_SCENARIO;
  if (options.scenario !== undefined && !browser) {
    try {
      selectJourneys([options.scenario]);
    } catch (error) {
      throw new HarnessError((error as Error).message);
    }
  }
  const specs = options.sloModel
    ? thresholdsFromModel(options.sloModel, options.sloConfigPath)
    : await thresholdsFromSloConfig(options.sloConfigPath);
  // The browser scenario measures pages, not API requests: only its checks apply (see scenarios/browser.ts).
  const thresholds = browser ? specs.filter((s) => s.kind === 'checks') : specs;

  await preflight(target, options.pushgatewayUrl, log);

  const runDir = join(resolve(options.reportDir), runId);
  await mkdir(runDir, { recursive: true });
  const paths = {
    report: join(runDir, 'artillery.json'),
    log: join(runDir, 'artillery.log'),
    periods: join(runDir, 'periods.jsonl'),
    summary: join(runDir, 'summary.md'),
    samples: join(runDir, SAMPLES_FILE),
    summaryJson: join(runDir, 'summary.json'),
    html: join(runDir, 'report.html'),
  };
  const scenarioLabel = options.scenario ?? 'mix';
  const plan: LoadPlan = {
    runId,
    profile: profile.name,
    target,
    phases: toArtilleryPhases(profile),
    scenarios: options.scenario && !browser ? [options.scenario] : [],
    thresholds,
    ...(options.pushgatewayUrl ? { pushgatewayUrl: options.pushgatewayUrl.replace(/\/+$/, '') } : {}),
    occasionalPct: options.occasionalPct ?? 10,
    progressPlugin: true,
    chromiumPath: options.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  };
  // This run's own copy of the script, so its bundles are its own (load/run-script.ts).
  // The browser scenario's test function lives in its script, which Artillery must load in every worker by path:
  // it bundles that one itself (load/run-script.ts says why).
  const runScript = prepareRunScript(
    join(LOAD_DIR, 'scenarios', browser ? 'browser.ts' : 'api.ts'),
    join(LOAD_DIR, 'processor.ts'),
    runId,
    { bundle: !browser },
  );
  const unregisterScript = onTeardown(`load scripts ${runId}`, async () => runScript.dispose());
  const script = runScript.path;
  const artilleryBin = join(dirname(createRequire(import.meta.url).resolve('artillery/package.json')), 'bin', 'run');
  const args = [artilleryBin, 'run', '--output', paths.report, script];
  const reproduce = reproduceCommand({ ...options, target });
  const command = options.invocation ? shellCommand(options.invocation) : reproduce;
  const duration = profileDurationSeconds(profile);
  log(
    `load ${runId}: profile ${profile.name} (${duration} s of arrivals), scenario ${scenarioLabel}, target ${target}` +
      (options.pushgatewayUrl ? `, metrics to ${options.pushgatewayUrl}` : ', no Pushgateway: metrics stay local'),
  );

  const warmupSeconds = options.warmupSeconds ?? profile.warmupSeconds;
  if (!(warmupSeconds >= 0) || !Number.isFinite(warmupSeconds)) {
    throw new HarnessError(`warm-up must be 0 or more seconds, got ${warmupSeconds}`);
  }
  const warmupOf = warmupPhase(profile, warmupSeconds);
  const warmup = warmupOf
    ? await runWarmup({ ...plan, runId: `${runId}-warmup` }, warmupOf, profile, args, runDir, log)
    : undefined;

  const startedAt = new Date();
  const machine = watchMachine(target);
  const child = await ManagedProcess.start({
    name: `artillery ${runId}`,
    command: process.execPath,
    args,
    cwd: REPO_DIR,
    logFile: paths.log,
    stopTimeoutMs: 15_000,
    env: {
      ...process.env,
      ARTILLERY_DISABLE_TELEMETRY: 'true',
      ARTILLERY_PLUGIN_PATH: join(LOAD_DIR, 'plugins'),
      MYSTOCKS_LOAD_STATS_FILE: paths.periods,
      [SAMPLES_ENV]: paths.samples,
      [PLAN_ENV]: JSON.stringify(plan),
    },
  });

  // The generator's own CPU (its whole process group), PostgreSQL's and the machine's, for the saturation read-out.
  const procSampler = new ProcSampler(
    child.pid,
    options.postgresPid === undefined ? {} : { postgresPid: options.postgresPid },
  ).start();

  // Tail the periods (progress, breakpoint) and, with --verbose, Artillery's own output.
  const periods: PeriodStats[] = [];
  let earlyStop: Breakpoint | undefined;
  const tailPeriods = tailLines(paths.periods, (line) => {
    const period = JSON.parse(line) as PeriodStats;
    periods.push(period);
    const s = summarizePeriods(periods, profile).at(-1)!;
    const checks = period.counters?.['mystocks.check_failures'] ?? 0;
    log(
      `  ${formatClock(s.atSeconds)} ${s.arrivalRate} journeys/s, ${s.requestsPerSecond} req/s, p95 ${s.p95Ms ?? '-'} ms, errors ${s.errorRatePct ?? '-'} %` +
        (checks > 0 ? `, ${checks} failed checks` : ''),
    );
    if (profile.name === 'breakpoint' && options.stopAtBreakpoint !== false && !earlyStop) {
      const b = findBreakpoint(periods, profile, thresholds, { final: false });
      if (b.broke) {
        earlyStop = b;
        log(`  breakpoint: ${b.threshold} broke at ${b.arrivalRate} journeys/s; stopping the ramp`);
        child.kill('SIGINT');
      }
    }
  });
  const tailLog = options.verbose ? tailLines(paths.log, (line) => log(`  | ${line}`)) : undefined;
  // Arrivals, plus time for the last journeys to finish and for Artillery to start its workers: when Artillery
  // still bundled the TypeScript itself (esbuild-wasm, in the main process and every worker) that start alone
  // took over two minutes on the 2-core machine at load average 45. The harness now hands it JavaScript
  // (load/run-script.ts); the five-minute allowance stays for a machine that busy, and the deadline always holds.
  const deadlineMs = (duration + 300) * 1000;
  const { exit } = await waitForCompletion(child, deadlineMs, () =>
    log(`  artillery still running ${deadlineMs / 1000} s after start: stopping it`),
  );
  await tailPeriods.stop();
  await tailLog?.stop();
  const procReadings = procSampler.stop();
  const endedAt = new Date();
  const noise = await machine.stop();
  log(
    `  machine noise: /healthz P95 ${noise.healthzP95Ms ?? '-'} ms over ${noise.probes} probes, load generator event-loop delay P99 ${noise.eventLoopDelayP99Ms} ms`,
  );

  const output = await readFile(paths.log, 'utf8').catch(() => '');
  const verdicts = ensureVerdicts(output);
  let aggregate: ReportAggregate | undefined;
  if (existsSync(paths.report)) {
    aggregate = (JSON.parse(await readFile(paths.report, 'utf8')) as { aggregate: ReportAggregate }).aggregate;
  } else if (periods.length > 0) {
    // Stopped early (breakpoint): Artillery writes no report then; build one from the periods. Counters add up
    // exactly; for latency the worst period's P95 stands in for the run's.
    aggregate = aggregateOfPeriods(periods);
    await writeFile(paths.report, `${JSON.stringify({ aggregate, intermediate: periods }, null, 2)}\n`);
  }

  let results = aggregate ? evaluateThresholds(thresholds, aggregate) : [];
  // Artillery's own verdicts win where they disagree (same formulas; this guards against drift).
  results = results.map((r) => (verdicts.get(r.expression) === false ? { ...r, ok: false } : r));
  if (browser && aggregate) {
    // What users feel: each page's Web Vitals at P75 against the SLO file's webVitals bounds (or Google's "good").
    const { limits, source } = await webVitalLimits(options.sloConfigPath);
    results = [
      ...results,
      ...judgeWebVitals(pageVitals(aggregate), limits, source),
      ...judgeJourneySteps(journeySteps(aggregate), limits, source),
    ];
  }
  if (earlyStop) {
    // Stopped at the breakpoint: the threshold that broke is failed, with its value in the breaking period.
    const broke = earlyStop;
    results = results.map((r) =>
      r.name === broke.threshold
        ? { ...r, ok: false, value: (r.name === 'latency-p95' ? broke.p95Ms : broke.errorRatePct) ?? r.value }
        : r,
    );
  }

  let verdict: Verdict;
  let problem: string | undefined;
  if (
    !aggregate ||
    (aggregate.counters?.['http.requests'] ?? 0) + (aggregate.counters?.['vusers.created'] ?? 0) === 0
  ) {
    verdict = 'inconclusive';
    problem = `Artillery produced no results (exit ${exit.code ?? exit.signal}); last lines of ${paths.log}:\n${lastLines(output, 25)}`;
  } else if (earlyStop) {
    verdict = 'fail';
  } else if (exit.code === 0 || (exit.code === 1 && verdicts.size > 0)) {
    verdict = results.every((r) => r.ok) ? 'pass' : 'fail';
  } else {
    verdict = 'inconclusive';
    problem = `Artillery ended with ${exit.code ?? exit.signal} before judging the run; last lines of ${paths.log}:\n${lastLines(output, 25)}`;
  }

  const breakpoint =
    profile.name === 'breakpoint' ? (earlyStop ?? findBreakpoint(periods, profile, thresholds)) : undefined;
  const periodSummaries = summarizePeriods(periods, profile);
  const saturation =
    browser || periodSummaries.length === 0
      ? undefined
      : await readSaturation({
          periods: periodSummaries,
          periodStarts: [...periods].sort((a, b) => a.period - b.period).map((p) => p.period),
          procReadings,
          postgresSampled: options.postgresPid !== undefined,
          ...(options.prometheusUrl ? { prometheusUrl: options.prometheusUrl } : {}),
          ...(options.prometheusAccess ? { prometheusAccess: options.prometheusAccess } : {}),
          ...(options.job ? { job: options.job } : {}),
          // Up to the period after the breach: what ran out at the breakpoint, not in the wreckage after it.
          ...(breakpoint?.broke && breakpoint.atSeconds !== undefined
            ? { untilSeconds: breakpoint.atSeconds + 10 }
            : {}),
        });
  if (saturation) log(`  saturation: ${saturation.sentence}`);
  const summary: RunSummary = {
    runId,
    profile: profile.name,
    scenario: scenarioLabel,
    target,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    verdict,
    thresholds: results,
    requests: aggregate?.counters?.['http.requests'] ?? 0,
    machine: noise,
    ...(warmup
      ? {
          warmup: {
            seconds: warmup.seconds,
            startedAt: warmup.startedAt.toISOString(),
            endedAt: warmup.endedAt.toISOString(),
            requests: warmup.requests,
            periods: warmupPeriods(warmup, periods, profile),
          },
        }
      : {}),
    ...(browser ? { pageRequests: aggregate?.counters?.['browser.http_requests'] ?? 0 } : {}),
    journeyMix: journeyMix(aggregate ? [aggregate] : []),
    periods: periodSummaries,
    ...(breakpoint ? { breakpoint } : {}),
    ...(saturation ? { saturation } : {}),
    ...(problem ? { problem } : {}),
    command,
    reproduce,
    ...(warmUpSeconds(profile) === undefined ? {} : { warmUpSeconds: warmUpSeconds(profile) }),
  };
  await writeFile(paths.summary, renderSummary(summary));
  await writeFile(paths.summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
  await writeLoadReportHtml(paths.html, summary);
  // The run's own folder unless told otherwise, so a standalone run never lands beside an earlier verify's.
  const allureDir = options.allureResultsDir ?? join(runDir, 'allure-results');
  const window = `${summary.startedAt} .. ${summary.endedAt}`;
  const evidence: Evidence[] = [
    { name: 'load summary (summary.md)', path: paths.summary, type: 'text/markdown' },
    ...(existsSync(paths.report)
      ? [{ name: 'Artillery report (artillery.json)', path: paths.report, type: 'application/json' }]
      : []),
    ...loadCharts(summary).map((c) => ({ name: `chart: ${c.id}`, text: c.svg, ext: 'svg', type: 'image/svg+xml' })),
  ];
  const allure = toAllureResults(summary, startedAt.getTime(), endedAt.getTime());
  for (const result of allure) result.parameters.push({ name: 'window', value: window, excluded: true });
  await writeAllureResults(allure, allureDir, evidence);

  for (const r of results) log(`  ${describeResult(r)}`);
  if (breakpoint?.broke) {
    log(
      `  breakpoint: ${breakpoint.threshold} broke at ${breakpoint.arrivalRate} journeys/s (${breakpoint.requestsPerSecond} req/s)`,
    );
  }
  if (problem) log(`  ${problem}`);
  const verdictText =
    verdict === 'pass'
      ? 'pass'
      : verdict === 'fail'
        ? `FAIL (${results
            .filter((r) => !r.ok)
            .map((r) => r.name)
            .join(', ')})`
        : 'inconclusive';
  log(`load ${runId}: ${verdictText}; summary ${paths.summary}; report ${paths.html}`);
  runScript.dispose();
  unregisterScript();

  return {
    verdict,
    runId,
    startedAt,
    endedAt,
    ...(warmup ? { warmup } : {}),
    machine: noise,
    thresholds: results,
    reportPath: paths.report,
    summaryPath: paths.summary,
    summaryJsonPath: paths.summaryJson,
    htmlPath: paths.html,
    ...(breakpoint ? { breakpoint } : {}),
    ...(problem ? { problem } : {}),
  };
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
      const p95 =
        latencies.length === 0
          ? null
          : latencies[Math.min(latencies.length - 1, Math.ceil(0.95 * latencies.length) - 1)]!;
      return {
        healthzP95Ms: p95 === null ? null : Math.round(p95),
        probes: latencies.length,
        eventLoopDelayP99Ms: Math.round(delay.percentile(99) / 1e6),
      };
    },
  };
}

/**
 * The warm-up: the same scripts and mix at the first phase's rate, as its own Artillery run with no thresholds
 * and no metric publishing, so nothing of it reaches the load verdict or the judged window. A warm-up that
 * cannot run is reported and the judged run goes on: the judged run's own checks still hold.
 */
async function runWarmup(
  plan: LoadPlan,
  phase: Phase,
  profile: Profile,
  judgedArgs: string[],
  runDir: string,
  log: (line: string) => void,
): Promise<WarmupResult> {
  const report = join(runDir, 'warmup.json');
  const logFile = join(runDir, 'warmup.log');
  const { pushgatewayUrl: _unpublished, ...rest } = plan;
  const warmupPlan: LoadPlan = {
    ...rest,
    phases: toArtilleryPhases({ ...profile, phases: [phase] }),
    thresholds: [],
    progressPlugin: false,
  };
  // Same command as the judged run, writing its own report.
  const args = judgedArgs.map((arg, i) => (judgedArgs[i - 1] === '--output' ? report : arg));
  log(`  warm-up: ${phase.durationSeconds} s at ${phase.arrivalRate} journeys/s (not judged, outside the SLO window)`);
  const startedAt = new Date();
  const child = await ManagedProcess.start({
    name: `artillery ${plan.runId}`,
    command: process.execPath,
    args,
    cwd: REPO_DIR,
    logFile,
    stopTimeoutMs: 15_000,
    env: {
      ...process.env,
      ARTILLERY_DISABLE_TELEMETRY: 'true',
      ARTILLERY_PLUGIN_PATH: join(LOAD_DIR, 'plugins'),
      [PLAN_ENV]: JSON.stringify(warmupPlan),
    },
  });
  const deadlineMs = (phase.durationSeconds + 120) * 1000;
  const timer = setTimeout(() => void child.stop(), deadlineMs);
  const exit = await child.exited;
  clearTimeout(timer);
  await child.stop();
  const endedAt = new Date();
  let requests = 0;
  let periods: PeriodStats[] = [];
  try {
    const parsed = JSON.parse(await readFile(report, 'utf8')) as {
      aggregate?: ReportAggregate;
      intermediate?: PeriodStats[];
    };
    requests = parsed.aggregate?.counters?.['http.requests'] ?? 0;
    // Artillery's own report writes a period's start as a string of milliseconds.
    periods = (Array.isArray(parsed.intermediate) ? parsed.intermediate : [])
      .map((p) => ({ ...p, period: Number(p.period) }))
      .filter((p) => Number.isFinite(p.period));
  } catch {
    log(`  warm-up: Artillery wrote no report (exit ${exit.code ?? exit.signal}); see ${logFile}`);
  }
  log(`  warm-up: ${requests} requests in ${((endedAt.getTime() - startedAt.getTime()) / 1000).toFixed(1)} s`);
  return { seconds: phase.durationSeconds, startedAt, endedAt, requests, periods };
}

/**
 * The warm-up's periods on the judged run's time axis: t = 0 is the judged run's first period (else its
 * start), so the warm-up's fall at negative seconds, with the real gap between the two runs kept.
 */
function warmupPeriods(warmup: WarmupResult, judged: readonly PeriodStats[], profile: Profile): PeriodSummary[] {
  if (warmup.periods.length === 0) return [];
  const judgedStart = judged.length > 0 ? Math.min(...judged.map((p) => p.period)) : warmup.endedAt.getTime();
  const warmupStart = Math.min(...warmup.periods.map((p) => p.period));
  const shift = Math.round((warmupStart - judgedStart) / 1000);
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

/** Artillery's ensure lines ("ok: expr" / "fail: expr"), colour codes removed: expression -> passed. */
export function ensureVerdicts(output: string): Map<string, boolean> {
  const verdicts = new Map<string, boolean>();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes from Artillery's output
  for (const raw of output.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) {
    const match = /^(ok|fail): (.*?)( \(optional\))?$/.exec(raw.trim());
    if (match) verdicts.set(match[2]!, match[1] === 'ok');
  }
  return verdicts;
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

/** Seconds of the profile's opening warm-up phase, when it has one (breakpoint does). */
function warmUpSeconds(profile: Profile): number | undefined {
  const first = profile.phases[0];
  return first && /warm/i.test(first.name) ? first.durationSeconds : undefined;
}

function formatClock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Names of the scenarios `--scenario` accepts. */
export const SCENARIO_NAMES = [...JOURNEYS.map((j) => j.name), BROWSER_SCENARIO];
