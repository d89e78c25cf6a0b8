/**
 * Run state: what a run started, on disk, so that a run whose harness process died (SIGKILL, a crashed CI job)
 * can be cleaned up later by `harness down --stale`. One file per run, `.harness/runs/<runId>.json`, written
 * while the stack is up and removed when it stops. The file names the owner (the harness process), every
 * service process (each the leader of its own process group) with its start time, so a pid the OS has since
 * given to an unrelated process is never signalled, and in containers mode the labels its containers carry.
 *
 * The file is part of the run's teardown scope, {@link RunTeardown}: opening the run writes it, and its removal is
 * the scope's first entry, so it goes last, once everything it names has stopped. What a killed run (which runs no
 * code) needs cleaned up is recorded through the same scope.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WORK_DIR_PREFIX } from './local/workdir.ts';
import { currentTeardown, Teardown } from './teardown.ts';
import type { StackMode } from './types.ts';

/** Where run state lives: `HARNESS_STATE_DIR`, else `.harness` in the working directory. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.HARNESS_STATE_DIR ?? '.harness');
}

/** Where generated reports go: `HARNESS_REPORTS_DIR`, else `reports` in the working directory. */
export function reportsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.HARNESS_REPORTS_DIR ?? 'reports');
}

/** `reports/stack.json`: the running stack's StackInfo, written by `harness up`, read by every stage. */
export function stackFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(reportsDir(env), 'stack.json');
}

/** A fresh run id: 12 hex digits, short enough for container names and labels. */
export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

/** One recorded process: a service started in its own process group (pid = process group id). */
export interface RecordedProcess {
  name: string;
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat), to tell the process from a later one with its pid. */
  startTicks?: number;
}

/** The content of a run state file. */
export interface RunStateRecord {
  runId: string;
  mode: StackMode;
  ownerPid: number;
  ownerStartTicks?: number;
  startedAt: string;
  processes: RecordedProcess[];
  /** Temp directories to remove once the processes are gone. */
  workDirs: string[];
  /**
   * Containers mode: the labels every container and network of the run carries (stack/containers/labels.ts).
   * `harness down --stale` finds those by the labels on the engine, which outlast this file.
   */
  containerLabels?: Record<string, string>;
}

