// Artillery's own distributed runners: `harness load --platform aws:lambda|aws:ecs|az:aci --count N` runs the same
// plan and scripts on N workers in the cloud instead of processes on this machine. Not run from this repository
// (no cloud account): the arguments, the division of the load and the refusals are unit-tested
// (load/platform.test.ts); docs/load.md says what is untested.
//
// How Artillery shares the load among `--count` workers (artillery 2.0.34, the version package.json installs): it
// does not divide it. lib/cmds/run.ts launches a cloud platform in mode 'multiply' (`mode: flags.platform ===
// 'local' ? 'distribute' : 'multiply'`), where lib/platform/local/index.ts's "--count may only be used when mode is
// multiply" hands every worker the whole script; its maintainers say the same of Fargate ("Each worker runs a copy
// of your script and config", github.com/artilleryio/artillery/issues/2420). So the harness divides, once: each
// worker's plan holds 1/N of every phase's rate, and the N workers add up to the profile.
//
// Unlike --generators (load/profiles.ts generatorPhases), every worker gets the same plan (one --dotenv file for
// all), so a constant rate cannot be split unevenly into whole arrivals (7/s over 3 as 3, 2 and 2). Nor can a
// fractional constant rate be handed to Artillery: inside each worker it divides the phase again among its CPU
// threads (lib/dist.ts distribute()), which asserts that whole shares add up, so a rate of 2.5 fails with
// `AssertionError: 2.5 === 3`. A constant rate must therefore divide by the count, and a count that does not divide
// one is refused before anything starts. Ramps are divided at both ends (rate / N), fractions allowed, as Artillery
// divides a ramp among its own threads.
//
// A cloud worker writes no samples here and runs no progress plugin, so such a run is judged as the browser
// scenario is: on Artillery's merged report (load/thresholds.ts measureAggregate), which covers the whole run, so
// it runs no warm-up. It writes artillery.json, artillery.log, platform.env and summary.json; no report page.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { HarnessError, type Verdict } from '../core/outcome.ts';
import { checkRunId } from '../core/run-id.ts';
import { serviceEnvironment } from '../stack/local/service-env.ts';
import { ManagedProcess, type ProcessExit, waitForCompletion } from '../stack/process.ts';
import { onTeardown } from '../stack/teardown.ts';
import { lastLines, tailLines } from '../stack/text-files.ts';
import { type LoadCommandOptions, reproduceCommand, shellCommand } from './command.ts';
import { selectJourneys } from './journeys.ts';
import { type LoadPlan, PLAN_ENV } from './plan.ts';
import { type ArtilleryPhase, getProfile, scaleProfile, toArtilleryPhases } from './profiles.ts';
import { artilleryEnvironment, BROWSER_SCENARIO, type RunLoadOptions } from './run.ts';
import { prepareRunScript } from './run-script.ts';
import { thresholdsFromSloConfig } from './slo-limits.ts';
import {
  describeResult,
  evaluateThresholds,
  measureAggregate,
  type ReportAggregate,
  type ThresholdResult,
} from './thresholds.ts';

const LOAD_DIR = import.meta.dirname;
const REPO_DIR = resolve(LOAD_DIR, '..');

/** Artillery's cloud platforms `harness load --platform` accepts. */
export const PLATFORMS = ['aws:lambda', 'aws:ecs', 'az:aci'] as const;
export type PlatformName = (typeof PLATFORMS)[number];

export function isPlatformName(name: string): name is PlatformName {
  return (PLATFORMS as readonly string[]).includes(name);
}

/** Where and on how many workers. */
export interface PlatformChoice {
  platform: PlatformName;
  /** Workers, each running 1/count of every phase. */
  count: number;
  /** The cloud region; Artillery's default when absent (us-east-1 on AWS, eastus on Azure). */
  region?: string;
}

