// deploy/k8s/ proven as far as no cluster allows: both overlays rendered (kustomize.ts's subset), every object
// checked against the Kubernetes and prometheus-operator schemas (kubernetes-models' validate(), which checks
// types, required fields and formats but not unknown fields), the policies across objects (policy.ts) holding on
// both, each of the issue's four mutations caught, and the PrometheusRule equal to `harness slo rules --format
// prometheus-operator`'s output (the CLI's command run in-process, writing to a temp file); and load-generator/,
// `harness load` as an Indexed Job, held to its schema, its policies (policy.ts checkLoadGenerator) and the CLI's
// own flags.
// Nothing here applies anything to a cluster: docs/kubernetes.md says what is only validated (all of it).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseCommandArgs } from '../../cli/args.ts';
import { LOAD_ARGS, PUSHGATEWAY_ENV, TARGET_ENV } from '../../cli/commands/load.ts';
import { run as sloCommand } from '../../cli/commands/slo.ts';
import opsRoutes from '../../reference-api/src/routes/ops/index.ts';
import { reportsDir } from '../../stack/state.ts';
import { build, K8S_DIR, type K8sObject, KustomizeError, splitImage, strategicMerge } from './kustomize.ts';
import {
  apiContainerEnv,
  type LoadGeneratorContext,
  loadGeneratorProblems,
  type PolicyContext,
  policyProblems,
  workloadsOf,
} from './policy.ts';

const ROOT = join(K8S_DIR, '..', '..');

/** The schema of each kind the overlays hold; a kind missing here fails the schema test (add its model). */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

/** The schema's complaint about an object, or undefined when it validates. */
function schemaProblem(object: K8sObject): string | undefined {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (Model === undefined) return `${object.apiVersion} ${object.kind}: no schema in this test`;
  try {
    new Model(object as never).validate();
    return undefined;
  } catch (error) {
    return `${object.kind} ${object.metadata.name}: ${(error as Error).message}`;
  }
}

/** The paths of the service's health routes, from the real route plugin registered on a bare Fastify (no listen). */
async function healthRoutes(): Promise<Set<string>> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const routes = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (route.method === 'GET') routes.add(route.url);
  });
  await app.register(opsRoutes);
  await app.ready();
  await app.close();
  return routes;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

/**
 * The variables the service reads: `env.NAME` and `env['NAME']` in its sources, names held in constants
 * (`'MYSTOCKS_API_WORKERS'`), and the names of docs/api.md's run-time configuration table (which also documents
 * what its libraries read, such as OTEL_EXPORTER_OTLP_PROTOCOL).
 */
