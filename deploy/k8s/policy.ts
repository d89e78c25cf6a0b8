// Policy checks of a rendered deployment (deploy/k8s/kustomize.ts's output): what a schema cannot see because it
// spans objects. Each check returns its problems as sentences naming the objects; none means the policy holds.
// deploy/k8s/k8s.test.ts runs them on both overlays and on load-generator/, and shows each catches its mutation.
//
// What is read, and what is not: label selectors by matchLabels only (a selector with matchExpressions is reported,
// not evaluated); NetworkPolicy peers by namespaceSelector/podSelector matchLabels (ipBlock peers never match a
// pod); a port by name or number.
import { containersOf, type K8sObject, splitImage } from './kustomize.ts';

/** What the checks need to know from outside the manifests. */
export interface PolicyContext {
  /** Paths of the service's GET routes: every HTTP probe must name one. */
  routes: ReadonlySet<string>;
  /** Environment variables the service reads: every key the API's container gets must be one. */
  envVars: ReadonlySet<string>;
  /** Prometheus's pods as a NetworkPolicy sees them: their namespace's labels and their own. */
  prometheus: { namespaceLabels: Record<string, string>; podLabels: Record<string, string> };
  /** Image name (without registry) of the project's own API: pinned by its overlay's tag, never `latest`. */
  apiImage: string;
}

type Fields = Record<string, unknown>;
type Labels = Record<string, string>;
interface Port {
  name?: string;
  containerPort?: number;
  port?: number | string;
  targetPort?: number | string;
  protocol?: string;
}
interface Workload {
  object: K8sObject;
  labels: Labels;
  containers: Fields[];
  pod: Fields;
}

const isMap = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (isMap(v) ? v[key] : undefined), value);
const labelsAt = (value: unknown): Labels => (isMap(value) ? (value as Labels) : {});
const list = (value: unknown): Fields[] => (Array.isArray(value) ? value.filter(isMap) : []);
const name = (o: K8sObject) => `${o.kind} ${o.metadata.name}`;
const show = (labels: Labels) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
const sameNamespace = (a: K8sObject, b: K8sObject) => a.metadata.namespace === b.metadata.namespace;

/** The image is the project's API, from whatever registry (`mystocks/api`, `registry.example.com/mystocks/api:1`). */
function isApiImage(image: unknown, context: PolicyContext): boolean {
  const { name: imageName } = splitImage(String(image));
  return imageName === context.apiImage || imageName.endsWith(`/${context.apiImage}`);
}

/** matchLabels of a selector holds for `labels` (an empty selector selects everything, as Kubernetes says). */
export function selects(selector: unknown, labels: Labels): boolean {
  const matchLabels = labelsAt(at(selector, 'matchLabels'));
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
}

/** Objects running pods from a template: Deployments, StatefulSets, DaemonSets, Jobs. */
export function workloadsOf(objects: K8sObject[]): Workload[] {
  return objects.flatMap((object) => {
    const template = at(object, 'spec', 'template');
    if (!isMap(template)) return [];
    const pod = at(template, 'spec');
    return [
      {
        object,
        labels: labelsAt(at(template, 'metadata', 'labels')),
        containers: [...containersOf(pod)],
        pod: isMap(pod) ? pod : {},
      },
    ];
  });
}

function selectedPods(objects: K8sObject[], by: K8sObject, selector: unknown): Workload[] {
  return workloadsOf(objects).filter((w) => sameNamespace(w.object, by) && selects(selector, w.labels));
}

function servicesOf(objects: K8sObject[]): K8sObject[] {
  return objects.filter((o) => o.kind === 'Service');
}

/** A container's port by name or number, or undefined. */
function containerPort(workload: Workload, port: unknown): Port | undefined {
  for (const container of workload.containers)
    for (const p of list(container.ports) as Port[])
      if (p.name === port || p.containerPort === port || (typeof port === 'string' && String(p.containerPort) === port))
        return p;
  return undefined;
}

