/**
 * `harness load --profile P [--target URL] [--scenario S] [--duration S | --duration-scale X]`: runs a load profile
 * with Artillery against the running stack (reports/stack.json, written by `harness up`) or a target given on
 * the command line or in API_URL/BASE_URL. Thresholds come from slo/slo-config.yaml. Exit 0 all thresholds held,
 * 1 a threshold broke, 2 could not run (bad profile, unreachable target).
 */
import { join } from 'node:path';
import { parseDuration } from '../../core/duration.ts';
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import type { PrometheusAccess } from '../../core/prometheus-access.ts';
import { checkRunId } from '../../core/run-id.ts';
import {
  isPlatformName,
  PLATFORMS,
  type PlatformChoice,
  type PlatformRunShape,
  platformRunPhases,
  REGION_PATTERN,
  runOnPlatform,
} from '../../load/platform.ts';
import { PROFILE_NAMES } from '../../load/profiles.ts';
import { SCENARIO_NAMES } from '../../load/run.ts';
import { reportsDir, stackFilePath } from '../../stack/state.ts';
import { type CommandSpec, harnessVersion, parseCommandArgs, usageError } from '../args.ts';
import {
  checkUrl,
  PROMETHEUS_ACCESS_OPTIONS,
  PROMETHEUS_ACCESS_USAGE,
  type PrometheusAccessFlags,
  readStackFile,
  resolveEndpoint,
  resolvePrometheus,
} from '../endpoints.ts';
import { runLoad } from '../load-run.ts';
import { didYouMean } from '../suggest.ts';

const USAGE = `usage: harness load --profile ${PROFILE_NAMES.join('|')} [options]

  --profile P          load profile (load/profiles.ts)
  --target URL         base URL of the service (default: API_URL or BASE_URL, else reports/stack.json's apiUrl)
  --pushgateway URL    Pushgateway for client-side metrics (default: PUSHGATEWAY_URL, else stack.json's pushgatewayUrl)
  --prometheus URL     Prometheus scraping the service, for the saturation read-out (default: PROMETHEUS_URL, else stack.json's)
${PROMETHEUS_ACCESS_USAGE}
  --job NAME           the service's scrape job in that Prometheus (default mystocks-api)
  --scenario S         one journey instead of the weighted mix: ${SCENARIO_NAMES.join(', ')}
  --duration S         stretch the profile to S seconds (also 90s, 5m, 1h); shape and rates are kept
  --duration-scale X   or stretch every phase by X (0.1 = a tenth as long)
  --warmup S           warm-up before the judged window (also 10s, 1m; default 10 s, 0 for none): the run's
                       first phase, outside the thresholds and the judged window
  --generators N       run N Artillery processes side by side (default 1), each with 1/N of every phase's
                       arrivals and its own Pushgateway grouping key; judged on all their requests together
  --generator-index I  run generator I (0 to N-1) of --generators N alone (give all N one --run-id): one pod
                       of an Indexed Job (deploy/k8s/load-generator); it judges its own share, and
                       'harness load merge' judges the N as one run
  --platform P         run on Artillery's cloud workers instead: ${PLATFORMS.join(', ')} (aws:ecs is Fargate),
                       each with 1/--count of every phase's arrivals; no warm-up, judged on Artillery's merged
                       report; the cloud's credentials come from the environment (docs/load.md)
  --count N            how many cloud workers --platform runs (default 1); it must divide every constant rate
  --region R           the region --platform runs in (default Artillery's: us-east-1, eastus for az:aci)
  --slo-config PATH    SLO file the thresholds come from (default slo/slo-config.yaml); --config is the same flag
  --run-id ID          label of this run in Prometheus and the reports (default: random); letters, digits,
                       '-', '_' and '.' only
  --occasional-pct N   percent of journeys taking their occasional steps (default 10)
  --no-early-stop      let the breakpoint ramp run to its end after a threshold broke
  --verbose            also show Artillery's own console output
  --json               print the result (verdict, window, thresholds, report paths) as one JSON line on stdout

Writes reports/load/<run-id>/: report.html (charts, thresholds, journey mix; opens from disk), summary.md,
summary.json, artillery.json and allure-results/ (one test per threshold, summary, report and charts attached).
Exit codes: 0 all thresholds held, 1 a threshold broke, 2 could not run.

harness load compare RUN_A RUN_B   did B regress against A (harness load compare --help)
harness load merge DIR...          the N generators of one run (--generator-index), judged as one run
                                   (harness load merge --help)`;

