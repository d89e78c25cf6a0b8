// One hour of a failing run with three endpoints and two database operations, for the breakdown tests: its
// figures are written out here so every expected number can be computed by hand. It lies after the SLO data
// sets' phases (slo/testing/datasets.ts), so one backfilled Prometheus can hold both.
//
// Increases over the hour (cumulative buckets, le in seconds):
//   GET  /api/market/quotes    200: 1000   0.005: 0   0.05: 100   0.1: 200   0.3: 400   0.5: 900   1/+Inf: 1000
//                              slow (> 300 ms): 600
//   GET  /api/market/overview  200: 7960   0.005: 0   0.05: 6960  0.1/+Inf: 7960
//                              500:   40   0.005/+Inf: 40;  slow: 0
//   POST /api/auth/login       200: 1000   0.005: 0   0.05: 0     0.1: 900   0.3: 980   0.5/1/+Inf: 1000
//                              slow: 20
//   db quotes.latest     1000   0.005: 0   0.01: 100   0.05: 300   0.1: 500   0.25: 900   0.5/+Inf: 1000; slow: 500
//   db market.overview   1000   0.005: 900 0.01/+Inf: 1000; slow: 0
import type { Family } from '../../slo/testing/backfill.ts';
import { counter, HOUR, T0 } from '../../slo/testing/datasets.ts';

/** End of the failing hour (seconds); it is evaluated over [end - 1h, end]. */
export const FAILING_END = T0 + 9 * HOUR;

const JOB = { job: 'mystocks-api', instance: 'api:3000' };
const QUOTES = { endpoint: '/api/market/quotes', method: 'GET' };
const OVERVIEW = { endpoint: '/api/market/overview', method: 'GET' };
const LOGIN = { endpoint: '/api/auth/login', method: 'POST' };

/** The bounds (le, seconds) this data set gives the HTTP and database histograms: a few of the service's. */
const HTTP_LE = ['0.005', '0.05', '0.1', '0.3', '0.5', '1', '+Inf'];
const DB_LE = ['0.005', '0.01', '0.05', '0.1', '0.25', '0.5', '+Inf'];
/** A histogram's cumulative increases, one per bound of `bounds`, in its order. */
const buckets = (bounds: string[], ...increases: number[]): Record<string, number> =>
  Object.fromEntries(bounds.map((le, i) => [le, increases[i]!]));

const HTTP: { route: Record<string, string>; status: string; buckets: Record<string, number> }[] = [
  { route: QUOTES, status: '200', buckets: buckets(HTTP_LE, 0, 100, 200, 400, 900, 1000, 1000) },
  { route: OVERVIEW, status: '200', buckets: buckets(HTTP_LE, 0, 6960, 7960, 7960, 7960, 7960, 7960) },
  { route: OVERVIEW, status: '500', buckets: buckets(HTTP_LE, 40, 40, 40, 40, 40, 40, 40) },
  { route: LOGIN, status: '200', buckets: buckets(HTTP_LE, 0, 0, 900, 980, 1000, 1000, 1000) },
];
const SLOW_HTTP: [Record<string, string>, number][] = [
  [QUOTES, 600],
  [OVERVIEW, 0],
  [LOGIN, 20],
];
const DB: [string, Record<string, number>, number][] = [
  ['quotes.latest', buckets(DB_LE, 0, 100, 300, 500, 900, 1000, 1000), 500],
  ['market.overview', buckets(DB_LE, 900, 1000, 1000, 1000, 1000, 1000, 1000), 0],
];

/** The failing hour's metric families (the reference service's names and labels). */
export function failingHourFamilies(): Family[] {
  const end = FAILING_END;
  const up: Family = {
    name: 'up',
    type: 'gauge',
    series: [{ name: 'up', labels: JOB, samples: Array.from({ length: 61 }, (_, k) => [end - HOUR + k * 60, 1]) }],
  };
  const requests: Family = { name: 'http_requests', type: 'counter', series: [] };
  const latency: Family = { name: 'http_request_duration_seconds', type: 'histogram', series: [] };
  const slowHttp: Family = { name: 'slow_http_requests', type: 'counter', series: [] };
  const db: Family = { name: 'db_query_duration_seconds', type: 'histogram', series: [] };
  const slowDb: Family = { name: 'slow_db_queries', type: 'counter', series: [] };
  const histogram = (family: Family, labels: Record<string, string>, buckets: Record<string, number>) => {
    for (const [le, increase] of Object.entries(buckets)) {
      family.series.push({ name: `${family.name}_bucket`, labels: { ...labels, le }, samples: counter(end, increase) });
    }
    family.series.push({ name: `${family.name}_count`, labels, samples: counter(end, buckets['+Inf']!) });
    family.series.push({ name: `${family.name}_sum`, labels, samples: counter(end, 0) });
  };
  for (const { route, status, buckets } of HTTP) {
    const labels = { ...JOB, ...route, status_code: status };
    requests.series.push({ name: 'http_requests_total', labels, samples: counter(end, buckets['+Inf']!) });
    histogram(latency, labels, buckets);
  }
  for (const [route, increase] of SLOW_HTTP) {
    slowHttp.series.push({
      name: 'slow_http_requests_total',
      labels: { ...JOB, ...route },
      samples: counter(end, increase),
    });
  }
  for (const [operation, buckets, slow] of DB) {
    histogram(db, { ...JOB, operation }, buckets);
    slowDb.series.push({ name: 'slow_db_queries_total', labels: { ...JOB, operation }, samples: counter(end, slow) });
  }
  return [up, requests, latency, slowHttp, db, slowDb];
}
