// The dev overlay run for real under `podman kube play` (Podman 4.3, as root): rendered by deploy/k8s/kustomize.ts,
// translated by deploy/k8s/podman.ts (only what Podman cannot do, and the offline images), played on a network of
// its own, and scraped by a Prometheus on this machine the way its ServiceMonitor says. What it gives is an external
// deployment to `harness verify --stack external` (API_URL and PROMETHEUS_URL); scripts/kube-play.ts is the recipe,
// docs/kubernetes.md ("Run under Podman") says what ran and what was only validated.
//
// Every name is the run's own (`-<suffix>`), so two runs at once do not meet. Stopping is one teardown scope
// (stack/teardown.ts), entered before anything is made: Prometheus, then `podman kube down`, the pods still
// labelled with the run (what kube down missed), the named volumes (kube down 4.3 keeps the claims'), the network
// and the temp folder, newest first, each once, whether the start failed, stop() was called or a signal came.
// Every podman call has a deadline (runCommand kills it after its timeout).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { build, containersOf, K8S_DIR, type K8sObject } from '../../deploy/k8s/kustomize.ts';
import {
  API_DEPLOYMENT,
  KUBE_RUN_LABEL,
  type OfflineImage,
  type PodmanPlay,
  playFile,
  scrapeJobsOf,
  translateForPodman,
} from '../../deploy/k8s/podman.ts';
import { resolveImages } from '../containers/images.ts';
import { LocalPrometheus, type StartedLocalPrometheus } from '../local/prometheus.ts';
import { runCommand } from '../process.ts';
import { currentTeardown, type Teardown } from '../teardown.ts';
import { waitFor } from '../wait.ts';

/** The podman binary (CONTAINER_CLI may name another Podman; Docker has no `kube play`). */
const PODMAN = process.env.CONTAINER_CLI || 'podman';
/** A podman call that changes nothing much (inspect, ps, volume rm). */
const SHORT_MS = 60_000;
/** kube play: creates the volumes, pods and containers and starts them (the images are local). */
const PLAY_MS = 180_000;
/** kube down: stops every container (the API's grace period is 30 s) and removes the pods. */
const DOWN_MS = 120_000;
/** The API's startup probe allows 5 minutes (migrations and the seed); so does this wait for /readyz. */
const READY_MS = 300_000;
/** More restarts of the API while waiting for /readyz than PostgreSQL's first start explains: a crash loop. */
const MAX_RESTARTS = 20;
/** The users the offline images run the public images' services as (deploy/k8s/podman.ts, "images"). */
const IMAGE_USERS = { postgres: 'postgres', redis: 'redis' } as const;
/** The command of an image without an entrypoint of its own (podman.ts: the offline Redis). */
const REDIS_COMMAND = ['redis-server', '--protected-mode', 'no'];

/** What {@link startKubePlay} takes. */
export interface KubePlayOptions {
  /** Turns fault injection on with this admin token (tests, the recipe's --faults); off by default. */
  faultsAdminToken?: string | undefined;
  /** Progress lines. */
  log?: ((line: string) => void) | undefined;
  /** The overlay to render; overlays/dev by default (the one with a PostgreSQL of its own). */
  overlayDir?: string | undefined;
}

/** A running play of the overlay. */
export interface StartedKubePlay extends AsyncDisposable {
  /** The run's suffix, on every name it made (and the value of KUBE_RUN_LABEL on its pods). */
  readonly suffix: string;
  /** The API pod's app port, http://<pod IP>:3000: API_URL for `harness verify --stack external`. */
  readonly apiUrl: string;
  /** The Prometheus that scrapes the pod as the ServiceMonitor says: PROMETHEUS_URL. */
  readonly prometheusUrl: string;
  /** The API's metrics listener, as Prometheus scrapes it. */
  readonly metricsUrl: string;
  /** The network the pods share. */
  readonly network: string;
  /** What ran (the translation's pods, volumes) and the objects only validated. */
  readonly play: PodmanPlay;
  /** The scrape configuration Prometheus runs with (YAML). */
  readonly prometheusConfig: string;
  /** Stops everything (see the file's comment); once, whoever asks. */
  stop(): Promise<void>;
}

const podman = (args: string[], timeoutMs = SHORT_MS) => runCommand(PODMAN, args, { timeoutMs });

