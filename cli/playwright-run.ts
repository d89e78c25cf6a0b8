// The one way the harness runs `playwright test`: `harness e2e` (output on the terminal) and verify's E2E stage
// (output in playwright.log, a deadline, the progress reporter followed) both call runPlaywright(). What differs
// between them is the spec; what both need is here:
// - Playwright in a process group of its own, so a terminal's Ctrl-C reaches the harness only, and the harness
//   stops Playwright in order;
// - a stop, shared by the harness' teardown (Ctrl-C, SIGTERM, SIGHUP: stack/teardown.ts) and the deadline:
//   SIGINT to the group, which Playwright answers by stopping its workers, closing the browsers it launched and
//   running its global teardown (SIGTERM it does not handle: it would die at once and leave its browsers);
//   SIGKILL to the group after STOP_GRACE_MS; then SIGKILL to whatever of the tree noted before the SIGINT
//   outlived Playwright (Chromium runs in process groups of its own, which the group signal does not reach);
// - after any end, SIGKILL to what is left of the group (a worker that outlived the runner);
// - the exit code or signal, whether the deadline ended the run, and when it started and ended.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withoutCredentials } from '../core/prometheus-access.ts';
import type { ProcessExit } from '../stack/process.ts';
import { descendants, type SeenProcess, stillRunning } from '../stack/process-tree.ts';
import { onTeardown } from '../stack/teardown.ts';
import { tailLines } from '../stack/text-files.ts';
import type { ProgressEvent } from './verify/progress-reporter.ts';

/** Playwright runs here: its default config is the repository's playwright.config.ts. */
export const REPO_DIR = resolve(import.meta.dirname, '..');
/** Playwright's command line, run with this Node. */
export const PLAYWRIGHT_CLI = createRequire(import.meta.url).resolve('@playwright/test/cli');

/** How long Playwright gets after SIGINT to stop its workers, browsers and global teardown before SIGKILL. */
export const STOP_GRACE_MS = 30_000;
/** How long a noted process (a browser) may outlive Playwright before it is killed. */
const LEFTOVER_GRACE_MS = 5_000;

/** Where Playwright's stdout and stderr go: this terminal (stdin too), or appended to a log file. */
export type PlaywrightOutputTo = 'terminal' | { logFile: string };

/** One run of `playwright test`: only what differs between the harness's callers. */
export interface PlaywrightRunSpec {
  /** `--config`; without it Playwright reads the repository's playwright.config.ts. */
  config?: string;
  /** More arguments for `playwright test` (a spec, `-g`, `--shard 1/2`), after the config. */
  args?: string[];
  /** Set over the harness's environment less its credentials; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  output: PlaywrightOutputTo;
  /** Longest the run may take before it is stopped; none when undefined. */
  timeoutMs?: number;
  /** Told once when the deadline has passed, before the stop. */
  onTimeout?: () => void;
  /** The progress reporter's JSON lines (cli/verify/progress-reporter.ts), removed first and followed. */
  progress?: { file: string; onEvent: (event: ProgressEvent) => void };
}

/** The process a spec makes, as data. */
export interface PlaywrightInvocation {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  output: PlaywrightOutputTo;
}

/** How a run ended. */
export interface PlaywrightRun {
  exit: ProcessExit;
  /** True when the deadline, not Playwright, ended it. */
  timedOut: boolean;
  startedAt: Date;
  /** Once the run's processes are gone and its progress file is read to the end. */
  endedAt: Date;
}

/**
 * The command, arguments and environment of a spec. The environment is `base` less the Prometheus credentials
 * (withoutCredentials), then the spec's variables; a log file gets no colour codes or cursor movement
 * (FORCE_COLOR=0), while a terminal keeps what Playwright decides for it.
 */
export function playwrightInvocation(
  spec: PlaywrightRunSpec,
  base: NodeJS.ProcessEnv = process.env,
): PlaywrightInvocation {
  const env = withoutCredentials(base);
  if (spec.output !== 'terminal') env.FORCE_COLOR = '0';
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const config = spec.config === undefined ? [] : ['--config', spec.config];
  return {
    command: process.execPath,
    args: [PLAYWRIGHT_CLI, 'test', ...config, ...(spec.args ?? [])],
    cwd: REPO_DIR,
    env,
    output: spec.output,
  };
}

/**
 * Runs `playwright test` to its end, to the deadline, or to the harness' teardown, and returns how it ended;
 * throws only when Playwright cannot be started at all. Nothing of the run is left when it returns.
 */
export async function runPlaywright(spec: PlaywrightRunSpec): Promise<PlaywrightRun> {
  if (spec.progress) await rm(spec.progress.file, { force: true });
  const startedAt = new Date();
  const child = await spawnPlaywright(playwrightInvocation(spec));
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = groupStop(child, exited);
  const unregister = onTeardown('playwright', stop);
  const { progress } = spec;
  const tail = progress
    ? tailLines(progress.file, (line) => progress.onEvent(JSON.parse(line) as ProgressEvent))
    : undefined;
  let timedOut = false;
  const timer =
    spec.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          spec.onTimeout?.();
          void stop();
        }, spec.timeoutMs);
  let exit: ProcessExit;
  try {
    exit = await exited;
  } finally {
    clearTimeout(timer);
    await stop();
    unregister();
    await tail?.stop();
  }
  return { exit, timedOut, startedAt, endedAt: new Date() };
}

/** Spawns the invocation in a process group of its own; rejects when it cannot start (a missing cwd). */
async function spawnPlaywright(invocation: PlaywrightInvocation): Promise<ChildProcess> {
  const { output } = invocation;
  const log = output === 'terminal' ? undefined : openSync(output.logFile, 'a');
  try {
    const child = spawn(invocation.command, invocation.args, {
      cwd: invocation.cwd,
      env: invocation.env,
      detached: true,
      stdio: log === undefined ? 'inherit' : ['ignore', log, log],
    });
    // once() rejects with the child's 'error' when that comes instead of 'spawn'.
    const failed = await once(child, 'spawn').then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    if (failed) throw new Error(`could not start Playwright: ${failed.message}`, { cause: failed });
    return child;
  } finally {
    // The child holds its own copy of the descriptor.
    if (log !== undefined) closeSync(log);
  }
}

/**
 * The one stop of a run (teardown and deadline share it; later calls wait for the first): while Playwright runs,
 * its tree is noted, then SIGINT, SIGKILL after STOP_GRACE_MS, and the noted processes that outlive it killed;
 * every call ends with SIGKILL to whatever is left of its group.
 */
function groupStop(child: ChildProcess, exited: Promise<ProcessExit>): () => Promise<void> {
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is gone.
    }
  };
  let stopping: Promise<void> | undefined;
  const stopOnce = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      // Noted before the signal: once Playwright has exited, its browsers are no longer its descendants.
      const tree = descendants(child.pid);
      signalGroup('SIGINT');
      const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      signalGroup('SIGKILL');
      await killLeftovers(tree);
    }
    signalGroup('SIGKILL');
  };
  return async () => {
    stopping ??= stopOnce();
    await stopping;
  };
}

/** SIGKILL to every noted process still alive after a short grace (same start time: never a reused pid). */
async function killLeftovers(tree: SeenProcess[]): Promise<void> {
  const deadline = Date.now() + LEFTOVER_GRACE_MS;
  while (tree.some(stillRunning) && Date.now() < deadline) await sleep(100);
  for (const p of tree.filter(stillRunning)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}