/** Start time of a process in clock ticks since boot, or undefined where /proc is not there (or it is gone). */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces; starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive and, if a start time was recorded, is still the same process. */
export function isSameProcessAlive(pid: number, startTicks?: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, owned by someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (startTicks === undefined) return true;
  const now = processStartTicks(pid);
  return now === undefined || now === startTicks;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function runsDir(dir: string): string {
  return join(dir, 'runs');
}

/** The state file of one live run, kept current while its stack is up; a {@link RunTeardown} owns it. */
export class RunStateFile {
  readonly file: string;
  readonly #record: RunStateRecord;
  #removed = false;

  private constructor(file: string, record: RunStateRecord) {
    this.file = file;
    this.#record = record;
    this.#write();
  }

  /** Records a new run owned by this process. */
  static create(runId: string, mode: StackMode, dir: string = stateDir()): RunStateFile {
    const file = join(runsDir(dir), `${runId}.json`);
    return new RunStateFile(file, {
      runId,
      mode,
      ownerPid: process.pid,
      ...optionalTicks('ownerStartTicks', processStartTicks(process.pid)),
      startedAt: new Date().toISOString(),
      processes: [],
      workDirs: [],
    });
  }

  get runId(): string {
    return this.#record.runId;
  }

  /** Adds a started service process (and the temp directory it works in). */
  addProcess(name: string, pid: number, workDir?: string): void {
    this.#record.processes.push({ name, pid, ...optionalTicks('startTicks', processStartTicks(pid)) });
    if (workDir && !this.#record.workDirs.includes(workDir)) this.#record.workDirs.push(workDir);
    this.#write();
  }

  /** Forgets a process that was stopped on purpose (Redis stopped by a test), and its directory. */
  removeProcess(pid: number, workDir?: string): void {
    this.#record.processes = this.#record.processes.filter((p) => p.pid !== pid);
    if (workDir) this.#record.workDirs = this.#record.workDirs.filter((d) => d !== workDir);
    this.#write();
  }

  /** Records the labels of the run's containers. */
  setContainerLabels(labels: Record<string, string>): void {
    this.#record.containerLabels = { ...labels };
    this.#write();
  }

  /** Deletes the file: the run stopped cleanly. */
  remove(): void {
    this.#removed = true;
    rmSync(this.file, { force: true });
  }

  #write(): void {
    if (this.#removed) return;
    mkdirSync(dirname(this.file), { recursive: true });
    // Write then rename: a concurrent `harness down --stale` never reads half a file.
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.#record, null, 2)}\n`);
    renameSync(temp, this.file);
  }
}

/**
 * One run's teardown scope: a {@link Teardown} inside the scope current when it is opened (the process-wide one,
 * which a signal closes), holding everything the run starts, and the run's state file. Opening it writes the file
 * and registers its removal first, so closing the scope stops the run's processes and containers newest first
 * and removes the file last. What `harness down --stale` needs after a killed run is recorded here too.
 */
export class RunTeardown extends Teardown {
  readonly runId: string;
  readonly mode: StackMode;
  readonly #state: RunStateFile;

  private constructor(runId: string, mode: StackMode, dir: string) {
    super(`run ${runId}`, currentTeardown());
    this.runId = runId;
    this.mode = mode;
    this.#state = RunStateFile.create(runId, mode, dir);
    this.add(`run state ${runId}`, () => this.#state.remove());
  }

  /** Opens a run owned by this process: its state file is written now. Close it (or `await using`) to end it. */
  static open(runId: string, mode: StackMode, dir: string = stateDir()): RunTeardown {
    return new RunTeardown(runId, mode, dir);
  }

  /** The run's state file. */
  get stateFile(): string {
    return this.#state.file;
  }

  /** Records a started service process (and the temp directory it works in) for `harness down --stale`. */
  recordProcess(name: string, pid: number, workDir?: string): void {
    this.#state.addProcess(name, pid, workDir);
  }

  /** Forgets a process that was stopped on purpose (Redis stopped by a test), and its directory. */
  forgetProcess(pid: number, workDir?: string): void {
    this.#state.removeProcess(pid, workDir);
  }

  /** Records the labels the run's containers and network carry. */
  recordContainerLabels(labels: Record<string, string>): void {
    this.#state.setContainerLabels(labels);
  }
}

/** The run whose scope code running now is in (the innermost), or undefined outside any run. */
export function currentRun(): RunTeardown | undefined {
  for (let scope: Teardown | undefined = currentTeardown(); scope; scope = scope.parent) {
    if (scope instanceof RunTeardown) return scope;
  }
  return undefined;
}

function optionalTicks<K extends string>(key: K, ticks: number | undefined): Partial<Record<K, number>> {
  return ticks === undefined ? {} : ({ [key]: ticks } as Record<K, number>);
}

/** Every run state file in `dir`; unreadable files are skipped (a run being written right now). */
export function listRunStates(dir: string = stateDir()): RunStateRecord[] {
  const runs = runsDir(dir);
  if (!existsSync(runs)) return [];
  const records: RunStateRecord[] = [];
  for (const name of readdirSync(runs)) {
    if (!name.endsWith('.json')) continue;
    try {
      const record = JSON.parse(readFileSync(join(runs, name), 'utf8')) as RunStateRecord;
      if (typeof record.runId === 'string' && typeof record.ownerPid === 'number') records.push(record);
    } catch {
      // Half-written or foreign file: not ours to judge.
    }
  }
  return records;
}

/** True while the process that started the run is alive. */
export function isOwnerAlive(record: RunStateRecord): boolean {
  return isSameProcessAlive(record.ownerPid, record.ownerStartTicks);
}

/** A predicate for the containers clean-up: a run is live if it has a state file and its owner is alive. */
export function liveRunPredicate(dir: string = stateDir()): (runId: string) => boolean {
  const live = new Set(
    listRunStates(dir)
      .filter(isOwnerAlive)
      .map((r) => r.runId),
  );
  return (runId) => live.has(runId);
}

/** The outcome of a stale clean-up. */
export interface StaleCleanup {
  /** Runs whose owner was gone and whose leftovers were removed. */
  runIds: string[];
  /** Process groups signalled. */
  killed: number;
}

/**
 * Stops the processes and removes the temp directories of every run whose owner process is gone, newest
 * service first (the API before the database). Processes get SIGTERM, then SIGKILL after `graceMs`.
 */
export async function cleanupStaleRuns(
  options: { dir?: string; log?: (line: string) => void; graceMs?: number } = {},
): Promise<StaleCleanup> {
  const dir = options.dir ?? stateDir();
  const result: StaleCleanup = { runIds: [], killed: 0 };
  for (const record of listRunStates(dir)) {
    if (isOwnerAlive(record)) continue;
    result.runIds.push(record.runId);
    const alive = [...record.processes].reverse().filter((p) => isSameProcessAlive(p.pid, p.startTicks));
    for (const recorded of alive) {
      options.log?.(`stale run ${record.runId}: stopping ${recorded.name} (pid ${recorded.pid})`);
      result.killed += 1;
      await killGroup(recorded.pid, options.graceMs ?? 5_000);
    }
    for (const workDir of record.workDirs) {
      // Only directories the harness made: never follow a hand-edited state file elsewhere.
      if (dirname(workDir) === resolve(tmpdir()) && basename(workDir).startsWith(WORK_DIR_PREFIX)) {
        rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
      }
    }
    rmSync(join(runsDir(dir), `${record.runId}.json`), { force: true });
  }
  return result;
}

/** SIGTERM to a process group, SIGKILL after the grace time; resolves when the group is gone (or given up on). */
async function killGroup(pgid: number, graceMs: number): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name);
    } catch {
      // ESRCH: gone already.
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (!groupAlive(pgid)) return;
  signal('SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (groupAlive(pgid) && Date.now() < killDeadline) await sleep(50);
}
