// The service's Prometheus metrics, names and labels exactly as DESIGN.md gives them. One registry per app
// (not prom-client's global one), so several apps in one test process never collide.

import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, type OpenMetricsContentType, Registry } from 'prom-client';
import { clusterMetricsSource, inClusterWorker, workerLabel } from '../../cluster.ts';
import type { AppConfig } from '../../config.ts';
import { sampledTraceId } from './tracing.ts';

/** Requests slower than this count in slow_http_requests_total. */
export const SLOW_HTTP_SECONDS = 0.3;
/** Queries slower than this count in slow_db_queries_total. */
export const SLOW_DB_SECONDS = 0.1;
/** `endpoint` label of requests that matched no route (keeps cardinality bounded). */
export const UNMATCHED_ENDPOINT = 'unmatched';

/** Every metric the service exports besides the default process metrics. */
export interface Metrics {
  registry: Registry<OpenMetricsContentType>;
  httpDuration: Histogram<'endpoint' | 'method' | 'status_code'>;
  httpTotal: Counter<'endpoint' | 'method' | 'status_code'>;
  httpActive: Gauge<'endpoint' | 'method'>;
  httpSlow: Counter<'endpoint' | 'method'>;
  cacheHits: Counter<'level'>;
  cacheMisses: Counter<'level'>;
  cacheEvictions: Counter<'level'>;
  breakerOpen: Gauge;
  dbDuration: Histogram<'operation'>;
  dbSlow: Counter<'operation'>;
  passwordHashes: Counter;
  passwordHashesRejected: Counter;
  untrustedForwardedFor: Counter;
}

