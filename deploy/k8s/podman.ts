// The dev overlay, translated for `podman kube play` (Podman 4.3): the same rendered manifests (kustomize.ts's
// output), changed only where Podman cannot do what Kubernetes does, or where the offline images
// (scripts/build-offline-images.sh) differ from the public ones the manifests pin. Pure: no process, no file; the
// run itself is stack/kube/play.ts. docs/kubernetes.md ("Run under Podman") lists what ran and what was only
// validated. Each change, and why:
//
// What Podman cannot do:
//   kinds       kube play runs Deployments, PersistentVolumeClaims and ConfigMaps (and Pods); everything else
//               (Namespace, ServiceAccount, Role, RoleBinding, Service, NetworkPolicy, HorizontalPodAutoscaler,
//               PodDisruptionBudget, ServiceMonitor, PrometheusRule, Ingress) is left out of what it is given and
//               listed in `notPlayed`. The ServiceMonitor is read instead: scrapeJobsOf() turns it into the
//               Prometheus scrape job it describes.
//   Services    no ClusterIP, no DNS name, nothing spreads requests over a Deployment's pods. The pods share a
//               network of their own whose DNS answers to each pod's name (`<deployment>-<suffix>-pod-0`), so a
//               Service's name used as a host in a value (REDIS_URL, the Secret's DATABASE_URL) becomes the name of
//               the pod behind it; and every Deployment runs 1 replica (Podman 4.3 does start `replicas` pods, -pod-0,
//               -pod-1, ..., but the harness reaches one pod by its address and nothing would send the others a
//               request).
//   Secrets     given a Secret (stringData), kube play 4.3.1 made a Podman secret of it, refused to start the
//               container reading it ("secret ... is not valid JSON") and kube down left the secret behind:
//               secretKeyRef and envFrom secretRef become literal env values, from `secrets` (what `kubectl create
//               secret` would have been given).
//   names       one Podman host holds one pod or volume of a name, across runs: Deployments (so their pods) and
//               PersistentVolumeClaims (named volumes) get `-<suffix>`; a pod's volumes become
//               `<deployment>-<volume>-<suffix>` (4.3 makes an emptyDir a named volume of the pod volume's name,
//               shared by every pod that names it: the API's `tmp` and PostgreSQL's would be one); each pod gets
//               a label naming the run (KUBE_RUN_LABEL), by which what a killed run left can be found.
//   Ingress     not run, so no TLS in front of the API: the harness reaches the pod over plain HTTP, where a
//               cookie marked Secure never comes back. MYSTOCKS_COOKIE_SECURE becomes `auto` (Secure when the
//               request came over HTTPS), the service's own default.
// Where the offline images differ from the pinned public ones (no registry is reachable here):
//   images      `postgres:*` and `redis:*` become the offline images `images` names. Their users are Debian's, not
//               the official Alpine images' (70, 999): the pod's runAsUser, runAsGroup and fsGroup become the ids of
//               the image's own user (initdb refuses a uid without a passwd entry). The official Redis image's
//               entrypoint puts bare args after `redis-server` and its build turns protected mode off; the offline
//               one has neither, so its `command` is given (OfflineImage.command).
// For a test or a recipe that injects faults (`faultsAdminToken`, never by default):
//   faults      the API's ConfigMap gets MYSTOCKS_FAULTS_ADMIN_TOKEN and MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION=true,
//               so `PUT /admin/faults` works on the running pod (the manifests refuse faults three ways).
// Everything else (images of the API, probes, env, ports, resources, security contexts, volumes' mounts) is
// passed as rendered. Podman ignores what it does not implement (topology spread, service accounts, emptyDir
// sizeLimit) and, without systemd, runs no health check of the probes.
import { type K8sObject, splitImage } from './kustomize.ts';

/** The kinds `podman kube play` 4.3 runs; every other object of the overlay is only validated. */
export const PLAYED_KINDS: readonly string[] = ['ConfigMap', 'PersistentVolumeClaim', 'Deployment'];
/** The API's Deployment in the manifests: its ConfigMap is the one the cookie and fault settings go into. */
export const API_DEPLOYMENT = 'mystocks-api';
/** The label each translated pod carries, its value the run's suffix. */
export const KUBE_RUN_LABEL = 'io.mystocks.harness.kube-run';

