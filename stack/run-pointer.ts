/**
 * Shared pointers for concurrent runs. Several harness runs in one checkout each keep their own file under a run
 * id (`reports/runs/<runId>/stack.json`); a shared path such as `reports/stack.json` is a pointer: a copy of the
 * newest live run's file, which every run replaces atomically (write a temp file, then rename it over the
 * pointer) and which a stopping run removes only when it is its own. Then, when another run is still up, the
 * pointer goes to that run instead of vanishing under it.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { isSameProcessAlive } from './state.ts';

/** What a pointer must carry to be owned: the run it belongs to and the process that keeps that run up. */
export interface PointerContent {
  runId: string;
  ownerPid: number;
}

/** Writes `content` to `file` atomically: a reader sees the old file or the new one, never half of either. */
export function writeAtomically(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  // A name of its own per writer, so two runs writing at once never rename each other's temp file.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}

function readPointer(file: string): PointerContent | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<PointerContent>;
    return typeof parsed.runId === 'string' ? (parsed as PointerContent) : undefined;
  } catch {
    return undefined;
  }
}

/** The run-scoped copy of a shared file: `<dir of shared>/runs/<runId>/<name of shared>`. */
export function runScopedPath(sharedFile: string, runId: string): string {
  return join(dirname(sharedFile), 'runs', runId, sharedFile.slice(dirname(sharedFile).length + 1));
}

/** Publishes a run's file: its own run-scoped copy, then the shared pointer (this run is now the newest). */
export function publish<T extends PointerContent>(sharedFile: string, content: T): string {
  const own = runScopedPath(sharedFile, content.runId);
  const text = `${JSON.stringify(content, null, 2)}\n`;
  writeAtomically(own, text);
  writeAtomically(sharedFile, text);
  return own;
}

/**
 * Withdraws a run's file: removes its run-scoped copy and, only when the shared pointer is this run's, points it
 * at the newest other run whose owner is still alive, or removes it when there is none. A pointer that another
 * run wrote is never touched.
 */
export function withdraw(sharedFile: string, runId: string): void {
  const own = runScopedPath(sharedFile, runId);
  rmSync(own, { force: true });
  try {
    rmdirSync(dirname(own)); // The run's folder, once nothing else of the run is in it.
  } catch {
    // Not empty (the run's other reports stay), or gone.
  }
  if (readPointer(sharedFile)?.runId !== runId) return;
  const successor = newestLiveRun(sharedFile);
  if (successor) {
    writeAtomically(sharedFile, `${JSON.stringify(successor, null, 2)}\n`);
    return;
  }
  // Claim the pointer by renaming it away, then check what was claimed: if another run replaced it between the
  // read above and the rename, theirs is put back (link fails when a still newer one is there, which is right).
  const claimed = `${sharedFile}.${process.pid}.${randomBytes(4).toString('hex')}.gone`;
  try {
    renameSync(sharedFile, claimed);
  } catch {
    return; // Already gone.
  }
  if (readPointer(claimed)?.runId !== runId && !existsSync(sharedFile)) {
    try {
      renameSync(claimed, sharedFile);
      return;
    } catch {
      // Fall through: remove the claimed copy.
    }
  }
  rmSync(claimed, { force: true });
}

/** The run-scoped file of the most recently written run whose owner process is alive. */
function newestLiveRun(sharedFile: string): PointerContent | undefined {
  const runs = join(dirname(sharedFile), 'runs');
  const name = sharedFile.slice(dirname(sharedFile).length + 1);
  if (!existsSync(runs)) return undefined;
  let newest: { content: PointerContent; at: string } | undefined;
  for (const runId of readdirSync(runs)) {
    const content = readPointer(join(runs, runId, name)) as (PointerContent & { startedAt?: string }) | undefined;
    if (!content || !isSameProcessAlive(content.ownerPid)) continue;
    const at = content.startedAt ?? '';
    if (!newest || at > newest.at) newest = { content, at };
  }
  return newest?.content;
}

/**
 * Points `sharedPath` (reports/playwright-report, say) at a run's own copy with a symbolic link, replaced
 * atomically (a new link under a temp name, renamed over the old link), so a reader never finds it missing. A
 * real file or folder at the shared path (the layout from before run ids) is not deleted: it is moved to
 * `runs/before-run-ids-<time>/` beside it first. Returns false when the link could not be made.
 */
export function linkLatest(sharedPath: string, target: string): boolean {
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(sharedPath);
  } catch {
    // Nothing there yet.
  }
  if (existing && !existing.isSymbolicLink()) {
    const keep = join(dirname(sharedPath), 'runs', `before-run-ids-${Date.now()}`);
    mkdirSync(keep, { recursive: true });
    try {
      renameSync(sharedPath, join(keep, basename(sharedPath)));
    } catch {
      return false; // Another run moved it first, or it cannot be moved: leave it.
    }
  }
  const temp = `${sharedPath}.${process.pid}.${randomBytes(4).toString('hex')}.link`;
  symlinkSync(relative(dirname(sharedPath), target), temp);
  try {
    renameSync(temp, sharedPath);
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}