export function createMetrics(): Metrics {
  // OpenMetrics: the only exposition format that carries exemplars (the trace id of a request in a bucket),
  // which the stacks' Prometheus keeps (--enable-feature=exemplar-storage).
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  // In a cluster, process metrics (CPU, event-loop lag, memory) stay per worker; everything else is summed.
  const label = workerLabel();
  collectDefaultMetrics({ register: registry, ...(label ? { labels: label } : {}) });
  const registers = [registry];
  const metrics: Metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route template, method and status code',
      labelNames: ['endpoint', 'method', 'status_code'],
      // 0.1 and 0.3 are SLO boundaries (P95 <= 300 ms); keep them exact bucket edges.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10],
      enableExemplars: true,
      registers,
    }),
    httpTotal: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route template, method and status code',
      labelNames: ['endpoint', 'method', 'status_code'],
      registers,
    }),
    httpActive: new Gauge({
      name: 'http_requests_active',
      help: 'HTTP requests in flight',
      labelNames: ['endpoint', 'method'],
      registers,
    }),
    httpSlow: new Counter({
      name: 'slow_http_requests_total',
      help: `HTTP requests slower than ${SLOW_HTTP_SECONDS * 1000} ms`,
      labelNames: ['endpoint', 'method'],
      registers,
    }),
    cacheHits: new Counter({
      name: 'cache_hits_total',
      help: 'Cache hits by level (l1 in-memory LRU, l2 Redis)',
      labelNames: ['level'],
      registers,
    }),
    cacheMisses: new Counter({
      name: 'cache_misses_total',
      help: 'Cache misses by level; an L2 read skipped because the breaker is open or Redis failed counts as a miss',
      labelNames: ['level'],
      registers,
    }),
    cacheEvictions: new Counter({
      name: 'cache_evictions_total',
      help: 'l1: entries pushed out of the LRU by its size bound; l2: L2 reads that found gone (expired or evicted by Redis) an entry this instance had written',
      labelNames: ['level'],
      registers,
    }),
    breakerOpen: new Gauge({
      name: 'cache_l2_breaker_open',
      help: '1 while the circuit breaker in front of Redis is open or half-open, else 0',
      registers,
    }),
    dbDuration: new Histogram({
      name: 'db_query_duration_seconds',
      help: 'PostgreSQL query duration by operation name',
      labelNames: ['operation'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    dbSlow: new Counter({
      name: 'slow_db_queries_total',
      help: `PostgreSQL queries slower than ${SLOW_DB_SECONDS * 1000} ms`,
      labelNames: ['operation'],
      registers,
    }),
    passwordHashes: new Counter({
      name: 'password_hashes_total',
      help: 'Password hashes (scrypt) started: login checks, registrations and rehashes',
      registers,
    }),
    passwordHashesRejected: new Counter({
      name: 'password_hashes_rejected_total',
      help: 'Logins and registrations answered 503 at once because every password-hash slot and queue place was taken',
      registers,
    }),
    untrustedForwardedFor: new Counter({
      name: 'untrusted_forwarded_for_total',
      help: 'Requests whose X-Forwarded-For was ignored because their sender is not a trusted proxy (MYSTOCKS_TRUST_PROXY)',
      registers,
    }),
  };
  // Labels known up front are initialised, so a dashboard sees 0 rather than no series.
  for (const level of ['l1', 'l2']) {
    metrics.cacheHits.inc({ level }, 0);
    metrics.cacheMisses.inc({ level }, 0);
    metrics.cacheEvictions.inc({ level }, 0);
  }
  return metrics;
}

/** The `endpoint` label: the route template, or `unmatched` (never the raw URL). */
export function endpointOf(request: FastifyRequest): string {
  return request.is404 ? UNMATCHED_ENDPOINT : (request.routeOptions.url ?? UNMATCHED_ENDPOINT);
}

const counted = Symbol('metricsCounted');
type Tracked = FastifyRequest & {
  [counted]?: { endpoint: string; method: string; start: number; traceId: string | undefined };
};

/**
 * HTTP metrics hooks on the app's root instance. Registered first, so the time every later hook takes (faults,
 * auth) is inside the measured duration. Scrapes are not counted: they reach the metrics listener
 * (buildMetricsServer), never these hooks, so a scrape a second cannot dilute the latency and availability SLIs.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRequest', async (request) => {
    const endpoint = endpointOf(request);
    const labels = { endpoint, method: request.method };
    // The trace is read here, inside the request's context (onResponse may run outside it).
    (request as Tracked)[counted] = { ...labels, start: performance.now(), traceId: sampledTraceId() };
    metrics.httpActive.inc(labels);
  });
  const finish = (request: FastifyRequest, statusCode: number) => {
    const tracked = (request as Tracked)[counted];
    if (tracked === undefined) return;
    (request as Tracked)[counted] = undefined;
    const labels = { endpoint: tracked.endpoint, method: tracked.method };
    const seconds = (performance.now() - tracked.start) / 1000;
    metrics.httpActive.dec(labels);
    const full = { ...labels, status_code: String(statusCode) };
    metrics.httpTotal.inc(full);
    // With exemplars on, prom-client's histogram takes only the object form. A sampled request's trace id is
    // kept as the exemplar of its bucket, so a slow bucket points at one trace that explains it.
    // prom-client types exemplar labels with the metric's own label names; an exemplar's are its own (trace_id).
    const exemplarLabels = tracked.traceId === undefined ? {} : { trace_id: tracked.traceId };
    metrics.httpDuration.observe({
      labels: full,
      value: seconds,
      exemplarLabels: exemplarLabels as Record<'endpoint', string>,
    });
    if (seconds > SLOW_HTTP_SECONDS) metrics.httpSlow.inc(labels);
  };
  app.addHook('onResponse', async (request, reply) => finish(request, reply.statusCode));
  // A client that hangs up gets no onResponse; count it as 499 (nginx's "client closed request").
  app.addHook('onRequestAbort', async (request) => finish(request, 499));
}

/** What the metrics listener takes of the app's configuration: the same deadlines on a client as the app port. */
export type MetricsServerOptions = Pick<
  AppConfig,
  | 'requestTimeoutMs'
  | 'headersTimeoutMs'
  | 'keepAliveTimeoutMs'
  | 'connectionTimeoutMs'
  | 'connectionsCheckingIntervalMs'
> & { logger: FastifyBaseLogger };

/**
 * The metrics listener: a Fastify instance of its own serving GET /metrics and nothing else, for server.ts to
 * listen on MYSTOCKS_METRICS_HOST:MYSTOCKS_METRICS_PORT (loopback by default). The app port has no /metrics: the
 * exposition lists every endpoint, Node's version, memory and pool gauges and trace-id exemplars, which are the
 * operator's, not a visitor's (docs/security.md, L2). A separate port is what a Prometheus user expects of a
 * service (a scrape target of its own, reachable from the monitoring network only).
 */
export function buildMetricsServer(metrics: Metrics, options: MetricsServerOptions): FastifyInstance {
  const server = Fastify({
    loggerInstance: options.logger,
    // A scrape a second would fill the log; errors (an aggregation that failed) are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024,
    requestTimeout: options.requestTimeoutMs,
    connectionTimeout: options.connectionTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    http: { connectionsCheckingInterval: options.connectionsCheckingIntervalMs },
  });
  server.server.headersTimeout = options.headersTimeoutMs;
  // One worker of several answers for all of them: the primary aggregates every worker's registry.
  // The primary's aggregation is the classic text format without exemplars (prom-client's AggregatorRegistry
  // sums values only and renders that format), so in a cluster /metrics answers it whatever the client asks:
  // every scraper accepts it (Prometheus lists text/plain;version=0.0.4 in its Accept). One process negotiates.
  const inCluster = inClusterWorker();
  const aggregate = inCluster ? clusterMetricsSource(metrics.registry as unknown as Registry) : undefined;
  server.get('/metrics', async (request, reply) => {
    if (aggregate !== undefined) {
      reply.header('content-type', Registry.PROMETHEUS_CONTENT_TYPE);
      return aggregate();
    }
    const contentType = exposition(request.headers.accept);
    reply.header('content-type', contentType).header('vary', 'accept');
    return renderMetrics(metrics.registry, contentType);
  });
  return server;
}

type ExpositionType = typeof Registry.OPENMETRICS_CONTENT_TYPE | typeof Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * The exposition format an Accept header asks for: OpenMetrics (the only one with exemplars) when the client
 * prefers `application/openmetrics-text`, else the classic Prometheus text format (no header, `text/plain`,
 * the wildcard range alone, or OpenMetrics preferred less). Each media range's weight is its `q` (1 when absent, RFC 9110
 * §12.5.1); a type takes the weight of its most specific matching range (an exact type over `type/` + wildcard
 * over the wildcard range). OpenMetrics wins only with a weight above zero and strictly above the text format's, so a tie (the
 * wildcard range alone) gives the classic format. Prometheus 2 with exemplar storage sends
 * `application/openmetrics-text;version=1.0.0,` ... `,text/plain;version=0.0.4;q=0.5,` (wildcard) `;q=0.1`:
 * OpenMetrics.
 */
