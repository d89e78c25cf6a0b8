/**
 * The `local` stack mode: PostgreSQL, Redis, the reference API, a Pushgateway and Prometheus as child
 * processes from binaries on this machine, on free loopback ports, each in its own temp directory.
 *
 * Order: PostgreSQL, Redis and the Pushgateway together (none needs another), then the API together with
 * Prometheus (Prometheus only needs the API's address, chosen beforehand; it scrapes `up == 0` until the API
 * listens). Whatever fails, everything already started is stopped before the error is thrown.
 *
 * Teardown: the run's scope (RunTeardown, stack/state.ts) is opened first and the start runs inside it, so every
 * process, work directory and template build started on the way registers there; stop() stops the services in
 * dependency order, then closes the scope, which stops anything left and removes the run's state file last.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { freePort, retryOnPortConflict } from '../ports.ts';
import type { ManagedProcess } from '../process.ts';
import { API_JOB, renderPrometheusConfig } from '../prometheus-config.ts';
import { newRunId, RunTeardown } from '../state.ts';
import {
  HARNESS_API_ENV,
  type ServiceInfo,
  type Stack,
  type StackControls,
  type StackInfo,
  type StackOptions,
} from '../types.ts';
import { API_ENTRY, LocalApi, type StartedLocalApi } from './api.ts';
import { LocalOtlpReceiver, type StartedLocalOtlpReceiver } from './otlp-receiver.ts';
import { LocalPostgres, type StartedLocalPostgres } from './postgres.ts';
import type { TemplateUse } from './postgres-template.ts';
import { LocalPrometheus, type StartedLocalPrometheus } from './prometheus.ts';
import { LocalPushgateway, type StartedLocalPushgateway } from './pushgateway.ts';
import { LocalRedis, type StartedLocalRedis } from './redis.ts';

/** A started service as the stack handles it: its process (for the run's state file) and how to stop it. */
interface Running {
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Dependency order: each service only needs those before it. Stopped in reverse. */
const START_ORDER = ['postgres', 'redis', 'pushgateway', 'otlp', 'api', 'prometheus'];

/** Name of the rules file written beside prometheus.yml when `rulesYaml` is given. */
const RULES_FILE = 'harness-rules.yml';

/** Started services in start order; stopped in reverse. */
type StartedList = { name: string; service: Running }[];

/** Starts the local stack; see the module comment for the order. */
export async function startLocalStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  // Checked before anything starts: no point in seeding a database for a service that is not there.
  if (!existsSync(API_ENTRY)) {
    throw new Error(`local stack: the reference API is missing: ${API_ENTRY} does not exist`);
  }
  const run = RunTeardown.open(options.runId ?? newRunId(), 'local');
  return run.enter(() => startInRun(run, options, log));
}