/** An offline image standing in for a public one, with the user it runs as. */
export interface OfflineImage {
  /** The offline image, e.g. localhost/mystocks/postgres:15. */
  image: string;
  /** Its user's uid and gid (looked up in the image: Debian allocates them at install time). */
  uid: number;
  gid: number;
  /** A command to run the manifest's args with, when the image's own entrypoint does not take them alone. */
  command?: string[];
}

/** What the translation needs besides the rendered objects. */
export interface PodmanTranslationOptions {
  /** Appended (`-<suffix>`) to every name Podman keeps host-wide: lowercase letters and digits. */
  suffix: string;
  /** Each Secret the manifests name: its keys and values, as `kubectl create secret` would be given them. */
  secrets: Record<string, Record<string, string>>;
  /** Offline images by the public image's name without its tag (`postgres`, `redis`). */
  images: Record<string, OfflineImage>;
  /** Fault injection on the API, with this admin token (at least 32 characters); off when absent. */
  faultsAdminToken?: string | undefined;
}

/** A pod kube play will start, and what it came from. */
export interface PlayedPod {
  /** The Deployment's name in the manifests (mystocks-api). */
  deployment: string;
  /** Podman's pod, which is also its host name on the run's network (mystocks-api-<suffix>-pod-0). */
  pod: string;
  /** Its containers' names as Podman names them (`<pod>-<container>`). */
  containers: string[];
}

/** The translation: what to give kube play, and what it leaves behind to remove. */
export interface PodmanPlay {
  /** The objects kube play is given, in the manifests' order. */
  objects: K8sObject[];
  /** The objects only validated, as `Kind name`. */
  notPlayed: string[];
  pods: PlayedPod[];
  /** The named volumes the pods create (PersistentVolumeClaims and emptyDirs): kube down 4.3 keeps the claims'. */
  volumes: string[];
}

type Fields = Record<string, unknown>;
const isMap = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const maps = (value: unknown): Fields[] => (Array.isArray(value) ? value.filter(isMap) : []);

/** The template's pod spec of a Deployment. */
function podSpec(deployment: K8sObject): Fields {
  const spec = (deployment.spec as Fields | undefined)?.template as Fields | undefined;
  const pod = spec?.spec;
  if (!isMap(pod)) throw new Error(`Deployment ${deployment.metadata.name} has no pod template`);
  return pod;
}

function templateLabels(deployment: K8sObject): Record<string, string> {
  const template = (deployment.spec as Fields | undefined)?.template as Fields | undefined;
  const labels = (template?.metadata as Fields | undefined)?.labels;
  return isMap(labels) ? (labels as Record<string, string>) : {};
}

