import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** What is awaited, for the error message ("PostgreSQL on 127.0.0.1:5433 to accept connections"). */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Aborts the wait early, e.g. when the process being waited on exits. */
  signal?: AbortSignal;
}

/**
 * Polls `probe` until it returns a value other than undefined, or the time runs out.
 * A probe that throws counts as "not yet"; its last error is kept for the timeout message.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const { what, timeoutMs = 30_000, intervalMs = 100, signal } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs, undefined, { signal });
  }
  const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`, { cause: lastError });
}

/** Resolves when `url` answers with a status for which `accept` is true (2xx by default). */
export async function waitForHttp(
  url: string,
  options: Omit<WaitOptions, 'what'> & { what?: string; accept?: (status: number) => boolean },
): Promise<void> {
  const accept = options.accept ?? ((status: number) => status >= 200 && status < 300);
  await waitFor(
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (!accept(response.status)) throw new Error(`${url} answered ${response.status}`);
      return true;
    },
    { ...options, what: options.what ?? `${url} to answer` },
  );
}
