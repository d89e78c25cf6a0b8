import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../ports.ts';
import { ManagedProcess } from '../process.ts';
import { type FaultSpec, HARNESS_API_ENV } from '../types.ts';
import { waitForHttp } from '../wait.ts';
import { withLogTail } from './log-tail.ts';
import { StartedLocalService } from './started-service.ts';
import { makeWorkDir } from './workdir.ts';

/** The repository root: the API runs from there, whatever the harness's working directory. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The reference service's entry point (docs/api.md): it migrates and seeds, then listens. */
export const API_ENTRY = fileURLToPath(new URL('../../reference-api/src/server.ts', import.meta.url));

/** The reference API started as a child process. */
export interface StartedLocalApi extends AsyncDisposable {
  /** Base URL of pages and `/api` (one origin), e.g. http://127.0.0.1:40125. */
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Builder for the reference MyStocks service as a Node child process (this very Node binary, on its own type
 * stripping), configured through the environment documented in docs/api.md. `start()` resolves once `/readyz`
 * answers 200, and fails at once, with the service's last log lines, if the process exits first.
 */
export class LocalApi {
  #databaseUrl: string | undefined;
  #redisUrl: string | undefined;
  #port: number | undefined;
  #faults: FaultSpec[] = [];
  #faultsAdminToken: string | undefined;
  #logLevel = 'info';
  #env: Record<string, string> = {};
  #entry = API_ENTRY;
  // The first start of a fresh database migrates and loads two years of seed bars: minutes on a busy 2-core CI.
  #startupTimeoutMs = 300_000;

  withDatabaseUrl(url: string): this {
    this.#databaseUrl = url;
    return this;
  }

  /** Redis for the L2 cache; without it the service runs on L1 only. */
  withRedisUrl(url: string): this {
    this.#redisUrl = url;
    return this;
  }

  /** A port chosen beforehand (the stack renders Prometheus' scrape target before the API is up). */
  withPort(port: number): this {
    this.#port = port;
    return this;
  }

  withFaults(faults: FaultSpec[]): this {
    this.#faults = faults;
    return this;
  }

  withFaultsAdminToken(token: string): this {
    this.#faultsAdminToken = token;
    return this;
  }

  withLogLevel(level: string): this {
    this.#logLevel = level;
    return this;
  }

  /** Extra environment; it wins over what the builder sets. */
  withEnv(env: Record<string, string>): this {
    this.#env = { ...this.#env, ...env };
    return this;
  }

  /** Another entry point (a team's own build of the service). */
  withEntry(path: string): this {
    this.#entry = path;
    return this;
  }

  withStartupTimeout(ms: number): this {
    this.#startupTimeoutMs = ms;
    return this;
  }

  async start(): Promise<StartedLocalApi> {
    if (this.#databaseUrl === undefined) throw new Error('LocalApi needs withDatabaseUrl()');
    if (!existsSync(this.#entry)) {
      throw new Error(`the reference API is missing: ${this.#entry} does not exist`);
    }
    const workDir = makeWorkDir('api');
    try {
      const port = this.#port ?? (await freePort());
      const env: NodeJS.ProcessEnv = { ...process.env };
      // Whatever the developer's shell holds for the service must not leak into the run; the stack decides.
      for (const name of Object.keys(env)) {
        if (name.startsWith('MYSTOCKS_') || ['HOST', 'PORT', 'DATABASE_URL', 'REDIS_URL'].includes(name)) {
          delete env[name];
        }
      }
      Object.assign(env, {
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: this.#databaseUrl,
        MYSTOCKS_FAULTS: JSON.stringify(this.#faults),
        LOG_LEVEL: this.#logLevel,
        ...(this.#redisUrl === undefined ? {} : { REDIS_URL: this.#redisUrl }),
        ...(this.#faultsAdminToken === undefined ? {} : { MYSTOCKS_FAULTS_ADMIN_TOKEN: this.#faultsAdminToken }),
        ...HARNESS_API_ENV,
        ...this.#env,
      });
      const serverProcess = await ManagedProcess.start({
        name: 'api',
        command: process.execPath,
        args: [this.#entry],
        env,
        cwd: REPO_ROOT,
        logFile: `${workDir.path}/api.log`,
        stopTimeoutMs: 10_000,
      });
      const started = new StartedLocalService(serverProcess, port, `http://127.0.0.1:${port}`, workDir);
      try {
        const exit = serverProcess.failOnExit();
        await Promise.race([
          exit.promise,
          waitForHttp(`${started.url}/readyz`, {
            what: `the reference API on 127.0.0.1:${port} to answer /readyz with 200`,
            timeoutMs: this.#startupTimeoutMs,
            intervalMs: 250,
            signal: exit.signal,
          }),
        ]);
      } catch (error) {
        const tail = serverProcess.logTail();
        await started.stop();
        throw withLogTail(error, serverProcess, tail);
      }
      return started;
    } catch (error) {
      workDir.remove();
      throw error;
    }
  }
}