/** Selectors that select: a workload's own pods, and each Service, PDB, NetworkPolicy and ServiceMonitor its targets. */
export function checkSelectors(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const w of workloadsOf(objects)) {
    // A Job's selector is Kubernetes's to write (from its controller's uid) unless it asks for its own.
    if (w.object.kind === 'Job' && at(w.object, 'spec', 'manualSelector') !== true) continue;
    const selector = at(w.object, 'spec', 'selector');
    if (!selects(selector, w.labels) || Object.keys(labelsAt(at(selector, 'matchLabels'))).length === 0)
      problems.push(
        `${name(w.object)}: selector ${show(labelsAt(at(selector, 'matchLabels')))} does not match its own pod template (${show(w.labels)})`,
      );
  }
  for (const o of objects) {
    const selector =
      o.kind === 'Service'
        ? { matchLabels: at(o, 'spec', 'selector') }
        : ['PodDisruptionBudget', 'ServiceMonitor'].includes(o.kind)
          ? at(o, 'spec', 'selector')
          : o.kind === 'NetworkPolicy'
            ? at(o, 'spec', 'podSelector')
            : undefined;
    if (selector === undefined) continue;
    if (at(selector, 'matchExpressions') !== undefined)
      problems.push(`${name(o)}: selector uses matchExpressions, which these checks do not evaluate`);
    const matchLabels = labelsAt(at(selector, 'matchLabels'));
    const targets =
      o.kind === 'ServiceMonitor'
        ? servicesOf(objects).filter((s) => sameNamespace(s, o) && selects(selector, labelsAt(s.metadata.labels)))
        : selectedPods(objects, o, selector);
    if (targets.length === 0)
      problems.push(
        `${name(o)}: selector ${show(matchLabels)} matches no ${o.kind === 'ServiceMonitor' ? 'Service' : 'pod template'}`,
      );
  }
  return problems;
}

/** Replicas a workload keeps at least: its own count, or its HPA's minReplicas when one targets it. */
function leastReplicas(objects: K8sObject[], workload: K8sObject): number {
  const own = Number(at(workload, 'spec', 'replicas') ?? 1);
  const hpa = objects.find(
    (o) =>
      o.kind === 'HorizontalPodAutoscaler' &&
      sameNamespace(o, workload) &&
      at(o, 'spec', 'scaleTargetRef', 'kind') === workload.kind &&
      at(o, 'spec', 'scaleTargetRef', 'name') === workload.metadata.name,
  );
  return hpa === undefined ? own : Math.min(own, Number(at(hpa, 'spec', 'minReplicas') ?? 1));
}

/**
 * A PDB lets a drain through: fewer pods must stay than run, so one can always be evicted, and at least one
 * stays. A percentage is of the replicas, rounded up as the disruption controller rounds minAvailable.
 */
export function checkDisruptionBudgets(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    for (const w of selectedPods(objects, pdb, at(pdb, 'spec', 'selector'))) {
      const replicas = leastReplicas(objects, w.object);
      const raw = at(pdb, 'spec', 'minAvailable');
      if (raw === undefined) {
        problems.push(`${name(pdb)}: no minAvailable, so nothing keeps a replica of ${name(w.object)} through a drain`);
        continue;
      }
      const min = typeof raw === 'string' ? Math.ceil((Number.parseFloat(raw) / 100) * replicas) : Number(raw);
      if (min >= replicas)
        problems.push(
          `${name(pdb)}: minAvailable ${raw} is not below the ${replicas} replicas of ${name(w.object)}: a drain could never evict one`,
        );
      if (min < 1)
        problems.push(`${name(pdb)}: minAvailable ${raw} keeps no replica of ${name(w.object)} through a drain`);
    }
  }
  return problems;
}

/** Every HTTP probe asks a route the service has, on a port its container has. */
export function checkProbes(objects: K8sObject[], routes: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const w of workloadsOf(objects))
    for (const container of w.containers)
      for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const get = at(container, kind, 'httpGet');
        if (!isMap(get)) continue;
        const where = `${name(w.object)}, container ${String(container.name)}: ${kind}`;
        if (!routes.has(String(get.path)))
          problems.push(`${where} GET ${String(get.path)} is not a route of the service`);
        if (containerPort({ ...w, containers: [container] }, get.port) === undefined)
          problems.push(`${where} port ${JSON.stringify(get.port)} is not a port of the container`);
      }
  return problems;
}

/** The Service port a ServiceMonitor endpoint or an Ingress backend names (by name, or by number for an Ingress). */
function servicePort(service: K8sObject, port: unknown): Port | undefined {
  return (list(at(service, 'spec', 'ports')) as Port[]).find((p) => p.name === port || p.port === port);
}