/** A region as the clouds spell them (eu-west-1, westeurope): nothing that could end an argument or a key=value. */
export const REGION_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * Artillery's arguments for a platform run. aws:lambda and az:aci are `artillery run --platform P --count N`, the
 * region as `--platform-opt region=R` (lib/platform/aws-lambda and az/aci read platformConfig.region). aws:ecs is
 * the `run-fargate` command, the region as `--region R`: `artillery run` refuses `--platform aws:ecs` ("Expected
 * --platform=aws:ecs to be one of: local, aws:lambda, az:aci", its flag's options), though its code would hand that
 * platform to run-fargate. `--dotenv` carries the plan to the workers (Lambda ships the file in its bundle, Fargate
 * and ACI set its variables in each worker), `--output` is the merged report the run is judged on.
 */
export function platformArtilleryArgs(
  choice: PlatformChoice,
  files: { script: string; output: string; dotenv: string },
): string[] {
  const { platform, count, region } = choice;
  const head =
    platform === 'aws:ecs'
      ? ['run-fargate', '--count', String(count), ...(region ? ['--region', region] : [])]
      : [
          'run',
          '--platform',
          platform,
          '--count',
          String(count),
          ...(region ? ['--platform-opt', `region=${region}`] : []),
        ];
  return [...head, '--dotenv', files.dotenv, '--output', files.output, files.script];
}

/** Greatest common divisor of whole numbers (0 for none). */
function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The counts that divide every constant rate of these phases (each a whole number): the counts a run can use. */
export function countsThatDivide(phases: readonly ArtilleryPhase[]): number[] {
  const constant = phases.filter((p) => p.rampTo === undefined && p.arrivalRate > 0).map((p) => p.arrivalRate);
  if (!constant.every(Number.isInteger)) return [1];
  const g = constant.reduce(gcd, 0);
  if (g === 0) return [1];
  return Array.from({ length: g }, (_, i) => i + 1).filter((n) => g % n === 0);
}

/**
 * Each worker's phases when `count` workers run the same plan (the file's comment says why): a ramp's ends and a
 * constant rate divided by `count`, a constant rate only when the share is whole; `maxVusers` rounded down (at
 * least 1), so the workers together never exceed the profile's cap. Throws, naming the phase and the counts that
 * work, when a constant rate does not divide.
 */
export function platformPhases(phases: readonly ArtilleryPhase[], count: number): ArtilleryPhase[] {
  return phases.map((phase) => {
    const share: ArtilleryPhase = { ...phase };
    if (phase.rampTo !== undefined) {
      share.arrivalRate = phase.arrivalRate / count;
      share.rampTo = phase.rampTo / count;
    } else {
      share.arrivalRate = phase.arrivalRate / count;
      if (!Number.isInteger(share.arrivalRate)) {
        throw new Error(
          `--count ${count}: phase '${phase.name}' runs ${phase.arrivalRate} journeys/s, which ${count} workers given one plan cannot share in whole journeys (Artillery refuses a fractional constant rate); counts that divide every constant rate of this run: ${countsThatDivide(phases).join(', ')}`,
        );
      }
    }
    if (phase.maxVusers !== undefined) share.maxVusers = Math.max(1, Math.floor(phase.maxVusers / count));
    return share;
  });
}

/** What decides a platform run's phases, as `harness load` takes them. */
export type PlatformRunShape = Pick<RunLoadOptions, 'profile' | 'scenario' | 'durationSeconds' | 'durationScale'>;

/**
 * Each worker's phases for this run (no warm-up: the file's comment), or an Error whose message says why the run
 * cannot go to a platform: the breakpoint profile and the browser scenario, or a count that does not divide.
 */
export function platformRunPhases(shape: PlatformRunShape, count: number): ArtilleryPhase[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a whole number from 1, got ${count}`);
  const profile = scaleProfile(getProfile(shape.profile), {
    ...(shape.durationSeconds === undefined ? {} : { durationSeconds: shape.durationSeconds }),
    ...(shape.durationScale === undefined ? {} : { durationScale: shape.durationScale }),
  });
  if (profile.name === 'breakpoint') {
    throw new Error(
      '--platform: the breakpoint profile runs on this machine only (its early stop reads each period as it comes)',
    );
  }
  if (shape.scenario === BROWSER_SCENARIO) {
    throw new Error('--platform: the browser scenario runs on this machine only');
  }
  if (shape.scenario !== undefined) selectJourneys([shape.scenario]);
  return platformPhases(toArtilleryPhases(profile), count);
}

/**
 * The --dotenv file that carries the plan to every worker. dotenv reads a single-quoted value literally (no escapes,
 * no expansion, `#` kept), so the JSON goes inside single quotes, with any quote in it written `\u0027`, which
 * JSON.parse reads back as the same character.
 */
export function platformDotenv(plan: LoadPlan): string {
  const json = JSON.stringify(plan).replaceAll("'", '\\u0027');
  return `${PLAN_ENV}='${json}'\nARTILLERY_DISABLE_TELEMETRY=true\n`;
}

/**
 * A platform run's options: runLoad's that a cloud run uses, and where it runs. They shape the run as a local
 * run's do (its reproduce command is the local one's words), less the local-only ones: the breakpoint stop and
 * the generator processes.
 */
export type PlatformLoadOptions = Omit<LoadCommandOptions, 'stopAtBreakpoint' | 'generators' | 'generatorIndex'> &
  Pick<RunLoadOptions, 'runId' | 'reportDir' | 'log' | 'verbose' | 'invocation'> & { platform: PlatformChoice };

/** How a platform run ended. */
export interface PlatformLoadResult {
  verdict: Verdict;
  runId: string;
  platform: PlatformChoice;
  /** When Artillery was started and when it ended (the workers' start-up included). */
  startedAt: Date;
  endedAt: Date;
  thresholds: ThresholdResult[];
  /** Artillery's merged report, the run's evidence. */
  reportPath: string;
  summaryJsonPath: string;
  problem?: string;
}

/**
 * The verdict of a platform run, pure: the thresholds on Artillery's merged report; inconclusive when Artillery
 * failed or its report counts no request.
 */
export function judgePlatformRun(
  thresholds: Parameters<typeof evaluateThresholds>[0],
  exit: ProcessExit,
  aggregate: ReportAggregate | undefined,
  logTail: string,
): { verdict: Verdict; results: ThresholdResult[]; problem?: string } {
  const results = evaluateThresholds(thresholds, aggregate ? measureAggregate(aggregate) : () => null);
  const requests = aggregate?.counters?.['http.requests'] ?? 0;
  if (exit.code !== 0) {
    return {
      verdict: 'inconclusive',
      results,
      problem: `Artillery ended with ${exit.code ?? exit.signal}; ${logTail}`,
    };
  }
  if (requests === 0) {
    return { verdict: 'inconclusive', results, problem: `Artillery's report counts no request; ${logTail}` };
  }
  return { verdict: results.every((r) => r.ok) ? 'pass' : 'fail', results };
}

/** A platform run decided: id, plan, thresholds and files. */
interface PlannedPlatformRun {
  runId: string;
  plan: LoadPlan;
  thresholds: Parameters<typeof evaluateThresholds>[0];
  files: { output: string; log: string; dotenv: string; summaryJson: string };
  /** Seconds of arrivals. */
  arrivals: number;
  command: string;
}

/** The run's id, folder and plan, checked before anything starts (a bad option throws HarnessError, exit 2). */
async function planPlatformRun(options: PlatformLoadOptions): Promise<PlannedPlatformRun> {
  const runId = checkRunId(options.runId ?? `load-${randomBytes(4).toString('hex')}`);
  const { platform, count, region } = options.platform;
  if (region !== undefined && !REGION_PATTERN.test(region))
    throw new HarnessError(`--region: '${region}' is not a region`);
  let phases: ArtilleryPhase[];
  try {
    phases = platformRunPhases(options, count);
  } catch (error) {
    throw new HarnessError((error as Error).message);
  }
  const thresholds = await thresholdsFromSloConfig(options.sloConfigPath);
  const runDir = join(resolve(options.reportDir), runId);
  if (existsSync(runDir) && readdirSync(runDir).length > 0) {
    throw new HarnessError(`${runDir} already holds a run: choose another --run-id, or remove it`);
  }
  await mkdir(runDir, { recursive: true });
  const target = options.target.replace(/\/+$/, '');
  const plan: LoadPlan = {
    runId,
    profile: getProfile(options.profile).name,
    target,
    phases,
    scenarios: options.scenario ? [options.scenario] : [],
    ...(options.pushgatewayUrl ? { pushgatewayUrl: options.pushgatewayUrl.replace(/\/+$/, '') } : {}),
    occasionalPct: options.occasionalPct ?? 10,
  };
  // The same load again: the local run's words, then where it ran.
  const where = ['--platform', platform, '--count', String(count), ...(region ? ['--region', region] : [])];
  const reproduce = `${reproduceCommand({ ...options, target })} ${shellCommand(where)}`;
  return {
    runId,
    plan,
    thresholds,
    files: {
      output: join(runDir, 'artillery.json'),
      log: join(runDir, 'artillery.log'),
      dotenv: join(runDir, 'platform.env'),
      summaryJson: join(runDir, 'summary.json'),
    },
    arrivals: phases.reduce((sum, p) => sum + p.duration, 0),
    command: options.invocation ? shellCommand(options.invocation) : reproduce,
  };
}

/**
 * Runs a profile on Artillery's cloud workers and judges it on Artillery's merged report. Untested here: it needs
 * a cloud account, and the cloud's credentials in the environment (AWS_* or AZURE_*, passed on to Artillery).
 */
export async function runOnPlatform(options: PlatformLoadOptions): Promise<PlatformLoadResult> {
  const log = options.log ?? (() => {});
  const run = await planPlatformRun(options);
  const { platform, count, region } = options.platform;
  const script = prepareRunScript(join(LOAD_DIR, 'scenarios', 'api.ts'), join(LOAD_DIR, 'processor.ts'), run.runId);
  const unregister = onTeardown(`load scripts ${run.runId}`, async () => script.dispose());
  try {
    await writeFile(run.files.dotenv, platformDotenv(run.plan));
    log(
      `load ${run.runId}: profile ${run.plan.profile} (${run.arrivals} s of arrivals) on ${platform}${region ? ` in ${region}` : ''}, ${count} workers each with 1/${count} of the arrivals, target ${run.plan.target}; no warm-up (judged on Artillery's report of the whole run)`,
    );
    const startedAt = new Date();
    const exit = await executePlatformRun(options, run, script.path, log);
    const endedAt = new Date();
    const aggregate = existsSync(run.files.output)
      ? (JSON.parse(await readFile(run.files.output, 'utf8')) as { aggregate?: ReportAggregate }).aggregate
      : undefined;
    const output = await readFile(run.files.log, 'utf8').catch(() => '');
    const tail = `last lines of ${run.files.log}:\n${lastLines(output, 25)}`;
    const judged = judgePlatformRun(run.thresholds, exit, aggregate, tail);
    const summary = {
      runId: run.runId,
      platform: options.platform,
      profile: run.plan.profile,
      scenario: options.scenario ?? 'mix',
      target: run.plan.target,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      verdict: judged.verdict,
      thresholds: judged.results,
      requests: aggregate?.counters?.['http.requests'] ?? 0,
      command: run.command,
      ...(judged.problem ? { problem: judged.problem } : {}),
    };
    await writeFile(run.files.summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
    for (const r of judged.results) log(`  ${describeResult(r)}`);
    if (judged.problem) log(`  ${judged.problem}`);
    log(`load ${run.runId}: ${judged.verdict}; report ${run.files.output}`);
    return {
      verdict: judged.verdict,
      runId: run.runId,
      platform: options.platform,
      startedAt,
      endedAt,
      thresholds: judged.results,
      reportPath: run.files.output,
      summaryJsonPath: run.files.summaryJson,
      ...(judged.problem ? { problem: judged.problem } : {}),
    };
  } finally {
    script.dispose();
    unregister();
  }
}

/** Artillery's run on the platform, to its end (or its deadline). */
async function executePlatformRun(
  options: PlatformLoadOptions,
  run: PlannedPlatformRun,
  script: string,
  log: (line: string) => void,
): Promise<ProcessExit> {
  const artilleryBin = join(dirname(createRequire(import.meta.url).resolve('artillery/package.json')), 'bin', 'run');
  const child = await ManagedProcess.start({
    name: `artillery ${run.runId} ${options.platform.platform}`,
    command: process.execPath,
    args: [artilleryBin, ...platformArtilleryArgs(options.platform, { ...run.files, script })],
    cwd: REPO_DIR,
    logFile: run.files.log,
    // Artillery removes what it made in the cloud (queues, functions) when stopped: time for that.
    stopTimeoutMs: 60_000,
    // The cloud's credentials and settings too (AWS_PROFILE, AWS_REGION, AZURE_SUBSCRIPTION_ID, ...), which a local
    // run never passes on; HOME (for ~/.aws) is inherited by every child.
    env: {
      ...artilleryEnvironment(),
      ...serviceEnvironment({ prefixes: ['AWS_', 'AZURE_'] }),
      ARTILLERY_DISABLE_TELEMETRY: 'true',
      [PLAN_ENV]: JSON.stringify(run.plan),
    },
  });
  const tail = options.verbose ? tailLines(run.files.log, (line) => log(`  | ${line}`)) : undefined;
  // Cloud workers take minutes to start (Fargate tasks, container groups): a generous allowance on top.
  const deadlineMs = (run.arrivals + 900) * 1000;
  const { exit } = await waitForCompletion(child, deadlineMs, () => log('  artillery still running: stopping it'));
  await tail?.stop();
  return exit;
}
