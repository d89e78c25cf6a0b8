/**
 * The one entry every stage uses to get an environment: resolve the mode, start (or connect to) the stack,
 * get back a Stack whose `info` is the same shape in every mode. See DESIGN.md, "Stack modes".
 */
import { existsSync } from 'node:fs';
import { HarnessError } from '../core/outcome.ts';
import { connectExternalStack } from './external.ts';
import { startLocalStack } from './local/stack.ts';
import type { ResolvedStackMode } from './mode.ts';
import { newRunId, RunStateFile } from './state.ts';
import type { ContainerStackModule, Stack, StackMode, StackOptions } from './types.ts';

export { connectExternalStack } from './external.ts';
export { startLocalStack } from './local/stack.ts';
export { detectContainerEngine, parseStackMode, type ResolvedStackMode, resolveStackMode } from './mode.ts';
export { cleanupStaleRuns, liveRunPredicate, reportsDir, stackFilePath, stateDir } from './state.ts';
export type * from './types.ts';

const CONTAINERS_MODULE = new URL('./containers/stack.ts', import.meta.url);

/**
 * Starts the stack of a resolved mode and returns it: a concrete mode ('local', 'containers', 'external'), or what
 * resolveStackMode() made of `auto` (its reason is logged). A failed start has already stopped whatever it
 * started. `options.runId` is filled in here, so the run is on record (`.harness/runs/<runId>.json`) before any
 * service starts.
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
    case 'external': {
      // Nothing to clean up, but the owner is on record so `harness down` can find the process to signal.
      const state = RunStateFile.create(withRunId.runId, 'external');
      try {
        return withStateRemovedOnStop(await connectExternalStack(withRunId), state);
      } catch (error) {
        state.remove();
        throw error;
      }
    }
    case 'containers': {
      // testcontainers finds the engine through DOCKER_HOST; give it the one `auto` found.
      if (dockerHost && !process.env.DOCKER_HOST) process.env.DOCKER_HOST = dockerHost;
      const containers = await loadContainersModule();
      // Recorded before the containers start, so `harness down --stale` leaves this run's containers alone.
      const state = RunStateFile.create(withRunId.runId, 'containers');
      let stack: Stack;
      try {
        stack = await containers.startContainerStack(withRunId);
      } catch (error) {
        state.remove();
        throw error;
      }
      return withStateRemovedOnStop(stack, state);
    }
  }
}

/** The containers module, or a HarnessError (exit 2) saying that mode is not available in this checkout. */
export async function loadContainersModule(): Promise<ContainerStackModule> {
  if (!existsSync(CONTAINERS_MODULE)) {
    throw new HarnessError(
      'containers mode is not available: stack/containers/stack.ts is missing; use --stack local or --stack external',
    );
  }
  const loaded = (await import(CONTAINERS_MODULE.href)) as Partial<ContainerStackModule>;
  if (typeof loaded.startContainerStack !== 'function') {
    throw new HarnessError(
      'containers mode is not available: stack/containers/stack.ts does not export startContainerStack',
    );
  }
  return loaded as ContainerStackModule;
}

/** True when the containers module is in this checkout (down --stale uses its clean-up hook only then). */
export function containersModuleExists(): boolean {
  return existsSync(CONTAINERS_MODULE);
}

function withStateRemovedOnStop(stack: Stack, state: RunStateFile): Stack {
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stack.stop().finally(() => state.remove());
    return stopping;
  };
  return {
    info: stack.info,
    ...(stack.controls ? { controls: stack.controls } : {}),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
