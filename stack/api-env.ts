import { HARNESS_API_ENV, type StackOptions } from './types.ts';

/** Where the reference API listens and what it talks to, as seen from inside wherever it runs. */
export interface ApiPlacement {
  /** 127.0.0.1 for a local process; 0.0.0.0 inside a container, so the published port reaches it. */
  host: string;
  port: number;
  /**
   * The metrics listener (GET /metrics; the app port has none, docs/security.md L2): 127.0.0.1 for a local
   * process; 0.0.0.0 inside a container, so Prometheus reaches it over the stack's network (no port published).
   */
  metricsHost: string;
  metricsPort: number;
  databaseUrl: string;
  /** Absent: the service runs on its L1 cache only. */
  redisUrl?: string | undefined;
  /** LOG_LEVEL of the service; its own default when absent. */
  logLevel?: string | undefined;
  /**
   * OTLP/HTTP base URL of the run's span receiver (stack/otlp/receiver.ts), as the service reaches it. The
   * receiver takes protobuf and JSON; the stacks set JSON, the encoding the tracing overhead in
   * docs/performance.md was measured with. Absent: the service exports no spans.
   */
  otlpEndpoint?: string | undefined;
}

/**
 * The reference API's environment (docs/api.md), the one place both stack modes build it: listen address,
 * stores, faults (MYSTOCKS_FAULTS, always set so a fault-free run is explicit), the admin token when the run
 * uses /admin/faults, where its spans go, the harness's own settings (HARNESS_API_ENV), then `options.apiEnv`, which wins (tests use it to provoke a failed start).
 * The metrics listener's address is part of the listen address (MYSTOCKS_METRICS_HOST, MYSTOCKS_METRICS_PORT).
 * This is all the API gets of the harness: a container gets exactly this, a local process this over an
 * allow-list of the harness's environment (stack/local/service-env.ts), never the harness's credentials.
 */
export function apiEnvironment(
  placement: ApiPlacement,
  options: Pick<StackOptions, 'faults' | 'faultsAdminToken' | 'apiEnv'>,
): Record<string, string> {
  return {
    HOST: placement.host,
    PORT: String(placement.port),
    MYSTOCKS_METRICS_HOST: placement.metricsHost,
    MYSTOCKS_METRICS_PORT: String(placement.metricsPort),
    DATABASE_URL: placement.databaseUrl,
    MYSTOCKS_FAULTS: JSON.stringify(options.faults ?? []),
    ...(placement.redisUrl === undefined ? {} : { REDIS_URL: placement.redisUrl }),
    ...(placement.logLevel === undefined ? {} : { LOG_LEVEL: placement.logLevel }),
    ...(placement.otlpEndpoint === undefined
      ? {}
      : { OTEL_EXPORTER_OTLP_ENDPOINT: placement.otlpEndpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }),
    ...(options.faultsAdminToken ? { MYSTOCKS_FAULTS_ADMIN_TOKEN: options.faultsAdminToken } : {}),
    ...HARNESS_API_ENV,
    ...options.apiEnv,
  };
}
