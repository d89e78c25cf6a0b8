/**
 * Watches a running stack for a service that dies on its own (killed, crashed, out of memory), so that a
 * long-running `harness up` says so at once, with the service's log tail, instead of leaving other commands to
 * meet a dead port. It reads the run's state file (stack/state.ts), which already names every service process
 * with its start time and the work directory holding its log, so no stack mode needs to expose anything new.
 * Containers runs record no processes there: for them this watcher sees nothing (docs/stack.md says so).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcessAlive, listRunStates, stateDir } from './state.ts';
import { lastLines } from './text-files.ts';

/** A service process that is gone while its stack was meant to be up. */
export interface ServiceDeath {
  name: string;
  pid: number;
  /** Its log file and last lines, when the log was found in the run's work directories. */
  logFile?: string;
  logTail?: string;
}

/** The recorded processes of `runId` that are no longer alive (an empty list while all are). */
export function deadServices(runId: string, dir: string = stateDir(), tailLines = 20): ServiceDeath[] {
  const record = listRunStates(dir).find((r) => r.runId === runId);
  if (!record) return [];
  const deaths: ServiceDeath[] = [];
  for (const recorded of record.processes) {
    if (isSameProcessAlive(recorded.pid, recorded.startTicks)) continue;
    // Each local service logs to <its work dir>/<its name>.log (stack/local/*.ts).
    const logFile = record.workDirs.map((d) => join(d, `${recorded.name}.log`)).find((f) => existsSync(f));
    deaths.push({
      name: recorded.name,
      pid: recorded.pid,
      ...(logFile ? { logFile, logTail: lastLines(readFileSync(logFile, 'utf8'), tailLines) } : {}),
    });
  }
  return deaths;
}

/**
 * Polls `deadServices` every `intervalMs` and calls `onDeath` once, with every service found dead in that poll;
 * returns the function that stops watching. The poll is a few file reads and kill(pid, 0) calls.
 */
export function watchServices(
  runId: string,
  onDeath: (deaths: ServiceDeath[]) => void,
  options: { dir?: string; intervalMs?: number } = {},
): () => void {
  const timer = setInterval(() => {
    const deaths = deadServices(runId, options.dir);
    if (deaths.length === 0) return;
    clearInterval(timer);
    onDeath(deaths);
  }, options.intervalMs ?? 1_000);
  timer.unref();
  return () => clearInterval(timer);
}
