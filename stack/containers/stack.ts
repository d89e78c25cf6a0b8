/**
 * The containers stack mode (DESIGN.md, "Stack modes"): PostgreSQL, Redis, the reference API, Prometheus, a
 * Pushgateway and the harness's OTLP span receiver started by testcontainers on one container network, where they
 * reach each other by alias (`postgres`, `redis`, `api`, `pushgateway`, `prometheus`, `otlp`); the harness reaches
 * them on mapped ports, and reads the received spans from a host directory the receiver writes through a bind mount.
 *
 * Teardown cannot leak: every container and the network carry this run's labels (run id, owner PID, host), and
 * the removal by label is one entry of the current teardown scope (the run's, stack/teardown.ts), which stop(), a
 * failed start and Ctrl-C/SIGTERM all run, once, so a container whose start was still in flight is removed too.
 * The labels are recorded in the run's state file as well (stack/state.ts). Ryuk is not needed (and cannot be
 * pulled on Podman); runs whose process died anyway are removed by `harness down --stale`
 * ({@link removeStaleContainers}).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';
import {
  GenericContainer,
  getContainerRuntimeClient,
  StartedNetwork,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { HarnessError } from '../../core/outcome.ts';
import { apiEnvironment } from '../api-env.ts';
import { RECEIVER_SCRIPT } from '../otlp/receiver.ts';
import { renderPrometheusConfig } from '../prometheus-config.ts';
import { currentRun } from '../state.ts';
import { currentTeardown } from '../teardown.ts';
import type { ServiceInfo, Stack, StackControls, StackInfo, StackOptions } from '../types.ts';
import { waitFor } from '../wait.ts';
import { type ContainerEngine, useContainerEngine } from './engine.ts';
import { type ImageConfig, REPO_ROOT, resolveImages } from './images.ts';
import { LABEL_SERVICE, ownerLabels } from './labels.ts';
import { removeRunResources, removeSpansDirs, removeStaleResources, spansDirPrefix } from './stale.ts';

export { findContainerEngine, useContainerEngine } from './engine.ts';
export { DEFAULT_IMAGES, resolveImages } from './images.ts';

/** Ports inside the containers (the images' defaults). */
const PORTS = {
  postgres: 5432,
  redis: 6379,
  api: 3000,
  /** The API's metrics listener: Prometheus scrapes `api:9464` over the network; not published to the host. */
  apiMetrics: 9464,
  prometheus: 9090,
  pushgateway: 9091,
  otlp: 4318,
} as const;
const DATABASE = 'mystocks';
/** How long a teardown during start waits for the start's calls in flight before its second removal. */
const START_SETTLE_MS = 30_000;
/**
 * The Dockerfile an API image is built from when none is configured: a checkout's. The installed package has none
 * (it carries neither the service's sources nor the lock file the image installs from).
 */
const API_DOCKERFILE = 'reference-api/Dockerfile';
/** Where the reference API image is tagged when it is built from reference-api/Dockerfile at start. */
export const BUILT_API_IMAGE = 'localhost/mystocks-harness/api:from-dockerfile';
/** The first start of a fresh database migrates and loads two years of seed bars: minutes on a busy 2-core CI. */
const API_STARTUP_TIMEOUT_MS = 300_000;
/**
 * The other services start in seconds, but the first start on a cold machine reads their image layers from disk
 * (measured over 120 s in a container-in-container run); a timeout only matters when a start fails anyway.
 */
const SERVICE_STARTUP_TIMEOUT_MS = 300_000;
/**
 * Docker's "no health check". The PostgreSQL module would add one and wait for it, but Podman without systemd
 * never runs health checks (it logs an error and the status stays "starting"); readiness is read from the log.
 */
const NO_HEALTHCHECK = { test: ['NONE'] } as unknown as Parameters<GenericContainer['withHealthCheck']>[0];

/**
 * `harness down --stale` (and `harness up`, first): removes containers and networks of runs whose harness
 * process is gone; returns how many containers it removed. Runs for which `isRunLive` is true are kept.
 */
