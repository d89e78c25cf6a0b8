import { join } from 'node:path';
import { freePort } from '../ports.ts';
import { findBinary, ManagedProcess } from '../process.ts';
import { waitForHttp } from '../wait.ts';
import { withLogTail } from './log-tail.ts';
import { StartedLocalService } from './started-service.ts';
import { makeWorkDir } from './workdir.ts';

/** A Prometheus Pushgateway started as a child process. */
export interface StartedLocalPushgateway extends AsyncDisposable {
  /** Base URL, e.g. http://127.0.0.1:40124 (pushes go to /metrics/job/<job>). */
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Debian names the binary prometheus-pushgateway; upstream tarballs name it pushgateway. */
const PUSHGATEWAY_BINARIES = ['prometheus-pushgateway', 'pushgateway'];

/**
 * Builder for a throwaway Pushgateway (load-tool metrics reach Prometheus through it): loopback, a free port,
 * no persistence file, so a stopped run leaves nothing behind.
 */
export class LocalPushgateway {
  #port: number | undefined;
  #startupTimeoutMs = 30_000;

  withPort(port: number): this {
    this.#port = port;
    return this;
  }

  withStartupTimeout(ms: number): this {
    this.#startupTimeoutMs = ms;
    return this;
  }

  async start(): Promise<StartedLocalPushgateway> {
    const binary = findPushgateway();
    const workDir = makeWorkDir('pushgateway');
    try {
      const port = this.#port ?? (await freePort());
      const serverProcess = await ManagedProcess.start({
        name: 'pushgateway',
        command: binary,
        args: [`--web.listen-address=127.0.0.1:${port}`, '--log.format=json'],
        cwd: workDir.path,
        logFile: join(workDir.path, 'pushgateway.log'),
        stopTimeoutMs: 5_000,
      });
      const started = new StartedLocalService(serverProcess, port, `http://127.0.0.1:${port}`, workDir);
      try {
        const exit = serverProcess.failOnExit();
        await Promise.race([
          exit.promise,
          waitForHttp(`${started.url}/-/ready`, {
            what: `Pushgateway on 127.0.0.1:${port} to be ready`,
            timeoutMs: this.#startupTimeoutMs,
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

function findPushgateway(): string {
  for (const name of PUSHGATEWAY_BINARIES) {
    try {
      return findBinary(name);
    } catch {
      // try the next name
    }
  }
  return findBinary(PUSHGATEWAY_BINARIES[0] ?? 'prometheus-pushgateway', [], 'install prometheus-pushgateway');
}
