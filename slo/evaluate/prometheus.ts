// A small client for Prometheus' query API (instant queries for verdicts, range queries for charts): a deadline on every attempt that holds from connect to
// the last byte, an optional deadline on the whole run, retries with exponential back-off for transient
// failures only (network errors, 5xx, 429), and one concurrency limit shared by all queries of a run.
// Anything speaking the Prometheus HTTP API (Thanos, Cortex, Mimir, VictoriaMetrics) works.
//
// Secured and multi-tenant Prometheus: `access` adds headers (X-Scope-OrgID), basic auth or a bearer token, a
// CA and a client certificate to every request (core/prometheus-access.ts, the one way a request reaches
// Prometheus); a refusal (401, 403) ends every query of the run at once with a reason naming the status, and no
// message carries a secret.
//
// Why an AbortSignal: a timeout on the wait for the response to begin (or on a quiet socket) does not bound a
// body that trickles in one byte a second; an AbortSignal given to fetch also aborts the body read, so one
// signal per attempt bounds the whole exchange.
//
// An answer is untrusted in size too: its body is read up to `access.maxBodyBytes` (16 MiB by default) and no
// further, every error, warning and info text it carries is cut to MAX_TEXT_CHARS, and at most MAX_ANNOTATIONS
// warnings or infos are kept; a redirect is not followed but is the answer (core/prometheus-access.ts).

import {
  DEFAULT_MAX_BODY_BYTES,
  describeAccess,
  fetchPrometheus,
  formatBytes,
  isRedirect,
  type PrometheusAccess,
  readBody,
  redactSecrets,
  redactUrl,
  redirectTarget,
  refuseUrlCredentials,
} from '../../core/prometheus-access.ts';
import { firstLine } from '../../core/text.ts';
import { formatElapsed } from '../model/units.ts';

/** Options of a Prometheus client. */
export interface PrometheusClientOptions {
  /** Base URL, e.g. http://127.0.0.1:9090 (the API is under /api/v1). */
  url: string;
  /** Per attempt, connect to last byte, in milliseconds (also sent to Prometheus as the query timeout). */
  timeoutMs?: number;
  /** Extra attempts after a transient failure. */
  retries?: number;
  /** First back-off delay; doubled per attempt, with jitter. */
  retryDelayMs?: number;
  /** Queries in flight at once. */
  concurrency?: number;
  /** Aborts every query of the run when it fires (the run's --deadline). */
  signal?: AbortSignal;
  /** Headers, credentials and CA of a secured or multi-tenant Prometheus. */
  access?: PrometheusAccess;
}

/** What Prometheus said besides the data: `warnings` mark a partial answer, `infos` are notes. */
export interface Annotations {
  warnings: string[];
  infos: string[];
}

/**
 * What a question says about the shape of its answer, as far as the harness knows it without reading PromQL:
 * - `any`: a query as a user wrote it. Its answer may be an instant vector (at most one series is read) or a
 *   scalar; only the answer's type and its timestamps are held to the question.
 * - `aggregate`: a query the harness built itself as an aggregation without `by` (`sum(...)`, `count(...)`,
 *   the events query slo/model/model.ts derives from a quantile, `vector(1)`). Such an expression is an
 *   instant vector of at most one series, and that series has no labels: an aggregation without `by`
 *   removes them all, `__name__` included. A scalar, a second series or a label disagrees with the question.
 */
export type AnswerShape = 'any' | 'aggregate';

/** One instant-query answer reduced to what an SLI needs. Every way a query can end is one kind. */
export type QueryOutcome =
  | ({ kind: 'value'; value: number } & Annotations)
  | ({ kind: 'no-data' } & Annotations)
  | ({ kind: 'too-many-series'; count: number } & Annotations)
  | { kind: 'error'; message: string };

/** One series of an instant vector: its labels and value. */
export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

/** An instant-query answer kept as a vector (any number of series), for breakdowns by label. */
export type VectorOutcome = { kind: 'vector'; samples: VectorSample[] } | { kind: 'error'; message: string };

/** One series of a range query: its labels and its samples (seconds since the epoch, value). */
export interface RangeSeries {
  labels: Record<string, string>;
  points: [number, number][];
}