export async function removeStaleContainers(
  isRunLive: (runId: string) => boolean = () => false,
  log?: (line: string) => void,
): Promise<number> {
  return (await removeStaleResources(isRunLive, log)).containers.length;
}

/** Starts the containers stack; resolves once /readyz is 200 and Prometheus and the Pushgateway are ready. */
export async function startContainerStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const { images, sources } = resolveImages();
  // Before anything starts: without a Dockerfile (the installed package) only a prebuilt API image will do.
  if (!images.api && !existsSync(join(REPO_ROOT, API_DOCKERFILE))) {
    throw new HarnessError(
      `containers mode needs an image of the reference API here: there is no ${API_DOCKERFILE} to build one from ` +
        '(the installed package carries none). Set MYSTOCKS_IMAGE_API to an image built in a checkout ' +
        `(docker build -f ${API_DOCKERFILE} -t mystocks-api .), or use --stack external`,
    );
  }
  const engine = await useContainerEngine();
  const runId = options.runId ?? randomBytes(6).toString('hex');
  log(`containers: engine ${engine.podman ? 'Podman' : 'Docker'} at ${engine.url}, run ${runId}`);
  for (const key of ['postgres', 'redis', 'prometheus', 'pushgateway', 'api'] as const) {
    if (images[key]) log(`containers: ${key} image ${images[key]} (${sources[key]})`);
  }
  const stale = await removeStaleResources(() => false, log);
  if (stale.containers.length > 0) log(`containers: removed leftovers of stale runs ${stale.runs.join(', ')}`);

  // Registered before anything exists: a signal at any point from here removes whatever this run created. The
  // spans directory goes after the containers, so the receiver cannot recreate a file in it meanwhile.
  let starting: Promise<StartedServices> | undefined;
  const removeAll = async () => {
    try {
      await removeRunResources(runId);
      // A create call still in flight when that removal listed the run's containers lands after it (seen: a
      // Redis container left by a SIGINT during start, under load). So wait, bounded, for the start to settle,
      // and remove again: whatever it created by then carries the run's label.
      await Promise.race([starting?.catch(() => {}), sleep(START_SETTLE_MS, undefined, { ref: false })]);
      await removeRunResources(runId);
    } finally {
      removeSpansDirs(runId);
    }
  };
  const removal = currentTeardown().add(`containers of run ${runId}`, removeAll);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await removal.run();
      log(`containers: run ${runId} removed`);
    })();
    return stopping;
  };
  try {
    // The receiver writes spans through a bind mount, which names a directory on the engine's own machine: with a
    // remote engine (tcp://, ssh://) that is not this machine, so no receiver runs there.
    const spansDir = engine.url.startsWith('unix://') ? createSpansDir(runId) : undefined;
    if (spansDir === undefined) {
      log(
        `containers: engine ${engine.url} is remote, where a host directory cannot be bind-mounted: no OTLP ` +
          'receiver runs, so a diagnosis shows trace ids without spans',
      );
    }
    starting = startServices(runId, images, engine, options, spansDir, log);
    const started = await starting;
    return {
      info: started.info,
      controls: started.controls,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw withPullHint(error);
  }
}

/** An image that cannot be pulled usually means no registry is reachable: say what to do about it. */
function withPullHint(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (!/pull|manifest|registry|no such image|image not known|dial tcp|i\/o timeout|x509|tls/i.test(message))
    return error;
  return new Error(
    `${message}\nno image registry reachable? Run scripts/build-offline-images.sh (builds local images and records ` +
      'them in .harness/images.env) or set MYSTOCKS_IMAGE_* (docs/stack.md, "Containers")',
    { cause: error },
  );
}

interface StartedServices {
  info: StackInfo;
  controls: StackControls;
}

