// A small client for Prometheus' instant-query API: a timeout on every call, retries with exponential
// back-off for transient failures only (network errors, 5xx, 429), and one concurrency limit shared by all
// queries of a run. Anything speaking the Prometheus HTTP API (Thanos, Cortex, VictoriaMetrics) works.
import axios, { type AxiosInstance, isAxiosError } from 'axios';

/** Options of a Prometheus client. */
export interface PrometheusClientOptions {
  /** Base URL, e.g. http://127.0.0.1:9090 (the API is under /api/v1). */
  url: string;
  /** Per request, in milliseconds (also sent to Prometheus as the query timeout). */
  timeoutMs?: number;
  /** Extra attempts after a transient failure. */
  retries?: number;
  /** First back-off delay; doubled per attempt, with jitter. */
  retryDelayMs?: number;
  /** Queries in flight at once. */
  concurrency?: number;
}

/** One series of an instant vector: its labels and value. */
export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

/** An instant-query answer kept as a vector (any number of series), for breakdowns by label. */
export type VectorOutcome = { kind: 'vector'; samples: VectorSample[] } | { kind: 'error'; message: string };

/** One exemplar of a series (/api/v1/query_exemplars): its own labels (e.g. trace_id), value and time. */
export interface Exemplar {
  /** The labels of the series it belongs to (a histogram bucket's, with `le`). */
  seriesLabels: Record<string, string>;
  labels: Record<string, string>;
  value: number;
  /** Seconds since the epoch. */
  timestamp: number;
}

export type ExemplarOutcome = { kind: 'exemplars'; exemplars: Exemplar[] } | { kind: 'error'; message: string };

/** One instant-query answer reduced to what an SLI needs. */
export type QueryOutcome =
  | { kind: 'value'; value: number }
  | { kind: 'no-data' }
  | { kind: 'too-many-series'; count: number }
  | { kind: 'error'; message: string };

interface PromResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
}

