// Where a failed SLO's bad events came from: the SLO's own series broken down per endpoint and method (or per
// database operation) over the judged window, each row ranked by its share of the SLO's bad events.
//
// Bad events per SLO kind:
//   latency (a quantile of http_request_duration_seconds against a bound): requests slower than the bound.
//     From cumulative buckets: count - bucket(le = bound). A bound between two bucket edges is interpolated
//     linearly inside its bucket, the same assumption histogram_quantile makes.
//   errors (a ratio whose bad events are 5xx answers of http_requests_total): the 5xx answers.
//   db latency (a quantile of db_query_duration_seconds): queries slower than the bound, per `operation`.
// A row's contribution = its bad events / all bad events of the window (0-1); rows are ranked by it, then by
// request count.
import type { SloResult } from '../slo/evaluate/evaluate.ts';
import type { PrometheusClient, VectorSample } from '../slo/evaluate/prometheus.ts';
import { roundSig } from '../slo/model/model.ts';
import { formatValue } from '../slo/report/format.ts';
import { type BreakdownSpec, breakdownQueries, METRIC, QUANTILES } from './queries.ts';

/** What kind of bad events a failed SLO counts. */
export type Focus = 'latency' | 'errors' | 'db-latency';

/** One endpoint+method (or database operation) over the window. */
export interface BreakdownRow {
  /** The row's labels, e.g. { endpoint: '/api/market/quotes', method: 'GET' } or { operation: 'quotes.latest' }. */
  labels: Record<string, string>;
  /** Requests (or queries) in the window. */
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** 5xx answers and their share of the row's requests (HTTP rows only). */
  errors?: number;
  errorShare?: number | null;
  /** Over the service's slow threshold (slow_http_requests_total / slow_db_queries_total). */
  slow: number;
  /** Latency SLOs: requests slower than the SLO's bound. */
  aboveBound?: number;
  /** This row's share of the SLO's bad events in the window (0-1). */
  contribution: number;
}

/** The breakdown of one failed SLO. */
export interface SloBreakdown {
  slo: string;
  /** Null when the SLO's series carry no labels to break down by (e.g. the cache hit rate). */
  focus: Focus | null;
  window: string;
  /** The labels a row is keyed by. */
  by: string[];
  /** Latency SLOs: the bound in seconds. */
  bound?: number;
  /** Every row, ranked by contribution (largest first). */
  rows: BreakdownRow[];
  /** The rows to blame, in plain words: endpoints whose P95 is above the bound, or that answered 5xx. */
  culprits: string[];
  /** Why the breakdown is empty or partial (a query failed, nothing in the window). */
  problem?: string;
}

/** The focus and breakdown spec of a result, or undefined when this SLO's series cannot be broken down. */
export function focusOf(result: SloResult): { focus: Focus; spec: BreakdownSpec } | undefined {
  const query = result.queries.map((q) => q.query).join('\n');
  const job = /job\s*=\s*"([^"]+)"/.exec(query)?.[1];
  const selector = job === undefined ? '' : `job="${job}"`;
  const http = { by: ['endpoint', 'method'], selector, slowCounter: METRIC.httpSlow, histogram: METRIC.httpDuration };
  if (result.kind === 'threshold' && query.includes(`${METRIC.httpDuration}_bucket`)) {
    return { focus: 'latency', spec: { ...http, statusCounter: METRIC.httpTotal } };
  }
  if (result.kind === 'threshold' && query.includes(`${METRIC.dbDuration}_bucket`)) {
    return {
      focus: 'db-latency',
      spec: { histogram: METRIC.dbDuration, by: ['operation'], selector, slowCounter: METRIC.dbSlow },
    };
  }
  const bad = result.queries.find((q) => q.role === 'bad')?.query ?? '';
  if (result.kind === 'ratio' && bad.includes(METRIC.httpTotal) && /status_code\s*=~\s*"5/.test(bad)) {
    return { focus: 'errors', spec: { ...http, statusCounter: METRIC.httpTotal } };
  }
  return undefined;
}

/** A row's name for people: "GET /api/market/quotes" or "quotes.latest". */
export function rowName(labels: Record<string, string>): string {
  if (labels.endpoint !== undefined) return `${labels.method ?? ''} ${labels.endpoint}`.trim();
  return labels.operation ?? JSON.stringify(labels);
}

/**
 * What drove a failed SLO, in a few words for the verdict sentence: the top-ranked row and its share of the
 * bad events ("GET /api/market/quotes, 96 % of the requests over 300 ms"). Undefined when nothing can be
 * blamed (no focus, a failed query, or no bad event in any row).
 */
export function drivingRow(breakdown: SloBreakdown): string | undefined {
  const top = breakdown.rows[0];
  if (!top || breakdown.focus === null || breakdown.problem || !(top.contribution > 0)) return undefined;
  const share = formatValue(Math.round(top.contribution * 100), 'percent');
  const bound = breakdown.bound === undefined ? '' : formatValue(breakdown.bound, 'seconds');
  const what =
    breakdown.focus === 'errors'
      ? 'the 5xx answers'
      : breakdown.focus === 'db-latency'
        ? `the queries over ${bound}`
        : `the requests over ${bound}`;
  return `${rowName(top.labels)}, ${share} of ${what}`;
}

/**
 * Breaks one failed SLO down over its window at `seconds`. Never throws for a query problem: the breakdown
 * carries it in `problem`, since a diagnosis must not change the verdict.
 */
