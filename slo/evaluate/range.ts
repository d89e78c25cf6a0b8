// The SLIs over time, for charts: each SLO's queries as Prometheus range queries over the judged window, at the
// scrape resolution. The verdict stays with evaluate.ts (one instant over the whole window); these curves show
// how the run got there.
//
// Each point is the SLI over a short rolling window ending at that point (ROLLING_SCRAPES scrape intervals:
// rate() and increase() need at least two samples inside their range, and four keep one late scrape from
// emptying a point). The budget consumed is cumulative from the window's start:
//
//   bad(start..t)   ~ sum over the points k <= t of bad_k x step / rolling   (each event sits in rolling/step
//   total(start..t) ~ sum of total_k x step / rolling                        overlapping windows)
//   consumed(t)     = (bad / total) / budget x (t - start) / period
//
// which is evaluate.ts' "burn rate x window / period" at every t, so the curve ends near the verdict's figure
// (near, not equal: the first rolling windows reach a little before the start).
import type { PrometheusAccess } from '../../core/prometheus-access.ts';
import { bucketsOf, SERVICE_METRICS } from '../../core/service-metrics.ts';
import { renderQuery, roundSig, type SliUnit, type Slo, type SloModel } from '../model/model.ts';
import { PrometheusClient, type RangeOutcome, type RangeSeries } from './prometheus.ts';

/** Scrape intervals in each point's rolling window. */
export const ROLLING_SCRAPES = 4;
/** At most this many points per curve: a 3 h soak at 1 s would be 10 800; the step grows instead. */
export const MAX_POINTS = 600;

/** One SLO's curves over the window. */
export interface SliSeries {
  name: string;
  kind: 'ratio' | 'threshold';
  unit: SliUnit | 'percent';
  /** What the SLI must satisfy: `sli operator objective`. */
  operator: '<' | '<=' | '>' | '>=';
  objective: number;
  /** [seconds since the epoch, SLI] (percent for ratio SLIs, the query's unit for threshold SLIs). */
  sli: [number, number][];
  /** Ratio SLIs: [seconds, share of the period's error budget consumed since the start, 0-1]. */
  budgetConsumed?: [number, number][];
  /** The range queries as sent. */
  queries: string[];
  /** Why there is no curve (no data, a query error). */
  problem?: string;
}

/** Service curves the reference API's metrics give beyond the SLOs: cache hit rate by level, DB P95 by operation. */
export interface ServiceSeries {
  cacheHitRateByLevel: { level: string; points: [number, number][] }[];
  dbQueryP95ByOperation: { operation: string; points: [number, number][] }[];
  queries: { cache: string[]; db: string };
  problems: string[];
}

/** The window, the resolution and the Prometheus to ask. */
export interface RangeOptions {
  prometheusUrl: string;
  /** Headers, credentials and CA of a secured or multi-tenant Prometheus. */
  prometheusAccess?: PrometheusAccess;
  start: Date;
  end: Date;
  /** Scrape interval of the API job, seconds (the harness' stacks scrape every 1 s). */
  scrapeSeconds: number;
  timeoutMs?: number;
  retries?: number;
}

/** The step and rolling window for a window and scrape interval, in seconds. */
export function resolution(start: Date, end: Date, scrapeSeconds: number): { stepSeconds: number; rollingMs: number } {
  const spanSeconds = (end.getTime() - start.getTime()) / 1000;
  const stepSeconds = Math.max(scrapeSeconds, Math.ceil(spanSeconds / MAX_POINTS));
  return { stepSeconds, rollingMs: Math.max(ROLLING_SCRAPES * scrapeSeconds, 2 * stepSeconds) * 1000 };
}

/** The reference service's queries beside the SLOs (metric names from core/service-metrics.ts). */
export function serviceQueries(rollingMs: number, job = 'mystocks-api') {
  const w = renderQuery('{{window}}', rollingMs);
  const { cacheHits, cacheMisses, dbDuration } = SERVICE_METRICS;
  return {
    // Per level: hits over lookups at that level. Every lookup starts at L1; only L1 misses reach L2.
    cache: ['l1', 'l2'].map((level) => {
      const at = `{job="${job}",level="${level}"}[${w}]`;
      return `sum(rate(${cacheHits}${at})) / (sum(rate(${cacheHits}${at})) + sum(rate(${cacheMisses}${at})))`;
    }),
    db: `histogram_quantile(0.95, sum by (le, operation) (rate(${bucketsOf(dbDuration)}{job="${job}"}[${w}])))`,
  };
}

