import type { ManagedProcess } from '../process.ts';
import type { WorkDir } from './workdir.ts';

/**
 * A local service as its builder hands it back: the process, where it listens, and a stop() that ends the
 * process (its own stop signal, then SIGKILL) and only then removes the service's work directory.
 */
export class StartedLocalService implements AsyncDisposable {
  readonly process: ManagedProcess;
  readonly port: number;
  /** How clients reach it: http://127.0.0.1:PORT, redis://127.0.0.1:PORT, postgres://.../db. */
  readonly url: string;
  readonly #workDir: WorkDir;

  constructor(serverProcess: ManagedProcess, port: number, url: string, workDir: WorkDir) {
    this.process = serverProcess;
    this.port = port;
    this.url = url;
    this.#workDir = workDir;
  }

  async stop(): Promise<void> {
    await this.process.stop();
    this.#workDir.remove();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
