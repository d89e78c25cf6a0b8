import { freePort } from '../ports.ts';
import { ManagedProcess } from '../process.ts';
import { waitFor, waitForHttp } from '../wait.ts';
import { withLogTail } from './log-tail.ts';
import { serviceEnvironment } from './service-env.ts';
import { StartedLocalService } from './started-service.ts';
import { makeWorkDir, type WorkDir } from './workdir.ts';

/** Where a service about to start lives: its port and its own work directory. */
export interface LocalPlace {
  port: number;
  workDir: WorkDir;
}

/**
 * How to tell a started service is ready: an HTTP path that answers 2xx on `http://127.0.0.1:PORT`, or a probe
 * that resolves true when ready (anything else, or a throw, counts as "not yet").
 */
export type ReadyProbe = ({ httpPath: string } | { probe: (port: number) => Promise<boolean | undefined> }) & {
  /** What is awaited, for the timeout message: (port) => "Redis on 127.0.0.1:PORT to answer PING". */
  what: (port: number) => string;
  intervalMs?: number;
};

/** What is particular to one local service; {@link startLocalProcess} does the rest. */
export interface LocalProcessSpec<Started extends StartedLocalService> {
  /** Short name: log file `<name>.log`, work directory `mystocks-<name>-*`, messages. */
  name: string;
  /** The executable (found by the caller, with its install hint). */
  command: string;
  args: (place: LocalPlace) => string[];
  /** A port chosen beforehand; a free loopback port otherwise. */
  port?: number | undefined;
  /**
   * The process's environment; by default only the allow-listed variables of the harness's
   * (service-env.ts), never the whole of it, which holds the harness's Prometheus credentials.
   */
  env?: (place: LocalPlace) => NodeJS.ProcessEnv;
  /** The process's working directory; the work directory by default. */
  cwd?: string;
  /** Owner of the work directory and user the process runs as (postgres refuses to run as root). */
  owner?: { uid: number; gid: number } | undefined;
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
  /** Work before the process starts (initdb, writing its configuration), in the work directory. */
  prepare?: (place: LocalPlace) => Promise<void> | void;
  readyProbe: ReadyProbe;
  startupTimeoutMs: number;
  /** Builds the handle (a subclass adds what its callers need, e.g. a connection URI); url http://127.0.0.1:PORT. */
  started?: (serverProcess: ManagedProcess, place: LocalPlace) => Started;
  /** Work once ready (creating a database); a failure stops the service like a failed probe. */
  afterReady?: (started: Started) => Promise<void>;
}

/**
 * The one way a local service starts: a fresh work directory, a port, the child process (its log in the work
 * directory), then the readiness probe raced against the process exiting. A failed start leaves nothing behind:
 * the process is stopped, the work directory removed, and the error carries the service's last log lines.
 */
export async function startLocalProcess<Started extends StartedLocalService = StartedLocalService>(
  spec: LocalProcessSpec<Started>,
): Promise<Started> {
  const workDir = makeWorkDir(spec.name, spec.owner);
  try {
    const port = spec.port ?? (await freePort());
    const place = { port, workDir };
    await spec.prepare?.(place);
    const serverProcess = await ManagedProcess.start({
      name: spec.name,
      command: spec.command,
      args: spec.args(place),
      cwd: spec.cwd ?? workDir.path,
      logFile: `${workDir.path}/${spec.name}.log`,
      env: spec.env === undefined ? serviceEnvironment() : spec.env(place),
      ...(spec.owner ?? {}),
      ...(spec.stopSignal === undefined ? {} : { stopSignal: spec.stopSignal }),
      ...(spec.stopTimeoutMs === undefined ? {} : { stopTimeoutMs: spec.stopTimeoutMs }),
    });
    const started =
      spec.started?.(serverProcess, place) ??
      // Without a `started` factory the handle is the base class, which is what Started defaults to.
      (new StartedLocalService(serverProcess, port, `http://127.0.0.1:${port}`, workDir) as Started);
    try {
      const exit = serverProcess.failOnExit();
      const probe = spec.readyProbe;
      const wait = {
        what: probe.what(port),
        timeoutMs: spec.startupTimeoutMs,
        signal: exit.signal,
        ...(probe.intervalMs === undefined ? {} : { intervalMs: probe.intervalMs }),
      };
      const ready =
        'httpPath' in probe
          ? waitForHttp(`http://127.0.0.1:${port}${probe.httpPath}`, wait)
          : waitFor(async () => ((await probe.probe(port)) === true ? true : undefined), wait);
      await Promise.race([exit.promise, ready]);
      await spec.afterReady?.(started);
    } catch (error) {
      // The tail is read before stop() removes the work directory that holds the log.
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

/** What every local service's builder takes, besides what is particular to the service. */
export interface LocalServiceOptions {
  /**
   * A port chosen beforehand (a restarted Redis keeps the URL its clients have; the stack renders Prometheus'
   * scrape target before the API listens); a free loopback port otherwise.
   */
  port?: number | undefined;
  /** How long the start may take, spawn to ready; the service's own default otherwise. */
  startupTimeoutMs?: number | undefined;
}

/** A builder's constructor argument: optional when every option is (Redis, Prometheus), else required (the API). */
type OptionsArgument<Options> = Partial<Options> extends Options ? [options?: Options] : [options: Options];

/**
 * The base of every local service's builder: it holds the service's one options object, which extends
 * {@link LocalServiceOptions}, and starts through {@link LocalServiceBuilder.launch}, startLocalProcess() with the
 * port and deadline in it. A builder reads its own options from `this.options` and sets their defaults in start().
 */
export class LocalServiceBuilder<Options extends LocalServiceOptions = LocalServiceOptions> {
  protected readonly options: Options;

  constructor(...[options]: OptionsArgument<Options>) {
    // Absent only where every option is optional (OptionsArgument), so {} is a whole Options there.
    this.options = options ?? ({} as Options);
  }

  /** `spec.startupTimeoutMs` is the service's default deadline; the options' own wins. */
  protected launch<Started extends StartedLocalService = StartedLocalService>(
    spec: Omit<LocalProcessSpec<Started>, 'port'>,
  ): Promise<Started> {
    const { port, startupTimeoutMs = spec.startupTimeoutMs } = this.options;
    return startLocalProcess({ ...spec, port, startupTimeoutMs });
  }
}
