/**
 * Shared pointers for concurrent runs. Several harness runs in one checkout each keep their own file under a run
 * id (`reports/runs/<runId>/stack.json`); a shared path such as `reports/stack.json` is a pointer: a copy of the
 * newest live run's file, which every run replaces atomically (write a temp file, then rename it over the
 * pointer) and which a stopping run removes only when it is its own. Then, when another run is still up, the
 * pointer goes to that run instead of vanishing under it.
 *
 * Report names such as `reports/allure-results` are links to the latest run's own copy (linkLatest). A link is
 * only ever replaced, never written through: a command that writes files makes a run folder of its own
 * (newRunFolder) and then points the links at it; a path a user names is refused when it leads through such a
 * link into another run's folder (refuseLatestLink).
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { HarnessError } from '../core/outcome.ts';
import { checkRunId } from '../core/run-id.ts';
import { isSameProcessAlive, newRunId } from './state.ts';

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

/**
 * A new run's own folder, `<reports>/runs/<prefix>-<new run id>/`, made here: for a command that writes files
 * (harness load compare, harness report), so that it never writes into a folder another run left. The last step
 * is a plain mkdir, which fails rather than reuse a folder that is already there.
 */
export function newRunFolder(reportsDir: string, prefix: string): { runId: string; dir: string } {
  const runId = checkRunId(`${prefix}-${newRunId()}`, 'run id');
  const runs = join(reportsDir, 'runs');
  mkdirSync(runs, { recursive: true });
  const dir = join(runs, runId);
  mkdirSync(dir);
  return { runId, dir };
}

/** True when `path` is a link that {@link linkLatest} made: a symbolic link to `runs/<run>/...` beside it. */
export function isLatestLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink() && /^runs\/[^/]+/.test(readlinkSync(path));
  } catch {
    return false;
  }
}

/**
 * The latest-run link that `path` is, or lies under (`reports/allure-results/x.json` lies under
 * `reports/allure-results`), or undefined. Writing there would write into the run folder the link points at.
 * Only links of {@link linkLatest} count; any other symbolic link on the way (a home folder on another disk) is
 * the user's own business.
 */
export function latestLinkOn(path: string): string | undefined {
  let current = resolve(path);
  for (;;) {
    if (isLatestLink(current)) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Throws a HarnessError (exit 2) when `path` leads through a latest-run link: `--allure-dir reports/allure-results`
 * would add files to the finished run that link points at, and mix that run's report with this command's.
 */
export function refuseLatestLink(path: string, what: string): string {
  const link = latestLinkOn(path);
  if (link !== undefined) {
    const how = link === resolve(path) ? 'is' : `leads through ${link},`;
    throw new HarnessError(
      `${what}: ${path} ${how} a link to the latest run's own folder (${readlinkSync(link)}); a finished run is never written again: give a folder of your own`,
    );
  }
  return path;
}