/** One range-query answer: every way it can end is a kind, like {@link QueryOutcome}. */
export type RangeOutcome =
  | { kind: 'series'; series: RangeSeries[] }
  | { kind: 'no-data' }
  | { kind: 'error'; message: string };

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

/** One series of a range selector: its labels and its raw samples as [seconds, value]. */
export interface SeriesSamples {
  labels: Record<string, string>;
  samples: [number, number][];
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

/** The first line of a text, at most 200 characters: enough to recognise an error page or a proxy's answer. */
export function clippedFirstLine(text: string): string {
  const line = firstLine(text.trim());
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

/** The most of one text from Prometheus (an error, a warning, an info) a reason or note carries. */
export const MAX_TEXT_CHARS = 500;
/** The most warnings (and, apart, infos) of one answer that are kept; the rest are counted in one more line. */
export const MAX_ANNOTATIONS = 10;

/**
 * A text from Prometheus as a reason may carry it: at most `max` characters, then how many were left out
 * ("… (49999500 more characters)"), so a 50 MB error string costs a line, not the report.
 */
export function clipText(text: string, max = MAX_TEXT_CHARS): string {
  if (text.length <= max) return text;
  // Never half a surrogate pair: when the last kept character would be a high surrogate, it goes too.
  const cut = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, cut)}… (${text.length - cut} more characters)`;
}

/** Client for /api/v1/query and /api/v1/query_range. */
export class PrometheusClient {
  readonly url: string;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #limit: <T>(task: () => Promise<T>) => Promise<T>;
  readonly #signal: AbortSignal | undefined;
  readonly #access: PrometheusAccess | undefined;
  readonly #maxBodyBytes: number;
  /** The URL as messages show it (core/prometheus-access.ts redactUrl). */
  readonly #shown: string;
  /** Set once a query spent all its attempts without any answer: the queries queued behind it end at once. */
  #unreachable: string | undefined;

  constructor(options: PrometheusClientOptions) {
    // A URL with user:password@ is refused, not used: fetch would refuse it too, naming it whole in its error.
    refuseUrlCredentials('the Prometheus URL', options.url);
    this.url = options.url.replace(/\/+$/, '');
    this.#shown = redactUrl(this.url);
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    if (!(this.#timeoutMs > 0) || !Number.isFinite(this.#timeoutMs)) {
      throw new RangeError(`timeout must be a positive number of milliseconds, got ${this.#timeoutMs}`);
    }
    this.#retries = options.retries ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 250;
    this.#limit = createLimiter(Math.max(1, options.concurrency ?? 4));
    this.#signal = options.signal;
    this.#access = options.access;
    this.#maxBodyBytes = options.access?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** A request with the client's access; every request of the client goes through here. */
  #fetch(path: string, init: Parameters<typeof fetchPrometheus>[1]) {
    return fetchPrometheus(`${this.url}${path}`, init, this.#access);
  }