/** A selector's matchLabels (or a Service's plain selector map) holds for `labels`. */
function selects(selector: unknown, labels: Record<string, string>): boolean {
  if (!isMap(selector)) return false;
  const wanted = isMap(selector.matchLabels) ? selector.matchLabels : selector;
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

/** The Podman pod name of a Deployment's first (only) replica. */
export function podNameOf(deploymentName: string, suffix: string): string {
  return `${deploymentName}-${suffix}-pod-0`;
}

/** `host` replaced wherever it stands as a URL's host: after `//` or `@`, before `:`, `/` or the end. */
function replaceHost(value: string, host: string, by: string): string {
  const escaped = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return value.replace(new RegExp(`(?<=//|@)${escaped}(?=[:/]|$)`, 'g'), by);
}

/** The translation of the rendered overlay for `podman kube play` (the file's comment says what and why). */
export function translateForPodman(rendered: readonly K8sObject[], options: PodmanTranslationOptions): PodmanPlay {
  if (!/^[a-z0-9]+$/.test(options.suffix)) throw new Error(`suffix ${options.suffix}: lowercase letters and digits`);
  const objects = structuredClone(rendered) as K8sObject[];
  const suffixed = (name: string) => `${name}-${options.suffix}`;
  const deployments = objects.filter((o) => o.kind === 'Deployment');

  // Services: their names, as hosts, become the pod behind them.
  const hosts = new Map<string, string>();
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const selector = (service.spec as Fields | undefined)?.selector;
    const behind = deployments.filter((d) => selects(selector, templateLabels(d)));
    if (behind.length === 1) hosts.set(service.metadata.name, podNameOf(behind[0]!.metadata.name, options.suffix));
  }
  const rehost = (value: string) => [...hosts].reduce((text, [service, pod]) => replaceHost(text, service, pod), value);
  const secretValue = (secret: unknown, key: unknown): string => {
    const value = options.secrets[String(secret)]?.[String(key)];
    if (value === undefined) throw new Error(`Secret ${String(secret)}: no value for ${String(key)} was given`);
    return rehost(value);
  };

  const apiConfigMaps = new Set<string>();
  const pods: PlayedPod[] = [];
  const volumes: string[] = [];
  for (const deployment of deployments) {
    const original = deployment.metadata.name;
    deployment.metadata.name = suffixed(original);
    (deployment.spec as Fields).replicas = 1;
    const template = (deployment.spec as Fields).template as Fields;
    const templateMetadata = (template.metadata ?? {}) as Fields;
    template.metadata = templateMetadata;
    templateMetadata.labels = { ...templateLabels(deployment), [KUBE_RUN_LABEL]: options.suffix };
    const pod = podSpec(deployment);

    for (const volume of maps(pod.volumes)) {
      const oldName = String(volume.name);
      // The Deployment's name too: an emptyDir is a pod's own, and two pods' `tmp` must not be one volume.
      volume.name = suffixed(`${original}-${oldName}`);
      if (isMap(volume.persistentVolumeClaim)) {
        volume.persistentVolumeClaim.claimName = suffixed(String(volume.persistentVolumeClaim.claimName));
        volumes.push(volume.persistentVolumeClaim.claimName as string);
      } else volumes.push(volume.name as string);
      for (const container of maps(pod.containers))
        for (const mount of maps(container.volumeMounts)) if (mount.name === oldName) mount.name = volume.name;
    }

    const containers = maps(pod.containers);
    for (const container of containers) {
      const offline = options.images[splitImage(String(container.image)).name];
      if (offline) {
        container.image = offline.image;
        if (offline.command) container.command = offline.command;
        const context = (pod.securityContext ?? {}) as Fields;
        pod.securityContext = { ...context, runAsUser: offline.uid, runAsGroup: offline.gid, fsGroup: offline.gid };
      }
      const env = maps(container.env);
      for (const entry of env) {
        const ref = isMap(entry.valueFrom) ? entry.valueFrom.secretKeyRef : undefined;
        if (isMap(ref)) {
          delete entry.valueFrom;
          entry.value = secretValue(ref.name, ref.key);
        } else if (typeof entry.value === 'string') entry.value = rehost(entry.value);
      }
      const envFrom: Fields[] = [];
      for (const source of maps(container.envFrom)) {
        if (isMap(source.secretRef)) {
          const secret = String(source.secretRef.name);
          const values = options.secrets[secret];
          if (values === undefined) throw new Error(`Secret ${secret}: no values were given`);
          for (const key of Object.keys(values)) env.push({ name: key, value: secretValue(secret, key) });
        } else {
          envFrom.push(source);
          if (original === API_DEPLOYMENT && isMap(source.configMapRef))
            apiConfigMaps.add(String(source.configMapRef.name));
        }
      }
      if (container.envFrom !== undefined) container.envFrom = envFrom;
      if (env.length > 0) container.env = env;
    }
    pods.push({
      deployment: original,
      pod: podNameOf(original, options.suffix),
      containers: containers.map((c) => `${podNameOf(original, options.suffix)}-${String(c.name)}`),
    });
  }

  for (const claim of objects.filter((o) => o.kind === 'PersistentVolumeClaim'))
    claim.metadata.name = suffixed(claim.metadata.name);
  for (const map of objects.filter((o) => o.kind === 'ConfigMap')) {
    const data = (map.data ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries(data)) data[key] = rehost(value);
    if (!apiConfigMaps.has(map.metadata.name)) continue;
    data.MYSTOCKS_COOKIE_SECURE = 'auto';
    if (options.faultsAdminToken !== undefined) {
      data.MYSTOCKS_FAULTS_ADMIN_TOKEN = options.faultsAdminToken;
      data.MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION = 'true';
    }
  }

  return {
    objects: objects.filter((o) => PLAYED_KINDS.includes(o.kind)),
    notPlayed: objects.filter((o) => !PLAYED_KINDS.includes(o.kind)).map((o) => `${o.kind} ${o.metadata.name}`),
    pods,
    volumes,
  };
}

