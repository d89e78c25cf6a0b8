/**
 * Helpers for the stack's own tests: Prometheus queries, and (re-exported from the production module
 * stack/process-tree.ts) the view of the process tree, so tests can prove that nothing a run started is left over.
 * Test support only: no production file imports this one (core/layers.test.ts).
 */
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