  /**
   * Evaluates a query at one instant (seconds since the epoch); expects one series or a scalar, stamped with
   * that instant, and of the `shape` the question has (see {@link AnswerShape}).
   */
  query(query: string, timeSeconds: number, shape: AnswerShape = 'any'): Promise<QueryOutcome> {
    const params = instant(query, timeSeconds);
    return this.#limit(() =>
      this.#postWithRetries('/api/v1/query', params, (status, text) =>
        this.#outcome(status, text, Number(params.time), shape),
      ),
    );
  }

  /** Evaluates a query at one instant and keeps every series (e.g. `sum by (endpoint) (...)`). */
  queryVector(query: string, timeSeconds: number): Promise<VectorOutcome> {
    return this.#limit(() =>
      this.#postWithRetries('/api/v1/query', instant(query, timeSeconds), (status, text) => this.#vector(status, text)),
    );
  }

  /**
   * Evaluates a query at every `stepSeconds` from `startSeconds` to `endSeconds` (both included, as Prometheus
   * does); any number of series. Same per-attempt deadline, retries, run signal and concurrency limit as
   * {@link query}.
   */
  queryRange(query: string, startSeconds: number, endSeconds: number, stepSeconds: number): Promise<RangeOutcome> {
    const params = { query, start: String(startSeconds), end: String(endSeconds), step: String(stepSeconds) };
    return this.#limit(() =>
      this.#postWithRetries('/api/v1/query_range', params, (status, text) => this.#rangeOutcome(status, text)),
    );
  }

  /**
   * The configuration Prometheus runs with (GET /api/v1/status/config), as YAML; undefined when it does not
   * serve it (Thanos, Mimir and others may not) or does not answer within the timeout. One attempt: callers
   * have a fallback.
   */
  async configYaml(): Promise<string | undefined> {
    try {
      const response = await this.#fetch('/api/v1/status/config', {
        headers: { Accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const body = await readBody(response, this.#maxBodyBytes);
      if (!('text' in body)) return undefined;
      const data: unknown = JSON.parse(body.text);
      if (response.status !== 200 || !isRecord(data) || !isRecord(data.data)) return undefined;
      return typeof data.data.yaml === 'string' ? data.data.yaml : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every series of an instant vector; values that are not finite numbers (NaN) are left out. */
  #vector(status: number, text: string): VectorOutcome {
    const result = resultOfType(status, text, 'vector');
    if (!Array.isArray(result)) return result;
    const samples: VectorSample[] = [];
    for (const entry of result) {
      if (!isRecord(entry)) continue;
      // Breakdowns for the diagnosis, not the verdict: the sample's time is not held to the question here.
      const value = sampleValue(entry.value, { warnings: [], infos: [] }, undefined);
      if (value.kind === 'value' && !Number.isNaN(value.value)) {
        samples.push({
          labels: isRecord(entry.metric) ? (entry.metric as Record<string, string>) : {},
          value: value.value,
        });
      }
    }
    return { kind: 'vector', samples };
  }

  /**
   * The raw samples of a range selector (`up{job="a"}[5m]`) at one instant: per series, [seconds, value] pairs.
   * Used to see when scrapes happened (coverage), which no instant vector tells.
   */
  samples(selector: string, timeSeconds: number): Promise<SeriesSamples[] | { kind: 'error'; message: string }> {
    return this.#limit(() =>
      this.#postWithRetries('/api/v1/query', instant(selector, timeSeconds), (status, text) =>
        this.#matrix(status, text),
      ),
    );
  }

  #matrix(status: number, text: string): SeriesSamples[] | { kind: 'error'; message: string } {
    const result = resultOfType(status, text, 'matrix');
    if (!Array.isArray(result)) return result;
    const series: SeriesSamples[] = [];
    for (const entry of result) {
      if (!isRecord(entry) || !Array.isArray(entry.values))
        return { kind: 'error', message: 'a series without values' };
      series.push({
        labels: isRecord(entry.metric) ? (entry.metric as Record<string, string>) : {},
        samples: (entry.values as [number, string][]).map(([t, v]) => [Number(t), sampleNumber(v)]),
      });
    }
    return series;
  }

  /** Range-query answer: every series with at least one point; NaN points are kept (a gap in the chart). */
  #rangeOutcome(status: number, text: string): RangeOutcome {
    const matrix = this.#matrix(status, text);
    if (!Array.isArray(matrix)) return matrix;
    const series = matrix
      .map((s): RangeSeries => ({ labels: s.labels, points: s.samples }))
      .filter((s) => s.points.length > 0);
    return series.length === 0 ? { kind: 'no-data' } : { kind: 'series', series };
  }

  /**
   * The exemplars of a selector's series between two instants (seconds); Prometheus must run with
   * --enable-feature=exemplar-storage, else the answer is simply empty.
   */
  exemplars(query: string, startSeconds: number, endSeconds: number): Promise<ExemplarOutcome> {
    const params = { query, start: String(startSeconds), end: String(endSeconds) };
    return this.#limit(() =>
      this.#postWithRetries('/api/v1/query_exemplars', params, (status, text) => this.#exemplars(status, text)),
    );
  }

  #exemplars(status: number, text: string): ExemplarOutcome {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { kind: 'error', message: `HTTP ${status} with a body that is not JSON: "${clippedFirstLine(text)}"` };
    }
    if (!isRecord(data) || data.status !== 'success' || !Array.isArray(data.data)) {
      const error = isRecord(data) && typeof data.error === 'string' ? clipText(data.error) : clippedFirstLine(text);
      return { kind: 'error', message: `exemplar query failed: ${error}` };
    }
    const exemplars: Exemplar[] = [];
    for (const series of data.data as unknown[]) {
      if (!isRecord(series) || !Array.isArray(series.exemplars)) continue;
      const seriesLabels = isRecord(series.seriesLabels) ? (series.seriesLabels as Record<string, string>) : {};
      for (const e of series.exemplars as unknown[]) {
        if (!isRecord(e)) continue;
        const value = Number(e.value);
        const timestamp = Number(e.timestamp);
        if (!Number.isFinite(value) || !Number.isFinite(timestamp)) continue;
        exemplars.push({
          seriesLabels,
          labels: isRecord(e.labels) ? (e.labels as Record<string, string>) : {},
          value,
          timestamp,
        });
      }
    }
    return { kind: 'exemplars', exemplars };
  }

  /** POSTs `params` to an API path (query, query_range, query_exemplars) with the per-attempt deadline and retries. */
  async #postWithRetries<T>(
    path: string,
    params: Record<string, string>,
    read: (status: number, text: string) => T,
  ): Promise<T | { kind: 'error'; message: string }> {
    const answer = await this.#postAttempts(path, params, read);
    // Whatever a server or proxy echoed back, a credential never leaves the client in a message.
    if (isRecord(answer) && answer.kind === 'error' && typeof answer.message === 'string') {
      return { ...answer, message: redactSecrets(answer.message, this.#access) } as typeof answer;
    }
    return answer;
  }

  async #postAttempts<T>(
    path: string,
    params: Record<string, string>,
    read: (status: number, text: string) => T,
  ): Promise<T | { kind: 'error'; message: string }> {
    // A stalled endpoint must end the check within timeout x attempts, not that times the queries queued
    // behind the concurrency limit: once one query got no answer at all, the rest do not try again.
    if (this.#unreachable !== undefined) return { kind: 'error', message: this.#unreachable };
    const body = new URLSearchParams({
      ...params,
      timeout: `${Math.max(1, Math.floor(this.#timeoutMs / 1000))}s`,
    }).toString();
    let lastError = '';
    let attempts = 0;
    for (let attempt = 0; attempt <= this.#retries; attempt++) {
      if (this.#signal?.aborted) break;
      if (attempt > 0) {
        const delay = this.#retryDelayMs * 2 ** (attempt - 1);
        await sleep(delay * (0.5 + Math.random() / 2), this.#signal);
        if (this.#signal?.aborted) break;
      }
      attempts++;
      const attemptSignal = AbortSignal.timeout(this.#timeoutMs);
      const signal = this.#signal ? AbortSignal.any([attemptSignal, this.#signal]) : attemptSignal;
      try {
        const response = await this.#fetch(path, {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          signal,
        });
        const refused = await this.#refusal(response, path);
        if (refused !== undefined) {
          // No retry and no other query will do better, so the run's queries all end with this reason.
          this.#unreachable = refused;
          return { kind: 'error', message: refused };
        }
        // The body read is under the same signal: a trickling answer is cut at the attempt's deadline; and at
        // the size cap: an answer larger than any the harness asks for is not read on (no retry gets a smaller one).
        const answer = await readBody(response, this.#maxBodyBytes);
        if ('tooLarge' in answer) {
          const { limitBytes, declaredBytes } = answer.tooLarge;
          const declared = declaredBytes === undefined ? '' : ` (Content-Length ${declaredBytes})`;
          return {
            kind: 'error',
            message: `Prometheus at ${this.#shown} answered HTTP ${response.status} with more than ${formatBytes(limitBytes)}${declared}, more than any query of the harness needs; the rest was not read (the limit is --prometheus-max-body or HARNESS_PROMETHEUS_MAX_BODY, default ${formatBytes(DEFAULT_MAX_BODY_BYTES)})`,
          };
        }
        const text = answer.text;
        const transient = response.status >= 500 || response.status === 429;
        if (transient) {
          lastError = `HTTP ${response.status}: ${errorText(text)}`;
          continue;
        }
        return read(response.status, text);
      } catch (error) {
        // No whole answer (refused, reset, timed out): worth another try, unless the run's deadline passed.
        if (this.#signal?.aborted) break;
        lastError = attemptSignal.aborted
          ? `no complete answer within ${this.#timeoutMs} ms`
          : describeNetworkError(error as Error, {
              https: this.url.startsWith('https:'),
              clientCert: this.#access?.clientCert !== undefined,
            });
      }
    }
    return this.#noAnswer(lastError, attempts);
  }

  /**
   * Why an answer ends every query of the run, or undefined: a redirect (not followed, core/prometheus-access.ts
   * says why, and every query would get the same) or a refusal (401, 403). The body is not read.
   */
  async #refusal(response: Awaited<ReturnType<typeof fetchPrometheus>>, path: string): Promise<string | undefined> {
    if (isRedirect(response.status)) {
      await response.body?.cancel();
      return `Prometheus at ${this.#shown} answered HTTP ${response.status} redirecting to ${redirectTarget(response, `${this.url}${path}`)}; the harness follows no redirect (it would carry the tenant header and credentials to another origin): give the URL Prometheus answers at with --prometheus or PROMETHEUS_URL`;
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      const credentials = this.#access?.basicAuth !== undefined || this.#access?.bearerToken !== undefined;
      const sent = credentials ? `sent ${describeAccess(this.#access)}` : 'no credentials were sent';
      return `Prometheus at ${this.#shown} refused the request: HTTP ${response.status} ${response.status === 401 ? 'Unauthorized' : 'Forbidden'} (${sent}; check --prometheus-basic-auth-file, --prometheus-bearer-token-file, --prometheus-header or their HARNESS_PROMETHEUS_* variables)`;
    }
    return undefined;
  }

  /**
   * The error after the last attempt: the run's deadline, a server that kept failing (5xx, 429), or no answer at
   * all, which also ends the run's other queries (#unreachable).
   */
  #noAnswer(lastError: string, attempts: number): { kind: 'error'; message: string } {
    if (this.#signal?.aborted) {
      return { kind: 'error', message: `Prometheus at ${this.#shown}: the check's deadline passed before an answer` };
    }
    const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
    if (lastError.startsWith('HTTP ')) {
      return { kind: 'error', message: `Prometheus at ${this.#shown} kept failing: ${lastError} (${tries})` };
    }
    const message = `Prometheus at ${this.#shown} did not answer: ${lastError} (${tries})`;
    this.#unreachable = message;
    return { kind: 'error', message };
  }

  /**
   * An instant query's answer, held to the question: `askedSeconds` is the `time` sent, `shape` what the
   * question's expression can answer. Every part that can disagree with the question is checked (status,
   * result type, series count and labels, each sample's time and value); a disagreement is an error naming
   * what was asked and what came back. Fields nobody asked about (VictoriaMetrics' `stats`, `isPartial: false`,
   * anything a proxy adds) are left alone.
   */
  #outcome(status: number, text: string, askedSeconds: number, shape: AnswerShape): QueryOutcome {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return {
        kind: 'error',
        message: `Prometheus at ${this.#shown} answered HTTP ${status} with a body that is not JSON: "${clippedFirstLine(text)}"`,
      };
    }
    if (!isRecord(data) || typeof data.status !== 'string') {
      return {
        kind: 'error',
        message: `Prometheus at ${this.#shown} answered HTTP ${status} without an API response: "${clippedFirstLine(text)}"`,
      };
    }
    if (data.status === 'error') {
      const type = typeof data.errorType === 'string' ? data.errorType : `HTTP ${status}`;
      const error = typeof data.error === 'string' ? clipText(data.error) : '';
      return { kind: 'error', message: `query failed (${clipText(type, 100)}): ${error}` };
    }
    if (data.status !== 'success') {
      return {
        kind: 'error',
        message: `Prometheus answered status "${clippedFirstLine(String(data.status))}", not success`,
      };
    }
    if (status < 200 || status >= 300) {
      return { kind: 'error', message: `Prometheus answered HTTP ${status}: "${clippedFirstLine(text)}"` };
    }
    const annotations: Annotations = {
      warnings: annotationList(data.warnings, 'warnings'),
      infos: annotationList(data.infos, 'infos'),
    };
    // A VictoriaMetrics cluster answers from the storage nodes that replied and says so with `isPartial: true`
    // (a single node always says false): the same partial answer as Prometheus' warnings, so the same policy.
    if (data.isPartial === true) annotations.warnings.push(PARTIAL_WARNING);
    const result = isRecord(data.data) ? data.data : undefined;
    if (result?.resultType === 'scalar') {
      if (shape === 'aggregate') {
        return { kind: 'error', message: `asked for ${AGGREGATE}, got a scalar` };
      }
      return sampleValue(result.result, annotations, askedSeconds);
    }
    if (result?.resultType === 'vector') {
      if (!Array.isArray(result.result)) return { kind: 'error', message: 'the vector answer has no result list' };
      const series = result.result as unknown[];
      if (series.length === 0) return { kind: 'no-data', ...annotations };
      if (series.length > 1) {
        return shape === 'aggregate'
          ? { kind: 'error', message: `asked for ${AGGREGATE}, got ${series.length} series` }
          : { kind: 'too-many-series', count: series.length, ...annotations };
      }
      const only = series[0];
      if (!isRecord(only)) {
        return { kind: 'error', message: `the series is not an object: ${clippedFirstLine(JSON.stringify(only))}` };
      }
      const labels = isRecord(only.metric) ? Object.keys(only.metric) : [];
      if (shape === 'aggregate' && labels.length > 0) {
        return { kind: 'error', message: `asked for ${AGGREGATE}, got a series labelled ${labelText(only.metric)}` };
      }
      // A native histogram's sample is {"histogram": [time, {...}]}, no "value": not the number asked for.
      if (only.value === undefined && only.histogram !== undefined) {
        return {
          kind: 'error',
          message:
            'asked for a number, got a native histogram sample (read it with histogram_quantile, histogram_count or histogram_sum)',
        };
      }
      return sampleValue(only.value, annotations, askedSeconds);
    }
    const type = typeof result?.resultType === 'string' ? `a ${result.resultType}` : 'no result type';
    return { kind: 'error', message: `expected an instant vector or a scalar, got ${type}` };
  }
}

