import { findBinary, type ManagedProcess } from '../process.ts';
import { LocalServiceBuilder } from './local-process.ts';

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
export class LocalPushgateway extends LocalServiceBuilder {
  start(): Promise<StartedLocalPushgateway> {
    return this.launch({
      name: 'pushgateway',
      command: findPushgateway(),
      args: ({ port }) => [`--web.listen-address=127.0.0.1:${port}`, '--log.format=json'],
      startupTimeoutMs: 30_000,
      stopTimeoutMs: 5_000,
      readyProbe: { httpPath: '/-/ready', what: (port) => `Pushgateway on 127.0.0.1:${port} to be ready` },
    });
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
