// The services the local stack starts see an allow-listed environment, never the harness's own (docs/security.md,
// "What the services the harness starts see"): with the Prometheus credentials and an unrelated secret in the
// harness's environment, each started process's real environment (/proc/<pid>/environ) holds neither. Before,
// PostgreSQL, Redis, the Pushgateway, the OTLP receiver and Prometheus got the whole environment, and the API all
// of it but MYSTOCKS_*.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HARNESS_API_ENV } from '../types.ts';
import { LocalApi } from './api.ts';
import { LocalOtlpReceiver } from './otlp-receiver.ts';
import { LocalPostgres } from './postgres.ts';
import { LocalPrometheus } from './prometheus.ts';
import { LocalPushgateway } from './pushgateway.ts';
import { BASE_SERVICE_ENV, serviceEnvironment } from './service-env.ts';

/** What the harness's environment holds for this test: secrets no service may see, and what the API may. */
const PLANTED: Record<string, string> = {
  HARNESS_PROMETHEUS_BEARER_TOKEN: 'bearer-must-not-leak',
  HARNESS_PROMETHEUS_BASIC_AUTH: 'user:basic-must-not-leak',
  CI_JOB_TOKEN: 'ci-token-must-not-leak',
  MYSTOCKS_TRUST_PROXY: 'true',
  // A shell's metrics address must not move the service's metrics listener off loopback (docs/security.md, L2).
  MYSTOCKS_METRICS_HOST: '0.0.0.0',
  OTEL_SERVICE_NAME: 'from-the-shell',
  NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem',
};

/** A process's environment as the kernel holds it. */
function environOf(pid: number): Record<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

/** The allow-listed variables (BASE_SERVICE_ENV) the harness has, with their values. */
function baseOfHarness(): Record<string, string> {
  return Object.fromEntries(
    BASE_SERVICE_ENV.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]!]),
  );
}

const saved = new Map<string, string | undefined>();
let work: string;

before(() => {
  for (const [name, value] of Object.entries(PLANTED)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  work = mkdtempSync(join(tmpdir(), 'service-env-'));
});

after(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(work, { recursive: true, force: true });
});

describe('the environment of the services the local stack starts', () => {
  // Redis is not among them: it writes its process title over the memory /proc/<pid>/environ reads
  // (setproctitle), so that file reads empty whatever Redis was given. It starts through startLocalProcess without
  // an env of its own, the same default these three are checked through.
  it('the Pushgateway, the OTLP receiver and Prometheus get the allow-list and nothing else', async () => {
    await using pushgateway = await new LocalPushgateway().start();
    await using otlp = await new LocalOtlpReceiver().start();
    await using prometheus = await new LocalPrometheus().start();
    for (const [name, pid] of [
      ['pushgateway', pushgateway.process.pid],
      ['otlp', otlp.process.pid],
      ['prometheus', prometheus.process.pid],
    ] as const) {
      assert.deepEqual(environOf(pid), baseOfHarness(), name);
    }
  });

  it('PostgreSQL gets the allow-list in the C.UTF-8 locale', async () => {
    await using postgres = await new LocalPostgres().start();
    assert.deepEqual(environOf(postgres.process.pid), { ...baseOfHarness(), LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' });
  });

  it("the API gets the allow-list, Node's and OpenTelemetry's variables, and the stack's own settings", async () => {
    // A stand-in entry point that answers /readyz: the builder's environment is the subject, not the service.
    const entry = join(work, 'stand-in.mjs');
    writeFileSync(
      entry,
      "import { createServer } from 'node:http';\ncreateServer((_q, r) => r.end('ok')).listen(Number(process.env.PORT), process.env.HOST);\n",
    );
    await using api = await new LocalApi({
      databaseUrl: 'postgres://postgres@127.0.0.1:1/none',
      entry,
      env: { MYSTOCKS_SEED: 'off' },
    }).start();
    const env = environOf(api.process.pid);
    for (const name of Object.keys(env)) {
      assert.ok(!/MUST-NOT-LEAK/i.test(env[name]!), `${name} carries a planted secret`);
    }
    assert.deepEqual(
      Object.keys(env).sort(),
      [
        ...Object.keys(baseOfHarness()),
        ...Object.keys(process.env).filter((name) => name.startsWith('NODE_') || name.startsWith('OTEL_')),
        'HOST',
        'PORT',
        // The metrics listener (the app port has no /metrics): set by the builder, on loopback.
        'MYSTOCKS_METRICS_HOST',
        'MYSTOCKS_METRICS_PORT',
        'DATABASE_URL',
        'MYSTOCKS_FAULTS',
        'LOG_LEVEL',
        // The harness's own settings for the services it starts (stack/types.ts), and the builder's withEnv.
        ...Object.keys(HARNESS_API_ENV),
        'MYSTOCKS_SEED',
      ]
        .filter((name, i, all) => all.indexOf(name) === i)
        .sort(),
    );
    assert.equal(env.NODE_EXTRA_CA_CERTS, '/nonexistent/ca.pem');
    assert.equal(env.OTEL_SERVICE_NAME, 'from-the-shell');
    // The shell's MYSTOCKS_* never reach the service (the stack decides them); the builder's own do.
    assert.equal(env.MYSTOCKS_TRUST_PROXY, undefined);
    assert.equal(env.MYSTOCKS_SEED, 'off');
    assert.equal(env.HOST, '127.0.0.1');
    assert.equal(env.MYSTOCKS_METRICS_HOST, '127.0.0.1');
    assert.equal(`http://127.0.0.1:${env.MYSTOCKS_METRICS_PORT}`, api.metricsUrl);
    assert.notEqual(env.MYSTOCKS_METRICS_PORT, env.PORT);
  });

  it('serviceEnvironment: allow-listed names and prefixes, then what the builder sets, which wins', () => {
    const from = { PATH: '/bin', HOME: '/root', SECRET: 'x', NODE_OPTIONS: '--x', LANG: 'de_DE.UTF-8' };
    assert.deepEqual(serviceEnvironment({}, from), { PATH: '/bin', HOME: '/root', LANG: 'de_DE.UTF-8' });
    assert.deepEqual(serviceEnvironment({ prefixes: ['NODE_'], set: { LANG: 'C.UTF-8', PORT: '1' } }, from), {
      PATH: '/bin',
      HOME: '/root',
      LANG: 'C.UTF-8',
      NODE_OPTIONS: '--x',
      PORT: '1',
    });
  });
});