/** What the harness's own aggregations answer (see {@link AnswerShape}), as reasons name it. */
const AGGREGATE = "at most one series without labels (the harness's own aggregation without by)";

/** The warning an answer marked `isPartial: true` carries. */
const PARTIAL_WARNING = 'isPartial: true (VictoriaMetrics answered without some of its storage nodes)';

/**
 * The `data.result` list of a successful answer of `resultType` (a vector or a matrix), or the error the query
 * ends with: a body that is not JSON, a failed query (in Prometheus's own words where it gave them) or another
 * result type.
 */
function resultOfType(
  status: number,
  text: string,
  resultType: 'vector' | 'matrix',
): unknown[] | { kind: 'error'; message: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'error', message: `HTTP ${status} with a body that is not JSON: "${clippedFirstLine(text)}"` };
  }
  if (!isRecord(data) || data.status !== 'success' || !isRecord(data.data)) {
    const error = isRecord(data) && typeof data.error === 'string' ? clipText(data.error) : clippedFirstLine(text);
    return { kind: 'error', message: `query failed: ${error}` };
  }
  if (data.data.resultType !== resultType || !Array.isArray(data.data.result)) {
    const expected = resultType === 'vector' ? 'an instant vector' : 'a range vector';
    return { kind: 'error', message: `expected ${expected}, got ${String(data.data.resultType)}` };
  }
  return data.data.result;
}