async function startServices(
  runId: string,
  images: ImageConfig,
  engine: ContainerEngine,
  options: StackOptions,
  spansDir: string | undefined,
  log: (line: string) => void,
): Promise<StartedServices> {
  const labels = ownerLabels(runId);
  // What `harness down --stale` looks for after a killed run, on record with the run (when started by startStack).
  const run = currentRun();
  if (run?.runId === runId) run.recordContainerLabels(labels);
  const services: ServiceInfo[] = [];
  const network = await createNetwork(runId, labels);
  const { timed, prepare } = containerStarter({
    runId,
    labels,
    local: engine.url.startsWith('unix://'),
    network,
    services,
    log,
  });
  const password = randomBytes(12).toString('hex');
  const apiImage = images.api ? Promise.resolve(images.api) : buildApiImage(images.node, log);
  apiImage.catch(() => {}); // awaited below; a failure must not be an unhandled rejection meanwhile

  const { postgres, redis, pushgateway, prometheus, otlp } = await startDependencies(
    { timed, prepare },
    images,
    options,
    spansDir,
    password,
  );

  const apiLog: string[] = [];
  const api = await timed(
    'api',
    async () =>
      prepare(apiContainer(await apiImage, options, { password, otlp: otlp !== undefined }, apiLog), 'api')
        .start()
        .catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(
            `the reference API did not become ready: ${message}\nlast API log lines:\n${apiLog.join('\n')}`,
            {
              cause: error,
            },
          );
        }),
    (c) => hostUrl(c, PORTS.api),
  );

  const info: StackInfo = {
    mode: 'containers',
    runId,
    apiUrl: hostUrl(api, PORTS.api),
    postgresUrl: postgres.getConnectionUri(),
    redisUrl: redis.getConnectionUrl(),
    ...(prometheus ? { prometheusUrl: hostUrl(prometheus, PORTS.prometheus) } : {}),
    ...(pushgateway ? { pushgatewayUrl: hostUrl(pushgateway, PORTS.pushgateway) } : {}),
    ...(otlp && spansDir ? { otlpUrl: hostUrl(otlp, PORTS.otlp), spansFile: join(spansDir, SPANS_FILE) } : {}),
    startedAt: new Date().toISOString(),
    services,
  };
  return { info, controls: redisControls(redis) };
}

/**
 * PostgreSQL, Redis and, as the options ask, the Pushgateway, Prometheus and the OTLP receiver: all side by side,
 * and all settled before a failure is thrown, so nothing is left half-started.
 */
async function startDependencies(
  { timed, prepare }: ReturnType<typeof containerStarter>,
  images: ImageConfig,
  options: StackOptions,
  spansDir: string | undefined,
  password: string,
) {
  const withMonitoring = options.withPrometheus !== false;
  const postgresStart = timed(
    'postgres',
    () => prepare(postgresContainer(images.postgres, password), 'postgres').start(),
    (c) => c.getConnectionUri(),
  );
  const redisStart = timed(
    'redis',
    () => prepare(redisContainer(images.redis), 'redis').start(),
    (c) => c.getConnectionUrl(),
  );
  // An HTTP service's container, started under its service name; its URL is its port's on the host.
  const startHttp = (name: 'pushgateway' | 'prometheus' | 'otlp', container: () => GenericContainer) =>
    timed(
      name,
      () => prepare(container(), name).start(),
      (c) => hostUrl(c, PORTS[name]),
    );
  const [pushgatewayStart, prometheusStart] = withMonitoring
    ? [
        startHttp('pushgateway', () => pushgatewayContainer(images.pushgateway)),
        startHttp('prometheus', () => prometheusContainer(images.prometheus, options)),
      ]
    : [];
  const otlpStart = spansDir ? startHttp('otlp', () => otlpReceiverContainer(images.node, spansDir)) : undefined;
  await settleAll([postgresStart, redisStart, pushgatewayStart, prometheusStart, otlpStart]);
  return {
    postgres: await postgresStart,
    redis: await redisStart,
    pushgateway: await pushgatewayStart,
    prometheus: await prometheusStart,
    otlp: await otlpStart,
  };
}

/**
 * How each service's container is started: `prepare` names it after the run, labels it as the run's, puts it on
 * the run's network under its service name and, on a local engine, publishes on loopback only; `timed` starts it,
 * records how long that took (and, on a local engine, its host PID) in `services`, and says so.
 */