function clientOf(options: RangeOptions): PrometheusClient {
  return new PrometheusClient({
    url: options.prometheusUrl,
    ...(options.prometheusAccess ? { access: options.prometheusAccess } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    concurrency: 4,
  });
}

/** Every SLO's curves over the window. Never throws for a query problem: that SLO's `problem` says it. */
export async function sliSeries(model: SloModel, options: RangeOptions): Promise<SliSeries[]> {
  const client = clientOf(options);
  const { stepSeconds, rollingMs } = resolution(options.start, options.end, options.scrapeSeconds);
  const startS = options.start.getTime() / 1000;
  const endS = options.end.getTime() / 1000;
  const range = (query: string) => client.queryRange(query, startS, endS, stepSeconds);
  return Promise.all(
    model.slos.map(async (slo): Promise<SliSeries> => {
      if (slo.sli.kind === 'threshold') {
        const query = renderQuery(slo.sli.query, rollingMs);
        const answer = single(await range(query));
        return {
          ...header(slo),
          sli: 'problem' in answer ? [] : finite(answer.points),
          queries: [query],
          ...('problem' in answer ? { problem: answer.problem } : {}),
        };
      }
      const eventRole = slo.sli.good !== undefined ? 'good' : 'bad';
      const eventQuery = renderQuery((slo.sli.good ?? slo.sli.bad)!, rollingMs);
      const totalQuery = renderQuery(slo.sli.total, rollingMs);
      const [events, total] = await Promise.all([range(eventQuery), range(totalQuery)]);
      const e = single(events);
      const t = single(total);
      if ('problem' in e || 'problem' in t) {
        const problem = 'problem' in e ? e.problem : (t as { problem: string }).problem;
        return { ...header(slo), sli: [], budgetConsumed: [], queries: [eventQuery, totalQuery], problem };
      }
      const budget = (100 - slo.objective!) / 100;
      const eventsAt = new Map(e.points);
      const sli: [number, number][] = [];
      const budgetConsumed: [number, number][] = [];
      let badSum = 0;
      let totalSum = 0;
      for (const [time, totalValue] of t.points) {
        const eventValue = eventsAt.get(time);
        if (eventValue === undefined || !Number.isFinite(totalValue) || !Number.isFinite(eventValue)) continue;
        const bad = eventRole === 'bad' ? eventValue : totalValue - eventValue;
        if (totalValue > 0) sli.push([time, roundSig(100 * (1 - bad / totalValue))]);
        badSum += bad;
        totalSum += totalValue;
        if (totalSum > 0) {
          const elapsedMs = (time - startS) * 1000;
          budgetConsumed.push([time, roundSig((badSum / totalSum / budget) * (elapsedMs / slo.windowMs))]);
        }
      }
      return { ...header(slo), sli, budgetConsumed, queries: [eventQuery, totalQuery] };
    }),
  );
}

/** Cache hit rate by level and DB query P95 by operation over the window. */
export async function serviceSeries(options: RangeOptions, job?: string): Promise<ServiceSeries> {
  const client = clientOf(options);
  const { stepSeconds, rollingMs } = resolution(options.start, options.end, options.scrapeSeconds);
  const startS = options.start.getTime() / 1000;
  const endS = options.end.getTime() / 1000;
  const queries = serviceQueries(rollingMs, job);
  const problems: string[] = [];
  const cacheHitRateByLevel: ServiceSeries['cacheHitRateByLevel'] = [];
  const [l1, l2, db] = await Promise.all(
    [...queries.cache, queries.db].map((q) => client.queryRange(q, startS, endS, stepSeconds)),
  );
  for (const [level, outcome] of [
    ['l1', l1!],
    ['l2', l2!],
  ] as const) {
    const answer = single(outcome);
    if ('problem' in answer) problems.push(`cache ${level}: ${answer.problem}`);
    else cacheHitRateByLevel.push({ level, points: finite(answer.points).map(([t, v]) => [t, roundSig(v * 100)]) });
  }
  const dbQueryP95ByOperation: ServiceSeries['dbQueryP95ByOperation'] = [];
  if (db!.kind === 'series') {
    for (const s of db!.series) {
      dbQueryP95ByOperation.push({
        operation: s.labels.operation ?? '(all)',
        points: finite(s.points).map(([t, v]) => [t, roundSig(v * 1000)]),
      });
    }
  } else problems.push(`db P95: ${db!.kind === 'error' ? db!.message : 'no data'}`);
  return { cacheHitRateByLevel, dbQueryP95ByOperation, queries, problems };
}

function header(slo: Slo): Pick<SliSeries, 'name' | 'kind' | 'unit' | 'operator' | 'objective'> {
  return slo.sli.kind === 'threshold'
    ? { name: slo.name, kind: 'threshold', unit: slo.sli.unit, operator: slo.sli.operator, objective: slo.sli.bound }
    : { name: slo.name, kind: 'ratio', unit: 'percent', operator: '>=', objective: slo.objective! };
}

/** The one series an SLI query must give, or why not. */
function single(outcome: RangeOutcome): RangeSeries | { problem: string } {
  if (outcome.kind === 'error') return { problem: outcome.message };
  if (outcome.kind === 'no-data') return { problem: 'no data in the window' };
  if (outcome.series.length > 1) return { problem: `${outcome.series.length} series, expected 1` };
  return outcome.series[0]!;
}

/** NaN (0/0, a quantile of nothing) and infinities are gaps, not points. */
function finite(points: [number, number][]): [number, number][] {
  return points.filter(([, v]) => Number.isFinite(v));
}
