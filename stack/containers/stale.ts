import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { getContainerRuntimeClient } from 'testcontainers';
import { useContainerEngine } from './engine.ts';
import { LABEL_RUN_ID, ownerIsGone } from './labels.ts';

/** What a clean-up removed. */
export interface RemovedResources {
  containers: string[];
  networks: string[];
  /** Run ids whose resources were removed. */
  runs: string[];
}

type Labels = Record<string, string | undefined>;

/** Containers (any state) and networks carrying the run-id label, optionally of one run only. */
async function listLabelled(runId?: string) {
  const client = await getContainerRuntimeClient();
  const dockerode = client.container.dockerode;
  const label = runId === undefined ? LABEL_RUN_ID : `${LABEL_RUN_ID}=${runId}`;
  const filters = JSON.stringify({ label: [label] });
  const [containers, networks] = await Promise.all([
    dockerode.listContainers({ all: true, filters }),
    dockerode.listNetworks({ filters }),
  ]);
  return {
    dockerode,
    containers: containers.map((c) => ({
      id: c.Id,
      name: c.Names?.[0]?.replace(/^\//, '') ?? c.Id,
      labels: c.Labels as Labels,
    })),
    networks: networks.map((n) => ({ id: n.Id, name: n.Name, labels: (n.Labels ?? {}) as Labels })),
  };
}

/**
 * Name prefix of a run's host directory of spans, which the OTLP receiver container writes through a bind mount
 * (stack.ts). The run id in it lets the run's stop and the stale clean-up find it without a record of its own.
 */
export function spansDirPrefix(runId: string): string {
  return `mystocks-${runId}-spans-`;
}

/** Removes the run's spans directories (there is one per start); returns their paths. */
export function removeSpansDirs(runId: string, parent: string = tmpdir()): string[] {
  const prefix = spansDirPrefix(runId);
  const dirs = readdirSync(parent)
    .filter((name) => name.startsWith(prefix))
    .map((name) => join(parent, name));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  return dirs;
}

/** Names of the containers (any state) and networks of one run that still exist; tests assert it is empty. */
export async function listRunResources(runId: string): Promise<{ containers: string[]; networks: string[] }> {
  const listed = await listLabelled(runId);
  return { containers: listed.containers.map((c) => c.name), networks: listed.networks.map((n) => n.name) };
}

/** Force-removes containers (with their anonymous volumes), then networks; a resource already gone is no error. */
async function removeAll(
  listed: Awaited<ReturnType<typeof listLabelled>>,
  keep: (labels: Labels) => boolean,
): Promise<RemovedResources & { errors: string[] }> {
  const { dockerode } = listed;
  const containers = listed.containers.filter((c) => !keep(c.labels));
  const networks = listed.networks.filter((n) => !keep(n.labels));
  const errors: string[] = [];
  const attempt = (what: string, removal: Promise<unknown>) =>
    removal.catch((error: unknown) => {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404 || status === 409) return; // gone already, or its removal is in progress
      errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    });
  await Promise.all(
    containers.map((c) =>
      attempt(`container ${c.name}`, dockerode.getContainer(c.id).remove({ force: true, v: true })),
    ),
  );
  // After the containers: a network still in use cannot be removed (the next pass retries).
  await Promise.all(networks.map((n) => attempt(`network ${n.name}`, dockerode.getNetwork(n.id).remove())));
  const runs = new Set([...containers, ...networks].map((r) => r.labels[LABEL_RUN_ID] ?? ''));
  return { containers: containers.map((c) => c.name), networks: networks.map((n) => n.name), runs: [...runs], errors };
}

/**
 * Removes every container and network of one run. Repeats until a pass finds nothing (at least two passes), so a
 * container whose creation was in flight when a signal arrived, or a network still in use by a container being
 * removed by a concurrent clean-up, is caught by a later pass. Throws if something of the run is left at the end.
 */
export async function removeRunResources(
  runId: string,
  options: { maxPasses?: number; pauseMs?: number } = {},
): Promise<RemovedResources> {
  const { maxPasses = 8, pauseMs = 400 } = options;
  const total: RemovedResources = { containers: [], networks: [], runs: [runId] };
  let errors: string[] = [];
  for (let pass = 0; pass < maxPasses; pass++) {
    const removed = await removeAll(await listLabelled(runId), () => false);
    total.containers.push(...removed.containers);
    total.networks.push(...removed.networks);
    errors = removed.errors;
    if (removed.containers.length === 0 && removed.networks.length === 0 && pass > 0) return total;
    await sleep(pauseMs);
  }
  const left = await listRunResources(runId);
  if (left.containers.length > 0 || left.networks.length > 0) {
    throw new Error(
      `run ${runId}: could not remove ${[...left.containers, ...left.networks].join(', ')} (${errors.join('; ') || 'no error reported'})`,
    );
  }
  return total;
}

/**
 * `harness down --stale`: removes the containers, networks and spans directories of runs whose owning process is
 * gone (same host, PID dead or reused, per the owner labels). Runs of live processes, of other hosts, and those
 * `isRunLive` vouches for (a run state file with a live owner) are left alone. `harness up` calls it first.
 */
export async function removeStaleResources(
  isRunLive: (runId: string) => boolean = () => false,
  log?: (line: string) => void,
): Promise<RemovedResources> {
  await useContainerEngine();
  const keep = (labels: Labels) => isRunLive(labels[LABEL_RUN_ID] ?? '') || !ownerIsGone(labels);
  const { errors, ...removed } = await removeAll(await listLabelled(), keep);
  for (const error of errors) log?.(`stale clean-up: ${error}`);
  for (const runId of removed.runs) removeSpansDirs(runId);
  if (log && removed.runs.length > 0) {
    log(
      `removed ${removed.containers.length} container(s) and ${removed.networks.length} network(s) of stale run(s) ${removed.runs.join(', ')}`,
    );
  }
  return removed;
}