function containerStarter(run: {
  runId: string;
  labels: Record<string, string>;
  local: boolean;
  network: StartedNetwork;
  services: ServiceInfo[];
  log: (line: string) => void;
}) {
  const { runId, labels, local, network, services, log } = run;
  const timed = async <T extends StartedTestContainer>(
    name: string,
    start: () => Promise<T>,
    url: (c: T) => string,
  ): Promise<T> => {
    const t0 = performance.now();
    const container = await start();
    const startMs = Math.round(performance.now() - t0);
    // On a local engine a container's first process is a process of this machine (rootful Podman or Docker:
    // the same PID namespace as /proc here), whose CPU the load read-out samples.
    const pid = local ? await hostPid(container) : undefined;
    services.push({ name, url: url(container), startMs, ...(pid ? { pid } : {}) });
    log(`containers: ${name} up in ${(startMs / 1000).toFixed(1)} s`);
    return container;
  };
  const prepare = <C extends GenericContainer>(container: C, service: string): C => {
    container
      .withNetwork(network)
      .withNetworkAliases(service)
      .withLabels({ ...labels, [LABEL_SERVICE]: service })
      .withName(`mystocks-${runId}-${service}`);
    // A local engine publishes on 127.0.0.1 only (testcontainers' default is every interface).
    if (local) bindToLoopback(container);
    return container;
  };
  return { timed, prepare };
}

/** PostgreSQL with pg_stat_statements, tuned for throw-away data, ready when its real server logs so. */
function postgresContainer(image: string, password: string): PostgreSqlContainer {
  return (
    new PostgreSqlContainer(image)
      .withDatabase(DATABASE)
      .withUsername(DATABASE)
      .withPassword(password)
      // pg_stat_statements: statement statistics for the diagnosis of a failed run (diagnose/).
      .withCommand([
        'postgres',
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        ...['-c', 'shared_preload_libraries=pg_stat_statements'],
      ])
      // Podman without systemd never runs health checks, so the module's default wait (health check) would
      // hang; both the official image and the offline one log this line twice (init server, real server).
      .withHealthCheck(NO_HEALTHCHECK)
      // No Wait.forListeningPorts(): besides its host-side check it runs `docker exec` in the container on
      // every poll, and under Podman without systemd each exec leaves a conmon process behind (54 after one
      // start, measured for issue #15). The second log line is the real server listening; the API's /readyz,
      // which the harness waits for, proves the database reachable.
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .withStartupTimeout(SERVICE_STARTUP_TIMEOUT_MS)
  );
}

/** Redis with the same flags for the official image and the offline one: reachable from the network, no disk. */
function redisContainer(image: string): RedisContainer {
  return new RedisContainer(image)
    .withCommand(['redis-server', '--protected-mode', 'no', '--save', '', '--appendonly', 'no'])
    .withStartupTimeout(SERVICE_STARTUP_TIMEOUT_MS);
}

function pushgatewayContainer(image: string): GenericContainer {
  return new GenericContainer(image)
    .withExposedPorts(PORTS.pushgateway)
    .withWaitStrategy(Wait.forHttp('/-/ready', PORTS.pushgateway))
    .withStartupTimeout(SERVICE_STARTUP_TIMEOUT_MS);
}

/**
 * The reference API, reaching PostgreSQL, Redis and the OTLP receiver (when there is one) by their aliases, ready
 * when /readyz answers 200; its output is kept in `apiLog` for the error when it is not.
 */
function apiContainer(
  image: string,
  options: StackOptions,
  peers: { password: string; otlp: boolean },
  apiLog: string[],
): GenericContainer {
  return (
    new GenericContainer(image)
      .withEnvironment(
        apiEnvironment(
          {
            host: '0.0.0.0',
            port: PORTS.api,
            // On every interface of the container, so the Prometheus container reaches it; the port is not
            // published, so the host (and whatever reaches the host's published app port) cannot.
            metricsHost: '0.0.0.0',
            metricsPort: PORTS.apiMetrics,
            databaseUrl: `postgres://${DATABASE}:${peers.password}@postgres:${PORTS.postgres}/${DATABASE}`,
            redisUrl: `redis://redis:${PORTS.redis}`,
            logLevel: process.env.LOG_LEVEL,
            otlpEndpoint: peers.otlp ? `http://otlp:${PORTS.otlp}` : undefined,
          },
          options,
        ),
      )
      .withExposedPorts(PORTS.api)
      // The image's HEALTHCHECK is for deployments; here the wait below polls /readyz itself, and under
      // Podman without systemd each health check run leaves a conmon process behind.
      .withHealthCheck(NO_HEALTHCHECK)
      .withLogConsumer((stream: Readable) => keepTail(stream, apiLog))
      .withWaitStrategy(Wait.forHttp('/readyz', PORTS.api).forStatusCode(200))
      .withStartupTimeout(API_STARTUP_TIMEOUT_MS)
  );
}

