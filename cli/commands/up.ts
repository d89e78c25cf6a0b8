/**
 * `harness up [--stack MODE] [--faults JSON] [--no-prometheus]`: starts the stack, prints where each service
 * is, writes reports/stack.json for the other commands, and keeps everything up until Ctrl-C or SIGTERM
 * (`harness down` sends the latter); then stops it all and removes stack.json. If a service dies meanwhile, it
 * prints which, with its log tail, stops the rest and exits 1.
 */
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import { resolveStackMode, type Stack, startStack } from '../../stack/index.ts';
import { publish, withdraw } from '../../stack/run-pointer.ts';
import { cleanupStaleRuns, stackFilePath } from '../../stack/state.ts';
import { nextShutdownSignal, onTeardown } from '../../stack/teardown.ts';
import type { FaultSpec, StackInfo } from '../../stack/types.ts';
import { type ServiceDeath, watchServices } from '../../stack/watch.ts';
import { type CommandSpec, parseCommandArgs, usageError } from '../args.ts';
import { PROMETHEUS_ACCESS_OPTIONS, PROMETHEUS_ACCESS_USAGE, resolvePrometheusAccess } from '../endpoints.ts';

const USAGE = `usage: harness up [--stack auto|containers|local|external] [--faults JSON] [--api-workers N] [--no-prometheus]
                  [--json]

  --stack          stack mode (default: HARNESS_STACK, else auto = containers when an engine answers, else local)
  --faults JSON    faults for the reference API, e.g. '[{"route":"*","latencyMs":200}]' (default: MYSTOCKS_FAULTS)
  --api-workers N  run the reference API as N worker processes behind one port (default 1)
  --no-prometheus  start neither Prometheus nor the Pushgateway
${PROMETHEUS_ACCESS_USAGE}
                 (external mode: the reachability probe uses them; stack.json records the headers, the CA
                 and credential file paths, never a credential)
  --json           print stack.json's content as one JSON line on stdout once the stack is up

Writes reports/stack.json (HARNESS_REPORTS_DIR overrides reports/) and stays up until Ctrl-C or \`harness down\`.`;

/** The flags of `harness up` (also read by `harness completion`). */
export const UP_ARGS = {
  usage: USAGE,
  options: {
    stack: { type: 'string' },
    faults: { type: 'string' },
    'api-workers': { type: 'string' },
    'no-prometheus': { type: 'boolean' },
    ...PROMETHEUS_ACCESS_OPTIONS,
    json: { type: 'boolean' },
  },
} as const satisfies CommandSpec;

export async function run(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, UP_ARGS);
  if (parsed.help) return 'pass';
  const { values } = parsed;
  const faults = parseFaults(
    values.faults ?? process.env.MYSTOCKS_FAULTS,
    values.faults ? '--faults' : 'MYSTOCKS_FAULTS',
  );
  const workersText = values['api-workers'];
  if (workersText !== undefined && !/^([1-9]|[1-5][0-9]|6[0-4])$/.test(workersText)) {
    throw usageError(USAGE, `--api-workers: expected a whole number 1..64, got '${workersText}'`);
  }
  // Passed to the reference API as MYSTOCKS_API_WORKERS (reference-api/src/cluster.ts), in every stack mode.
  const apiEnv: Record<string, string> = workersText === undefined ? {} : { MYSTOCKS_API_WORKERS: workersText };
  const log = (line: string) => console.error(`harness up: ${line}`);
  const resolved = await resolveStackMode(values.stack);

  // Leftovers of runs whose harness was killed would hold ports and disk; they go first.
  const stale = await cleanupStaleRuns({ log });
  if (stale.runIds.length > 0) log(`cleaned up ${stale.runIds.length} stale run(s): ${stale.runIds.join(', ')}`);

  const stackFile = stackFilePath();
  let stack: Stack;
  try {
    const prometheusAccess = resolvePrometheusAccess(values);
    stack = await startStack(resolved, {
      log,
      faults,
      apiEnv,
      withPrometheus: !values['no-prometheus'],
      ...(prometheusAccess.access ? { prometheusAccess } : {}),
    });
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    // The stack has stopped whatever it had started; the message names the service and carries its log tail.
    throw new HarnessError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  // On a second Ctrl-C the default teardown runs (services stop newest first); stack.json goes with them.
  const unregister = onTeardown('reports/stack.json', async () => withdraw(stackFile, stack.info.runId));
  const shutdown = nextShutdownSignal();
  writeStackFile(stackFile, stack.info);
  if (values.json) console.log(JSON.stringify(stackFileContent(stack.info)));
  else printServices(stack.info, stackFile);

  // Signal handlers do not keep Node alive; in external mode no child process does either.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const ended = await untilSignalOrDeath(shutdown, stack.info.runId);
  clearInterval(keepAlive);
  if (ended.signal) log(`received ${ended.signal}: stopping the stack`);
  else log(`${describeDeaths(ended.deaths)}\nstopping the rest of the stack`);
  try {
    await stack.stop();
  } finally {
    withdraw(stackFile, stack.info.runId);
    unregister();
  }
  log('stopped');
  // A service that died is a failed stack: exit 1, so a CI job holding `harness up` in the background sees it.
  return ended.signal ? 'pass' : 'fail';
}