/** The start itself, inside the run's scope: whatever it starts registers there. */
async function startInRun(run: RunTeardown, options: StackOptions, log: (line: string) => void): Promise<Stack> {
  const runId = run.runId;
  const withPrometheus = options.withPrometheus !== false;
  const started: StartedList = [];
  const services: ServiceInfo[] = [];
  const startService = serviceStarter({ started, services, run, log });
  const stopAll = () => stopStarted(started, log);

  try {
    const [postgres, redis, pushgateway, otlp] = await startTogether<
      [StartedLocalPostgres, StartedLocalRedis, StartedLocalPushgateway | undefined, StartedLocalOtlpReceiver]
    >([
      () =>
        startService<StartedLocalPostgres & { url: string }>(
          'postgres',
          () =>
            localPostgres(options)
              .start()
              .then((pg) => {
                if (pg.template) log(`postgres: data from template ${pg.template.hash}${templateWords(pg.template)}`);
                return withUrl(pg);
              }),
          (pg) => pg.connectionUri,
        ),
      () => startService('redis', () => new LocalRedis().start()),
      () =>
        withPrometheus ? startService('pushgateway', () => new LocalPushgateway().start()) : Promise.resolve(undefined),
      () => startService('otlp', () => new LocalOtlpReceiver().start()),
    ]);

    const apiPort = await freePort();
    // The service's metrics have a listener of their own (the app port has no /metrics); Prometheus scrapes it.
    const metricsPort = await freePort();
    const api = localApi(options, { postgres, redis, otlp, apiPort, metricsPort });
    const prometheusConfig = renderPrometheusConfig({
      apiTarget: `127.0.0.1:${metricsPort}`,
      ...(pushgateway ? { pushgatewayTarget: `127.0.0.1:${pushgateway.port}` } : {}),
      scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? 1,
      ...(options.rulesYaml ? { ruleFiles: [RULES_FILE] } : {}),
    });
    const [startedApi, prometheus] = await startTogether<[StartedLocalApi, StartedLocalPrometheus | undefined]>([
      () => startService('api', () => api.start()),
      () =>
        withPrometheus
          ? startService('prometheus', () => {
              const files: Record<string, string> = options.rulesYaml ? { [RULES_FILE]: options.rulesYaml } : {};
              return new LocalPrometheus({ config: prometheusConfig, files }).start();
            })
          : Promise.resolve(undefined),
    ]);

    const info: StackInfo = {
      mode: 'local',
      runId,
      apiUrl: startedApi.url,
      metricsUrl: startedApi.metricsUrl,
      postgresUrl: postgres.connectionUri,
      redisUrl: redis.url,
      ...(prometheus ? { prometheusUrl: prometheus.url } : {}),
      ...(pushgateway ? { pushgatewayUrl: pushgateway.url } : {}),
      otlpUrl: otlp.url,
      spansFile: otlp.spansFile,
      startedAt: new Date().toISOString(),
      services: orderServices(services),
    };
    log(`stack ${runId} up (local); Prometheus job ${API_JOB} scrapes ${startedApi.metricsUrl}/metrics`);
    return new LocalStack(info, run, redis, started, stopAll, log);
  } catch (error) {
    await stopAll();
    await run.close();
    throw error;
  }
}

/**
 * A function that starts one service, timing it, recording it (in `started`, `services` and the run's state file),
 * and naming it in any error.
 */
function serviceStarter(context: {
  started: StartedList;
  services: ServiceInfo[];
  run: RunTeardown;
  log: (line: string) => void;
}) {
  const { started, services, run, log } = context;
  return async function startService<T extends Running & { url: string }>(
    name: string,
    start: () => Promise<T>,
    displayUrl: (service: T) => string = (service) => service.url,
  ): Promise<T> {
    const begin = performance.now();
    log(`${name}: starting`);
    let service: T;
    try {
      // A port taken between freePort() and the service's bind is retried with a new one (stack/ports.ts).
      service = await retryOnPortConflict(start, 3, (message) => log(`${name}: ${message}`));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`local stack: ${name} failed to start: ${message}`, { cause: error });
    }
    const startMs = Math.round(performance.now() - begin);
    started.push({ name, service });
    run.recordProcess(name, service.process.pid, dirname(service.process.logFile));
    services.push({ name, url: displayUrl(service), startMs, pid: service.process.pid });
    log(`${name}: up in ${(startMs / 1000).toFixed(1)} s at ${displayUrl(service)}`);
    return service;
  };
}

