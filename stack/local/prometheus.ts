import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchPrometheus, type PrometheusAccess } from '../../core/prometheus-access.ts';
import { findBinary, type ManagedProcess } from '../process.ts';
import { LocalServiceBuilder } from './local-process.ts';
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

/**
 * Builder for a throwaway Prometheus. The configuration is given as YAML text (rendered elsewhere); the TSDB
 * lives in a temp directory unless a prepared one is given (e.g. filled by `promtool tsdb create-blocks-from`).
 */
export class LocalPrometheus extends LocalServiceBuilder {
  #configYaml = 'global:\n  scrape_interval: 15s\n';
  #dataDir: string | undefined;
  #extraFiles: Record<string, string> = {};
  #retention = '15y';
  #web: { yaml: string; scheme: 'http' | 'https'; access: PrometheusAccess } | undefined;

  constructor() {
    super(30_000);
  }

  /**
   * A secured Prometheus (`--web.config.file`: TLS and/or basic auth, as a team's own may be). `scheme` is https
   * when the web config has a tls_server_config; the readiness probe speaks it with `access` (CA, credentials).
   */
  withWebConfig(web: { yaml: string; scheme: 'http' | 'https'; access: PrometheusAccess }): this {
    this.#web = web;
    return this;
  }

  withConfig(yaml: string): this {
    this.#configYaml = yaml;
    return this;
  }

  /** A prepared TSDB directory; it is not removed on stop (its owner removes it). */
  withDataDir(dir: string): this {
    this.#dataDir = dir;
    return this;
  }

  /** Files written beside prometheus.yml (e.g. a rules file the config names by relative path). */
  withFile(name: string, content: string): this {
    this.#extraFiles[name] = content;
    return this;
  }

  /** Retention long enough for backfilled data far in the past (the default would drop old blocks). */
  withRetention(retention: string): this {
    this.#retention = retention;
    return this;
  }

  start(): Promise<StartedLocalPrometheus> {
    const web = this.#web;
    const dataDirOf = (workDir: WorkDir) => this.#dataDir ?? join(workDir.path, 'data');
    return this.launch({
      name: 'prometheus',
      command: findBinary('prometheus', [], 'install prometheus (scripts/setup.sh)'),
      prepare: ({ workDir }) => {
        writeFileSync(join(workDir.path, 'prometheus.yml'), this.#configYaml);
        for (const [name, content] of Object.entries(this.#extraFiles))
          writeFileSync(join(workDir.path, name), content);
        if (this.#web) writeFileSync(join(workDir.path, 'web.yml'), this.#web.yaml);
      },
      args: ({ port, workDir }) => [
        `--config.file=${join(workDir.path, 'prometheus.yml')}`,
        `--storage.tsdb.path=${dataDirOf(workDir)}`,
        `--storage.tsdb.retention.time=${this.#retention}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-remote-write-receiver',
        '--web.enable-lifecycle',
        // Keeps the trace ids the API attaches to latency buckets (/api/v1/query_exemplars, diagnose/).
        '--enable-feature=exemplar-storage',
        '--log.format=json',
        ...(this.#web ? [`--web.config.file=${join(workDir.path, 'web.yml')}`] : []),
      ],
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
