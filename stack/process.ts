import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { currentTeardown, type TeardownEntry } from './teardown.ts';
import { lastLines } from './text-files.ts';

/** How to start one long-running service process. */
export interface ProcessSpec {
  /** Short name for messages: "postgres", "redis", "api". */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr go here, so a failed start can show the service's own words. */
  logFile: string;
  /** Run as this user and group (e.g. postgres, which refuses to run as root). */
  uid?: number;
  gid?: number;
  /** The signal stop() sends first (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** How long stop() waits after the stop signal before SIGKILL. */
  stopTimeoutMs?: number;
}

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A started service process in its own process group, stopped (SIGTERM, then SIGKILL) on stop(), on
 * `await using`, and when the teardown scope it was started in closes (its run's stop, or Ctrl-C or SIGTERM):
 * its stop is one entry of that scope (stack/teardown.ts).
 */
export class ManagedProcess implements AsyncDisposable {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Settles when the process has exited, for whatever reason. */
  readonly exited: Promise<ProcessExit>;
  readonly #stopTimeoutMs: number;
  readonly #stopSignal: NodeJS.Signals;
  readonly #teardown: TeardownEntry;
  #exit: ProcessExit | undefined;

  private constructor(spec: ProcessSpec, child: ChildProcess) {
    this.name = spec.name;
    this.logFile = spec.logFile;
    this.pid = child.pid ?? -1;
    this.#stopTimeoutMs = spec.stopTimeoutMs ?? 10_000;
    this.#stopSignal = spec.stopSignal ?? 'SIGTERM';
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
    this.#teardown = currentTeardown().add(spec.name, () => this.#stopOnce());
  }

  /** Spawns the process; rejects if it cannot be spawned at all (binary missing, permission). */
  static async start(spec: ProcessSpec): Promise<ManagedProcess> {
    const log = createWriteStream(spec.logFile, { flags: 'a' });
    await once(log, 'open');
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      // Own process group: a terminal's Ctrl-C reaches only the harness, which then stops services in order;
      // stop() signals the whole group so helper processes (postgres' workers) go too.
      detached: true,
      stdio: ['ignore', log, log],
      ...(spec.uid === undefined ? {} : { uid: spec.uid }),
      ...(spec.gid === undefined ? {} : { gid: spec.gid }),
    });
    const spawned = once(child, 'spawn').then(() => undefined);
    const failed = once(child, 'error').then(([error]) => error as Error);
    const outcome = await Promise.race([spawned, failed]);
    if (outcome instanceof Error) {
      log.close();
      throw new Error(`could not start ${spec.name} (${spec.command}): ${outcome.message}`, { cause: outcome });
    }
    child.once('exit', () => log.close());
    return new ManagedProcess(spec, child);
  }

  /** True while the process has not exited. */
  get running(): boolean {
    return this.#exit === undefined;
  }

  /** The last lines of the process's log, for error messages. */
  logTail(lines = 30): string {
    if (!existsSync(this.logFile)) return '';
    return lastLines(readFileSync(this.logFile, 'utf8'), lines);
  }

  /** Sends a signal to the process group; quietly does nothing once the process is gone. */
  kill(signal: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  /**
   * The stop signal (SIGTERM unless the spec says otherwise), then SIGKILL after the stop timeout; resolves once
   * the process has exited. It is the process's teardown entry run: every caller (an error path, `await using`,
   * the scope's close) shares one stop, and the scope waits for a stop in flight (stack/teardown.ts).
   */
  stop(): Promise<void> {
    return this.#teardown.run();
  }

  async #stopOnce(): Promise<void> {
    if (!this.running) return;
    this.kill(this.#stopSignal);
    const timer = setTimeout(() => this.kill('SIGKILL'), this.#stopTimeoutMs);
    await this.exited;
    clearTimeout(timer);
    // Leftover members of the group (if any) go too.
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // ESRCH: nothing left.
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Rejects with the log tail if the process exits; used to fail fast while waiting for readiness. */
  failOnExit(): { promise: Promise<never>; signal: AbortSignal } {
    const controller = new AbortController();
    const promise = this.exited.then((exit) => {
      const error = new Error(
        `${this.name} exited during start-up (code ${exit.code}, signal ${exit.signal}); last lines of ${this.logFile}:\n${this.logTail()}`,
      );
      controller.abort(error);
      throw error;
    });
    promise.catch(() => {});
    return { promise, signal: controller.signal };
  }
}

/**
 * Finds an executable: first on PATH, then in the given directories (e.g. PostgreSQL's versioned bin dir,
 * which Debian keeps off PATH). Throws a message saying how to get it.
 */
export function findBinary(name: string, extraDirs: string[] = [], installHint = 'run scripts/setup.sh'): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} not found on PATH or in ${extraDirs.join(', ') || 'the usual places'}: ${installHint}`);
}

/** uid and gid of a local user from /etc/passwd, or undefined if there is no such user. */
export function lookupUser(name: string): { uid: number; gid: number } | undefined {
  if (!existsSync('/etc/passwd')) return undefined;
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** Runs a short command to completion (initdb, promtool); rejects with its output when it fails. */
export async function runCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  // A short command still runs while a Ctrl-C tears down (initdb takes a second or two): kill it then, or it
  // outlives the harness and writes into a directory that teardown has just removed. It runs in its own process
  // group and the whole group is killed, since initdb's work is done by a postgres backend it starts.
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  const killGroup = () => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      child.kill('SIGKILL'); // no group (the spawn failed half-way): the child alone
    }
  };
  const teardown = currentTeardown().add(command, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    killGroup();
    await exited;
  });
  const timeoutMs = options.timeoutMs ?? 60_000;
  const timer = setTimeout(killGroup, timeoutMs);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    const [code, signal] = (await Promise.race([
      once(child, 'close'),
      once(child, 'error').then(([error]) => Promise.reject(error)),
    ])) as [number | null, NodeJS.Signals | null];
    if (code !== 0) {
      const why = signal
        ? `killed by ${signal}${signal === 'SIGKILL' ? ` (timeout ${timeoutMs} ms?)` : ''}`
        : `exit ${code}`;
      throw new Error(`${command} ${args.join(' ')} failed: ${why}\n${stderr || stdout}`.trimEnd());
    }
    return { stdout, stderr };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(`${command} `)) throw error;
    throw new Error(`${command} ${args.join(' ')} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
    teardown.cancel();
  }
}

/** How a run to completion ended: the child's exit, and whether the deadline is what ended it. */
export interface CompletedRun {
  exit: ProcessExit;
  timedOut: boolean;
}

/**
 * The one way the harness runs a tool to completion (Artillery, Playwright, allure generate): wait for the
 * started child to end by itself, or stop it (its stop signal, then SIGKILL) once `timeoutMs` has passed, telling
 * `onTimeout` first. Either way the child is fully stopped (its process group too) when this returns.
 */
export async function waitForCompletion(
  child: ManagedProcess,
  timeoutMs: number,
  onTimeout?: () => void,
): Promise<CompletedRun> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    onTimeout?.();
    void child.stop();
  }, timeoutMs);
  try {
    const exit = await child.exited;
    return { exit, timedOut };
  } finally {
    clearTimeout(timer);
    await child.stop();
  }
}