/** Waits for Ctrl-C/SIGTERM or for one of the stack's services to die, whichever comes first. */
async function untilSignalOrDeath(
  shutdown: Promise<NodeJS.Signals>,
  runId: string,
): Promise<{ signal: NodeJS.Signals; deaths?: never } | { signal?: never; deaths: ServiceDeath[] }> {
  let stopWatching = () => {};
  const died = new Promise<ServiceDeath[]>((resolve) => {
    stopWatching = watchServices(runId, resolve);
  });
  try {
    return await Promise.race([shutdown.then((signal) => ({ signal })), died.then((deaths) => ({ deaths }))]);
  } finally {
    stopWatching();
  }
}

function describeDeaths(deaths: ServiceDeath[]): string {
  return deaths
    .map(
      (d) =>
        `${d.name} (pid ${d.pid}) died while the stack was up` +
        (d.logTail !== undefined ? `; last lines of ${d.logFile}:\n${d.logTail}` : ' (no log found)'),
    )
    .join('\n');
}

/** Parses a faults list; bad JSON is a usage error (exit 2) rather than an API that refuses to start. */
export function parseFaults(text: string | undefined, source: string): FaultSpec[] {
  if (text === undefined || text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HarnessError(`${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((f) => typeof f === 'object' && f && typeof f.route === 'string')) {
    throw new HarnessError(`${source} must be a JSON list of faults, each with a "route" (docs/api.md, "Faults")`);
  }
  return parsed as FaultSpec[];
}

/**
 * What stack.json holds (and `harness up --json` prints): the StackInfo fields in a fixed order, and the pid of
 * this process, which owns the run (stack/run-pointer.ts hands the pointer only to a run whose owner lives).
 */
function stackFileContent(info: StackInfo): StackInfo & { ownerPid: number } {
  return {
    mode: info.mode,
    runId: info.runId,
    ownerPid: process.pid,
    apiUrl: info.apiUrl,
    postgresUrl: info.postgresUrl,
    redisUrl: info.redisUrl,
    prometheusUrl: info.prometheusUrl,
    prometheusAccess: info.prometheusAccess,
    pushgatewayUrl: info.pushgatewayUrl,
    startedAt: info.startedAt,
    services: info.services,
  };
}

/**
 * Publishes the stack: reports/runs/<runId>/stack.json, and reports/stack.json as the pointer other commands
 * read (stack/run-pointer.ts), so a second `harness up` in the same checkout neither clobbers nor deletes it.
 */
function writeStackFile(file: string, info: StackInfo): void {
  publish(file, stackFileContent(info));
}

function printServices(info: StackInfo, stackFile: string): void {
  const width = Math.max(...info.services.map((s) => s.name.length));
  const lines = info.services.map((s) => `  ${s.name.padEnd(width)}  ${s.url}  (${(s.startMs / 1000).toFixed(1)} s)`);
  console.log(`stack ${info.runId} is up (${info.mode}):\n${lines.join('\n')}\n${stackFile} written; Ctrl-C stops it`);
}