/** A series' labels as PromQL writes them: {job="api",instance="a:1"}. */
function labelText(metric: unknown): string {
  if (!isRecord(metric)) return '{}';
  const pairs = Object.entries(metric).map(([name, value]) => `${name}=${JSON.stringify(String(value))}`);
  return clippedFirstLine(`{${pairs.join(',')}}`);
}

/**
 * The form fields of an instant query. The time is sent in whole milliseconds, Prometheus' own resolution, so
 * the time an answer must carry is exactly the time sent.
 */
function instant(query: string, timeSeconds: number): Record<string, string> {
  return { query, time: (Math.round(timeSeconds * 1000) / 1000).toFixed(3) };
}

/**
 * How far a sample's time may lie from the time asked, in milliseconds. Prometheus rounds `time` to the
 * millisecond and stamps every sample of an instant query with it; VictoriaMetrics truncates
 * seconds x 1000 computed in floating point (1700000000.123 x 1000 may give ...122.99999), which can land one
 * millisecond below. Anything further is an answer for another instant: a cache's or a proxy's.
 */
const TIME_TOLERANCE_MS = 1;

/**
 * [time, "value"] -> a value; Prometheus writes values as strings: "0.25", "NaN", "+Inf", "-Inf". The time
 * must be the one asked (see TIME_TOLERANCE_MS), unless `askedSeconds` is undefined.
 */