/** The container's first process as this machine's /proc sees it; undefined when the engine does not say. */
async function hostPid(container: StartedTestContainer): Promise<number | undefined> {
  const client = await getContainerRuntimeClient();
  const info = await client.container.inspect(client.container.getById(container.getId())).catch(() => undefined);
  const pid = info?.State?.Pid;
  return typeof pid === 'number' && pid > 0 ? pid : undefined;
}

/** A bridge network labelled like the containers, so the stale clean-up finds it too (Network() takes no labels). */
async function createNetwork(runId: string, labels: Record<string, string>): Promise<StartedNetwork> {
  const client = await getContainerRuntimeClient();
  const name = `mystocks-${runId}`;
  const network = await client.network.create({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels });
  return new StartedNetwork(client, name, network);
}

/** Prometheus with the config every mode shares, scraping the API and the Pushgateway by alias. */
function prometheusContainer(image: string, options: StackOptions): GenericContainer {
  const rules = options.rulesYaml ? ['rules.yml'] : [];
  const config = renderPrometheusConfig({
    apiTarget: `api:${PORTS.apiMetrics}`,
    pushgatewayTarget: `pushgateway:${PORTS.pushgateway}`,
    scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? 1,
    ruleFiles: rules,
  });
  return new GenericContainer(image)
    .withCopyContentToContainer([
      { content: config, target: '/etc/prometheus/prometheus.yml', mode: 0o644 },
      ...(options.rulesYaml ? [{ content: options.rulesYaml, target: '/etc/prometheus/rules.yml', mode: 0o644 }] : []),
    ])
    .withCommand([
      '--config.file=/etc/prometheus/prometheus.yml',
      '--storage.tsdb.path=/prometheus',
      '--web.enable-remote-write-receiver',
      '--web.enable-lifecycle',
      // Keeps the trace ids the API attaches to latency buckets (/api/v1/query_exemplars, diagnose/).
      '--enable-feature=exemplar-storage',
    ])
    .withExposedPorts(PORTS.prometheus)
    .withWaitStrategy(Wait.forHttp('/-/ready', PORTS.prometheus))
    .withStartupTimeout(SERVICE_STARTUP_TIMEOUT_MS);
}

/** The spans file's name in the run's spans directory (host) and in /spans (the receiver container). */
const SPANS_FILE = 'spans.jsonl';

/**
 * The run's host directory of spans, with an empty spans file in it, so the diagnosis finds the file even when no
 * span arrived. The receiver container only appends to that file, so it needs search on the directory and write
 * on the file. Under Podman as root (here) and rootful Docker the container's root may write anyway, and rootless
 * engines map container root to the harness's own user; but a Node image whose user is not root (a team's image
 * with `USER node`, uid 1000, on rootful Docker) could neither enter mkdtemp's 0700 directory nor write a 0644
 * file of another uid: hence 0755 and 0666. The file stays owned by the harness's user, who can always read it.
 */
function createSpansDir(runId: string): string {
  const dir = mkdtempSync(join(tmpdir(), spansDirPrefix(runId)));
  chmodSync(dir, 0o755);
  const file = join(dir, SPANS_FILE);
  writeFileSync(file, '');
  chmodSync(file, 0o666); // set after writing: the mode option of writeFileSync is narrowed by the umask
  return dir;
}

/**
 * The receiver's file in its container: the TypeScript source in a checkout (Node strips its types), and in the
 * installed package its build, an ES module, as .mjs: with no package.json beside it to say "module", the
 * extension does.
 */
