// deploy/k8s/podman.ts, the dev overlay translated for `podman kube play`: every played object is the rendered one
// with exactly the changes its comment lists, made here by hand and compared whole (so images, probes, env, ports,
// resources and security contexts are shown unchanged by the same comparison), the objects left out are the kinds
// Podman 4.3 does not run, the file reads the same to a YAML 1.1 reader, and the scrape job follows the
// ServiceMonitor. The play itself runs in deploy/k8s/kube-play.stack.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { build, K8S_DIR, type K8sObject } from './kustomize.ts';
import { KUBE_RUN_LABEL, type PodmanTranslationOptions, playFile, scrapeJobsOf, translateForPodman } from './podman.ts';

const rendered = build(join(K8S_DIR, 'overlays', 'dev'));
const TOKEN = 'a'.repeat(40);
const OPTIONS: PodmanTranslationOptions = {
  suffix: 't1',
  secrets: {
    'mystocks-postgres': { POSTGRES_PASSWORD: 'pw' },
    'mystocks-api': { DATABASE_URL: 'postgres://mystocks:pw@mystocks-postgres:5432/mystocks' },
  },
  images: {
    postgres: { image: 'localhost/mystocks/postgres:15', uid: 102, gid: 104 },
    redis: {
      image: 'localhost/mystocks/redis:7',
      uid: 101,
      gid: 103,
      command: ['redis-server', '--protected-mode', 'no'],
    },
  },
  faultsAdminToken: TOKEN,
};
const play = translateForPodman(rendered, OPTIONS);

const find = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(object, `${kind} ${name}`);
  return object;
};
// biome-ignore lint/suspicious/noExplicitAny: the expected objects are edited by path, as the test reads them.
const copy = (kind: string, name: string): any => structuredClone(find(rendered, kind, name));
// biome-ignore lint/suspicious/noExplicitAny: a pod template's spec, edited by path.
const podOf = (deployment: any): any => deployment.spec.template.spec;

/** What every Deployment gets: the suffix, one replica, the run's label on its pods. */
// biome-ignore lint/suspicious/noExplicitAny: an expected Deployment, edited by path.
function renamed(deployment: any): any {
  deployment.metadata.name = `${deployment.metadata.name}-t1`;
  deployment.spec.replicas = 1;
  deployment.spec.template.metadata.labels[KUBE_RUN_LABEL] = 't1';
  return deployment;
}