function sampleValue(sample: unknown, annotations: Annotations, askedSeconds: number | undefined): QueryOutcome {
  if (
    !Array.isArray(sample) ||
    sample.length !== 2 ||
    typeof sample[0] !== 'number' ||
    !Number.isFinite(sample[0]) ||
    typeof sample[1] !== 'string'
  ) {
    const shown = sample === undefined ? 'the series has no value' : clippedFirstLine(JSON.stringify(sample));
    return { kind: 'error', message: `the sample is not [time, "value"]: ${shown}` };
  }
  const stamped = sample[0];
  const offMs = askedSeconds === undefined ? 0 : stamped * 1000 - askedSeconds * 1000;
  if (askedSeconds !== undefined && Math.abs(offMs) > TIME_TOLERANCE_MS) {
    const off = `${formatElapsed(Math.abs(offMs))} ${offMs < 0 ? 'earlier' : 'later'}`;
    return {
      kind: 'error',
      message: `asked at ${isoOf(askedSeconds)} (time=${askedSeconds}), got a sample stamped ${isoOf(stamped)} (time=${stamped}, ${off}): an answer for another instant, e.g. a cache's or a proxy's`,
    };
  }
  const text = sample[1];
  let value: number;
  if (text === '+Inf' || text === 'Inf') value = Number.POSITIVE_INFINITY;
  else if (text === '-Inf') value = Number.NEGATIVE_INFINITY;
  else if (text === 'NaN') value = Number.NaN;
  else if (text.trim() === '' || Number.isNaN(Number(text))) {
    return { kind: 'error', message: `the sample value "${clippedFirstLine(text)}" is not a number` };
  } else value = Number(text);
  return { kind: 'value', value, ...annotations };
}

