import type { PrometheusAccess, PrometheusAccessSettings } from '../core/prometheus-access.ts';

/** How the environment under test is provided (DESIGN.md, "Stack modes"). */
export type StackMode = 'local' | 'containers' | 'external';

/** The mode asked for: `auto` resolves to containers when a container engine answers, else local. */
export type RequestedStackMode = StackMode | 'auto';

/** One started service, for progress output and docs/performance.md start times. */
export interface ServiceInfo {
  name: string;
  /** Where the harness reaches it (host-side URL). */
  url: string;
  /** How long its start took, in milliseconds. */
  startMs: number;
  /**
   * Its main process on this machine (a local process, or a container's first process on a local engine), for
   * the load read-out's CPU figures from /proc. Absent where this machine cannot see it (a remote engine).
   */
  pid?: number;
}

/**
 * A running stack as every stage sees it; written to reports/stack.json by `harness up`.
 * `apiUrl` is the service's base URL: pages and `/api` share that origin.
 */
export interface StackInfo {
  mode: StackMode;
  /** Identifies this run's containers (label) and processes (state file); random per start. */
  runId: string;
  apiUrl: string;
  /**
   * Base URL of the service's metrics listener (`${metricsUrl}/metrics`), where the harness can reach it: local mode
   * only. The app port has no /metrics; in the containers stack only Prometheus reaches it, over the stack's network.
   */
  metricsUrl?: string;
  postgresUrl?: string;
  redisUrl?: string;
  prometheusUrl?: string;
  /** How to reach that Prometheus (headers, CA, credential files): never a secret value, this is written down. */
  prometheusAccess?: PrometheusAccessSettings;
  pushgatewayUrl?: string;
  /** OTLP/HTTP base URL the reference service exports its spans to (local mode: the harness's receiver). */
  otlpUrl?: string;
  /** The run's received spans, one JSON object a line (stack/otlp/receiver.ts); only where the harness receives. */
  spansFile?: string;
  /** ISO time at which the stack was up. */
  startedAt: string;
  services: ServiceInfo[];
}

/** One fault of the reference service's fault injection (docs/api.md, "Faults"). */
export interface FaultSpec {
  /** A route template such as `/api/market/quotes`, or `*` for every `/api` route. */
  route: string;
  latencyMs?: number;
  /** Share of requests (0..1) answered 503. */
  errorRate?: number;
  cacheBypass?: boolean;
  /** The route's statements run in a variant no index serves (and skip the cache). */
  noIndex?: boolean;
}

/**
 * Environment every stack the harness starts gives the reference API before `apiEnv`. The load profiles
 * register one user per arrival (up to 60 a second) and the E2E fixtures one per test, all from one address,
 * which the service's default of 5 registrations per address per minute (docs/security.md) would refuse.
 * A deployment of the team's own keeps its own limits.
 */
export const HARNESS_API_ENV: Readonly<Record<string, string>> = {
  MYSTOCKS_REGISTER_RATE_LIMIT: '1000000',
  // Every load arrival registers and logs in: at OWASP scrypt cost that is password hashing, not the service,
  // filling the machine (reference-api/src/plugins/app/passwords.ts says why; docs/security.md).
  MYSTOCKS_SCRYPT: '16384,8,1',
  // The API image runs with NODE_ENV=production, where the service refuses fault injection (and its admin token)
  // without this second switch (docs/security.md). The stacks the harness starts exist to be tested, faults
  // included; a deployment of the team's own never gets it from here.
  MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION: 'true',
};

/** What a stage may ask of the stack when it starts. */
export interface StackOptions {
  /** Faults handed to the reference API through MYSTOCKS_FAULTS. */
  faults?: FaultSpec[];
  /** Enables the API's /admin/faults route with this token. */
  faultsAdminToken?: string;
  /** Prometheus and the Pushgateway are started unless this is false (tests of the API alone skip them). */
  withPrometheus?: boolean;
  /**
   * Headers, credentials and CA for a secured Prometheus (external mode's reachability probe uses them), and
   * what of them may be recorded in StackInfo (no secret values).
   */
  prometheusAccess?: { access?: PrometheusAccess; settings?: PrometheusAccessSettings };
  /** Scrape interval of the harness's Prometheus; 1 s by default so short runs have enough samples. */
  scrapeIntervalSeconds?: number;
  /** Prometheus rules (YAML) to load, e.g. those of `harness slo rules`. */
  rulesYaml?: string;
  /** Progress lines ("postgres up in 0.8 s"); silent when absent. */
  log?: (line: string) => void;
  /**
   * The run id to use (labels, state file); a random one when absent. `startStack` sets it before dispatching,
   * so the run is recorded (and not mistaken for stale) while its services are still starting.
   */
  runId?: string;
  /**
   * Extra environment of the reference API, e.g. `MYSTOCKS_LOGIN_RATE_LIMIT` for load runs; it wins over the
   * values the stack sets (tests use it to provoke a failed start).
   */
  apiEnv?: Record<string, string>;
}

/** Controls a test uses to make the environment misbehave, where the mode can (not in external mode). */
export interface StackControls {
  /** Stops Redis; the API must keep answering from PostgreSQL. */
  stopRedis(): Promise<void>;
  /** Starts Redis again on the same address. */
  startRedis(): Promise<void>;
}

/** A started stack. Stopping it removes everything it started; `external` stops nothing. */
export interface Stack extends AsyncDisposable {
  readonly info: StackInfo;
  readonly controls?: StackControls;
  stop(): Promise<void>;
}

/**
 * What `stack/containers/stack.ts` exports; `stack/index.ts` imports it lazily, so the other modes never load
 * testcontainers.
 */
export interface ContainerStackModule {
  /** Starts the containers stack; honours `options.runId` as the value of its run label. */
  startContainerStack(options: StackOptions): Promise<Stack>;
  /**
   * Removes containers (and networks) labelled with a run id for which `isRunLive` is false, i.e. whose harness
   * process is gone; used by `harness down --stale`. Returns how many it removed.
   */
  removeStaleContainers?(isRunLive: (runId: string) => boolean, log?: (line: string) => void): Promise<number>;
}