/** Ports agree: Service -> pods, ServiceMonitor -> Service, Ingress -> Service, NetworkPolicy -> pods. */
export function checkPorts(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const services = servicesOf(objects);
  for (const s of services)
    for (const p of list(at(s, 'spec', 'ports')) as Port[])
      for (const w of selectedPods(objects, s, { matchLabels: at(s, 'spec', 'selector') }))
        if (containerPort(w, p.targetPort ?? p.port) === undefined)
          problems.push(
            `${name(s)}: port ${String(p.name ?? p.port)} targets ${JSON.stringify(p.targetPort ?? p.port)}, which is not a port of ${name(w.object)}'s pods`,
          );
  for (const m of objects.filter((o) => o.kind === 'ServiceMonitor'))
    for (const endpoint of list(at(m, 'spec', 'endpoints')))
      for (const s of services.filter(
        (x) => sameNamespace(x, m) && selects(at(m, 'spec', 'selector'), labelsAt(x.metadata.labels)),
      ))
        if (servicePort(s, endpoint.port) === undefined)
          problems.push(`${name(m)}: port ${JSON.stringify(endpoint.port)} is not a port of ${name(s)}`);
  for (const ingress of objects.filter((o) => o.kind === 'Ingress'))
    for (const rule of list(at(ingress, 'spec', 'rules')))
      for (const path of list(at(rule, 'http', 'paths'))) {
        const backend = at(path, 'backend', 'service');
        const target = services.find((s) => sameNamespace(s, ingress) && s.metadata.name === at(backend, 'name'));
        const port = at(backend, 'port', 'name') ?? at(backend, 'port', 'number');
        if (target === undefined)
          problems.push(`${name(ingress)}: backend Service ${String(at(backend, 'name'))} does not exist`);
        else if (servicePort(target, port) === undefined)
          problems.push(`${name(ingress)}: backend port ${JSON.stringify(port)} is not a port of ${name(target)}`);
      }
  for (const policy of objects.filter((o) => o.kind === 'NetworkPolicy'))
    for (const rule of list(at(policy, 'spec', 'ingress')))
      for (const p of list(rule.ports) as Port[])
        for (const w of selectedPods(objects, policy, at(policy, 'spec', 'podSelector')))
          if (containerPort(w, p.port) === undefined)
            problems.push(
              `${name(policy)}: ingress port ${JSON.stringify(p.port)} is not a port of ${name(w.object)}'s pods`,
            );
  return problems;
}

/** Every HPA scales a workload that exists, from no fewer replicas than the PDB's reasoning assumes. */
export function checkAutoscalers(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const ref = at(hpa, 'spec', 'scaleTargetRef');
    const target = objects.find(
      (o) => sameNamespace(o, hpa) && o.kind === at(ref, 'kind') && o.metadata.name === at(ref, 'name'),
    );
    if (target === undefined || at(target, 'spec', 'template') === undefined)
      problems.push(
        `${name(hpa)}: scaleTargetRef ${String(at(ref, 'kind'))} ${String(at(ref, 'name'))} is not a workload of this deployment`,
      );
  }
  return problems;
}

/** A NetworkPolicy peer admits a pod with these namespace and pod labels from another namespace. */
function peerAdmits(peer: Fields, namespaceLabels: Labels, podLabels: Labels): boolean {
  // A peer without namespaceSelector means the policy's own namespace, never Prometheus's here (it runs in a
  // namespace of its own); an ipBlock names addresses, not pods.
  if (peer.namespaceSelector === undefined || peer.ipBlock !== undefined) return false;
  return (
    selects(peer.namespaceSelector, namespaceLabels) &&
    (peer.podSelector === undefined || selects(peer.podSelector, podLabels))
  );
}

/** The policy restricts traffic into its pods: policyTypes names Ingress, or is absent (then Ingress always is). */
function ingressRestricted(policy: K8sObject): boolean {
  const types = at(policy, 'spec', 'policyTypes');
  return !Array.isArray(types) || types.includes('Ingress');
}

