import { createConnection } from 'node:net';
import { findBinary, type ManagedProcess } from '../process.ts';
import { LocalServiceBuilder } from './local-process.ts';
import { StartedLocalService } from './started-service.ts';

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
export class LocalRedis extends LocalServiceBuilder {
  start(): Promise<StartedLocalRedis> {
    return this.launch({
      name: 'redis',
      command: findBinary('redis-server', [], 'install redis-server (scripts/setup.sh)'),
      args: ({ port, workDir }) => [
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
      startupTimeoutMs: 20_000,
      stopTimeoutMs: 5_000,
      readyProbe: { probe: ping, what: (port) => `Redis on 127.0.0.1:${port} to answer PING` },
      started: (serverProcess, { port, workDir }) =>
        new StartedLocalService(serverProcess, port, `redis://127.0.0.1:${port}`, workDir),
    });
  }
}

/** Sends an inline PING and resolves true on +PONG (no client library needed for a readiness probe). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1_000, () => socket.destroy(new Error('PING timed out')));
    socket.once('error', reject);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.end();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}
