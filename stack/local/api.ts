import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiEnvironment } from '../api-env.ts';
import { freePort } from '../ports.ts';
import type { ManagedProcess } from '../process.ts';
import type { FaultSpec } from '../types.ts';
import { LocalServiceBuilder, type LocalServiceOptions } from './local-process.ts';
import { serviceEnvironment } from './service-env.ts';
import { StartedLocalService } from './started-service.ts';

/** The repository root: the API runs from there, whatever the harness's working directory. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The reference service's entry point (docs/api.md): it migrates and seeds, then listens. */
export const API_ENTRY = fileURLToPath(new URL('../../reference-api/src/server.ts', import.meta.url));

/** The reference API started as a child process. */
export interface StartedLocalApi extends AsyncDisposable {
  /** Base URL of pages and `/api` (one origin), e.g. http://127.0.0.1:40125. */
  readonly url: string;
  readonly port: number;
  /** Base URL of the metrics listener (GET /metrics; the app port has none), e.g. http://127.0.0.1:40126. */
  readonly metricsUrl: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export interface LocalApiOptions extends LocalServiceOptions {
  databaseUrl: string;
  /** Redis for the L2 cache; without it the service runs on L1 only. */
  redisUrl?: string | undefined;
  /** The metrics listener's port, chosen beforehand (Prometheus' scrape target); a free one otherwise. */
  metricsPort?: number | undefined;
  /** Faults injected from the start (MYSTOCKS_FAULTS); none by default. */
  faults?: FaultSpec[] | undefined;
  /** MYSTOCKS_FAULTS_ADMIN_TOKEN, for a run that sets faults through /admin/faults; unset when absent or empty. */
  faultsAdminToken?: string | undefined;
  /** LOG_LEVEL; info by default. */
  logLevel?: string | undefined;
  /** The run's OTLP/HTTP span receiver (the stack sets http/json); without it the service exports no spans. */
  otlpEndpoint?: string | undefined;
  /** Extra environment; it wins over what the builder sets. */
  env?: Record<string, string> | undefined;
  /** Another entry point (a team's own build of the service); API_ENTRY by default. */
  entry?: string | undefined;
}

/**
 * Builder for the reference MyStocks service as a Node child process (this very Node binary, on its own type
 * stripping), configured through the environment documented in docs/api.md. `start()` resolves once `/readyz`
 * answers 200, and fails at once, with the service's last log lines, if the process exits first.
 */
export class LocalApi extends LocalServiceBuilder<LocalApiOptions> {
  async start(): Promise<StartedLocalApi> {
    const { entry = API_ENTRY, logLevel = 'info' } = this.options;
    const { databaseUrl, redisUrl, otlpEndpoint, faults, faultsAdminToken, env: apiEnv } = this.options;
    if (!existsSync(entry)) throw new Error(`the reference API is missing: ${entry} does not exist`);
    const metricsPort = this.options.metricsPort ?? (await freePort());
    const metricsUrl = `http://127.0.0.1:${metricsPort}`;
    return this.launch<StartedLocalService & { metricsUrl: string }>({
      name: 'api',
      command: process.execPath,
      args: () => [entry],
      // The allow-list (service-env.ts) plus Node's own settings (NODE_OPTIONS, NODE_EXTRA_CA_CERTS) and the
      // OpenTelemetry SDK's (OTEL_*, docs/api.md); the service's own MYSTOCKS_* and its addresses come from the
      // stack alone, never from the developer's shell, and nothing else of the harness's environment does.
      env: ({ port }) =>
        serviceEnvironment({
          prefixes: ['NODE_', 'OTEL_'],
          set: apiEnvironment(
            {
              host: '127.0.0.1',
              port,
              metricsHost: '127.0.0.1',
              metricsPort,
              databaseUrl,
              redisUrl,
              logLevel,
              otlpEndpoint,
            },
            { faults, faultsAdminToken, apiEnv },
          ),
        }),
      cwd: REPO_ROOT,
      // The first start on an empty database migrates and loads two years of seed bars: minutes on a busy 2-core CI.
      startupTimeoutMs: 300_000,
      stopTimeoutMs: 10_000,
      readyProbe: {
        httpPath: '/readyz',
        what: (port) => `the reference API on 127.0.0.1:${port} to answer /readyz with 200`,
        intervalMs: 250,
      },
      started: (serverProcess, place) =>
        Object.assign(
          new StartedLocalService(serverProcess, place.port, `http://127.0.0.1:${place.port}`, place.workDir),
          {
            metricsUrl,
          },
        ),
    });
  }
}