export function exposition(accept: string | undefined): ExpositionType {
  const weight = (type: string, subtype: string): number => {
    let best = { specificity: -1, q: 0 };
    for (const range of (accept ?? '').split(',')) {
      const [media = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
      const [rangeType, rangeSubtype] = media.split('/');
      const specificity =
        rangeType === type && rangeSubtype === subtype
          ? 2
          : rangeType === type && rangeSubtype === '*'
            ? 1
            : rangeType === '*' && rangeSubtype === '*'
              ? 0
              : -1;
      if (specificity < 0) continue;
      const qParam = params.find((param) => param.startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      const weighted = { specificity, q: Number.isFinite(q) ? q : 0 };
      // The most specific range decides; among equally specific ones (two OpenMetrics versions), the highest q.
      if (specificity > best.specificity || (specificity === best.specificity && weighted.q > best.q)) best = weighted;
    }
    return best.q;
  };
  const openMetrics = weight('application', 'openmetrics-text');
  return openMetrics > 0 && openMetrics > weight('text', 'plain')
    ? Registry.OPENMETRICS_CONTENT_TYPE
    : Registry.PROMETHEUS_CONTENT_TYPE;
}

/**
 * The registry's metrics in one exposition format, rendered through a registry of views made for this answer.
 * Rendering the registry itself in OpenMetrics renames its counters for good (prom-client's Registry.metrics()
 * strips `_total` from each counter's `name` so the family line reads `# TYPE x counter` and samples `x_total`),
 * and a later classic answer, or a cluster worker's JSON for the aggregate, would then say `x` instead of
 * `x_total`. A view carries a name of its own and hands out the metric's values under it; the metric is never
 * touched. Concurrent scrapes in different formats each get their own views, so neither sees the other's name.
 */
export function renderMetrics(
  registry: Registry<OpenMetricsContentType>,
  contentType: ExpositionType,
): Promise<string> {
  const view = new Registry<ExpositionType>();
  view.setContentType(contentType);
  for (const metric of registry.getMetricsAsArray() as unknown as PromClientMetric[]) {
    const name = metric.name;
    const own: PromClientMetric = {
      name,
      help: metric.help,
      type: metric.type,
      aggregator: metric.aggregator,
      // Registry.metrics() may replace `own.name` (OpenMetrics, counters) before reading the values.
      get: async () => ({ ...(await metric.get()), name: own.name }),
    };
    if (metric.getForPromString !== undefined) {
      const forText = metric.getForPromString.bind(metric);
      own.getForPromString = async () => ({ ...(await forText()), name: own.name });
    }
    view.registerMetric(own as unknown as Parameters<Registry['registerMetric']>[0]);
  }
  return view.metrics();
}

/**
 * What Registry.metrics() reads of a registered metric (prom-client's runtime shape; its typings name only the
 * metric classes). `getForPromString` is the histogram's (its values with exemplars).
 */
interface PromClientMetric {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  get(): Promise<{ name: string } & Record<string, unknown>>;
  getForPromString?: () => Promise<{ name: string } & Record<string, unknown>>;
}