/** Stops every started service, emptying `started`; a service that fails to stop is said, and the rest still stop. */
async function stopStarted(started: StartedList, log: (line: string) => void): Promise<void> {
  // Dependents first, whatever order the parallel starts finished in: Prometheus and the API before the
  // stores they read, PostgreSQL last.
  started.sort((a, b) => START_ORDER.indexOf(a.name) - START_ORDER.indexOf(b.name));
  while (started.length > 0) {
    const entry = started.pop();
    if (!entry) break;
    try {
      await entry.service.stop();
      log(`${entry.name}: stopped`);
    } catch (error) {
      log(`${entry.name}: stop failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Starts services in parallel; if one fails, waits for the others to settle (so nothing is left half-started)
 * and rethrows the first failure (the caller stops everything started so far).
 */
async function startTogether<T extends unknown[]>(starts: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(starts.map((start) => start()));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}

/**
 * The reference API's builder: the run's stores, its own spans receiver, the ports chosen, and the options' faults
 * and environment.
 */
function localApi(
  options: StackOptions,
  peers: {
    postgres: StartedLocalPostgres;
    redis: StartedLocalRedis;
    otlp: StartedLocalOtlpReceiver;
    apiPort: number;
    metricsPort: number;
  },
): LocalApi {
  return new LocalApi({
    databaseUrl: peers.postgres.connectionUri,
    redisUrl: peers.redis.url,
    port: peers.apiPort,
    metricsPort: peers.metricsPort,
    faults: options.faults,
    faultsAdminToken: options.faultsAdminToken,
    // The service's spans go to the run's own receiver; apiEnv may point them elsewhere.
    otlpEndpoint: peers.otlp.url,
    env: options.apiEnv,
    // An empty LOG_LEVEL counts as unset: the builder's default.
    logLevel: process.env.LOG_LEVEL || undefined,
  });
}

/**
 * The run's PostgreSQL: from the seeded template (LocalPostgresOptions.seededTemplate), so the API finds its database
 * migrated and seeded, unless the API is told not to seed (MYSTOCKS_SEED=off wants an empty database). The API's
 * seed settings are HARNESS_API_ENV's, then the options' apiEnv, in stack/api-env.ts apiEnvironment's order.
 */
function localPostgres(options: StackOptions): LocalPostgres {
  const apiEnv = { ...HARNESS_API_ENV, ...options.apiEnv };
  const seededTemplate = apiEnv.MYSTOCKS_SEED === 'off' ? undefined : { scrypt: apiEnv.MYSTOCKS_SCRYPT };
  return new LocalPostgres({ database: 'mystocks', seededTemplate });
}

/** " (built now, …)" or " (cached, …)": where the template is and whether this start paid for it. */
function templateWords(template: TemplateUse): string {
  return ` (${template.built ? 'built now' : 'cached'}, ${template.dir})`;
}

/** LocalPostgres' started type has no `url`; the stack shows its connection URI. */
function withUrl(pg: StartedLocalPostgres): StartedLocalPostgres & { url: string } {
  return Object.assign(pg, { url: pg.connectionUri });
}

/** Services in a stable order for reports, whatever order the parallel starts finished in. */
function orderServices(services: ServiceInfo[]): ServiceInfo[] {
  return [...services].sort((a, b) => START_ORDER.indexOf(a.name) - START_ORDER.indexOf(b.name));
}

class LocalStack implements Stack {
  readonly info: StackInfo;
  readonly controls: StackControls;
  readonly #run: RunTeardown;
  readonly #stopAll: () => Promise<void>;
  #stopping: Promise<void> | undefined;

  constructor(
    info: StackInfo,
    run: RunTeardown,
    redis: StartedLocalRedis,
    started: { name: string; service: Running }[],
    stopAll: () => Promise<void>,
    log: (line: string) => void,
  ) {
    this.info = info;
    this.#run = run;
    this.#stopAll = stopAll;
    let current: StartedLocalRedis | undefined = redis;
    const port = redis.port;
    const replace = (next: StartedLocalRedis | undefined) => {
      const index = started.findIndex((entry) => entry.name === 'redis');
      if (index >= 0) started.splice(index, 1);
      // A restarted Redis is stopped with the others, in its usual place (stopAll sorts by START_ORDER).
      if (next) started.push({ name: 'redis', service: next });
    };
    this.controls = {
      stopRedis: async () => {
        if (!current) return;
        const stopping = current;
        current = undefined;
        replace(undefined);
        await stopping.stop();
        run.forgetProcess(stopping.process.pid, dirname(stopping.process.logFile));
        log('redis: stopped (on request)');
      },
      startRedis: async () => {
        if (current) return;
        // Same port, so the API's client reconnects to the URL it was given; started in the run's scope, so the
        // run's stop (or a signal) stops it with the rest.
        const next = await run.enter(() => new LocalRedis({ port }).start());
        current = next;
        replace(next);
        run.recordProcess('redis', next.process.pid, dirname(next.process.logFile));
        log(`redis: started again at ${next.url}`);
      },
    };
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#stopAll();
      await this.#run.close();
    })();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