/** The flags of `harness load` (also read by `harness completion`). */
export const LOAD_ARGS = {
  usage: USAGE,
  subcommands: ['compare', 'merge'],
  options: {
    profile: { type: 'string' },
    target: { type: 'string' },
    pushgateway: { type: 'string' },
    prometheus: { type: 'string' },
    ...PROMETHEUS_ACCESS_OPTIONS,
    job: { type: 'string' },
    scenario: { type: 'string' },
    duration: { type: 'string' },
    'duration-scale': { type: 'string' },
    warmup: { type: 'string' },
    generators: { type: 'string' },
    'generator-index': { type: 'string' },
    platform: { type: 'string' },
    count: { type: 'string' },
    region: { type: 'string' },
    'slo-config': { type: 'string' },
    'run-id': { type: 'string' },
    'occasional-pct': { type: 'string' },
    'no-early-stop': { type: 'boolean' },
    verbose: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  aliases: { config: 'slo-config' },
} as const satisfies CommandSpec;

export async function run(argv: string[]): Promise<Verdict> {
  if (argv[0] === 'compare') return (await import('./load-compare.ts')).run(argv.slice(1));
  if (argv[0] === 'merge') return (await import('./load-merge.ts')).run(argv.slice(1));
  const parsed = parseCommandArgs(argv, LOAD_ARGS);
  if (parsed.help) return 'pass';
  const { values } = parsed;
  // Each flag's own value first, then the rules across flags: a bad --target is named even without --profile.
  if (values.target !== undefined) checkUrl('--target', values.target);
  if (values.pushgateway !== undefined) checkUrl('--pushgateway', values.pushgateway);
  if (values.prometheus !== undefined) checkUrl('--prometheus', values.prometheus);
  if (values.profile !== undefined && !(PROFILE_NAMES as readonly string[]).includes(values.profile)) {
    throw usageError(USAGE, `--profile: '${values.profile}' is not one of ${PROFILE_NAMES.join(', ')}`);
  }
  const durationSeconds = values.duration === undefined ? undefined : parseSeconds(values.duration);
  const durationScale =
    values['duration-scale'] === undefined ? undefined : parseNumber(values['duration-scale'], '--duration-scale');
  const warmupSeconds = values.warmup === undefined ? undefined : parseSeconds(values.warmup, '--warmup', true);
  const occasionalPct =
    values['occasional-pct'] === undefined ? undefined : parseNumber(values['occasional-pct'], '--occasional-pct');
  const generators = values.generators === undefined ? undefined : parseNumber(values.generators, '--generators');
  const profile = values.profile;
  if (!profile) throw usageError(USAGE, `--profile is required`);
  // Before the target is even looked up: a bad id is a usage error, and nothing is written.
  if (values['run-id'] !== undefined) checkRunId(values['run-id']);
  const shape = {
    profile,
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    ...(durationScale === undefined ? {} : { durationScale }),
  };
  const { generatorIndex, platform } = distributionOf(values, shape, warmupSeconds, generators);
  if (platform) return runOnPlatformCommand(argv, values, shape, platform, occasionalPct);
  const { target, pushgatewayUrl, prometheusUrl, prometheusAccess, postgresPid } = resolveTarget(
    values.target,
    values.pushgateway,
    values,
  );
  const log = (line: string) => console.error(line);
  const result = await runLoad({
    profile,
    target,
    ...(pushgatewayUrl ? { pushgatewayUrl } : {}),
    ...(prometheusUrl ? { prometheusUrl } : {}),
    ...(prometheusAccess ? { prometheusAccess } : {}),
    ...(values.job ? { job: values.job } : {}),
    ...(postgresPid === undefined ? {} : { postgresPid }),
    ...(values.scenario ? { scenario: values.scenario } : {}),
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    ...(durationScale === undefined ? {} : { durationScale }),
    ...(warmupSeconds === undefined ? {} : { warmupSeconds }),
    ...(values['slo-config'] ? { sloConfigPath: values['slo-config'] } : {}),
    ...(values['run-id'] ? { runId: values['run-id'] } : {}),
    ...(occasionalPct === undefined ? {} : { occasionalPct }),
    ...(values['no-early-stop'] === true ? { stopAtBreakpoint: false } : {}),
    ...(generators === undefined ? {} : { generators }),
    ...(generatorIndex === undefined ? {} : { generatorIndex }),
    invocation: ['harness', 'load', ...argv],
    reportDir: join(reportsDir(), 'load'),
    verbose: values.verbose === true,
    log,
  });
  if (values.json) console.log(JSON.stringify({ ...result, harnessVersion: harnessVersion() }));
  return result.verdict;
}

/** The flags that decide where the load is generated (the rest of the command's values are not read here). */
interface DistributionFlags {
  platform?: string | undefined;
  count?: string | undefined;
  region?: string | undefined;
  'generator-index'?: string | undefined;
  'run-id'?: string | undefined;
  generators?: string | undefined;
  prometheus?: string | undefined;
  job?: string | undefined;
  'no-early-stop'?: boolean | undefined;
}

/** Why a flag has nothing to do in a --platform run. */
const NOT_WITH_PLATFORM = {
  generators: "--platform's workers are --count N; --generators N runs processes on this machine",
  'generator-index': 'it picks one generator of a run on this machine (--generators N)',
  prometheus: 'a cloud run makes no saturation read-out',
  job: 'a cloud run makes no saturation read-out',
  'no-early-stop': 'only the breakpoint profile stops early, and it runs on this machine only',
} as const;

/**
 * Where the load is generated: N generators here (`generators`, checked by runLoad), generator I of N alone, or
 * Artillery's cloud workers. Flags that make no sense together are usage errors, before anything is looked up.
 */
function distributionOf(
  values: DistributionFlags,
  shape: PlatformRunShape,
  warmupSeconds: number | undefined,
  generators: number | undefined,
): { generatorIndex?: number; platform?: PlatformChoice } {
  const { platform, count, region } = values;
  if (platform === undefined) {
    for (const [flag, value] of [
      ['--count', count],
      ['--region', region],
    ] as const)
      if (value !== undefined)
        throw usageError(USAGE, `${flag} needs --platform (Artillery's cloud workers); --generators N runs here`);
    return generatorIndexOf(values, generators);
  }
  if (!isPlatformName(platform)) {
    throw usageError(
      USAGE,
      `--platform: '${platform}' is not one of ${PLATFORMS.join(', ')}${didYouMean(platform, PLATFORMS)}`,
    );
  }
  for (const [flag, why] of Object.entries(NOT_WITH_PLATFORM))
    if (values[flag as keyof typeof NOT_WITH_PLATFORM] !== undefined)
      throw usageError(USAGE, `--${flag} does not go with --platform: ${why}`);
  if (warmupSeconds !== undefined && warmupSeconds > 0) {
    throw usageError(
      USAGE,
      "--warmup does not go with --platform: its run is judged on Artillery's report of the whole run, which a warm-up would enter",
    );
  }
  if (count !== undefined && !(/^\d+$/.test(count) && Number(count) >= 1)) {
    throw usageError(USAGE, `--count: expected a whole number from 1, got '${count}'`);
  }
  if (region !== undefined && !REGION_PATTERN.test(region)) {
    throw usageError(
      USAGE,
      `--region: '${region}' is not a region name (lower-case letters, digits and '-': eu-west-1)`,
    );
  }
  const workers = count === undefined ? 1 : Number(count);
  try {
    platformRunPhases(shape, workers);
  } catch (error) {
    throw usageError(USAGE, (error as Error).message);
  }
  return { platform: { platform, count: workers, ...(region === undefined ? {} : { region }) } };
}

/**
 * `--generator-index I`: a whole number below `--generators N`. The N processes of one run should share a --run-id
 * (one run_id label); it is not required, so that a run's recorded command (which leaves the id out) runs again.
 */
function generatorIndexOf(values: DistributionFlags, generators: number | undefined): { generatorIndex?: number } {
  const index = values['generator-index'];
  if (index === undefined) return {};
  if (generators === undefined) {
    throw usageError(USAGE, '--generator-index needs --generators N, the number of generators of the whole run');
  }
  if (!/^\d+$/.test(index) || Number(index) >= generators) {
    throw usageError(
      USAGE,
      `--generator-index: expected a whole number from 0 to ${Math.ceil(generators) - 1}, got '${index}'`,
    );
  }
  return { generatorIndex: Number(index) };
}

/** `harness load --platform P`: the target and Pushgateway as for a local run, then Artillery's cloud workers. */
async function runOnPlatformCommand(
  argv: string[],
  values: {
    target?: string | undefined;
    pushgateway?: string | undefined;
    'slo-config'?: string | undefined;
    'run-id'?: string | undefined;
    verbose?: boolean | undefined;
    json?: boolean | undefined;
  },
  shape: PlatformRunShape,
  platform: PlatformChoice,
  occasionalPct: number | undefined,
): Promise<Verdict> {
  const { target, pushgatewayUrl } = resolveTarget(values.target, values.pushgateway);
  for (const [what, url] of [
    ['target', target],
    ['Pushgateway', pushgatewayUrl],
  ] as const)
    if (url !== undefined && isLoopback(url))
      throw usageError(
        USAGE,
        `--platform: the ${what} ${url} is this machine's loopback, which no cloud worker reaches; give one they can reach (--${what === 'target' ? 'target' : 'pushgateway'} URL)`,
      );
  const result = await runOnPlatform({
    ...shape,
    target,
    ...(pushgatewayUrl ? { pushgatewayUrl } : {}),
    ...(values['slo-config'] ? { sloConfigPath: values['slo-config'] } : {}),
    ...(values['run-id'] ? { runId: values['run-id'] } : {}),
    ...(occasionalPct === undefined ? {} : { occasionalPct }),
    platform,
    invocation: ['harness', 'load', ...argv],
    reportDir: join(reportsDir(), 'load'),
    verbose: values.verbose === true,
    log: (line) => console.error(line),
  });
  if (values.json) console.log(JSON.stringify({ ...result, harnessVersion: harnessVersion() }));
  return result.verdict;
}

/** The variables the target and the Pushgateway are read from, in order (deploy/k8s/load-generator sets the first). */
export const TARGET_ENV = ['API_URL', 'BASE_URL'];
export const PUSHGATEWAY_ENV = ['PUSHGATEWAY_URL'];

/** A URL of this machine's loopback (127.0.0.0/8, ::1, localhost and its subdomains). */
function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

/**
 * The target and Pushgateway, each on its own: flag, then environment, then the running stack's stack.json
 * (cli/endpoints.ts), so `--target` keeps the stack's Pushgateway and API_URL is not overridden by stack.json.
 */
function resolveTarget(
  flagTarget?: string,
  flagPushgateway?: string,
  prometheusFlags: PrometheusAccessFlags & { prometheus?: string | undefined } = {},
): {
  target: string;
  pushgatewayUrl?: string;
  prometheusUrl?: string;
  prometheusAccess?: PrometheusAccess;
  postgresPid?: number;
} {
  const stack = readStackFile();
  const target = resolveEndpoint(
    { flag: { name: '--target', value: flagTarget }, env: TARGET_ENV, fromStack: (info) => info.apiUrl },
    stack,
  );
  if (!target) {
    throw new HarnessError(
      `no target: start the stack with 'harness up' (writes ${stackFilePath()}), or give --target URL (or API_URL)`,
    );
  }
  const pushgateway = resolveEndpoint(
    {
      flag: { name: '--pushgateway', value: flagPushgateway },
      env: PUSHGATEWAY_ENV,
      fromStack: (info) => info.pushgatewayUrl,
    },
    stack,
  );
  // The saturation read-out's API figures: PROMETHEUS_URL, else the running stack's Prometheus.
  const prometheus = resolvePrometheus(prometheusFlags, stack);
  // PostgreSQL's CPU in the read-out: the running stack's postmaster, when the load goes to that stack's API.
  const postgresPid =
    target.source === 'reports/stack.json' ? stack?.services.find((s) => s.name === 'postgres')?.pid : undefined;
  return {
    target: target.url,
    ...(postgresPid === undefined ? {} : { postgresPid }),
    ...(pushgateway ? { pushgatewayUrl: pushgateway.url } : {}),
    ...(prometheus ? { prometheusUrl: prometheus.url } : {}),
    ...(prometheus?.access ? { prometheusAccess: prometheus.access } : {}),
  };
}

/** "90", "90s", "5m", "1h" -> seconds. */
export function parseSeconds(text: string, flag = '--duration', allowZero = false): number {
  const trimmed = text.trim();
  // A bare number is seconds; anything else is a Prometheus duration (90s, 5m, 1h30m), read by the one parser.
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : parseDuration(trimmed);
  if (ms === undefined || !(ms > 0 || (allowZero && ms === 0))) {
    throw new HarnessError(`${flag}: expected seconds or 90s/5m/1h, got '${text}'`);
  }
  return ms / 1000;
}

function parseNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new HarnessError(`${flag}: expected a positive number, got '${text}'`);
  return value;
}