/** Seconds since the epoch as ISO 8601, or the number as written when no date holds it. */
function isoOf(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

/** A sample's value text as a number: "+Inf" and "-Inf" as infinities (Number() reads them as NaN). */
function sampleNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An answer's warnings or infos: each cut to MAX_TEXT_CHARS, at most MAX_ANNOTATIONS, then how many more. */
function annotationList(value: unknown, what: 'warnings' | 'infos'): string[] {
  if (!Array.isArray(value)) return [];
  const kept = value
    .slice(0, MAX_ANNOTATIONS)
    .map((item) => clipText(typeof item === 'string' ? item : String(JSON.stringify(item))));
  const more = value.length - MAX_ANNOTATIONS;
  return more > 0 ? [...kept, `… (${more} more ${what})`] : kept;
}

/** Prometheus' own error text from a JSON error body, else the body's first line. */
function errorText(text: string): string {
  try {
    const data: unknown = JSON.parse(text);
    if (isRecord(data) && typeof data.error === 'string') return clipText(data.error);
  } catch {
    // not JSON: a proxy's page, shown by its first line
  }
  return `"${clippedFirstLine(text)}"`;
}

/**
 * undici wraps the socket error in `cause`; its code (ECONNREFUSED) is what a user recognises. A TLS failure
 * (an untrusted or mismatched certificate) says so in words, with the way to give the CA. A server that
 * requires a client certificate and got none closes the connection after the TLS 1.3 handshake, and undici
 * reports only "other side closed": over https without a client certificate, that gets the mutual-TLS hint.
 */
function describeNetworkError(error: Error, connection: { https: boolean; clientCert: boolean }): string {
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (/CERT|UNABLE_TO_|^ERR_TLS|^ERR_SSL|HOSTNAME/.test(code)) {
    return `TLS failed: ${cause?.message ?? code} (${code}); give the server's CA with --prometheus-ca-file or HARNESS_PROMETHEUS_CA_FILE`;
  }
  if (code === 'UND_ERR_SOCKET' && connection.https && !connection.clientCert) {
    return `the server closed the connection (${cause?.message ?? code}, ${code}); if it requires mutual TLS, give a client certificate with --prometheus-cert-file and --prometheus-key-file (or HARNESS_PROMETHEUS_CERT_FILE and HARNESS_PROMETHEUS_KEY_FILE)`;
  }
  return cause?.code ?? cause?.message ?? error.message;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
