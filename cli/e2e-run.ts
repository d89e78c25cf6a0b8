// One `harness e2e` run's Playwright: its own output folder, and a child that is stopped with the harness.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { descendants, type SeenProcess, stillRunning } from '../stack/process-tree.ts';
import { linkLatest } from '../stack/run-pointer.ts';
import { newRunId, reportsDir } from '../stack/state.ts';
import { onTeardown } from '../stack/teardown.ts';
import { PLAYWRIGHT_LINKS } from './playwright-output.ts';

/** Where one run's Playwright files go, and how the shared paths are pointed at them afterwards. */
export interface E2eRunOutput {
  runId: string;
  dir: string;
  junitFile: string;
  /** Playwright's progress reporter's JSON lines (cli/verify/progress-reporter.ts). */
  progressFile: string;
  /** Links reports/playwright-report, e2e-junit.xml and allure-results to this run's (the latest run's) copies. */
  publish(): void;
}

export function e2eRunOutput(reports: string = reportsDir()): E2eRunOutput {
  const runId = `e2e-${newRunId()}`;
  const dir = join(reports, 'runs', runId);
  mkdirSync(dir, { recursive: true });
  return {
    runId,
    dir,
    junitFile: join(dir, 'e2e-junit.xml'),
    progressFile: join(dir, 'e2e-progress.jsonl'),
    publish() {
      for (const name of PLAYWRIGHT_LINKS) linkLatest(join(reports, name), join(dir, name));
    },
  };
}

/** SIGKILL to every noted process still alive after a short grace (same start time: never a reused pid). */
async function killLeftovers(tree: SeenProcess[]): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (tree.some(stillRunning) && Date.now() < deadline) await sleep(100);
  for (const p of tree.filter(stillRunning)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

/** How long Playwright gets after SIGINT to stop its workers, browsers and global teardown before SIGKILL. */
const STOP_GRACE_MS = 30_000;

/**
 * Starts `playwright test` in a process group of its own, with the output on this terminal. A Ctrl-C or SIGTERM
 * to the harness reaches it through the harness' teardown (stack/teardown.ts): SIGINT to the group, which
 * Playwright answers by stopping its workers, closing the browsers it launched (each in a group of its own) and
 * running its global teardown; SIGKILL to the group if it has not ended after STOP_GRACE_MS.
 */
export function startPlaywright(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, args, { cwd, env, stdio: 'inherit', detached: true });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is gone.
    }
  };
  const unregister = onTeardown('playwright', async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    // Playwright starts each browser in a process group of its own, and on SIGINT it may exit before every
    // Chromium process has: the whole tree is noted first, and whatever of it outlives Playwright is killed.
    const tree = descendants(child.pid);
    signalGroup('SIGINT');
    const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MS);
    await exited.catch(() => undefined);
    clearTimeout(timer);
    signalGroup('SIGKILL'); // A worker that outlived Playwright's own exit.
    await killLeftovers([...tree, ...descendants(child.pid)]);
  });
  void exited.finally(unregister).catch(() => undefined);
  return { child, exited };
}