export const RECEIVER_TARGET = RECEIVER_SCRIPT.endsWith('.ts') ? '/receiver/receiver.ts' : '/receiver/receiver.mjs';

/**
 * The harness's OTLP receiver (stack/otlp/receiver.ts, node: imports only) in a container of the Node image the
 * API is built on, so no image of its own is needed. It listens on 0.0.0.0 inside the container (the API reaches
 * it as `otlp`, the host on a loopback-published port) and appends to the bind-mounted host spans file.
 */
function otlpReceiverContainer(nodeImage: string, spansDir: string): GenericContainer {
  return new GenericContainer(nodeImage)
    .withCopyFilesToContainer([{ source: RECEIVER_SCRIPT, target: RECEIVER_TARGET, mode: 0o644 }])
    .withBindMounts([{ source: spansDir, target: '/spans', mode: 'rw' }])
    .withCommand(['node', RECEIVER_TARGET, String(PORTS.otlp), `/spans/${SPANS_FILE}`, '0.0.0.0'])
    .withExposedPorts(PORTS.otlp)
    .withWaitStrategy(Wait.forHttp('/ready', PORTS.otlp))
    .withStartupTimeout(SERVICE_STARTUP_TIMEOUT_MS);
}

/**
 * Builds the reference API from reference-api/Dockerfile when no prebuilt image is configured (the laptop and
 * hosted-CI path). Offline machines configure MYSTOCKS_IMAGE_API instead (scripts/build-offline-images.sh), since
 * that build needs the npm registry and the engine's build API offers no host networking.
 */
async function buildApiImage(nodeImage: string, log: (line: string) => void): Promise<string> {
  const t0 = performance.now();
  log(`containers: building the reference API image from reference-api/Dockerfile (NODE_IMAGE=${nodeImage})`);
  await GenericContainer.fromDockerfile(REPO_ROOT, API_DOCKERFILE)
    .withBuildArgs({ NODE_IMAGE: nodeImage })
    .build(BUILT_API_IMAGE, { deleteOnExit: false });
  log(`containers: API image built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return BUILT_API_IMAGE;
}

/** Stops and starts the Redis container itself (not removed), so its alias and mapped port stay the same. */
function redisControls(redis: StartedTestContainer): StackControls {
  const container = async () => (await getContainerRuntimeClient()).container.dockerode.getContainer(redis.getId());
  return {
    async stopRedis() {
      await (await container()).stop({ t: 2 }).catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 304) throw error; // 304: already stopped
      });
    },
    async startRedis() {
      await (await container()).start().catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 304) throw error; // 304: already running
      });
      await waitFor(
        async () => {
          const result = await redis.exec(['redis-cli', 'ping']);
          return result.output.includes('PONG') ? true : undefined;
        },
        { what: 'Redis to answer PING after its restart', timeoutMs: 30_000, intervalMs: 200 },
      );
    },
  };
}

/** http://127.0.0.1:<mapped port> (or the remote engine's host). */
function hostUrl(container: StartedTestContainer, port: number): string {
  return `http://${container.getHost()}:${container.getMappedPort(port)}`;
}

/** Publishes every exposed port on 127.0.0.1 only (the harness's rule: loopback only). */
function bindToLoopback(container: GenericContainer): void {
  // hostConfig is protected in testcontainers' types; its port bindings have no loopback option of their own.
  const hostConfig = (container as unknown as { hostConfig: { PortBindings?: Record<string, { HostIp?: string }[]> } })
    .hostConfig;
  for (const bindings of Object.values(hostConfig.PortBindings ?? {})) {
    for (const binding of bindings) binding.HostIp = '127.0.0.1';
  }
}

/** Keeps the last 60 lines of a container's log, for the error message of a failed start. */
function keepTail(stream: Readable, lines: string[]): void {
  stream.on('data', (chunk: Buffer | string) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > 60) lines.shift();
    }
  });
  stream.on('error', () => {});
}

/** Waits for every promise to settle, then rejects with the first failure (if any). */
async function settleAll(promises: (Promise<unknown> | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(promises.filter((p) => p !== undefined));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
