// Where a failed SLO's bad events came from: the SLO's own series broken down per endpoint and method (or per
// database operation) over the judged window, each row ranked by its share of the SLO's bad events.
//
// Bad events per SLO kind:
//   latency (a quantile of http_request_duration_seconds against a bound, or the share of its requests within a
//     bucket's bound): requests slower than the bound. From cumulative buckets: count - bucket(le = bound). A
//     bound between two bucket edges is interpolated linearly inside its bucket, the same assumption
//     histogram_quantile makes.
//   errors (a ratio whose bad events are 5xx answers of http_requests_total): the 5xx answers.
//   db latency (a quantile of db_query_duration_seconds): queries slower than the bound, per `operation`.
// A row's contribution = its bad events / all bad events of the window (0-1); rows are ranked by it, then by
// request count.

import { bucketsOf, SERVICE_METRICS } from '../core/service-metrics.ts';
import type { SloResult } from '../slo/evaluate/evaluate.ts';
import type { PrometheusClient, VectorSample } from '../slo/evaluate/prometheus.ts';
import { roundSig } from '../slo/model/model.ts';
import { bucketBound, matcherText, readSelectors, type SelectorRead } from '../slo/model/promql.ts';
import { formatValue } from '../slo/model/units.ts';
import { type BreakdownSpec, breakdownQueries, QUANTILES } from './queries.ts';

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

/** The queries of a result that tell its focus: what kind of SLO it is and what it asked (SloResult's own). */
export type FocusInput = Pick<SloResult, 'kind' | 'queries'>;

/**
 * The focus and breakdown spec of a result; `{ problem }` when its series are the service's but cannot be
 * read as one focus; undefined when this SLO's series are none the diagnosis breaks down (the cache hit rate).
 * Read from the PromQL syntax tree of the query that states the SLI (slo/model/promql.ts readSelectors),
 * never from its text, so matchers in any order, `job='x'`, `job=~"x"`, `rate` or `increase` and a selector
 * split over lines read alike:
 *   latency     a threshold SLI whose value query selects `http_request_duration_seconds_bucket`, or a ratio
 *               SLI whose good (or bad) query does, with one `le` (a `latency` SLI: the share of requests
 *               within that bucket, whose bound it returns: the SLO's objective is a percentage);
 *   db-latency  a threshold SLI whose value query selects `db_query_duration_seconds_bucket`;
 *   errors      a ratio SLI whose bad query selects `http_requests_total` with a `status_code` matcher
 *               (`=` or `=~`) whose value starts with 5 (`"5.."`, `"500"`).
 * The breakdown's queries carry the job matchers of those selectors, as read (`job=~"x"` stays a regex, a
 * `job!="x"` stays an exclusion); selectors that disagree on them are a problem, not a guess of one job.
 */
export function readFocus(
  result: FocusInput,
): { focus: Focus; spec: BreakdownSpec; bound?: number } | { problem: string } | undefined {
  // A ratio states its events as bad or as good (a latency SLI: the requests within the bound).
  const role = result.kind === 'threshold' ? 'value' : result.queries.some((q) => q.role === 'bad') ? 'bad' : 'good';
  const query = result.queries.find((q) => q.role === role)?.query;
  if (query === undefined) return undefined;
  const read = readSelectors(query);
  if ('syntaxError' in read) return { problem: `its ${role} query ${read.syntaxError}` };
  const reading = (metric: string) => read.selectors.filter((selector) => selector.metric === metric);
  const httpBuckets = reading(bucketsOf(SERVICE_METRICS.httpDuration));
  const dbBuckets = reading(bucketsOf(SERVICE_METRICS.dbDuration));
  const serverErrors = reading(SERVICE_METRICS.httpTotal).filter((selector) =>
    selector.matchers.some(
      (m) => m.label === 'status_code' && (m.op === '=' || m.op === '=~') && m.value.startsWith('5'),
    ),
  );
  let focus: Focus;
  let selectors: SelectorRead[];
  let ratioBound: number | undefined;
  if (result.kind === 'threshold' && httpBuckets.length > 0 && dbBuckets.length > 0) {
    return {
      problem: `its value query reads both ${bucketsOf(SERVICE_METRICS.httpDuration)} and ${bucketsOf(SERVICE_METRICS.dbDuration)}`,
    };
  } else if (result.kind === 'threshold' && httpBuckets.length > 0) {
    [focus, selectors] = ['latency', httpBuckets];
  } else if (result.kind === 'threshold' && dbBuckets.length > 0) {
    [focus, selectors] = ['db-latency', dbBuckets];
  } else if (result.kind === 'ratio' && serverErrors.length > 0) {
    // Every http_requests_total selector of the bad query, 5xx or not: the job they read is the SLO's.
    [focus, selectors] = ['errors', reading(SERVICE_METRICS.httpTotal)];
  } else if (result.kind === 'ratio' && httpBuckets.length > 0) {
    const read = bucketBound(query);
    if ('problem' in read) return { problem: `its ${role} query ${read.problem}` };
    [focus, selectors, ratioBound] = ['latency', httpBuckets, read.bound];
  } else {
    return undefined;
  }
  const jobs = [
    ...new Set(
      selectors.map((selector) =>
        selector.matchers
          .filter((m) => m.label === 'job')
          .map(matcherText)
          .sort()
          .join(','),
      ),
    ),
  ];
  if (jobs.length > 1) {
    const shown = jobs.map((job) => (job === '' ? '(no job matcher)' : job)).join('; ');
    return {
      problem: `its ${selectors[0]!.metric} selectors read different jobs (${shown}), so no one job is broken down`,
    };
  }
  const selector = jobs[0] ?? '';
  if (focus === 'db-latency') {
    return {
      focus,
      spec: { histogram: SERVICE_METRICS.dbDuration, by: ['operation'], selector, slowCounter: SERVICE_METRICS.dbSlow },
    };
  }
  return {
    focus,
    spec: {
      by: ['endpoint', 'method'],
      selector,
      slowCounter: SERVICE_METRICS.httpSlow,
      histogram: SERVICE_METRICS.httpDuration,
      statusCounter: SERVICE_METRICS.httpTotal,
    },
    ...(ratioBound === undefined ? {} : { bound: ratioBound }),
  };
}

