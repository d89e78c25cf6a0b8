/**
 * `harness load --profile P [--target URL] [--scenario S] [--duration S | --duration-scale X]`: runs a load profile
 * with Artillery against the running stack (reports/stack.json, written by `harness up`) or a target given on
 * the command line or in API_URL/BASE_URL. Thresholds come from slo/slo-config.yaml. Exit 0 all thresholds held,
 * 1 a threshold broke, 2 could not run (bad profile, unreachable target).
 */
import { join } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { parseDuration } from '../../core/duration.ts';
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import type { PrometheusAccess } from '../../core/prometheus-access.ts';
import { checkRunId } from '../../core/run-id.ts';
import { PROFILE_NAMES } from '../../load/profiles.ts';
import { runLoad, SCENARIO_NAMES } from '../../load/run.ts';
import { reportsDir, stackFilePath } from '../../stack/state.ts';
import { type CommandArgs, harnessVersion, parseCommandArgs, usageError } from '../args.ts';
import {
  checkUrl,
  PROMETHEUS_ACCESS_OPTIONS,
  PROMETHEUS_ACCESS_USAGE,
  type PrometheusAccessFlags,
  readStackFile,
  resolveEndpoint,
  resolvePrometheus,
} from '../endpoints.ts';

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

harness load compare RUN_A RUN_B   did B regress against A (harness load compare --help)`;

/** The flags of `harness load` (also read by `harness completion`). */
export const LOAD_ARGS = {
  usage: USAGE,
  subcommands: ['compare'],
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
    'slo-config': { type: 'string' },
    'run-id': { type: 'string' },
    'occasional-pct': { type: 'string' },
    'no-early-stop': { type: 'boolean' },
    verbose: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  aliases: { config: 'slo-config' },
} as const satisfies CommandArgs<NonNullable<ParseArgsConfig['options']>>;

export async function run(argv: string[]): Promise<Verdict> {
  if (argv[0] === 'compare') return (await import('./load-compare.ts')).run(argv.slice(1));
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
    invocation: ['harness', 'load', ...argv],
    reportDir: join(reportsDir(), 'load'),
    verbose: values.verbose === true,
    log,
  });
  if (values.json) console.log(JSON.stringify({ ...result, harnessVersion: harnessVersion() }));
  return result.verdict;
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
    { flag: { name: '--target', value: flagTarget }, env: ['API_URL', 'BASE_URL'], fromStack: (info) => info.apiUrl },
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
      env: ['PUSHGATEWAY_URL'],
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