export async function breakDown(client: PrometheusClient, result: SloResult, seconds: number): Promise<SloBreakdown> {
  const target = focusOf(result);
  if (target === undefined) {
    return {
      slo: result.name,
      focus: null,
      window: result.window,
      by: [],
      rows: [],
      culprits: [],
      problem: 'this SLO’s series carry no endpoint or operation labels to break down',
    };
  }
  const { focus, spec } = target;
  const queries = breakdownQueries(spec, result.window);
  const [buckets, slow, errors, ...quantiles] = await Promise.all([
    client.queryVector(queries.buckets, seconds),
    client.queryVector(queries.slow, seconds),
    queries.errors === undefined ? Promise.resolve(undefined) : client.queryVector(queries.errors, seconds),
    ...QUANTILES.map((q) => client.queryVector(queries.quantile(q), seconds)),
  ]);
  const base = { slo: result.name, focus, window: result.window, by: spec.by };
  const bound = focus === 'errors' ? undefined : result.objective;
  const failed = [buckets, slow, errors, ...quantiles].find((outcome) => outcome?.kind === 'error');
  if (buckets.kind === 'error' || failed?.kind === 'error') {
    const message = buckets.kind === 'error' ? buckets.message : failed?.kind === 'error' ? failed.message : '';
    return { ...base, ...(bound === undefined ? {} : { bound }), rows: [], culprits: [], problem: message };
  }

  const key = (labels: Record<string, string>) => JSON.stringify(spec.by.map((name) => labels[name] ?? ''));
  const pick = (labels: Record<string, string>) =>
    Object.fromEntries(spec.by.map((name) => [name, labels[name] ?? '']));
  const byKey = (samples: VectorSample[] | undefined) => new Map((samples ?? []).map((s) => [key(s.labels), s.value]));
  const cumulative = new Map<string, { labels: Record<string, string>; edges: [number, number][] }>();
  for (const sample of buckets.samples) {
    const k = key(sample.labels);
    const entry = cumulative.get(k) ?? { labels: pick(sample.labels), edges: [] };
    entry.edges.push([Number(sample.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : sample.labels.le), sample.value]);
    cumulative.set(k, entry);
  }
  const slowByKey = byKey(slow.kind === 'vector' ? slow.samples : undefined);
  const errorsByKey = errors?.kind === 'vector' ? byKey(errors.samples) : undefined;
  const quantileByKey = quantiles.map((q) => byKey(q.kind === 'vector' ? q.samples : undefined));

  // increase() extrapolates to the window's edges, so real counts come back fractional (25.2177...): counts
  // are rounded to whole events, which is what they stand for.
  const whole = (value: number) => Math.max(0, Math.round(value));
  const rows: BreakdownRow[] = [];
  for (const [k, { labels, edges }] of cumulative) {
    edges.sort((a, b) => a[0] - b[0]);
    const count = whole(edges.at(-1)?.[1] ?? 0);
    if (!(count > 0)) continue; // nothing served in the window: not a row
    const quantile = (i: number) => {
      const value = quantileByKey[i]!.get(k);
      return value === undefined || Number.isNaN(value) ? null : roundSig(value);
    };
    const row: BreakdownRow = {
      labels,
      count,
      p50: quantile(0),
      p95: quantile(1),
      p99: quantile(2),
      slow: whole(slowByKey.get(k) ?? 0),
      contribution: 0,
    };
    if (errorsByKey !== undefined) {
      row.errors = whole(errorsByKey.get(k) ?? 0);
      row.errorShare = roundSig(row.errors / count);
    }
    if (bound !== undefined) row.aboveBound = whole(edges.at(-1)![1] - countAtOrBelow(edges, bound));
    rows.push(row);
  }
  const badOf = (row: BreakdownRow) => (focus === 'errors' ? (row.errors ?? 0) : (row.aboveBound ?? 0));
  const totalBad = rows.reduce((sum, row) => sum + badOf(row), 0);
  for (const row of rows) row.contribution = totalBad > 0 ? roundSig(badOf(row) / totalBad) : 0;
  rows.sort((a, b) => b.contribution - a.contribution || b.count - a.count);

  const culprits =
    focus === 'errors'
      ? rows
          .filter((row) => (row.errors ?? 0) > 0)
          .map((row) => `${rowName(row.labels)} answered ${row.errors} 5xx of ${row.count} requests`)
      : rows
          .filter((row) => row.p95 !== null && bound !== undefined && row.p95 > bound)
          .map(
            (row) =>
              `${rowName(row.labels)}: P95 ${formatValue(row.p95, 'seconds')} is above the bound ${formatValue(bound, 'seconds')}`,
          );
  return {
    ...base,
    ...(bound === undefined ? {} : { bound }),
    rows,
    culprits,
    ...(rows.length === 0 ? { problem: 'no requests in the window' } : {}),
  };
}

/**
 * Observations at or below `bound` from cumulative buckets [le, count] sorted by le. Between two edges the
 * count is interpolated linearly, as histogram_quantile assumes observations spread evenly inside a bucket.
 */
export function countAtOrBelow(edges: [number, number][], bound: number): number {
  let previous: [number, number] = [0, 0];
  for (const edge of edges) {
    if (edge[0] === bound) return edge[1];
    if (edge[0] > bound) {
      if (!Number.isFinite(edge[0])) return previous[1];
      return previous[1] + ((edge[1] - previous[1]) * (bound - previous[0])) / (edge[0] - previous[0]);
    }
    previous = edge;
  }
  return previous[1];
}