/** Some policy over the pods admits Prometheus on the port (no policy of Ingress type over them: all admitted). */
function scrapeAdmitted(objects: K8sObject[], w: Workload, port: Port, context: PolicyContext): boolean {
  const policies = objects.filter(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      sameNamespace(o, w.object) &&
      selects(at(o, 'spec', 'podSelector'), w.labels) &&
      ingressRestricted(o),
  );
  if (policies.length === 0) return true;
  const { namespaceLabels, podLabels } = context.prometheus;
  return policies.some((policy) =>
    list(at(policy, 'spec', 'ingress')).some((rule) => {
      const from = list(rule.from);
      const ports = list(rule.ports) as Port[];
      const peerOk = rule.from === undefined || from.some((peer) => peerAdmits(peer, namespaceLabels, podLabels));
      const portOk =
        rule.ports === undefined || ports.some((p) => p.port === port.name || p.port === port.containerPort);
      return peerOk && portOk;
    }),
  );
}

/** Each ServiceMonitor's scrape reaches the pods: the port it names, through its Service, past the NetworkPolicies. */
export function checkScrapeAdmitted(objects: K8sObject[], context: PolicyContext): string[] {
  const problems: string[] = [];
  for (const m of objects.filter((o) => o.kind === 'ServiceMonitor'))
    for (const endpoint of list(at(m, 'spec', 'endpoints')))
      for (const s of servicesOf(objects).filter(
        (x) => sameNamespace(x, m) && selects(at(m, 'spec', 'selector'), labelsAt(x.metadata.labels)),
      )) {
        const sp = servicePort(s, endpoint.port);
        if (sp === undefined) continue; // checkPorts reports it
        for (const w of selectedPods(objects, s, { matchLabels: at(s, 'spec', 'selector') })) {
          const port = containerPort(w, sp.targetPort ?? sp.port);
          if (port !== undefined && !scrapeAdmitted(objects, w, port, context))
            problems.push(
              `${name(m)}: no NetworkPolicy admits Prometheus (${show(context.prometheus.namespaceLabels)}) to port ${port.name ?? port.containerPort} of ${name(w.object)}'s pods`,
            );
        }
      }
  return problems;
}

/**
 * Images are pinned: a digest, or a tag that is an exact version (major.minor at least: `7.4.2-alpine`,
 * `16.6-alpine`); the project's own API image by its overlay's tag, anything but `latest`.
 */
export function checkImages(objects: K8sObject[], context: PolicyContext): string[] {
  const problems: string[] = [];
  for (const w of workloadsOf(objects))
    for (const container of w.containers) {
      const image = String(container.image);
      const { tag, digest } = splitImage(image);
      if (digest !== undefined) continue;
      const own = isApiImage(image, context);
      const pinned = own
        ? tag !== undefined && tag !== 'latest'
        : /^v?\d+\.\d+(\.\d+)?([-.+][\w.-]+)?$/.test(tag ?? '');
      if (!pinned)
        problems.push(
          `${name(w.object)}, container ${String(container.name)}: image ${image} is not pinned (${own ? 'give the overlay a tag other than latest' : 'a digest, or a tag with an exact version'})`,
        );
    }
  return problems;
}

/** Every container runs as non-root on a read-only root file system, without privilege escalation or a token. */
export function checkSecurity(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const w of workloadsOf(objects)) {
    if (w.pod.automountServiceAccountToken !== false)
      problems.push(
        `${name(w.object)}: the pod mounts a service account token (set automountServiceAccountToken: false)`,
      );
    for (const container of w.containers) {
      const where = `${name(w.object)}, container ${String(container.name)}`;
      const nonRoot = at(container, 'securityContext', 'runAsNonRoot') ?? at(w.pod, 'securityContext', 'runAsNonRoot');
      if (nonRoot !== true) problems.push(`${where}: may run as root (runAsNonRoot is not true)`);
      if (at(container, 'securityContext', 'readOnlyRootFilesystem') !== true)
        problems.push(`${where}: the root file system is writable`);
      if (at(container, 'securityContext', 'allowPrivilegeEscalation') !== false)
        problems.push(`${where}: allowPrivilegeEscalation is not false`);
    }
  }
  for (const sa of objects.filter((o) => o.kind === 'ServiceAccount'))
    if (sa.automountServiceAccountToken !== false)
      problems.push(`${name(sa)}: automountServiceAccountToken is not false`);
  return problems;
}