function serviceEnvVars(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'reference-api', 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
    for (const m of text.matchAll(/'((?:MYSTOCKS|OTEL)_[A-Z0-9_]+)'/g)) names.add(m[1]!);
  }
  const api = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
  const table = api.slice(api.indexOf('## Run-time configuration'), api.indexOf('### Faults'));
  for (const m of table.matchAll(/`([A-Z][A-Z0-9_]+)(?:=[^`]*)?`/g)) names.add(m[1]!);
  return names;
}

let context: PolicyContext;
const overlays: Record<'production' | 'dev', K8sObject[]> = { production: [], dev: [] };
/** deploy/k8s/load-generator as rendered. */
let loadGenerator: K8sObject[] = [];
let loading: Promise<void> | undefined;

/**
 * Renders the overlays and reads the service's routes and variables, once for every suite here (each suite's
 * `before` awaits it; a top-level hook would run in the unit tier's shared process for every file).
 */
function load(): Promise<void> {
  loading ??= (async () => {
    context = {
      routes: await healthRoutes(),
      envVars: serviceEnvVars(),
      // The Prometheus Operator's Prometheus in namespace monitoring, as base/networkpolicy.yaml assumes.
      prometheus: {
        namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
        podLabels: { 'app.kubernetes.io/name': 'prometheus' },
      },
      apiImage: 'mystocks/api',
    };
    overlays.production = build(join(K8S_DIR, 'overlays', 'production'));
    overlays.dev = build(join(K8S_DIR, 'overlays', 'dev'));
    loadGenerator = build(join(K8S_DIR, 'load-generator'));
  })();
  return loading;
}

const find = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(object, `${kind} ${name} is rendered`);
  return object;
};
// biome-ignore lint/suspicious/noExplicitAny: a mutation reaches into a parsed object's nested fields by path.
const spec = (object: K8sObject): any => object.spec;

describe('deploy/k8s: the overlays render', () => {
  before(load);
  it('holds the seed deployment in both overlays, PostgreSQL only in dev', () => {
    const kinds = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    const shared = [
      'ConfigMap/mystocks-api',
      'Deployment/mystocks-api',
      'Deployment/mystocks-redis',
      'HorizontalPodAutoscaler/mystocks-api',
      'Ingress/mystocks-api',
      'Namespace/mystocks',
      'NetworkPolicy/mystocks-api',
      'NetworkPolicy/mystocks-api-postgres',
      'NetworkPolicy/mystocks-redis',
      'PodDisruptionBudget/mystocks-api',
      'PrometheusRule/mystocks-api-slos',
      'Role/mystocks-api',
      'RoleBinding/mystocks-api',
      'Service/mystocks-api',
      'Service/mystocks-redis',
      'ServiceAccount/mystocks-api',
      'ServiceMonitor/mystocks-api',
    ];
    assert.deepEqual(kinds(overlays.production), shared);
    assert.deepEqual(
      kinds(overlays.dev),
      [
        ...shared,
        'Deployment/mystocks-postgres',
        'NetworkPolicy/mystocks-postgres',
        'PersistentVolumeClaim/mystocks-postgres',
        'Service/mystocks-postgres',
      ].sort(),
    );
  });

  it('puts every object but the Namespace in namespace mystocks, and commits no Secret', () => {
    for (const objects of Object.values(overlays)) {
      for (const o of objects)
        assert.equal(
          o.metadata.namespace,
          o.kind === 'Namespace' ? undefined : 'mystocks',
          `${o.kind} ${o.metadata.name}`,
        );
      assert.equal(objects.filter((o) => o.kind === 'Secret').length, 0);
    }
  });

  it('pins the API image per overlay: the registry release in production, the offline build in dev', () => {
    const image = (objects: K8sObject[]) =>
      spec(find(objects, 'Deployment', 'mystocks-api')).template.spec.containers[0].image;
    assert.equal(image(overlays.production), 'registry.example.com/mystocks/api:0.1.0');
    assert.equal(image(overlays.dev), 'localhost/mystocks/api:dev');
  });

  it("merges dev's ConfigMap patch into the base's, key by key", () => {
    const data = (objects: K8sObject[]) => find(objects, 'ConfigMap', 'mystocks-api').data as Record<string, string>;
    const production = data(overlays.production);
    const dev = data(overlays.dev);
    const changed = Object.keys({ ...production, ...dev }).filter((key) => production[key] !== dev[key]);
    assert.deepEqual(changed.sort(), [
      'LOG_LEVEL',
      'MYSTOCKS_REGISTER_RATE_LIMIT',
      'MYSTOCKS_SCRYPT',
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
    assert.equal(dev.LOG_LEVEL, 'debug');
    assert.equal(dev.MYSTOCKS_REGISTER_RATE_LIMIT, '1000000');
  });
});

describe('deploy/k8s: schemas', () => {
  before(load);
  it('validates every object of both overlays against the Kubernetes and prometheus-operator schemas', () => {
    for (const [overlay, objects] of Object.entries(overlays))
      assert.deepEqual(objects.map(schemaProblem).filter(Boolean), [], overlay);
  });

  it('rejects an object the schema forbids (a port given as text)', () => {
    const deployment = structuredClone(find(overlays.production, 'Deployment', 'mystocks-api'));
    spec(deployment).template.spec.containers[0].ports[0].containerPort = '3000';
    assert.match(schemaProblem(deployment) ?? '', /containerPort must be integer/);
  });
});

describe('deploy/k8s: policies', () => {
  before(load);
  it('hold on both overlays', () => {
    for (const [overlay, objects] of Object.entries(overlays))
      assert.deepEqual(policyProblems(objects, context), [], overlay);
  });

  it("read the probes' routes from the service: /healthz and /readyz", () => {
    assert.deepEqual([...context.routes].sort(), ['/healthz', '/readyz']);
    const api = spec(find(overlays.production, 'Deployment', 'mystocks-api')).template.spec.containers[0];
    assert.deepEqual(
      [api.startupProbe.httpGet.path, api.livenessProbe.httpGet.path, api.readinessProbe.httpGet.path],
      ['/healthz', '/healthz', '/readyz'],
    );
  });

  it('give the API only variables it reads, DATABASE_URL from the Secret and every other from the ConfigMap', () => {
    const env = apiContainerEnv(overlays.production, context);
    assert.ok(!env.has('DATABASE_URL'));
    const example = readFileSync(join(K8S_DIR, 'secret.env.example'), 'utf8');
    const keys = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    assert.deepEqual(keys, ['DATABASE_URL']);
    assert.ok(context.envVars.has('DATABASE_URL'));
    assert.match(readFileSync(join(ROOT, '.gitignore'), 'utf8'), /^deploy\/k8s\/\*\*\/secret\.env$/m);
  });

  it('scrape the job the SLO rules query: the Service the ServiceMonitor selects is named mystocks-api', () => {
    const rule = find(overlays.production, 'PrometheusRule', 'mystocks-api-slos');
    const jobs = new Set([...JSON.stringify(rule.spec).matchAll(/job=\\"([^\\]+)\\"/g)].map((m) => m[1]));
    assert.deepEqual([...jobs], ['mystocks-api']);
    const monitor = find(overlays.production, 'ServiceMonitor', 'mystocks-api');
    const services = overlays.production.filter(
      (o) =>
        o.kind === 'Service' &&
        o.metadata.labels?.['app.kubernetes.io/name'] === spec(monitor).selector.matchLabels['app.kubernetes.io/name'],
    );
    assert.deepEqual(
      services.map((s) => s.metadata.name),
      ['mystocks-api'],
    );
  });
});

describe("deploy/k8s: the issue's mutations fail the policies", () => {
  before(load);
  /** The problems of the production overlay after `mutate` changed a copy of it. */
  function problemsAfter(mutate: (objects: K8sObject[]) => void): string[] {
    const objects = structuredClone(overlays.production);
    mutate(objects);
    return policyProblems(objects, context);
  }

  it('a wrong selector', () => {
    const problems = problemsAfter((objects) => {
      spec(find(objects, 'Service', 'mystocks-api')).selector = { 'app.kubernetes.io/name': 'mystocks-web' };
    });
    assert.deepEqual(problems, [
      'Service mystocks-api: selector app.kubernetes.io/name=mystocks-web matches no pod template',
    ]);
  });

  it('a PDB equal to the replicas', () => {
    const problems = problemsAfter((objects) => {
      spec(find(objects, 'PodDisruptionBudget', 'mystocks-api')).minAvailable = 3;
    });
    assert.deepEqual(problems, [
      'PodDisruptionBudget mystocks-api: minAvailable 3 is not below the 3 replicas of Deployment mystocks-api: a drain could never evict one',
    ]);
  });

  it('a probe on a route that does not exist', () => {
    const problems = problemsAfter((objects) => {
      spec(find(objects, 'Deployment', 'mystocks-api')).template.spec.containers[0].livenessProbe.httpGet.path =
        '/health';
    });
    assert.deepEqual(problems, [
      'Deployment mystocks-api, container api: livenessProbe GET /health is not a route of the service',
    ]);
  });

  it("a ServiceMonitor port that is not the Service's", () => {
    const problems = problemsAfter((objects) => {
      spec(find(objects, 'ServiceMonitor', 'mystocks-api')).endpoints[0].port = 'http-metrics';
    });
    assert.deepEqual(problems, [
      'ServiceMonitor mystocks-api: port "http-metrics" is not a port of Service mystocks-api',
    ]);
  });

  it('and beyond them: a NetworkPolicy without the scrape rule, an unpinned image, an HPA on nothing, faults on', () => {
    const problems = problemsAfter((objects) => {
      spec(find(objects, 'NetworkPolicy', 'mystocks-api')).ingress.pop();
      spec(find(objects, 'Deployment', 'mystocks-redis')).template.spec.containers[0].image = 'redis:7-alpine';
      spec(find(objects, 'HorizontalPodAutoscaler', 'mystocks-api')).scaleTargetRef.name = 'mystocks';
      (find(objects, 'ConfigMap', 'mystocks-api').data as Record<string, string>).MYSTOCKS_FAULTS_ADMIN_TOKEN =
        'x'.repeat(32);
    });
    assert.deepEqual(problems, [
      'HorizontalPodAutoscaler mystocks-api: scaleTargetRef Deployment mystocks is not a workload of this deployment',
      "ServiceMonitor mystocks-api: no NetworkPolicy admits Prometheus (kubernetes.io/metadata.name=monitoring) to port metrics of Deployment mystocks-api's pods",
      'Deployment mystocks-redis, container redis: image redis:7-alpine is not pinned (a digest, or a tag with an exact version)',
      'fault injection is on: MYSTOCKS_FAULTS_ADMIN_TOKEN is set',
    ]);
  });

  it('but not an Egress-only policy: with no Ingress policy over the API, the scrape is admitted', () => {
    const problems = problemsAfter((objects) => {
      objects.splice(objects.indexOf(find(objects, 'NetworkPolicy', 'mystocks-api')), 1);
    });
    assert.deepEqual(problems, []);
  });

  it('a metrics listener on loopback, which no scrape reaches', () => {
    const problems = problemsAfter((objects) => {
      delete (find(objects, 'ConfigMap', 'mystocks-api').data as Record<string, string>).MYSTOCKS_METRICS_HOST;
    });
    assert.deepEqual(problems, [
      'MYSTOCKS_METRICS_HOST is unset (loopback): nothing outside the pod reaches that listener',
    ]);
  });
});

describe('deploy/k8s: the PrometheusRule is `harness slo rules --format prometheus-operator`', () => {
  before(load);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-rules-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The CLI's output for an SLO file (the command's own code, in this process). */
  async function rulesOf(sloConfig: string): Promise<string> {
    const out = join(dir, 'rules.yaml');
    await sloCommand(['rules', '--slo-config', sloConfig, '--format', 'prometheus-operator', '--out', out]);
    return readFileSync(out, 'utf8');
  }

  const committed = () => readFileSync(join(K8S_DIR, 'base', 'prometheusrule.yaml'), 'utf8');
  const sloConfig = join(ROOT, 'slo', 'slo-config.yaml');

  it('equals the output for slo/slo-config.yaml, byte for byte', async () => {
    assert.equal(
      committed(),
      await rulesOf(sloConfig),
      'regenerate: node cli/harness.ts slo rules --format prometheus-operator --out deploy/k8s/base/prometheusrule.yaml',
    );
  });

  it('differs once the SLO file changes and the manifest does not', async () => {
    const text = readFileSync(sloConfig, 'utf8');
    const changed = text.replace(/objective: 99\.9\b/, 'objective: 99.5');
    assert.notEqual(changed, text, 'the SLO file has an objective of 99.9 to change');
    const copy = join(dir, 'slo-config.yaml');
    writeFileSync(copy, changed);
    assert.notEqual(committed(), await rulesOf(copy));
  });
});

describe('deploy/k8s/kustomize.ts: the subset', () => {
  before(load);
  it('merges maps key by key, containers by name, and replaces other lists', () => {
    const target = { spec: { replicas: 3, containers: [{ name: 'a', image: 'x' }, { name: 'b' }], tls: [1, 2] } };
    const patch = { spec: { replicas: null, containers: [{ name: 'a', image: 'y' }, { name: 'c' }], tls: [3] } };
    assert.deepEqual(strategicMerge(target, patch), {
      spec: { containers: [{ name: 'a', image: 'y' }, { name: 'b' }, { name: 'c' }], tls: [3] },
    });
  });

  it('tells a tag from a registry port', () => {
    assert.deepEqual(splitImage('localhost:5000/mystocks/api'), { name: 'localhost:5000/mystocks/api' });
    assert.deepEqual(splitImage('localhost:5000/mystocks/api:dev'), {
      name: 'localhost:5000/mystocks/api',
      tag: 'dev',
    });
    assert.deepEqual(splitImage('redis@sha256:ab'), { name: 'redis', digest: 'sha256:ab' });
  });

  it('refuses a field it does not render', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-kustomize-'));
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources: []\ncommonLabels:\n  a: b\n');
      assert.throws(() => build(dir), KustomizeError);
      assert.throws(() => build(dir), /commonLabels: not in the subset/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds every workload of the dev overlay', () => {
    assert.deepEqual(
      workloadsOf(overlays.dev)
        .map((w) => w.object.metadata.name)
        .sort(),
      ['mystocks-api', 'mystocks-postgres', 'mystocks-redis'],
    );
  });
});

describe('deploy/k8s/load-generator: `harness load --generators 4` as an Indexed Job', () => {
  before(load);
  /** The Ingress hosts of both overlays: where a generator may send its load. */
  const generatorContext = (): PolicyContext & LoadGeneratorContext => ({
    ...context,
    // The variables `harness load` reads first: the Job's are held to them.
    targetEnv: TARGET_ENV[0]!,
    pushgatewayEnv: PUSHGATEWAY_ENV[0]!,
    ingressHosts: new Set(
      Object.values(overlays).flatMap((objects) =>
        objects.filter((o) => o.kind === 'Ingress').flatMap((o) => spec(o).rules.map((r: { host: string }) => r.host)),
      ),
    ),
  });
  const job = (objects: K8sObject[]) => find(objects, 'Job', 'mystocks-load');
  const container = (objects: K8sObject[]) => spec(job(objects)).template.spec.containers[0];

  it('renders the Job and its NetworkPolicy in namespace mystocks, the harness image pinned', () => {
    assert.deepEqual(
      loadGenerator.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`),
      ['Job/mystocks/mystocks-load', 'NetworkPolicy/mystocks/mystocks-load'],
    );
    assert.equal(container(loadGenerator).image, 'registry.example.com/mystocks/harness:0.1.0');
  });

  it('validates against the Kubernetes schemas (batch/v1 Job, NetworkPolicy)', () => {
    assert.deepEqual(loadGenerator.map(schemaProblem).filter(Boolean), []);
    const broken = structuredClone(job(loadGenerator));
    spec(broken).completions = '4';
    assert.match(schemaProblem(broken) ?? '', /completions must be integer/);
  });

  it('holds the policies: Indexed, all at once, never retried, non-root, read-only, target and Pushgateway set', () => {
    assert.deepEqual(generatorContext().ingressHosts, new Set(['mystocks.example.com', 'mystocks.localhost']));
    assert.deepEqual(loadGeneratorProblems(loadGenerator, generatorContext()), []);
  });

  it('runs `harness load` with flags the command has, and reads the variables it reads', () => {
    const c = container(loadGenerator);
    // No command: the image's entrypoint is the harness (deploy/harness-image/Containerfile), the args its argv.
    assert.equal(c.command, undefined);
    assert.match(
      readFileSync(new URL('../harness-image/Containerfile', import.meta.url), 'utf8'),
      /^ENTRYPOINT \["harness"\]$/m,
    );
    assert.equal(c.args[0], 'load');
    // The index as Kubernetes expands it in pod 2; parseCommandArgs throws a usage error on a flag `harness load`
    // does not have.
    const argv = c.args.slice(1).map((arg: string) => arg.replace('$(GENERATOR_INDEX)', '1'));
    const parsed = parseCommandArgs(argv, LOAD_ARGS);
    assert.ok(!parsed.help);
    assert.deepEqual(
      [parsed.values.generators, parsed.values['generator-index'], parsed.values['run-id']],
      ['4', '1', 'mystocks-load-1'],
    );
    // The variables the policies hold the Job's env to are the ones `harness load` reads first.
    assert.deepEqual([TARGET_ENV[0], PUSHGATEWAY_ENV[0]], ['API_URL', 'PUSHGATEWAY_URL']);
    // Each generator's reports folder: where HARNESS_REPORTS_DIR points (stack/state.ts reportsDir).
    assert.equal(reportsDir({ HARNESS_REPORTS_DIR: '/reports/generator-1' }), '/reports/generator-1');
  });

  /** The problems of the load generator after `mutate` changed a copy of it. */
  function problemsAfter(mutate: (objects: K8sObject[]) => void): string[] {
    const objects = structuredClone(loadGenerator);
    mutate(objects);
    return loadGeneratorProblems(objects, generatorContext());
  }

  it('fails on completions other than parallelism, and on completionMode left out', () => {
    assert.deepEqual(
      problemsAfter((objects) => {
        spec(job(objects)).parallelism = 2;
      }),
      [
        'Job mystocks-load: completions 4 and parallelism 2 differ: every generator must run at once, each with its share of the same schedule',
      ],
    );
    assert.deepEqual(
      problemsAfter((objects) => {
        delete spec(job(objects)).completionMode;
      }),
      ['Job mystocks-load: completionMode is unset (NonIndexed), not Indexed: no pod would know which generator it is'],
    );
  });

  it('fails on a retry, a restart, a backoffLimit that ends the others, or --generators other than completions', () => {
    assert.deepEqual(
      problemsAfter((objects) => {
        spec(job(objects)).template.spec.restartPolicy = 'OnFailure';
        delete spec(job(objects)).backoffLimitPerIndex;
        spec(job(objects)).backoffLimit = 0;
        const args = container(objects).args;
        args[args.indexOf('--generators') + 1] = '3';
      }),
      [
        'Job mystocks-load: restartPolicy is OnFailure, not Never: a restarted generator sends its share again',
        'Job mystocks-load: backoffLimitPerIndex is unset, not 0: a failed generator would be retried, sending its share again after the others',
        "Job mystocks-load: backoffLimit is 0: set it to at least completions - 1, so one generator's failure never ends the others",
        "Job mystocks-load, container generator: --generators 3 is not completions 4: the pods' shares would not add up to the profile",
      ],
    );
    assert.deepEqual(
      problemsAfter((objects) => {
        delete spec(job(objects)).backoffLimit;
      }),
      [
        "Job mystocks-load: backoffLimit is unset: set it to at least completions - 1, so one generator's failure never ends the others",
      ],
    );
  });

  it('fails on an index that is not the completion index, or no shared --run-id', () => {
    assert.deepEqual(
      problemsAfter((objects) => {
        const args: string[] = container(objects).args;
        args[args.indexOf('--generator-index') + 1] = '0';
        args.splice(args.indexOf('--run-id'), 2);
      }),
      [
        "Job mystocks-load, container generator: --generator-index 0 is not the pod's completion index",
        'Job mystocks-load, container generator: no --run-id: each generator would label its metrics with a run id of its own',
      ],
    );
    assert.deepEqual(
      problemsAfter((objects) => {
        container(objects).env[0].valueFrom.fieldRef.fieldPath = 'metadata.name';
      }),
      [
        "Job mystocks-load, container generator: --generator-index $(GENERATOR_INDEX) is not the pod's completion index",
      ],
    );
  });

  it('fails on a target past the Ingress or none, and on no Pushgateway', () => {
    const setEnv = (objects: K8sObject[], key: string, value: string | undefined) => {
      const env: { name: string; value?: string }[] = container(objects).env;
      const at = env.findIndex((e) => e.name === key);
      if (value === undefined) env.splice(at, 1);
      else env[at]!.value = value;
    };
    assert.deepEqual(
      problemsAfter((objects) => setEnv(objects, 'API_URL', 'http://mystocks-api.mystocks.svc')),
      [
        "Job mystocks-load, container generator: API_URL http://mystocks-api.mystocks.svc is not an Ingress host of the deployment: the API's app port admits the ingress controller alone",
      ],
    );
    assert.deepEqual(
      problemsAfter((objects) => {
        setEnv(objects, 'API_URL', undefined);
        setEnv(objects, 'PUSHGATEWAY_URL', undefined);
      }),
      [
        "Job mystocks-load, container generator: API_URL is unset: the API's app port admits the ingress controller alone",
        "Job mystocks-load, container generator: PUSHGATEWAY_URL is not an http(s) URL: the generators' metrics would reach no Pushgateway",
      ],
    );
  });

  it('fails on root, a writable root file system and an unpinned image, as the API does', () => {
    assert.deepEqual(
      problemsAfter((objects) => {
        delete spec(job(objects)).template.spec.securityContext.runAsNonRoot;
        container(objects).securityContext.readOnlyRootFilesystem = false;
        container(objects).image = 'registry.example.com/mystocks/harness:latest';
      }),
      [
        'Job mystocks-load, container generator: image registry.example.com/mystocks/harness:latest is not pinned (a digest, or a tag with an exact version)',
        'Job mystocks-load, container generator: may run as root (runAsNonRoot is not true)',
        'Job mystocks-load, container generator: the root file system is writable',
      ],
    );
  });
});
