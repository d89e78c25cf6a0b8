/**
 * A view of the process tree read from /proc: every descendant of a process, and whether a noted process (or a
 * process group) is still alive. `harness e2e` (cli/e2e-run.ts) uses it to stop the Chromium processes Playwright
 * leaves in groups of their own; the stack's tests use it to prove that nothing a run started is left over.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { processStartTicks } from './state.ts';

/** A process seen in the tree: pid, start time, process group, and the directories it points at. */
export interface SeenProcess {
  pid: number;
  pgid: number;
  startTicks: number | undefined;
  /** Its working directory and the target of its stdout (a service's log lives in its work dir). */
  paths: string[];
}

/** The fields of /proc/<pid>/stat after the command name (state, ppid, pgrp, ...), or undefined once it is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root` (children, grandchildren...), read from /proc. */
export function descendants(root: number): SeenProcess[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (fields) parents.set(pid, Number(fields[1]));
  }
  const found: SeenProcess[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [pid, ppid] of parents) {
      if (ppid !== parent) continue;
      queue.push(pid);
      const fields = statFields(pid);
      const paths: string[] = [];
      for (const link of ['cwd', 'fd/1']) {
        try {
          paths.push(readlinkSync(`/proc/${pid}/${link}`));
        } catch {
          // gone, or not ours to read
        }
      }
      found.push({ pid, pgid: Number(fields?.[2]), startTicks: processStartTicks(pid), paths });
    }
  }
  return found;
}

/** True if that very process (same start time) is still alive and not a zombie. */
export function stillRunning(seen: { pid: number; startTicks?: number | undefined }): boolean {
  const fields = statFields(seen.pid);
  if (!fields) return false;
  if (fields[0] === 'Z') return false;
  return seen.startTicks === undefined || processStartTicks(seen.pid) === seen.startTicks;
}

/** True if any process of the group is alive (zombies aside). */
export function groupRunning(pgid: number): boolean {
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (fields && Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}