/** The environment the API's container gets from ConfigMaps (envFrom) and its own env (literal values only). */
export function apiContainerEnv(
  objects: K8sObject[],
  context: PolicyContext,
): Map<string, { from: string; value?: string }> {
  const env = new Map<string, { from: string; value?: string }>();
  for (const w of workloadsOf(objects))
    for (const container of w.containers) {
      if (!isApiImage(container.image, context)) continue;
      for (const source of list(container.envFrom)) {
        const ref = at(source, 'configMapRef', 'name');
        const map = objects.find(
          (o) => o.kind === 'ConfigMap' && sameNamespace(o, w.object) && o.metadata.name === ref,
        );
        for (const [key, value] of Object.entries(labelsAt(map?.data))) env.set(key, { from: name(map!), value });
      }
      for (const e of list(container.env))
        env.set(String(e.name), {
          from: `${name(w.object)}, container ${String(container.name)}`,
          ...(typeof e.value === 'string' ? { value: e.value } : {}),
        });
    }
  return env;
}

/**
 * The API's environment: only variables the service reads, fault injection off, both listeners on the pod's
 * address, and the ports it listens on the container's and the ServiceMonitor's.
 */
export function checkApiEnvironment(objects: K8sObject[], context: PolicyContext): string[] {
  const problems: string[] = [];
  const env = apiContainerEnv(objects, context);
  for (const [key, { from }] of env)
    if (!context.envVars.has(key)) problems.push(`${from}: ${key} is not a variable the service reads`);
  const value = (key: string) => env.get(key)?.value;
  if (value('NODE_ENV') !== 'production') problems.push('the API does not run with NODE_ENV=production');
  if ((value('MYSTOCKS_FAULTS') ?? '[]') !== '[]')
    problems.push(`fault injection is on: MYSTOCKS_FAULTS=${value('MYSTOCKS_FAULTS')}`);
  if (env.has('MYSTOCKS_FAULTS_ADMIN_TOKEN'))
    problems.push('fault injection is on: MYSTOCKS_FAULTS_ADMIN_TOKEN is set');
  if (value('MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION') === 'true')
    problems.push('fault injection is allowed in production');
  for (const host of ['HOST', 'MYSTOCKS_METRICS_HOST'])
    if (value(host) !== '0.0.0.0')
      problems.push(`${host} is ${value(host) ?? 'unset (loopback)'}: nothing outside the pod reaches that listener`);
  const api = workloadsOf(objects).find((w) => w.containers.some((c) => isApiImage(c.image, context)));
  if (api !== undefined)
    for (const [key, portName] of [
      ['PORT', 'http'],
      ['MYSTOCKS_METRICS_PORT', 'metrics'],
    ] as const)
      if (containerPort(api, portName)?.containerPort !== Number(value(key)))
        problems.push(
          `${key} ${value(key)} is not the container's ${portName} port (${containerPort(api, portName)?.containerPort})`,
        );
  return problems;
}

/** What the load generator's checks need to know from outside its manifests. */
export interface LoadGeneratorContext {
  /** The variables `harness load` reads its target and its Pushgateway from (cli/commands/load.ts). */
  targetEnv: string;
  pushgatewayEnv: string;
  /** The hosts the deployment's Ingresses serve: the API's app port admits the ingress controller alone. */
  ingressHosts: ReadonlySet<string>;
}

/** The value of `--flag V` or `--flag=V` in a container's args. */
function argValue(args: readonly string[], flag: string): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg === flag) return args[i + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}

/** The completion index of an Indexed Job's pod, as the downward API or the Job controller gives it. */
const COMPLETION_INDEX_FIELD = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

/** `$(NAME)` names this pod's completion index: JOB_COMPLETION_INDEX, or a variable read from its annotation. */
function isCompletionIndex(value: string | undefined, env: Fields[]): boolean {
  const name = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(value ?? '')?.[1];
  if (name === undefined) return false;
  if (name === 'JOB_COMPLETION_INDEX') return true;
  return env.some((e) => e.name === name && at(e, 'valueFrom', 'fieldRef', 'fieldPath') === COMPLETION_INDEX_FIELD);
}