/** The offline stand-ins of the manifests' public images, where images.ts names one (env or .harness/images.env). */
async function offlineImages(log: (line: string) => void): Promise<Record<string, OfflineImage>> {
  const { images, sources } = resolveImages();
  const result: Record<string, OfflineImage> = {};
  for (const name of Object.keys(IMAGE_USERS) as (keyof typeof IMAGE_USERS)[]) {
    if (sources[name] === 'default') continue; // no stand-in: the manifest's own pinned image is played
    const image = images[name];
    await podman(['image', 'exists', image]).catch(() => {
      throw new Error(`image ${image} is not here: run scripts/build-offline-images.sh`);
    });
    const user = IMAGE_USERS[name];
    const { stdout } = await podman([
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      'sh',
      image,
      '-c',
      `id -u ${user} && id -g ${user}`,
    ]);
    const [uid, gid] = stdout.trim().split('\n').map(Number);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`${image}: no user ${user} (${stdout})`);
    const entrypoint = (await podman(['image', 'inspect', '--format', '{{json .Config.Entrypoint}}', image])).stdout;
    const ownEntrypoint = !/^(null|\[\])?\s*$/.test(entrypoint.trim());
    result[name] = {
      image,
      uid: uid!,
      gid: gid!,
      ...(name === 'redis' && !ownEntrypoint ? { command: REDIS_COMMAND } : {}),
    };
    log(`kube: ${name} as ${image} (user ${user}, ${uid}:${gid})`);
  }
  return result;
}

/** The pod's IP on `network` (its infra container holds the pod's network namespace). */
async function podAddress(pod: string, network: string): Promise<string> {
  const infra = (await podman(['pod', 'inspect', '--format', '{{.InfraContainerID}}', pod])).stdout.trim();
  const format = `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`;
  const address = (await podman(['inspect', '--format', format, infra])).stdout.trim();
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(address)) throw new Error(`pod ${pod} has no address on ${network}: ${address}`);
  return address;
}

/** The last lines a container logged, for an error message. */
async function logTail(container: string): Promise<string> {
  const { stdout, stderr } = await podman(['logs', '--tail', '30', container]).catch((error: Error) => ({
    stdout: '',
    stderr: error.message,
  }));
  return `${stdout}${stderr}`.trim();
}

/**
 * Waits for the API's /readyz to answer 200, for as long as its startup probe allows; ends early, with the
 * last lines of its container and of the other pods' (`others`), when it keeps crashing. A few restarts are the usual start, as in a cluster: every pod
 * starts at once, and the API exits while PostgreSQL is still running initdb (`connect ECONNREFUSED`); the pod's
 * restart policy (Always, a Deployment's) starts it again.
 */
async function waitForReady(url: string, container: string, others: readonly string[]): Promise<void> {
  const crashed = new AbortController();
  let checks = 0;
  try {
    await waitFor(
      async () => {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
        await response?.body?.cancel();
        if (response?.status === 200) return true;
        if (++checks % 5 === 0) {
          const format = '{{.State.Status}} {{.RestartCount}}';
          const [status, restarts] = (await podman(['inspect', '--format', format, container])).stdout
            .trim()
            .split(' ');
          if (Number(restarts) > MAX_RESTARTS)
            crashed.abort(new Error(`${container} is ${status}, restarted ${restarts} times`));
        }
        return undefined;
      },
      { what: `${url} to answer 200`, timeoutMs: READY_MS, intervalMs: 1_000, signal: crashed.signal },
    );
  } catch (error) {
    const why = crashed.signal.aborted ? (crashed.signal.reason as Error) : (error as Error);
    // The API's lines say what it waited for; the others' say why that never came (PostgreSQL's initdb, say).
    const tails = [`${container} logged:\n${await logTail(container)}`];
    for (const other of others) tails.push(`${other} logged:\n${await logTail(other)}`);
    throw new Error(`${why.message}; ${tails.join('\n')}`);
  }
}

/** The rendered overlay and its translation, written to the kube play file in a folder of the run's. */
async function writePlay(
  scope: Teardown,
  options: KubePlayOptions,
  suffix: string,
): Promise<{ rendered: K8sObject[]; play: PodmanPlay; file: string }> {
  const rendered = build(options.overlayDir ?? join(K8S_DIR, 'overlays', 'dev'));
  const images = await offlineImages(options.log ?? (() => {}));
  // The two Secrets of docs/kubernetes.md ("The Secret"), made up for this run.
  const password = randomBytes(16).toString('hex');
  const play = translateForPodman(rendered, {
    suffix,
    images,
    secrets: {
      'mystocks-postgres': { POSTGRES_PASSWORD: password },
      'mystocks-api': { DATABASE_URL: `postgres://mystocks:${password}@mystocks-postgres:5432/mystocks` },
    },
    faultsAdminToken: options.faultsAdminToken,
  });
  const dir = mkdtempSync(join(tmpdir(), `mystocks-kube-${suffix}-`));
  scope.add('kube play folder', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'play.yaml');
  // It holds the run's password: readable by its owner only.
  writeFileSync(file, playFile(play), { mode: 0o600 });
  return { rendered, play, file };
}

/**
 * The run's stop actions, added before what they undo is made; they run newest first: kube down, the pods still
 * labelled with the run, the volumes, the network.
 */
