/**
 * Helpers for the stack's own tests: Prometheus queries, one local stack shared by a test file whose tests set
 * faults on it, and (re-exported from the production module stack/process-tree.ts) the view of the process tree,
 * so tests can prove that nothing a run started is left over.
 * Test support only: no production file imports this one (core/layers.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { putFaults } from '../admin-faults.ts';
import { type Stack, startStack } from '../index.ts';
import type { FaultSpec, StackOptions } from '../types.ts';
import { waitFor } from '../wait.ts';

export { descendants, groupRunning, type SeenProcess, stillRunning } from '../process-tree.ts';

/** One sample of an instant vector. */
export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query; throws on a non-success answer. */
export async function promQuery(prometheusUrl: string, query: string): Promise<Sample[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as { status: string; data?: { result: Sample[] }; error?: string };
  if (body.status !== 'success' || !body.data) throw new Error(`query ${query} failed: ${body.error}`);
  return body.data.result;
}

/** Polls a query until it has at least one sample for which `accept` holds. */
export function waitForSamples(
  prometheusUrl: string,
  query: string,
  accept: (sample: Sample) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<Sample[]> {
  return waitFor(
    async () => {
      const samples = await promQuery(prometheusUrl, query);
      return samples.some(accept) ? samples : undefined;
    },
    { what: `Prometheus to answer ${query}`, timeoutMs, intervalMs: 500 },
  );
}

/** The services of a whole stack, local or in containers, by name in alphabetical order. */
export const WHOLE_STACK_SERVICES = ['api', 'otlp', 'postgres', 'prometheus', 'pushgateway', 'redis'];

/** A local stack that the tests of one file (or describe) share, with faults set through its admin route. */
export interface SharedFaultStack {
  /** The started stack (inside a test, after the hook ran). */
  readonly stack: Stack;
  /** Runs `run` with `faults` set on the stack, and clears them again whatever happens. */
  withFaults<T>(faults: readonly FaultSpec[], run: () => Promise<T>): Promise<T>;
}

/**
 * Starts a local stack before the tests of the calling file or describe and stops it after them, unless `skip`
 * says why not: the shared stack of the tests that are not about starting one. Its admin token is random, so only
 * this file's tests change its faults.
 */
export function sharedFaultStack(options: StackOptions = {}, skip: string | false = false): SharedFaultStack {
  const token = randomBytes(24).toString('hex');
  let started: Stack | undefined;
  before(async () => {
    if (!skip) started = await startStack('local', { ...options, faultsAdminToken: token });
  });
  after(async () => {
    await started?.stop();
  });
  return {
    get stack() {
      if (!started) throw new Error('the shared stack is not started: use it inside a test');
      return started;
    },
    async withFaults(faults, run) {
      const { apiUrl } = this.stack.info;
      await putFaults(apiUrl, token, faults);
      try {
        return await run();
      } finally {
        await putFaults(apiUrl, token, []);
      }
    },
  };
}