/** Runs at most `limit` tasks at once, in the order they were asked for. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Client for /api/v1/query. */
export class PrometheusClient {
  readonly url: string;
  readonly #http: AxiosInstance;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #limit: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(options: PrometheusClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#retries = options.retries ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 250;
    this.#limit = createLimiter(Math.max(1, options.concurrency ?? 4));
    this.#http = axios.create({
      baseURL: this.url,
      timeout: this.#timeoutMs,
      // Every status is looked at here: 4xx carry Prometheus' own error text.
      validateStatus: () => true,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    });
  }

  /**
   * The configuration Prometheus runs with (GET /api/v1/status/config), as YAML; undefined when it does not
   * serve it (Thanos, Mimir and others may not) or does not answer within the timeout. One attempt: callers
   * have a fallback.
   */
  async configYaml(): Promise<string | undefined> {
    try {
      const response = await this.#http.get<{ data?: { yaml?: string } }>('/api/v1/status/config');
      return response.status === 200 ? response.data?.data?.yaml : undefined;
    } catch {
      return undefined;
    }
  }

  /** Evaluates a query at one instant (seconds since the epoch); expects one series or a scalar. */
  query(query: string, timeSeconds: number): Promise<QueryOutcome> {
    return this.#limit(() => this.#queryWithRetries(query, timeSeconds, (status, data) => this.#outcome(status, data)));
  }

  /** Evaluates a query at one instant and keeps every series (e.g. `sum by (endpoint) (...)`). */
  queryVector(query: string, timeSeconds: number): Promise<VectorOutcome> {
    return this.#limit(() => this.#queryWithRetries(query, timeSeconds, (status, data) => this.#vector(status, data)));
  }

  /**
   * The exemplars of a selector's series between two instants (seconds); Prometheus must run with
   * --enable-feature=exemplar-storage, else the answer is simply empty.
   */
  exemplars(query: string, startSeconds: number, endSeconds: number): Promise<ExemplarOutcome> {
    const body = new URLSearchParams({ query, start: String(startSeconds), end: String(endSeconds) });
    return this.#limit(() =>
      this.#postWithRetries('/api/v1/query_exemplars', body, (status, data) => this.#exemplars(status, data)),
    );
  }

  #queryWithRetries<T>(
    query: string,
    timeSeconds: number,
    read: (status: number, data: PromResponse | undefined) => T,
  ): Promise<T | { kind: 'error'; message: string }> {
    const body = new URLSearchParams({
      query,
      time: String(timeSeconds),
      timeout: `${Math.max(1, Math.floor(this.#timeoutMs / 1000))}s`,
    });
    return this.#postWithRetries('/api/v1/query', body, read);
  }

  async #postWithRetries<T>(
    path: string,
    body: URLSearchParams,
    read: (status: number, data: PromResponse | undefined) => T,
  ): Promise<T | { kind: 'error'; message: string }> {
    let lastError = '';
    for (let attempt = 0; attempt <= this.#retries; attempt++) {
      if (attempt > 0) {
        const delay = this.#retryDelayMs * 2 ** (attempt - 1);
        await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
      }
      try {
        const response = await this.#http.post<PromResponse>(path, body.toString());
        const transient = response.status >= 500 || response.status === 429;
        if (transient) {
          lastError = `HTTP ${response.status}${response.data?.error ? `: ${response.data.error}` : ''}`;
          continue;
        }
        return read(response.status, response.data);
      } catch (error) {
        // No answer at all (refused, reset, timed out): worth another try.
        lastError = isAxiosError(error) ? (error.code ?? error.message) : (error as Error).message;
        if (isAxiosError(error) && error.code === 'ECONNABORTED') lastError = `timed out after ${this.#timeoutMs} ms`;
      }
    }
    const attempts = this.#retries + 1;
    return {
      kind: 'error',
      message: `Prometheus at ${this.url} did not answer: ${lastError} (${attempts} attempt${attempts === 1 ? '' : 's'})`,
    };
  }

  /** The error text of an answer that is not a successful API response, else undefined. */
  #apiError(status: number, data: PromResponse | undefined): string | undefined {
    if (!data || typeof data !== 'object' || data.status === undefined) {
      return `Prometheus at ${this.url} answered HTTP ${status} without an API response`;
    }
    if (data.status === 'error') return `query failed (${data.errorType ?? `HTTP ${status}`}): ${data.error ?? ''}`;
    return undefined;
  }

  #exemplars(status: number, data: PromResponse | undefined): ExemplarOutcome {
    const problem = this.#apiError(status, data);
    if (problem !== undefined || !data) return { kind: 'error', message: problem ?? 'no answer' };
    const series = (data.data ?? []) as unknown as {
      seriesLabels: Record<string, string>;
      exemplars: { labels: Record<string, string>; value: string; timestamp: number }[];
    }[];
    if (!Array.isArray(series)) return { kind: 'error', message: 'expected a list of series with exemplars' };
    const exemplars = series.flatMap((one) =>
      (one.exemplars ?? []).map((e) => ({
        seriesLabels: one.seriesLabels,
        labels: e.labels,
        value: Number(e.value),
        timestamp: e.timestamp,
      })),
    );
    return { kind: 'exemplars', exemplars };
  }

  #vector(status: number, data: PromResponse | undefined): VectorOutcome {
    const problem = this.#apiError(status, data);
    if (problem !== undefined || !data) return { kind: 'error', message: problem ?? 'no answer' };
    if (data.data?.resultType !== 'vector') {
      return { kind: 'error', message: `expected an instant vector, got a ${data.data?.resultType ?? 'nothing'}` };
    }
    const series = data.data.result as { metric: Record<string, string>; value: [number, string] }[];
    const samples: VectorSample[] = [];
    for (const one of series) {
      const value = sampleValue(one.value[1]);
      if (value.kind === 'value') samples.push({ labels: one.metric, value: value.value });
    }
    return { kind: 'vector', samples };
  }

  #outcome(status: number, data: PromResponse | undefined): QueryOutcome {
    const problem = this.#apiError(status, data);
    if (problem !== undefined || !data) return { kind: 'error', message: problem ?? 'no answer' };
    const result = data.data;
    if (result?.resultType === 'scalar') {
      return sampleValue((result.result as [number, string])[1]);
    }
    if (result?.resultType === 'vector') {
      const series = result.result as { value: [number, string] }[];
      if (series.length === 0) return { kind: 'no-data' };
      if (series.length > 1) return { kind: 'too-many-series', count: series.length };
      return sampleValue(series[0]!.value[1]);
    }
    return {
      kind: 'error',
      message: `expected an instant vector or a scalar, got a ${result?.resultType ?? 'nothing'}`,
    };
  }
}

function sampleValue(text: string): QueryOutcome {
  // Prometheus writes values as strings: "0.25", "NaN", "+Inf", "-Inf".
  if (text === '+Inf' || text === 'Inf') return { kind: 'value', value: Number.POSITIVE_INFINITY };
  if (text === '-Inf') return { kind: 'value', value: Number.NEGATIVE_INFINITY };
  return { kind: 'value', value: Number(text) };
}
