import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchPrometheus, type PrometheusAccess } from '../../core/prometheus-access.ts';
import { findBinary, type ManagedProcess } from '../process.ts';
import { LocalServiceBuilder, type LocalServiceOptions } from './local-process.ts';
import { StartedLocalService } from './started-service.ts';
import type { WorkDir } from './workdir.ts';

/** A Prometheus server started as a child process. */
export interface StartedLocalPrometheus extends AsyncDisposable {
  /** Base URL, e.g. http://127.0.0.1:40123 (the HTTP API is under /api/v1). */
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  /** The TSDB directory (for backfilled tests: blocks written there before start are queryable). */
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** The configuration when none is given: a 15 s scrape interval, nothing to scrape. */
const DEFAULT_CONFIG = 'global:\n  scrape_interval: 15s\n';

/** A secured Prometheus's web configuration (`--web.config.file`: TLS and/or basic auth, as a team's own may be). */
export interface PrometheusWebConfig {
  yaml: string;
  /** https when the web config has a tls_server_config; the readiness probe speaks it with `access`. */
  scheme: 'http' | 'https';
  /** What the readiness probe needs to be let in: CA, credentials. */
  access: PrometheusAccess;
}

export interface LocalPrometheusOptions extends LocalServiceOptions {
  /** prometheus.yml as text (rendered elsewhere); DEFAULT_CONFIG without it. */
  config?: string | undefined;
  /** A prepared TSDB directory; it is not removed on stop (its owner removes it). A temp directory by default. */
  dataDir?: string | undefined;
  /** Files written beside prometheus.yml, by name (e.g. a rules file the config names by relative path). */
  files?: Record<string, string> | undefined;
  /** 15y by default: long enough for backfilled data far in the past (Prometheus' own would drop old blocks). */
  retention?: string | undefined;
  /** A secured Prometheus; plain HTTP without it. */
  web?: PrometheusWebConfig | undefined;
}

/**
 * Builder for a throwaway Prometheus. The configuration is given as YAML text (rendered elsewhere); the TSDB
 * lives in a temp directory unless a prepared one is given (e.g. filled by `promtool tsdb create-blocks-from`).
 */
export class LocalPrometheus extends LocalServiceBuilder<LocalPrometheusOptions> {
  start(): Promise<StartedLocalPrometheus> {
    const { config = DEFAULT_CONFIG, dataDir, files = {}, retention = '15y', web } = this.options;
    const dataDirOf = (workDir: WorkDir) => dataDir ?? join(workDir.path, 'data');
    return this.launch({
      name: 'prometheus',
      command: findBinary('prometheus', [], 'install prometheus (scripts/setup.sh)'),
      prepare: ({ workDir }) => {
        writeFileSync(join(workDir.path, 'prometheus.yml'), config);
        for (const [name, content] of Object.entries(files)) writeFileSync(join(workDir.path, name), content);
        if (web) writeFileSync(join(workDir.path, 'web.yml'), web.yaml);
      },
      args: ({ port, workDir }) => [
        `--config.file=${join(workDir.path, 'prometheus.yml')}`,
        `--storage.tsdb.path=${dataDirOf(workDir)}`,
        `--storage.tsdb.retention.time=${retention}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-remote-write-receiver',
        '--web.enable-lifecycle',
        // Keeps the trace ids the API attaches to latency buckets (/api/v1/query_exemplars, diagnose/).
        '--enable-feature=exemplar-storage',
        '--log.format=json',
        ...(web ? [`--web.config.file=${join(workDir.path, 'web.yml')}`] : []),
      ],
      startupTimeoutMs: 30_000,
      stopTimeoutMs: 10_000,
      readyProbe: web
        ? {
            probe: async (port) =>
              (
                await fetchPrometheus(
                  `${web.scheme}://127.0.0.1:${port}/-/ready`,
                  { signal: AbortSignal.timeout(2_000) },
                  web.access,
                )
              ).ok,
            what: (port) => `Prometheus on ${web.scheme}://127.0.0.1:${port} to be ready`,
          }
        : { httpPath: '/-/ready', what: (port) => `Prometheus on 127.0.0.1:${port} to be ready` },
      started: (serverProcess, { port, workDir }) =>
        new StartedPrometheus(serverProcess, port, dataDirOf(workDir), workDir, web?.scheme ?? 'http'),
    });
  }
}

/** A started Prometheus also knows its TSDB directory (backfilled tests read and write it). */
class StartedPrometheus extends StartedLocalService implements StartedLocalPrometheus {
  readonly dataDir: string;

  constructor(serverProcess: ManagedProcess, port: number, dataDir: string, workDir: WorkDir, scheme: string) {
    super(serverProcess, port, `${scheme}://127.0.0.1:${port}`, workDir);
    this.dataDir = dataDir;
  }
}
