import { createConnection } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../ports.ts';
import { findBinary, ManagedProcess } from '../process.ts';
import { waitFor } from '../wait.ts';
import { StartedLocalService } from './started-service.ts';
import { makeWorkDir } from './workdir.ts';

/** A Redis server started as a child process. */
export interface StartedLocalRedis extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Builder for a throwaway Redis: no persistence, loopback only, a free port unless one is given
 * (a test that kills Redis and brings it back passes the old port, so clients reconnect to the same URL).
 */
export class LocalRedis {
  #port: number | undefined;
  #startupTimeoutMs = 20_000;

  withPort(port: number): this {
    this.#port = port;
    return this;
  }

  async start(): Promise<StartedLocalRedis> {
    const redisServer = findBinary('redis-server', [], 'install redis-server (scripts/setup.sh)');
    const port = this.#port ?? (await freePort());
    const workDir = makeWorkDir('redis');
    const serverProcess = await ManagedProcess.start({
      name: 'redis',
      command: redisServer,
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        workDir.path,
        '--protected-mode',
        'no',
        '--daemonize',
        'no',
      ],
      logFile: join(workDir.path, 'redis.log'),
      cwd: workDir.path,
      stopTimeoutMs: 5_000,
    });
    const started = new StartedLocalService(serverProcess, port, `redis://127.0.0.1:${port}`, workDir);
    try {
      const exit = serverProcess.failOnExit();
      await Promise.race([
        exit.promise,
        waitFor(() => ping(port), {
          what: `Redis on 127.0.0.1:${port} to answer PING`,
          timeoutMs: this.#startupTimeoutMs,
          signal: exit.signal,
        }),
      ]);
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  }
}

/** Sends an inline PING and resolves true on +PONG (no client library needed for a readiness probe). */
function ping(port: number): Promise<true | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1_000, () => socket.destroy(new Error('PING timed out')));
    socket.once('error', reject);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.end();
      resolve(data.toString().startsWith('+PONG') ? true : undefined);
    });
  });
}
