import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Labels every container and network of a containers-mode run carries. Without Ryuk (Podman cannot pull it) these
 * are how a run's leftovers are found: by run id for the run's own teardown, by owner for `harness down --stale`.
 */
export const LABEL_RUN_ID = 'io.mystocks.harness.run-id';
/** PID of the harness process that started the run. */
export const LABEL_OWNER_PID = 'io.mystocks.harness.owner-pid';
/** Host name of that process: a PID means nothing on another machine sharing the engine. */
export const LABEL_OWNER_HOST = 'io.mystocks.harness.owner-host';
/** Start time of that process (clock ticks since boot, /proc/PID/stat field 22), so a reused PID is not taken for it. */
export const LABEL_OWNER_START = 'io.mystocks.harness.owner-start';
/** The service in the stack: postgres, redis, api, prometheus, pushgateway. */
export const LABEL_SERVICE = 'io.mystocks.harness.service';

/** Start time of a process in clock ticks since boot, or undefined where /proc is absent or the process is gone. */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after the last ')' are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19]; // field 22 overall: field 3 is index 0 here
  } catch {
    return undefined;
  }
}

/** The labels of a run owned by this process. */
export function ownerLabels(runId: string): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_RUN_ID]: runId,
    [LABEL_OWNER_PID]: String(process.pid),
    [LABEL_OWNER_HOST]: hostname(),
  };
  const start = processStartTicks(process.pid);
  if (start) labels[LABEL_OWNER_START] = start;
  return labels;
}

/** Whether a process is alive: signal 0 tells without touching it (EPERM: alive, but someone else's). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process that owns these labels is gone. Owners on another host are never declared gone (their PID
 * cannot be checked from here); a live PID with a different start time is a reused PID, so the owner is gone.
 */
export function ownerIsGone(labels: Record<string, string | undefined>, localHost = hostname()): boolean {
  const pid = Number(labels[LABEL_OWNER_PID]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (labels[LABEL_OWNER_HOST] !== localHost) return false;
  if (!pidAlive(pid)) return true;
  const recorded = labels[LABEL_OWNER_START];
  const actual = processStartTicks(pid);
  return recorded !== undefined && actual !== undefined && recorded !== actual;
}