/** The focus and breakdown spec of a result, or undefined when this SLO's series cannot be broken down (readFocus). */
export function focusOf(result: FocusInput): { focus: Focus; spec: BreakdownSpec } | undefined {
  const read = readFocus(result);
  return read === undefined || 'problem' in read ? undefined : read;
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
  const target = readFocus(result);
  if (target === undefined || 'problem' in target) {
    return {
      slo: result.name,
      focus: null,
      window: result.window,
      by: [],
      rows: [],
      culprits: [],
      problem:
        target === undefined
          ? 'this SLO’s series carry no endpoint or operation labels to break down'
          : `cannot tell which series to break down: ${target.problem}`,
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
  // A threshold's objective is its bound; a latency ratio's objective is a percentage, its bound the bucket's.
  const bound = focus === 'errors' ? undefined : (target.bound ?? result.objective);
  const failed = [buckets, slow, errors, ...quantiles].find((outcome) => outcome?.kind === 'error');
  if (buckets.kind === 'error' || failed?.kind === 'error') {
    const message = buckets.kind === 'error' ? buckets.message : failed?.kind === 'error' ? failed.message : '';
    return { ...base, ...(bound === undefined ? {} : { bound }), rows: [], culprits: [], problem: message };
  }

  const rows = rankByContribution(
    breakdownRows(
      spec.by,
      {
        buckets: buckets.samples,
        slow: slow.kind === 'vector' ? slow.samples : undefined,
        errors: errors?.kind === 'vector' ? errors.samples : undefined,
        quantiles: quantiles.map((q) => (q.kind === 'vector' ? q.samples : undefined)),
      },
      bound,
    ),
    focus,
  );
  return {
    ...base,
    ...(bound === undefined ? {} : { bound }),
    rows,
    culprits: culpritLines(rows, focus, bound),
    ...(rows.length === 0 ? { problem: 'no requests in the window' } : {}),
  };
}

/** The breakdown's answers, per series: cumulative buckets, slow counts, 5xx counts (error SLOs) and QUANTILES. */
interface BreakdownAnswers {
  buckets: VectorSample[];
  slow: VectorSample[] | undefined;
  errors: VectorSample[] | undefined;
  quantiles: (VectorSample[] | undefined)[];
}

/**
 * One row per value of the `by` labels that served any request in the window, its contribution not yet set;
 * `errors` and `errorShare` where 5xx counts were asked, `aboveBound` where there is a bound.
 */
function breakdownRows(by: string[], answers: BreakdownAnswers, bound: number | undefined): BreakdownRow[] {
  const key = (labels: Record<string, string>) => JSON.stringify(by.map((name) => labels[name] ?? ''));
  const pick = (labels: Record<string, string>) => Object.fromEntries(by.map((name) => [name, labels[name] ?? '']));
  const byKey = (samples: VectorSample[] | undefined) => new Map((samples ?? []).map((s) => [key(s.labels), s.value]));
  const cumulative = new Map<string, { labels: Record<string, string>; edges: [number, number][] }>();
  for (const sample of answers.buckets) {
    const k = key(sample.labels);
    const entry = cumulative.get(k) ?? { labels: pick(sample.labels), edges: [] };
    entry.edges.push([Number(sample.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : sample.labels.le), sample.value]);
    cumulative.set(k, entry);
  }
  const slowByKey = byKey(answers.slow);
  const errorsByKey = answers.errors === undefined ? undefined : byKey(answers.errors);
  const quantileByKey = answers.quantiles.map(byKey);

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
  return rows;
}

/** Each row's share of the bad events of the focus (5xx, or above the bound), rows sorted by it, then by count. */
function rankByContribution(rows: BreakdownRow[], focus: Focus): BreakdownRow[] {
  const badOf = (row: BreakdownRow) => (focus === 'errors' ? (row.errors ?? 0) : (row.aboveBound ?? 0));
  const totalBad = rows.reduce((sum, row) => sum + badOf(row), 0);
  for (const row of rows) row.contribution = totalBad > 0 ? roundSig(badOf(row) / totalBad) : 0;
  return rows.sort((a, b) => b.contribution - a.contribution || b.count - a.count);
}

/** The rows to blame, in words: those that answered 5xx, or whose P95 is above the bound. */
function culpritLines(rows: BreakdownRow[], focus: Focus, bound: number | undefined): string[] {
  return focus === 'errors'
    ? rows
        .filter((row) => (row.errors ?? 0) > 0)
        .map((row) => `${rowName(row.labels)} answered ${row.errors} 5xx of ${row.count} requests`)
    : rows
        .filter((row) => row.p95 !== null && bound !== undefined && row.p95 > bound)
        .map(
          (row) =>
            `${rowName(row.labels)}: P95 ${formatValue(row.p95, 'seconds')} is above the bound ${formatValue(bound, 'seconds')}`,
        );
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
