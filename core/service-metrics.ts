// The reference service's metric names, in one place: the SLO charts (slo/evaluate/range.ts), the Grafana
// dashboard (slo/dashboard), the diagnosis (diagnose/) and the saturation read-out (load/saturation.ts) all
// name the series they ask for from here. Here in core/ because slo/ and load/ and diagnose/ all read them
// and core/ is the one layer each may import. The service's own metrics are its contract (docs/metrics.md,
// snapshot in reference-api/src/plugins/app/metrics.expected.txt); the process ones are prom-client's default
// metrics, which the service's registry also serves. core/service-metrics.test.ts holds every name here to
// what the service's registry serves.
//
// Names only: the PromQL that reads them, and the job they are scraped as (stack/prometheus-config.ts
// API_JOB, or a deployment's `--job`), belong to each reader.

/** The service's own metric families (counter names with their `_total`, histograms without a suffix). */
export const SERVICE_METRICS = {
  /** Histogram of request latency, seconds: {endpoint, method, status_code}. */
  httpDuration: 'http_request_duration_seconds',
  /** Counter of answered requests: {endpoint, method, status_code}. */
  httpTotal: 'http_requests_total',
  /** Counter of requests over the service's slow threshold: {endpoint, method}. */
  httpSlow: 'slow_http_requests_total',
  /** Counters of cache lookups per level (l1, l2): {level}. */
  cacheHits: 'cache_hits_total',
  cacheMisses: 'cache_misses_total',
  /** Gauge, 1 while the Redis (L2) circuit breaker is open. */
  cacheBreakerOpen: 'cache_l2_breaker_open',
  /** Histogram of database statement latency, seconds: {operation}. */
  dbDuration: 'db_query_duration_seconds',
  /** Counter of statements over the service's slow threshold: {operation}. */
  dbSlow: 'slow_db_queries_total',
  /** Gauge of queries waiting for a pooled PostgreSQL connection. */
  dbPoolWaiting: 'db_pool_waiting_requests',
} as const;

/** prom-client's default process metrics that the harness reads (every Node service that collects them has them). */
export const PROCESS_METRICS = {
  /** Counter of the process's CPU seconds (user + system). */
  cpuSeconds: 'process_cpu_seconds_total',
  /** Gauge of the event loop's delay P99 over prom-client's sampling, seconds. */
  eventLoopLagP99: 'nodejs_eventloop_lag_p99_seconds',
} as const;

/** A histogram's bucket series (`http_request_duration_seconds_bucket`). */
export function bucketsOf(histogram: string): string {
  return `${histogram}_bucket`;
}

/**
 * The bucket bounds (`le`, seconds) of the service's histograms, so an SLO's latency bound can be checked to be
 * one (slo/spec/schema.ts): a bound between two buckets would select no series. core/service-metrics.test.ts
 * holds them to the service's registry.
 */
export const SERVICE_HISTOGRAM_BUCKETS: Readonly<Record<string, readonly number[]>> = {
  [SERVICE_METRICS.httpDuration]: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10],
  [SERVICE_METRICS.dbDuration]: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
};
