// Several worker processes behind one port (node:cluster), when MYSTOCKS_API_WORKERS > 1: the primary forks the
// workers, each a full copy of the app; the kernel hands connections to them. Metrics stay correct across
// workers: the /metrics a worker serves is the primary's aggregation of every worker's registry (prom-client's
// AggregatorRegistry: counters and histograms summed, so the SLO queries are unchanged), and the default process
// metrics carry a `worker` label so CPU and event-loop lag stay per process (summed or maxed by the queries).
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** Environment variable giving the number of worker processes (default 1: no cluster, one plain process). */
export const WORKERS_ENV = 'MYSTOCKS_API_WORKERS';
const METRICS_REQUEST = 'mystocks:metrics-request';
const METRICS_RESPONSE = 'mystocks:metrics-response';
/** Worker -> primary: replace every worker's fault list with `value`; the primary answers FAULTS_DONE. */
const FAULTS_SET = 'mystocks:faults-set';
/** Primary -> each worker: apply `value`; the worker answers FAULTS_APPLIED. */
const FAULTS_APPLY = 'mystocks:faults-apply';
const FAULTS_APPLIED = 'mystocks:faults-applied';
const FAULTS_DONE = 'mystocks:faults-done';
/** How long a fault change waits for every worker to apply it. */
const FAULTS_TIMEOUT_MS = 5_000;

/** A message between a worker and the primary for a fault change. */
interface FaultsMessage {
  type: string;
  id: number;
  value?: unknown;
  error?: string;
}

interface MetricsMessage {
  type: string;
  id: number;
  text?: string;
  error?: string;
}

/** Worker processes asked for, from the environment; throws on a value that is not a whole number >= 1. */
export function workersFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[WORKERS_ENV];
  if (text === undefined || text === '') return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`${WORKERS_ENV}: expected 1..64, got '${text}'`);
  return n;
}

/** True in a worker of a cluster started by {@link runPrimary}. */
export function inClusterWorker(): boolean {
  return cluster.isWorker;
}

/** The `worker` label of this process's default metrics, or undefined outside a cluster. */
export function workerLabel(): Record<string, string> | undefined {
  return cluster.isWorker && cluster.worker ? { worker: String(cluster.worker.id) } : undefined;
}

/**
 * The primary: forks the first worker and waits until it listens (it migrates and seeds the database; doing
 * that in several processes at once would race), then the others. A worker that dies ends the whole service
 * with an error, so the stack sees it; SIGTERM/SIGINT stop the workers, then the primary.
 */
export async function runPrimary(workers: number, log: (line: string) => void): Promise<void> {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  // prom-client asks every forked worker and fails after 5 s if one does not answer; a worker still starting has
  // no listener yet. So a scrape during start-up waits until all workers listen (the worker gives up after 10 s).
  let allListening: () => void = () => {};
  const listening = new Promise<void>((resolve) => {
    allListening = resolve;
  });
  cluster.on('message', (worker, message: MetricsMessage) => {
    if (message?.type !== METRICS_REQUEST) return;
    listening
      .then(() => aggregator.clusterMetrics())
      .then(
        (text) => worker.send({ type: METRICS_RESPONSE, id: message.id, text }),
        (error: Error) => worker.send({ type: METRICS_RESPONSE, id: message.id, error: error.message }),
      );
  });
  // A fault change arriving at one worker (PUT /admin/faults) is applied by every worker before it is answered:
  // the kernel spreads connections over the workers, so a change known to one only would hit a share of the
  // requests, and a test that injects a fault would see it on some requests and not others.
  cluster.on('message', (origin, message: FaultsMessage) => {
    if (message?.type !== FAULTS_SET) return;
    const answer = (error?: string) =>
      origin.send({ type: FAULTS_DONE, id: message.id, ...(error === undefined ? {} : { error }) });
    const workersNow = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w?.isConnected() === true);
    let waiting = workersNow.length;
    const timer = setTimeout(() => {
      cluster.removeListener('message', onApplied);
      answer(`${waiting} of ${workersNow.length} workers did not apply the fault list within ${FAULTS_TIMEOUT_MS} ms`);
    }, FAULTS_TIMEOUT_MS);
    const onApplied = (_worker: unknown, reply: FaultsMessage) => {
      if (reply?.type !== FAULTS_APPLIED || reply.id !== message.id) return;
      waiting--;
      if (waiting > 0) return;
      clearTimeout(timer);
      cluster.removeListener('message', onApplied);
      answer();
    };
    cluster.on('message', onApplied);
    for (const w of workersNow) w.send({ type: FAULTS_APPLY, id: message.id, value: message.value });
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log(`worker ${worker.id} exited (${code ?? signal}); stopping the service`);
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    process.exitCode = 1;
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const fork = () =>
    new Promise<void>((resolve, reject) => {
      const worker = cluster.fork();
      worker.once('listening', () => resolve());
      worker.once('exit', (code) => reject(new Error(`worker ${worker.id} exited with ${code} before listening`)));
    });
  await fork();
  for (let i = 1; i < workers; i++) await fork();
  allListening();
  log(`${workers} workers listening`);
}

/** In a worker: sends this app's registry when the primary aggregates, and asks the primary for the aggregate. */
export function clusterMetricsSource(registry: Registry): () => Promise<string> {
  // prom-client answers the primary's requests only once an AggregatorRegistry was made in the worker too (its
  // constructor adds the worker's message listener); then it sends the registries named here.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  process.on('message', (message: MetricsMessage) => {
    if (message?.type !== METRICS_RESPONSE) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.text ?? '');
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      // prom-client's own timeout for a worker that does not answer is 5 s; a scrape gives up after 10.
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the primary did not answer the metrics request in 10 s'));
      }, 10_000);
      pending.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send?.({ type: METRICS_REQUEST, id });
    });
}

/**
 * In a worker: applies the fault lists the primary sends (from any worker's PUT /admin/faults), and returns the
 * function that shares this worker's change with every worker, resolving once all applied it.
 */
export function clusterFaultsSync(apply: (value: unknown) => void): (value: unknown) => Promise<void> {
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  // Ids only need to be unique per worker: the primary answers the worker that asked.
  let nextId = 1;
  process.on('message', (message: FaultsMessage) => {
    if (message?.type === FAULTS_APPLY) {
      apply(message.value);
      process.send?.({ type: FAULTS_APPLIED, id: message.id });
    } else if (message?.type === FAULTS_DONE) {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve();
    }
  });
  return (value) =>
    new Promise<void>((resolve, reject) => {
      // Unique across workers too, since every worker's FAULTS_APPLIED carries it back to the primary.
      const id = (cluster.worker?.id ?? 0) * 1_000_000 + nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the primary did not confirm the fault change in ${FAULTS_TIMEOUT_MS * 2} ms`));
      }, FAULTS_TIMEOUT_MS * 2);
      pending.set(id, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send?.({ type: FAULTS_SET, id, value });
    });
}