function addStops(scope: Teardown, suffix: string, network: string, play: PodmanPlay, file: string): void {
  scope.add(`network ${network}`, async () => {
    await podman(['network', 'rm', '--force', network]);
  });
  scope.add(`volumes of ${suffix}`, async () => {
    const { stdout } = await podman(['volume', 'ls', '--format', '{{.Name}}']);
    const left = stdout.split('\n').filter((name) => play.volumes.includes(name));
    if (left.length > 0) await podman(['volume', 'rm', '--force', ...left]);
  });
  scope.add(`pods of ${suffix}`, async () => {
    const { stdout } = await podman(['pod', 'ps', '--quiet', '--filter', `label=${KUBE_RUN_LABEL}=${suffix}`]);
    const left = stdout.split('\n').filter(Boolean);
    if (left.length > 0) await podman(['pod', 'rm', '--force', ...left], DOWN_MS);
  });
  scope.add('podman kube down', async () => {
    await podman(['kube', 'down', file], DOWN_MS);
  });
}

/** A Prometheus on this machine with the ServiceMonitor's scrape job, once it has scraped the API pod. */
async function startPrometheus(
  rendered: K8sObject[],
  play: PodmanPlay,
  addresses: Map<string, string>,
  log: (line: string) => void,
): Promise<{ prometheus: StartedLocalPrometheus; config: string; target: string }> {
  const jobs = scrapeJobsOf(rendered, play, (pod) => addresses.get(pod) ?? pod);
  const config = stringify({ scrape_configs: jobs });
  const prometheus = await new LocalPrometheus({ config }).start();
  const target = jobs.flatMap((j) => j.static_configs.flatMap((c) => c.targets))[0] ?? '';
  log(`kube: Prometheus ${prometheus.url} scrapes ${jobs.map((j) => j.job_name).join(', ')} at ${target}`);
  await waitFor(
    async () => {
      const query = encodeURIComponent(`up{job="${API_DEPLOYMENT}"} == 1`);
      const response = await fetch(`${prometheus.url}/api/v1/query?query=${query}`, {
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await response.json()) as { data?: { result?: unknown[] } };
      return (body.data?.result?.length ?? 0) > 0 ? true : undefined;
    },
    // The first scrape comes within one interval (15 s in the ServiceMonitor) of the start.
    { what: `Prometheus's first scrape of ${target}`, timeoutMs: 60_000, intervalMs: 1_000 },
  );
  return { prometheus, config, target };
}

/** The API container's port of `name` (http), as played. */
function apiPort(play: PodmanPlay, name: string): number {
  const deployment = play.objects.find(
    (o) => o.kind === 'Deployment' && o.metadata.name.startsWith(`${API_DEPLOYMENT}-`),
  );
  for (const container of containersOf(deployment))
    for (const port of (container.ports ?? []) as { name?: string; containerPort?: number }[])
      if (port.name === name && port.containerPort !== undefined) return port.containerPort;
  throw new Error(`the API container has no port named ${name}`);
}

/**
 * Renders the overlay, translates it, plays it on a network of its own, waits for the API's /readyz, and starts a
 * Prometheus scraping it as the ServiceMonitor says, then waits for its first scrape (so a load run's window
 * starts with data). Throws, having stopped whatever started, when any step fails.
 */
export async function startKubePlay(options: KubePlayOptions = {}): Promise<StartedKubePlay> {
  const log = options.log ?? (() => {});
  // Letters and digits only: the suffix goes into pod, volume and network names.
  const suffix = `k${randomBytes(4).toString('hex')}`;
  const network = `mystocks-kube-${suffix}`;
  const scope = currentTeardown().child(`kube play ${suffix}`);
  try {
    return await scope.enter(async () => {
      const { rendered, play, file } = await writePlay(scope, options, suffix);
      addStops(scope, suffix, network, play, file);
      await podman(['network', 'create', '--label', `${KUBE_RUN_LABEL}=${suffix}`, network]);
      log(`kube: playing ${play.pods.map((p) => p.pod).join(', ')} on network ${network}`);
      log(`kube: only validated, not run by Podman: ${play.notPlayed.join(', ')}`);
      await podman(['kube', 'play', '--quiet', '--network', network, file], PLAY_MS);

      const api = play.pods.find((p) => p.deployment === API_DEPLOYMENT);
      if (api === undefined) throw new Error(`the overlay has no Deployment ${API_DEPLOYMENT}`);
      const addresses = new Map<string, string>();
      for (const pod of play.pods) addresses.set(pod.pod, await podAddress(pod.pod, network));
      const apiUrl = `http://${addresses.get(api.pod)}:${apiPort(play, 'http')}`;
      log(`kube: waiting for ${apiUrl}/readyz (migrations and the seed run first)`);
      const others = play.pods.filter((pod) => pod !== api).flatMap((pod) => pod.containers);
      await waitForReady(`${apiUrl}/readyz`, api.containers[0]!, others);
      const { prometheus, config, target } = await startPrometheus(rendered, play, addresses, log);

      const stop = () => scope.close();
      return {
        suffix,
        apiUrl,
        prometheusUrl: prometheus.url,
        metricsUrl: `http://${target}`,
        network,
        play,
        prometheusConfig: config,
        stop,
        [Symbol.asyncDispose]: stop,
      };
    });
  } catch (error) {
    await scope.close();
    throw error;
  }
}