/**
 * The kube play file: every object as JSON (YAML 1.2 text read as YAML 1.1 by Podman would turn Redis's `no`
 * argument into a boolean; JSON is YAML either way), one document each.
 */
export function playFile(play: PodmanPlay): string {
  return `${play.objects.map((o) => JSON.stringify(o, null, 2)).join('\n---\n')}\n`;
}

/** A Prometheus scrape job as the Prometheus Operator makes one of a ServiceMonitor's endpoints. */
export interface ScrapeJob {
  job_name: string;
  metrics_path: string;
  scrape_interval?: string;
  static_configs: { targets: string[]; labels: Record<string, string> }[];
}

/**
 * The scrape jobs the rendered ServiceMonitors describe, each endpoint's targets being the pods behind the Services
 * they select, at `address(pod)` (the pod's IP on the run's network) and the container port the Service's port
 * names. The job is the Service's name, the label the Operator gives the series (it names its own job
 * `serviceMonitor/<namespace>/<name>/<i>` and relabels `job` to the Service's name; naming the job so here lets
 * `harness verify` find its scrape interval by job). Labels as the Operator sets them: namespace, service, pod,
 * container, endpoint.
 */
export function scrapeJobsOf(
  rendered: readonly K8sObject[],
  play: PodmanPlay,
  address: (pod: string) => string,
): ScrapeJob[] {
  const jobs: ScrapeJob[] = [];
  const services = rendered.filter((o) => o.kind === 'Service');
  for (const monitor of rendered.filter((o) => o.kind === 'ServiceMonitor')) {
    const spec = (monitor.spec ?? {}) as Fields;
    for (const service of services.filter((s) => selects(spec.selector, s.metadata.labels ?? {}))) {
      const serviceSpec = (service.spec ?? {}) as Fields;
      for (const endpoint of maps(spec.endpoints)) {
        const port = maps(serviceSpec.ports).find((p) => p.name === endpoint.port);
        if (port === undefined) continue;
        const targetPort = port.targetPort ?? port.port;
        const targets: ScrapeJob['static_configs'] = [];
        for (const deployment of rendered.filter((o) => o.kind === 'Deployment')) {
          if (!selects(serviceSpec.selector, templateLabels(deployment))) continue;
          const played = play.pods.find((p) => p.deployment === deployment.metadata.name);
          if (played === undefined) continue;
          for (const container of maps(podSpec(deployment).containers)) {
            const containerPort = maps(container.ports).find(
              (p) => p.name === targetPort || p.containerPort === targetPort,
            );
            if (containerPort === undefined) continue;
            targets.push({
              targets: [`${address(played.pod)}:${String(containerPort.containerPort)}`],
              labels: {
                namespace: service.metadata.namespace ?? 'default',
                service: service.metadata.name,
                pod: played.pod,
                container: String(container.name),
                endpoint: String(endpoint.port),
              },
            });
          }
        }
        jobs.push({
          job_name: service.metadata.name,
          metrics_path: typeof endpoint.path === 'string' ? endpoint.path : '/metrics',
          ...(typeof endpoint.interval === 'string' ? { scrape_interval: endpoint.interval } : {}),
          static_configs: targets,
        });
      }
    }
  }
  return jobs;
}
