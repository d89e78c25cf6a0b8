/**
 * `harness down [--stale]`. Without `--stale`: stops the stack recorded in reports/stack.json by signalling the
 * `harness up` process that owns it (SIGTERM), which stops its services in order, and waits for it to finish.
 * With `--stale`: removes what runs whose harness process is gone left behind: local processes and temp
 * directories (from `.harness/runs/`), and containers labelled with such a run's id (through the containers
 * module's hook, when that module is present): `cleanupStale` in stack/index.ts, which reads what the runs'
 * teardown scopes recorded (stack/teardown.ts, stack/state.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import { cleanupStale } from '../../stack/index.ts';
import { withdraw } from '../../stack/run-pointer.ts';
import { cleanupStaleRuns, isOwnerAlive, listRunStates, stackFilePath, stateDir } from '../../stack/state.ts';
import type { StackInfo } from '../../stack/types.ts';
import { type CommandSpec, parseCommandArgs, usageError } from '../args.ts';

const USAGE = `usage: harness down [--stale] [--timeout SECONDS]

  (no option)  stop the stack in reports/stack.json by signalling the harness process that runs it
  --stale      stop processes and containers of runs whose harness process is gone
  --timeout    how long to wait for the stack to stop (default 120)`;

/** The flags of `harness down` (also read by `harness completion`). */
export const DOWN_ARGS = {
  usage: USAGE,
  options: { stale: { type: 'boolean' }, timeout: { type: 'string' } },
} as const satisfies CommandSpec;

export async function run(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, DOWN_ARGS);
  if (parsed.help) return 'pass';
  const { values } = parsed;
  const timeoutMs = Number(values.timeout ?? 120) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw usageError(USAGE, `--timeout: expected a positive number of seconds, got '${values.timeout}'`);
  return values.stale ? downStale() : downRecorded(timeoutMs);
}

async function downStale(): Promise<Verdict> {
  const log = (line: string) => console.error(`harness down: ${line}`);
  const { runs, containers } = await cleanupStale(log);
  console.log(
    runs.runIds.length === 0
      ? 'no stale local runs'
      : `cleaned up ${runs.runIds.length} stale run(s) (${runs.killed} process group(s)): ${runs.runIds.join(', ')}`,
  );
  if (containers !== undefined) console.log(`removed ${containers} stale container(s)`);
  return 'pass';
}

async function downRecorded(timeoutMs: number): Promise<Verdict> {
  const file = stackFilePath();
  if (!existsSync(file)) {
    console.log(`nothing to stop: ${file} does not exist`);
    return 'pass';
  }
  let info: StackInfo;
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
  } catch (error) {
    throw new HarnessError(`${file} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const record = listRunStates().find((r) => r.runId === info.runId);
  if (!record || !isOwnerAlive(record)) {
    // Its harness is gone: whatever it left is stale by definition.
    const result = await cleanupStaleRuns({ log: (line) => console.error(`harness down: ${line}`) });
    withdraw(file, info.runId); // Only this run's pointer; another live run's stays.
    console.log(
      `stack ${info.runId}: its harness process is gone; cleaned up ${result.runIds.length} stale run(s) (${stateDir()})`,
    );
    return 'pass';
  }
  process.kill(record.ownerPid, 'SIGTERM');
  console.error(`harness down: asked harness process ${record.ownerPid} to stop stack ${info.runId}`);
  const deadline = Date.now() + timeoutMs;
  while (isOwnerAlive(record) && Date.now() < deadline) await sleep(200);
  if (isOwnerAlive(record)) {
    throw new HarnessError(
      `stack ${info.runId}: harness process ${record.ownerPid} is still stopping after ${timeoutMs / 1000} s`,
    );
  }
  console.log(`stack ${info.runId} stopped`);
  return 'pass';
}
