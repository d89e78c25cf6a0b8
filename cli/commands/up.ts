/**
 * `harness up [--stack MODE] [--faults JSON] [--no-prometheus]`: starts the stack, prints where each service
 * is, writes reports/stack.json for the other commands, and keeps everything up until Ctrl-C or SIGTERM
 * (`harness down` sends the latter); then stops it all and removes stack.json.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { ExitCode, HarnessError } from '../../core/outcome.ts';
import { resolveStackMode, type Stack, startStack } from '../../stack/index.ts';
import { cleanupStaleRuns, stackFilePath } from '../../stack/state.ts';
import { nextShutdownSignal, onTeardown } from '../../stack/teardown.ts';
import type { FaultSpec, StackInfo } from '../../stack/types.ts';
import { type CommandArgs, parseCommandArgs } from '../args.ts';

const USAGE = `usage: harness up [--stack auto|containers|local|external] [--faults JSON] [--api-workers N] [--no-prometheus]
                  [--json]

  --stack          stack mode (default: HARNESS_STACK, else auto = containers when an engine answers, else local)
  --faults JSON    faults for the reference API, e.g. '[{"route":"*","latencyMs":200}]' (default: MYSTOCKS_FAULTS)
  --api-workers N  run the reference API as N worker processes behind one port (default 1)
  --no-prometheus  start neither Prometheus nor the Pushgateway
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
    json: { type: 'boolean' },
  },
} as const satisfies CommandArgs<NonNullable<ParseArgsConfig['options']>>;

export async function run(argv: string[]): Promise<ExitCode> {
  const parsed = parseCommandArgs(argv, UP_ARGS);
  if (parsed.help) return ExitCode.Pass;
  const { values } = parsed;
  const faults = parseFaults(
    values.faults ?? process.env.MYSTOCKS_FAULTS,
    values.faults ? '--faults' : 'MYSTOCKS_FAULTS',
  );
  const workersText = values['api-workers'];
  if (workersText !== undefined && !/^([1-9]|[1-5][0-9]|6[0-4])$/.test(workersText)) {
    throw new HarnessError(`--api-workers: expected a whole number 1..64, got '${workersText}'\n\n${USAGE}`);
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
    stack = await startStack(resolved, { log, faults, apiEnv, withPrometheus: !values['no-prometheus'] });
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    // The stack has stopped whatever it had started; the message names the service and carries its log tail.
    throw new HarnessError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  // On a second Ctrl-C the default teardown runs (services stop newest first); stack.json goes with them.
  const unregister = onTeardown('reports/stack.json', async () => rmSync(stackFile, { force: true }));
  const shutdown = nextShutdownSignal();
  writeStackFile(stackFile, stack.info);
  if (values.json) console.log(JSON.stringify(stackFileContent(stack.info)));
  else printServices(stack.info, stackFile);

  // Signal handlers do not keep Node alive; in external mode no child process does either.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const signal = await shutdown;
  clearInterval(keepAlive);
  log(`received ${signal}: stopping the stack`);
  try {
    await stack.stop();
  } finally {
    rmSync(stackFile, { force: true });
    unregister();
  }
  log('stopped');
  return ExitCode.Pass;
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

/** What stack.json holds (and `harness up --json` prints): the StackInfo fields, in a fixed order. */
function stackFileContent(info: StackInfo): StackInfo {
  return {
    mode: info.mode,
    runId: info.runId,
    apiUrl: info.apiUrl,
    postgresUrl: info.postgresUrl,
    redisUrl: info.redisUrl,
    prometheusUrl: info.prometheusUrl,
    pushgatewayUrl: info.pushgatewayUrl,
    startedAt: info.startedAt,
    services: info.services,
  };
}

function writeStackFile(file: string, info: StackInfo): void {
  mkdirSync(dirname(file), { recursive: true });
  const content = stackFileContent(info);
  // Write then rename: a stage polling for the file never reads half of it.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(temp, file);
}

function printServices(info: StackInfo, stackFile: string): void {
  const width = Math.max(...info.services.map((s) => s.name.length));
  const lines = info.services.map((s) => `  ${s.name.padEnd(width)}  ${s.url}  (${(s.startMs / 1000).toFixed(1)} s)`);
  console.log(`stack ${info.runId} is up (${info.mode}):\n${lines.join('\n')}\n${stackFile} written; Ctrl-C stops it`);
}
