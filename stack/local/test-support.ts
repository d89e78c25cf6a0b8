/**
 * Helpers for the stack's own tests: Prometheus queries, and a view of the process tree, so tests can prove that
 * nothing a run started is left over. The process tree is also used by `harness e2e` (cli/e2e-run.ts), to stop
 * the Chromium processes Playwright leaves in groups of their own.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { processStartTicks } from '../state.ts';
import { waitFor } from '../wait.ts';

/** One sample of an instant vector. */
export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query; throws on a non-success answer. */
export async function promQuery(prometheusUrl: string, query: string): Promise<Sample[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as { status: string; data?: { result: Sample[] }; error?: string };
  if (body.status !== 'success' || !body.data) throw new Error(`query ${query} failed: ${body.error}`);
  return body.data.result;
}

/** Polls a query until it has at least one sample for which `accept` holds. */
export function waitForSamples(
  prometheusUrl: string,
  query: string,
  accept: (sample: Sample) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<Sample[]> {
  return waitFor(
    async () => {
      const samples = await promQuery(prometheusUrl, query);
      return samples.some(accept) ? samples : undefined;
    },
    { what: `Prometheus to answer ${query}`, timeoutMs, intervalMs: 500 },
  );
}

/** A process seen in the tree: pid, start time, process group, and the directories it points at. */
export interface SeenProcess {
  pid: number;
  pgid: number;
  startTicks: number | undefined;
  /** Its working directory and the target of its stdout (a service's log lives in its work dir). */
  paths: string[];
}

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
