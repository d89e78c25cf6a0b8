/**
 * The one entry every stage uses to get an environment: resolve the mode, start (or connect to) the stack,
 * get back a Stack whose `info` is the same shape in every mode. See DESIGN.md, "Stack modes".
 */
import { existsSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../core/outcome.ts';
import { connectExternalStack } from './external.ts';
import { startLocalStack } from './local/stack.ts';
import type { ResolvedStackMode } from './mode.ts';
import { cleanupStaleRuns, liveRunPredicate, newRunId, RunTeardown, type StaleCleanup } from './state.ts';
import type { ContainerStackModule, Stack, StackMode, StackOptions } from './types.ts';

export { connectExternalStack } from './external.ts';
export { startLocalStack } from './local/stack.ts';
export { detectContainerEngine, parseStackMode, type ResolvedStackMode, resolveStackMode } from './mode.ts';
export { cleanupStaleRuns, liveRunPredicate, reportsDir, stackFilePath, stateDir } from './state.ts';
export type * from './types.ts';

/**
 * The containers mode's module, by the extension of this file: stack.ts in a checkout, stack.js in the built
 * package (scripts/build-package.ts), where tsc rewrites the extensions of imports but not of this URL.
 */
const CONTAINERS_FILE = `containers/stack${extname(import.meta.filename)}`;
const CONTAINERS_MODULE = new URL(`./${CONTAINERS_FILE}`, import.meta.url);

/**
 * Starts the stack of a resolved mode and returns it: a concrete mode ('local', 'containers', 'external'), or what
 * resolveStackMode() made of `auto` (its reason is logged). A failed start has already stopped whatever it
 * started. `options.runId` is filled in here, and every mode's start runs inside the run's teardown scope
 * (RunTeardown, stack/state.ts), so the run is on record (`.harness/runs/<runId>.json`) before any service starts
 * and whatever it starts is stopped with it.
 */
export async function startStack(resolved: StackMode | ResolvedStackMode, options: StackOptions = {}): Promise<Stack> {
  const { mode, reason, dockerHost } =
    typeof resolved === 'string'
      ? { mode: resolved, reason: `${resolved}: asked for`, dockerHost: undefined }
      : resolved;
  options.log?.(`stack mode ${reason}`);
  const withRunId = { ...options, runId: options.runId ?? newRunId() };
  switch (mode) {
    case 'local':
      return startLocalStack(withRunId);
    case 'external':
      // Nothing to clean up, but the owner is on record so `harness down` can find the process to signal.
      return inRun(RunTeardown.open(withRunId.runId, 'external'), () => connectExternalStack(withRunId));
    case 'containers': {
      // testcontainers finds the engine through DOCKER_HOST; give it the one `auto` found.
      if (dockerHost && !process.env.DOCKER_HOST) process.env.DOCKER_HOST = dockerHost;
      const containers = await loadContainersModule();
      // Recorded before the containers start, so `harness down --stale` leaves this run's containers alone.
      return inRun(RunTeardown.open(withRunId.runId, 'containers'), () => containers.startContainerStack(withRunId));
    }
  }
}

/**
 * Starts a stack inside its run's scope and returns it with a stop that closes the scope after the mode's own
 * stop; a failed start closes the scope too.
 */
async function inRun(run: RunTeardown, start: () => Promise<Stack>): Promise<Stack> {
  let stack: Stack;
  try {
    stack = await run.enter(start);
  } catch (error) {
    await run.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stack.stop().finally(() => run.close());
    return stopping;
  };
  return {
    info: stack.info,
    ...(stack.controls ? { controls: stack.controls } : {}),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** What `harness down --stale` removed: processes and work directories of stale runs, and their containers. */
export interface StaleRemoval {
  runs: StaleCleanup;
  /** Containers removed; undefined when the containers module is not in this checkout. */
  containers?: number;
}

/**
 * `harness down --stale`: cleans up after runs whose harness process is gone, from what their teardown scopes
 * recorded: the processes and work directories in their state files (`cleanupStaleRuns`), then the containers and
 * networks labelled with their run ids (through the containers module, when it is present), keeping the
 * containers of every run whose state file has a live owner.
 */
export async function cleanupStale(log: (line: string) => void): Promise<StaleRemoval> {
  const runs = await cleanupStaleRuns({ log });
  if (!containersModuleExists()) return { runs };
  const containers = await loadContainersModule();
  if (!containers.removeStaleContainers) return { runs };
  return { runs, containers: await containers.removeStaleContainers(liveRunPredicate(), log) };
}

/**
 * The containers module, or a HarnessError (exit 2) saying that mode is not available in this checkout. `module`
 * is for tests: a checkout always has the real one, so only another path shows the errors.
 */
export async function loadContainersModule(module: URL = CONTAINERS_MODULE): Promise<ContainerStackModule> {
  const name = relative(join(import.meta.dirname, '..'), fileURLToPath(module));
  if (!existsSync(module)) {
    throw new HarnessError(
      `containers mode is not available: ${name} is missing; use --stack local or --stack external`,
    );
  }
  const loaded = (await import(module.href)) as Partial<ContainerStackModule>;
  if (typeof loaded.startContainerStack !== 'function') {
    throw new HarnessError(`containers mode is not available: ${name} does not export startContainerStack`);
  }
  return loaded as ContainerStackModule;
}

/** True when the containers module is in this checkout (down --stale uses its clean-up hook only then). */
export function containersModuleExists(): boolean {
  return existsSync(CONTAINERS_MODULE);
}