/** The Job's own settings: every generator at once, each once, none retried, one failure stopping no other. */
function checkIndexedJob(job: K8sObject): string[] {
  const problems: string[] = [];
  const where = name(job);
  const spec = at(job, 'spec');
  const mode = at(spec, 'completionMode');
  if (mode !== 'Indexed')
    problems.push(
      `${where}: completionMode is ${String(mode ?? 'unset (NonIndexed)')}, not Indexed: no pod would know which generator it is`,
    );
  const completions = at(spec, 'completions');
  const parallelism = at(spec, 'parallelism');
  if (typeof completions !== 'number' || completions !== parallelism)
    problems.push(
      `${where}: completions ${String(completions)} and parallelism ${String(parallelism)} differ: every generator must run at once, each with its share of the same schedule`,
    );
  const restart = at(spec, 'template', 'spec', 'restartPolicy');
  if (restart !== 'Never')
    problems.push(
      `${where}: restartPolicy is ${String(restart)}, not Never: a restarted generator sends its share again`,
    );
  const perIndex = at(spec, 'backoffLimitPerIndex');
  if (perIndex !== 0)
    problems.push(
      `${where}: backoffLimitPerIndex is ${String(perIndex ?? 'unset')}, not 0: a failed generator would be retried, sending its share again after the others`,
    );
  const backoff = at(spec, 'backoffLimit');
  if (typeof backoff !== 'number' || (typeof completions === 'number' && backoff < completions - 1))
    problems.push(
      `${where}: backoffLimit is ${String(backoff ?? 'unset')}: set it to at least completions - 1, so one generator's failure never ends the others`,
    );
  return problems;
}

/**
 * deploy/k8s/load-generator: each Job is `harness load --generators N` split into N pods. The Job runs N at once,
 * each once; each pod runs the generator of its completion index under the run's one --run-id; the load goes
 * through the Ingress (the API's NetworkPolicy admits nothing else to its app port) and the metrics to a
 * Pushgateway. Security and pinned images are checkSecurity's and checkImages'.
 */
export function checkLoadGenerator(objects: K8sObject[], context: LoadGeneratorContext): string[] {
  const problems: string[] = [];
  for (const job of objects.filter((o) => o.kind === 'Job')) {
    problems.push(...checkIndexedJob(job));
    const completions = at(job, 'spec', 'completions');
    for (const container of containersOf(at(job, 'spec', 'template'))) {
      const where = `${name(job)}, container ${String(container.name)}`;
      const args = Array.isArray(container.args) ? container.args.map(String) : [];
      const env = list(container.env);
      const generators = argValue(args, '--generators');
      if (generators === undefined || Number(generators) !== completions)
        problems.push(
          `${where}: --generators ${generators ?? 'unset'} is not completions ${String(completions)}: the pods' shares would not add up to the profile`,
        );
      const index = argValue(args, '--generator-index');
      if (!isCompletionIndex(index, env))
        problems.push(`${where}: --generator-index ${index ?? 'unset'} is not the pod's completion index`);
      if (argValue(args, '--run-id') === undefined)
        problems.push(`${where}: no --run-id: each generator would label its metrics with a run id of its own`);
      const value = (key: string) => {
        const e = env.find((x) => x.name === key);
        return typeof e?.value === 'string' ? e.value : undefined;
      };
      const target = value(context.targetEnv);
      const host = target !== undefined && /^https?:\/\//.test(target) ? new URL(target).host : undefined;
      if (host === undefined || !context.ingressHosts.has(host))
        problems.push(
          `${where}: ${context.targetEnv} ${target ?? 'is unset'}${target === undefined ? '' : ' is not an Ingress host of the deployment'}: the API's app port admits the ingress controller alone`,
        );
      const pushgateway = value(context.pushgatewayEnv);
      if (pushgateway === undefined || !/^https?:\/\/[^/]/.test(pushgateway))
        problems.push(
          `${where}: ${context.pushgatewayEnv} is not an http(s) URL: the generators' metrics would reach no Pushgateway`,
        );
    }
  }
  return problems;
}

/** Every check that applies to deploy/k8s/load-generator as rendered; empty when all hold. */
export function loadGeneratorProblems(objects: K8sObject[], context: PolicyContext & LoadGeneratorContext): string[] {
  return [
    ...checkSelectors(objects),
    ...checkImages(objects, context),
    ...checkSecurity(objects),
    ...checkLoadGenerator(objects, context),
  ];
}

/** Every policy check on a rendered deployment; empty when all hold. */
export function policyProblems(objects: K8sObject[], context: PolicyContext): string[] {
  return [
    ...checkSelectors(objects),
    ...checkDisruptionBudgets(objects),
    ...checkProbes(objects, context.routes),
    ...checkPorts(objects),
    ...checkAutoscalers(objects),
    ...checkScrapeAdmitted(objects, context),
    ...checkImages(objects, context),
    ...checkSecurity(objects),
    ...checkApiEnvironment(objects, context),
  ];
}
