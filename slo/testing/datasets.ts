// The data sets of the SLO tests, each one hour of samples every 60 s, laid side by side in one TSDB so a
// single Prometheus serves them all. Each phase is evaluated at its end over exactly one hour: the range
// [end - 1h, end] then holds the first and the last sample (Prometheus 2.x ranges include both ends), so
// increase() and rate() need no extrapolation and give exact numbers (rate = increase / 3600).
//
// Figures per phase (increase over the hour):
//   healthy:    up 61 of 61 scrapes; requests 200: 9990, 404: 5, 500: 5; latency buckets (cumulative)
//               0.05: 6000, 0.1: 9000, 0.3: 10000, 0.5/1/+Inf: 10000; cache hits l1 700, l2 150, misses l1 300,
//               l2 150; db buckets 0.005: 200, 0.01: 500, 0.05: 900, 0.1/0.25/+Inf: 1000
//   unhealthy:  up 60 of 61 (one scrape failed); requests 200: 9900, 500: 100; latency 0.05: 5000,
//               0.1: 7000, 0.3: 9000, 0.5: 9800, 1/+Inf: 10000; cache hits l1 500, l2 200, misses l1 500,
//               l2 300; db 0.005: 100, 0.01: 300, 0.05: 600, 0.1: 800, 0.25/+Inf: 1000
//   flat:       up 61 of 61, every counter and bucket unchanged: ratios are 0/0, quantiles NaN
//   empty:      nothing at all
import type { Family } from './backfill.ts';

/** 2023-11-14T22:00:00Z: a fixed hour in the past. */
export const T0 = 1_699_999_200;
export const HOUR = 3600;

/** Evaluation instants (end of each phase), in seconds. Each phase is [end - 1h, end]. */
export const PHASES = {
  healthy: T0 + HOUR,
  unhealthy: T0 + 3 * HOUR,
  flat: T0 + 5 * HOUR,
  empty: T0 + 7 * HOUR,
} as const;

export type Phase = keyof typeof PHASES;

const JOB = { job: 'mystocks-api', instance: 'api:3000' };
const ROUTE = { endpoint: '/api/market/overview', method: 'GET' };

/** 61 samples over the hour ending at `end`, rising from `base` to `base + increase` in whole steps. */
export function counter(end: number, increase: number, base = 1000): [number, number][] {
  return Array.from({ length: 61 }, (_, k) => [end - HOUR + k * 60, base + Math.floor((increase * k) / 60)]);
}

interface PhaseFigures {
  up: number[]; // 61 values
  requests: Record<string, number>; // status code -> increase
  latency: Record<string, number>; // le -> cumulative increase
  cacheHits: Record<'l1' | 'l2', number>;
  cacheMisses: Record<'l1' | 'l2', number>;
  db: Record<string, number>;
}

const FIGURES: Record<Exclude<Phase, 'empty'>, PhaseFigures> = {
  healthy: {
    up: Array(61).fill(1),
    requests: { '200': 9990, '404': 5, '500': 5 },
    latency: { '0.05': 6000, '0.1': 9000, '0.3': 10000, '0.5': 10000, '1': 10000, '+Inf': 10000 },
    cacheHits: { l1: 700, l2: 150 },
    cacheMisses: { l1: 300, l2: 150 },
    db: { '0.005': 200, '0.01': 500, '0.05': 900, '0.1': 1000, '0.25': 1000, '+Inf': 1000 },
  },
  unhealthy: {
    up: Array.from({ length: 61 }, (_, k) => (k === 30 ? 0 : 1)),
    requests: { '200': 9900, '500': 100 },
    latency: { '0.05': 5000, '0.1': 7000, '0.3': 9000, '0.5': 9800, '1': 10000, '+Inf': 10000 },
    cacheHits: { l1: 500, l2: 200 },
    cacheMisses: { l1: 500, l2: 300 },
    db: { '0.005': 100, '0.01': 300, '0.05': 600, '0.1': 800, '0.25': 1000, '+Inf': 1000 },
  },
  flat: {
    up: Array(61).fill(1),
    requests: { '200': 0, '500': 0 },
    latency: { '0.05': 0, '0.1': 0, '0.3': 0, '0.5': 0, '1': 0, '+Inf': 0 },
    cacheHits: { l1: 0, l2: 0 },
    cacheMisses: { l1: 0, l2: 0 },
    db: { '0.005': 0, '0.1': 0, '+Inf': 0 },
  },
};

/** The metric families of all phases (the reference service's names and labels). */
export function referenceFamilies(): Family[] {
  const up: Family = { name: 'up', type: 'gauge', series: [] };
  const requests: Family = { name: 'http_requests', type: 'counter', series: [] };
  const latency: Family = { name: 'http_request_duration_seconds', type: 'histogram', series: [] };
  const hits: Family = { name: 'cache_hits', type: 'counter', series: [] };
  const misses: Family = { name: 'cache_misses', type: 'counter', series: [] };
  const db: Family = { name: 'db_query_duration_seconds', type: 'histogram', series: [] };
  // One series per label set, its samples from every phase in time order (gaps between phases).
  const add = (family: Family, name: string, labels: Record<string, string>, samples: [number, number][]) => {
    const key = JSON.stringify([name, labels]);
    const existing = family.series.find((series) => JSON.stringify([series.name, series.labels]) === key);
    if (existing) existing.samples.push(...samples);
    else family.series.push({ name, labels, samples: [...samples] });
  };
  for (const phase of ['healthy', 'unhealthy', 'flat'] as const) {
    const end = PHASES[phase];
    const figures = FIGURES[phase];
    add(
      up,
      'up',
      JOB,
      figures.up.map((value, k) => [end - HOUR + k * 60, value]),
    );
    for (const [code, increase] of Object.entries(figures.requests)) {
      add(requests, 'http_requests_total', { ...JOB, ...ROUTE, status_code: code }, counter(end, increase));
    }
    const histogram = (family: Family, labels: Record<string, string>, buckets: Record<string, number>) => {
      for (const [le, increase] of Object.entries(buckets)) {
        add(family, `${family.name}_bucket`, { ...labels, le }, counter(end, increase));
      }
      add(family, `${family.name}_count`, labels, counter(end, buckets['+Inf']!));
      add(family, `${family.name}_sum`, labels, counter(end, 0));
    };
    histogram(latency, { ...JOB, ...ROUTE, status_code: '200' }, figures.latency);
    for (const level of ['l1', 'l2'] as const) {
      add(hits, 'cache_hits_total', { ...JOB, level }, counter(end, figures.cacheHits[level]));
      add(misses, 'cache_misses_total', { ...JOB, level }, counter(end, figures.cacheMisses[level]));
    }
    histogram(db, { ...JOB, operation: 'select' }, figures.db);
  }
  return [up, requests, latency, hits, misses, db];
}
