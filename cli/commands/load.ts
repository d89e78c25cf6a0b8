/**
 * `harness load --profile P [--target URL] [--scenario S] [--duration S | --duration-scale X]`: runs a load profile
 * with Artillery against the running stack (reports/stack.json, written by `harness up`) or a target given on
 * the command line or in API_URL/BASE_URL. Thresholds come from slo/slo-config.yaml. Exit 0 all thresholds held,
 * 1 a threshold broke, 2 could not run (bad profile, unreachable target).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../../core/duration.ts';
import { ExitCode, exitCodeOf, HarnessError } from '../../core/outcome.ts';
import { PROFILE_NAMES } from '../../load/profiles.ts';
import { runLoad, SCENARIO_NAMES } from '../../load/run.ts';
import { reportsDir, stackFilePath } from '../../stack/state.ts';
import { readStackFile, resolveEndpoint } from '../endpoints.ts';

const USAGE = `usage: harness load --profile ${PROFILE_NAMES.join('|')} [options]

  --profile P          load profile (load/profiles.ts)
  --target URL         base URL of the service (default: reports/stack.json's apiUrl, else API_URL or BASE_URL)
  --pushgateway URL    Pushgateway for client-side metrics (default: stack.json's pushgatewayUrl, else PUSHGATEWAY_URL)
  --scenario S         one journey instead of the weighted mix: ${SCENARIO_NAMES.join(', ')}
  --duration S         stretch the profile to S seconds (also 90s, 5m, 1h); shape and rates are kept
  --duration-scale X   or stretch every phase by X (0.1 = a tenth as long)
  --slo-config PATH    SLO file the thresholds come from (default slo/slo-config.yaml)
  --run-id ID          label of this run in Prometheus and the reports (default: random)
  --verbose            also show Artillery's own console output

Writes reports/load/<run-id>/ (artillery.json, summary.md, summary.json) and reports/allure-results.
Exit codes: 0 all thresholds held, 1 a threshold broke, 2 could not run.`;

export async function run(argv: string[]): Promise<ExitCode> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        profile: { type: 'string' },
        target: { type: 'string' },
        pushgateway: { type: 'string' },
        scenario: { type: 'string' },
        duration: { type: 'string' },
        'duration-scale': { type: 'string' },
        'slo-config': { type: 'string' },
        'run-id': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new HarnessError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return ExitCode.Pass;
  }
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  const profile = str('profile');
  if (!profile) throw new HarnessError(`--profile is required\n\n${USAGE}`);
  const { target, pushgatewayUrl } = resolveTarget(str('target'), str('pushgateway'));
  const durationText = str('duration');
  const scaleText = str('duration-scale');
  const log = (line: string) => console.error(line);
  const result = await runLoad({
    profile,
    target,
    ...(pushgatewayUrl ? { pushgatewayUrl } : {}),
    ...(str('scenario') ? { scenario: str('scenario') } : {}),
    ...(durationText === undefined ? {} : { durationSeconds: parseSeconds(durationText) }),
    ...(scaleText === undefined ? {} : { durationScale: parseNumber(scaleText, '--duration-scale') }),
    ...(str('slo-config') ? { sloConfigPath: str('slo-config') } : {}),
    ...(str('run-id') ? { runId: str('run-id') } : {}),
    reportDir: join(reportsDir(), 'load'),
    verbose: values.verbose === true,
    log,
  });
  return exitCodeOf(result.verdict);
}

/**
 * The target and Pushgateway, each on its own: flag, then environment, then the running stack's stack.json
 * (cli/endpoints.ts), so `--target` keeps the stack's Pushgateway and API_URL is not overridden by stack.json.
 */
function resolveTarget(flagTarget?: string, flagPushgateway?: string): { target: string; pushgatewayUrl?: string } {
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
  return { target: target.url, ...(pushgateway ? { pushgatewayUrl: pushgateway.url } : {}) };
}

/** "90", "90s", "5m", "1h" -> seconds. */
export function parseSeconds(text: string): number {
  const trimmed = text.trim();
  // A bare number is seconds; anything else is a Prometheus duration (90s, 5m, 1h30m), read by the one parser.
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : parseDuration(trimmed);
  if (ms === undefined || !(ms > 0)) throw new HarnessError(`--duration: expected seconds or 90s/5m/1h, got '${text}'`);
  return ms / 1000;
}

function parseNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new HarnessError(`${flag}: expected a positive number, got '${text}'`);
  return value;
}