describe('deploy/k8s/podman.ts: the dev overlay for podman kube play', () => {
  it('plays the ConfigMap, the PersistentVolumeClaim and the three Deployments; the rest only validated', () => {
    assert.deepEqual(
      play.objects.map((o) => `${o.kind} ${o.metadata.name}`),
      [
        'ConfigMap mystocks-api',
        'Deployment mystocks-redis-t1',
        'Deployment mystocks-api-t1',
        'PersistentVolumeClaim mystocks-postgres-t1',
        'Deployment mystocks-postgres-t1',
      ],
    );
    assert.deepEqual(play.notPlayed, [
      'Namespace mystocks',
      'ServiceAccount mystocks-api',
      'Role mystocks-api',
      'RoleBinding mystocks-api',
      'Service mystocks-redis',
      'NetworkPolicy mystocks-redis',
      'Service mystocks-api',
      'HorizontalPodAutoscaler mystocks-api',
      'PodDisruptionBudget mystocks-api',
      'NetworkPolicy mystocks-api',
      'ServiceMonitor mystocks-api',
      'PrometheusRule mystocks-api-slos',
      'Ingress mystocks-api',
      'Service mystocks-postgres',
      'NetworkPolicy mystocks-api-postgres',
      'NetworkPolicy mystocks-postgres',
    ]);
    assert.deepEqual(play.pods, [
      {
        deployment: 'mystocks-redis',
        pod: 'mystocks-redis-t1-pod-0',
        containers: ['mystocks-redis-t1-pod-0-redis'],
      },
      { deployment: 'mystocks-api', pod: 'mystocks-api-t1-pod-0', containers: ['mystocks-api-t1-pod-0-api'] },
      {
        deployment: 'mystocks-postgres',
        pod: 'mystocks-postgres-t1-pod-0',
        containers: ['mystocks-postgres-t1-pod-0-postgres'],
      },
    ]);
    assert.deepEqual(play.volumes, [
      'mystocks-redis-data-t1',
      'mystocks-api-tmp-t1',
      'mystocks-postgres-t1',
      'mystocks-postgres-run-t1',
      'mystocks-postgres-tmp-t1',
    ]);
  });

  it('changes the API Deployment only in its name, replicas, pod label, volume name and the Secret inline', () => {
    const expected = renamed(copy('Deployment', 'mystocks-api'));
    const pod = podOf(expected);
    pod.volumes[0].name = 'mystocks-api-tmp-t1';
    const api = pod.containers[0];
    api.volumeMounts[0].name = 'mystocks-api-tmp-t1';
    // envFrom keeps the ConfigMap; the Secret's DATABASE_URL is a literal, its host the PostgreSQL pod's name.
    api.envFrom = [{ configMapRef: { name: 'mystocks-api' } }];
    api.env = [{ name: 'DATABASE_URL', value: 'postgres://mystocks:pw@mystocks-postgres-t1-pod-0:5432/mystocks' }];
    assert.deepEqual(find(play.objects, 'Deployment', 'mystocks-api-t1'), expected);
    // The same image, probes and ports as rendered (held by the comparison above; said here in so many words).
    assert.equal(api.image, 'localhost/mystocks/api:dev');
    assert.equal(api.readinessProbe.httpGet.path, '/readyz');
    assert.equal(pod.securityContext.runAsUser, 1000);
  });

  it("swaps Redis's image for the offline one, with its user's ids and a command", () => {
    const expected = renamed(copy('Deployment', 'mystocks-redis'));
    const pod = podOf(expected);
    pod.securityContext = { ...pod.securityContext, runAsUser: 101, runAsGroup: 103, fsGroup: 103 };
    pod.volumes[0].name = 'mystocks-redis-data-t1';
    const redis = pod.containers[0];
    assert.equal(redis.image, 'redis:7.4.2-alpine');
    redis.image = 'localhost/mystocks/redis:7';
    redis.command = ['redis-server', '--protected-mode', 'no'];
    redis.volumeMounts[0].name = 'mystocks-redis-data-t1';
    assert.deepEqual(find(play.objects, 'Deployment', 'mystocks-redis-t1'), expected);
  });

  it("swaps PostgreSQL's image, with its user's ids, its password inline and its claim renamed", () => {
    const expected = renamed(copy('Deployment', 'mystocks-postgres'));
    const pod = podOf(expected);
    assert.deepEqual([pod.securityContext.runAsUser, pod.securityContext.fsGroup], [70, 70]);
    pod.securityContext = { ...pod.securityContext, runAsUser: 102, runAsGroup: 104, fsGroup: 104 };
    pod.volumes = [
      { name: 'mystocks-postgres-data-t1', persistentVolumeClaim: { claimName: 'mystocks-postgres-t1' } },
      { name: 'mystocks-postgres-run-t1', emptyDir: {} },
      { name: 'mystocks-postgres-tmp-t1', emptyDir: {} },
    ];
    const postgres = pod.containers[0];
    postgres.image = 'localhost/mystocks/postgres:15';
    postgres.env[2] = { name: 'POSTGRES_PASSWORD', value: 'pw' };
    for (const mount of postgres.volumeMounts) mount.name = `mystocks-postgres-${mount.name}-t1`;
    assert.deepEqual(find(play.objects, 'Deployment', 'mystocks-postgres-t1'), expected);
    const claim = copy('PersistentVolumeClaim', 'mystocks-postgres');
    claim.metadata.name = 'mystocks-postgres-t1';
    assert.deepEqual(find(play.objects, 'PersistentVolumeClaim', 'mystocks-postgres-t1'), claim);
  });

  it("changes the ConfigMap in REDIS_URL's host, the cookie's Secure and, asked to, fault injection", () => {
    const expected = copy('ConfigMap', 'mystocks-api');
    Object.assign(expected.data, {
      REDIS_URL: 'redis://mystocks-redis-t1-pod-0:6379',
      MYSTOCKS_COOKIE_SECURE: 'auto',
      MYSTOCKS_FAULTS_ADMIN_TOKEN: TOKEN,
      MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION: 'true',
    });
    assert.deepEqual(find(play.objects, 'ConfigMap', 'mystocks-api'), expected);
    // No token asked for: fault injection stays off as the manifests have it.
    const { faultsAdminToken: _, ...withoutFaults } = OPTIONS;
    const data = find(translateForPodman(rendered, withoutFaults).objects, 'ConfigMap', 'mystocks-api').data as Record<
      string,
      string
    >;
    assert.equal(data.MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION, 'false');
    assert.equal(data.MYSTOCKS_FAULTS, '[]');
    assert.ok(!('MYSTOCKS_FAULTS_ADMIN_TOKEN' in data));
    // A host that is no Service of the overlay is left alone.
    assert.equal(data.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-collector.observability.svc:4318');
  });

  it('leaves the rendered objects as they were', () => {
    assert.deepEqual(rendered, build(join(K8S_DIR, 'overlays', 'dev')));
  });

  it('refuses a Secret it was given no value for, naming it', () => {
    assert.throws(
      () => translateForPodman(rendered, { ...OPTIONS, secrets: { 'mystocks-api': OPTIONS.secrets['mystocks-api']! } }),
      /^Error: Secret mystocks-postgres: no value for POSTGRES_PASSWORD was given$/,
    );
  });

  it('writes a file that a YAML 1.1 reader (Podman) reads as the objects: "no" stays a string', () => {
    const documents = parseAllDocuments(playFile(play), { version: '1.1' }).map((d) => d.toJS() as K8sObject);
    assert.deepEqual(documents, play.objects);
    const redis = find(documents, 'Deployment', 'mystocks-redis-t1');
    // biome-ignore lint/suspicious/noExplicitAny: the container's args, read by path.
    assert.equal((redis.spec as any).template.spec.containers[0].args[3], 'no');
  });

  it('scrapes the API pod as the ServiceMonitor says: job, path, interval, the metrics port', () => {
    assert.deepEqual(
      scrapeJobsOf(rendered, play, (pod) => (pod === 'mystocks-api-t1-pod-0' ? '10.89.0.7' : 'elsewhere')),
      [
        {
          job_name: 'mystocks-api',
          metrics_path: '/metrics',
          scrape_interval: '15s',
          static_configs: [
            {
              targets: ['10.89.0.7:9464'],
              labels: {
                namespace: 'mystocks',
                service: 'mystocks-api',
                pod: 'mystocks-api-t1-pod-0',
                container: 'api',
                endpoint: 'metrics',
              },
            },
          ],
        },
      ],
    );
  });
});
