// A secured, multi-tenant Prometheus as teams run it: the real Prometheus binary started with --web.config.file,
// requiring basic auth over TLS with a CA this test generates (openssl), filled with the known data sets of
// slo/testing/datasets.ts relabelled to a team's own scrape job. `harness slo check` must give the real verdict
// with the right credentials and CA, exit 2 with a reason naming the refusal or the TLS failure otherwise, and
// never print or write a credential. Prometheus cannot require a header, so header forwarding is shown by a
// small recording proxy in front of it (the only part here that is not the real thing, and it only records).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { connectExternalStack } from '../../stack/external.ts';
import { runCommand } from '../../stack/process.ts';
import { type BackfilledPrometheus, startBackfilledPrometheus, toOpenMetrics } from '../testing/backfill.ts';
import { type CliRun, runHarness } from '../testing/cli.ts';
import { PHASES, type Phase, referenceFamilies } from '../testing/datasets.ts';
import type { SloReport } from './evaluate.ts';
import { PrometheusClient } from './prometheus.ts';
import { discoverScrapeInterval, latestScrape } from './settle.ts';

const TEAM_JOB = 'team-api';
const USER = 'harness-ci';
// Distinctive, so a grep of the outputs cannot miss it.
const PASSWORD = 'S3cret-pw-7f1c9e';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
const TENANT = 'tenant-a';

let work: string;
let prometheus: BackfilledPrometheus;
let caFile: string;
let authFile: string;
let wrongAuthFile: string;

/** Runs openssl, failing the set-up with its output when it fails. */
function openssl(args: string[]) {
  return runCommand('openssl', args, { timeoutMs: 30_000, cwd: work });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'secured-prometheus-test-'));
  // A CA, and a server certificate for 127.0.0.1 signed by it (EC keys: fast to make).
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=test-ca']);
  await openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(work, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  ]);
  caFile = join(work, 'ca.crt');
  authFile = join(work, 'basic-auth');
  writeFileSync(authFile, `${USER}:${PASSWORD}\n`);
  wrongAuthFile = join(work, 'wrong-basic-auth');
  writeFileSync(wrongAuthFile, `${USER}:not-the-password\n`);
  // Cost 4, the lowest: Prometheus checks every request's password against it.
  const hash = bcrypt.hashSync(PASSWORD, 4);
  const webYaml = [
    'tls_server_config:',
    `  cert_file: ${join(work, 'server.crt')}`,
    `  key_file: ${join(work, 'server.key')}`,
    'basic_auth_users:',
    `  ${USER}: ${hash}`,
    '',
  ].join('\n');
  // The reference data under a team's own job name: only --job reaches it.
  const families = referenceFamilies().map((family) => ({
    ...family,
    series: family.series.map((s) => ({ ...s, labels: { ...s.labels, job: TEAM_JOB } })),
  }));
  prometheus = await startBackfilledPrometheus(toOpenMetrics(families), {
    yaml: webYaml,
    scheme: 'https',
    access: { basicAuth: { username: USER, password: PASSWORD }, caFile },
  });
});

after(async () => {
  await prometheus?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs `harness slo check` with the given flags and environment; its exit code and output. */
function check(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runHarness(['slo', 'check', ...args], { reportsDir: join(work, 'reports'), env, timeoutMs: 90_000 });
}

const range = (phase: Phase) => [
  '--start',
  new Date((PHASES[phase] - 3600) * 1000).toISOString(),
  '--end',
  new Date(PHASES[phase] * 1000).toISOString(),
];

/** `slo check` of the healthy hour over TLS with the test's CA and the credentials in `authFile`, as JSON to `out`. */
function healthyHourAsJson(authFile: string, out: string): string[] {
  return [
    ...['--prometheus', prometheus.url, '--prometheus-ca-file', caFile, '--prometheus-basic-auth-file', authFile],
    ...['--job', TEAM_JOB, ...range('healthy'), '--format', 'json', '--out', out],
  ];
}

/** The JSON report `slo check --format json` wrote to `out`. */
const reportAt = (out: string) => JSON.parse(readFileSync(out, 'utf8')) as SloReport;

/** Name, verdict and SLI of each SLO of the JSON report at `out`, in report order. */
const verdictsAt = (out: string) => reportAt(out).slos.map((slo) => [slo.name, slo.status, slo.sli]);

/**
 * Each SLO's SLI on slo/testing/datasets.ts' healthy and unhealthy hours, as evaluate.int.test.ts computes them by
 * hand: every one passes on the healthy hour and fails on the unhealthy one.
 */
const FIGURES: [string, number, number][] = [
  ['availability', 99.95, 99],
  ['latency-p95', 0.2, 0.425],
  ['latency-300ms', 100, 90],
  ['error-rate', 99.95, 99],
  ['cache-hit-rate', 85, 70],
  ['db-query-p95', 0.075, 0.2125],
];

/** What verdictsAt must read of a report of the healthy or the unhealthy hour. */
const expectedVerdicts = (phase: 'healthy' | 'unhealthy') =>
  FIGURES.map(([name, healthy, unhealthy]) =>
    phase === 'healthy' ? [name, 'pass', healthy] : [name, 'fail', unhealthy],
  );

/** Every file under a folder, read as text. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
}

function assertNoSecret(texts: string[]) {
  for (const text of texts) {
    assert.ok(!text.includes(PASSWORD), 'the password appears in the output');
    assert.ok(!text.includes(BASIC), 'the encoded credentials appear in the output');
  }
}

describe('harness slo check against Prometheus requiring basic auth over TLS', () => {
  it('with the right credentials and CA gives the real verdicts: healthy exits 0, unhealthy exits 1', async () => {
    const out = join(work, 'healthy.json');
    const healthy = await check(healthyHourAsJson(authFile, out));
    assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
    assert.deepEqual(verdictsAt(out), expectedVerdicts('healthy'));
    // The credentials from the environment instead of a file; the unhealthy hour fails, diagnosis included.
    const allureDir = join(work, 'allure-unhealthy');
    const unhealthy = await check(
      [
        '--prometheus',
        prometheus.url,
        '--job',
        TEAM_JOB,
        ...range('unhealthy'),
        '--format',
        'markdown',
        '--out',
        join(work, 'unhealthy.md'),
        '--allure-dir',
        allureDir,
      ],
      { HARNESS_PROMETHEUS_BASIC_AUTH: `${USER}:${PASSWORD}`, HARNESS_PROMETHEUS_CA_FILE: caFile },
    );
    assert.equal(unhealthy.code, 1, unhealthy.stdout + unhealthy.stderr);
    assert.match(unhealthy.stdout, /SLO check FAIL/);
    assertNoSecret([
      healthy.stdout,
      healthy.stderr,
      unhealthy.stdout,
      unhealthy.stderr,
      readFileSync(out, 'utf8'),
      readFileSync(join(work, 'unhealthy.md'), 'utf8'),
      ...filesUnder(allureDir),
    ]);
  });

  it('without --job the same data is no data: inconclusive, exit 2 (the job label is configurable, not fixed)', async () => {
    const { code, stdout } = await check(
      ['--prometheus', prometheus.url, '--prometheus-ca-file', caFile, '--prometheus-basic-auth-file', authFile],
      {},
    );
    assert.equal(code, 2, stdout);
    assert.ok(!stdout.includes('refused'), stdout);
  });

  it('with wrong credentials exits 2, naming the 401, and shows no credential', async () => {
    const out = join(work, 'wrong.json');
    const wrong = await check(healthyHourAsJson(wrongAuthFile, out));
    assert.equal(wrong.code, 2, wrong.stdout + wrong.stderr);
    for (const slo of reportAt(out).slos) {
      assert.equal(slo.status, 'inconclusive');
      assert.match(slo.reason ?? '', /refused the request: HTTP 401 Unauthorized \(sent basic auth/);
    }
    const none = await check(['--prometheus', prometheus.url, '--prometheus-ca-file', caFile, ...range('healthy')]);
    assert.equal(none.code, 2);
    assert.match(none.stdout, /HTTP 401 Unauthorized \(no credentials were sent/);
    assertNoSecret([wrong.stdout, wrong.stderr, readFileSync(out, 'utf8'), none.stdout, none.stderr]);
    assert.ok(!`${wrong.stdout}${readFileSync(out, 'utf8')}`.includes('not-the-password'));
  });

  it('without the CA exits 2, naming the TLS failure', async () => {
    const { code, stdout, stderr } = await check(
      ['--prometheus', prometheus.url, '--prometheus-basic-auth-file', authFile, '--retries', '0'],
      {},
    );
    assert.equal(code, 2, stdout + stderr);
    assert.match(stdout, /TLS failed: .*certificate/);
    assert.match(stdout, /--prometheus-ca-file/);
    assertNoSecret([stdout, stderr]);
  });

  it('refuses a credential given as a header flag, without echoing it', async () => {
    const { code, stderr } = await check([
      '--prometheus',
      prometheus.url,
      '--prometheus-header',
      `Authorization: Basic ${BASIC}`,
    ]);
    assert.equal(code, 2);
    assert.match(stderr, /the Authorization header carries a credential/);
    assertNoSecret([stderr]);
  });

  it('settle reads the team job scrape and the scrape interval through the same access', async () => {
    const client = new PrometheusClient({
      url: prometheus.url,
      access: { basicAuth: { username: USER, password: PASSWORD }, caFile },
      retries: 0,
    });
    // The last `up` sample of the healthy hour is at its end (datasets.ts: 61 samples, one a minute).
    assert.equal(await latestScrape(client, TEAM_JOB, PHASES.healthy), PHASES.healthy);
    assert.equal(await latestScrape(client, 'mystocks-api', PHASES.healthy), undefined);
    // LocalPrometheus' default configuration: global scrape_interval 15s.
    assert.equal(await discoverScrapeInterval(client, TEAM_JOB), 15);
    const refused = new PrometheusClient({ url: prometheus.url, access: { caFile }, retries: 0 });
    assert.equal(await discoverScrapeInterval(refused, TEAM_JOB), undefined);
  });
});

describe('headers reach Prometheus on every request', () => {
  let proxy: Server;
  let proxyUrl: string;
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

  before(async () => {
    // Records each request, then forwards it unchanged to the real Prometheus over TLS (trusting the test CA).
    const target = new URL(prometheus.url);
    const ca = readFileSync(caFile);
    proxy = createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      const upstream = httpsRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: target.host },
          ca,
          timeout: 10_000,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error) => res.destroy(error));
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    assert.ok(address && typeof address === 'object');
    proxyUrl = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    proxy?.closeAllConnections();
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  });

  it('sends X-Scope-OrgID and the Authorization header with every query of a failed check and its diagnosis', async () => {
    const { code, stdout, stderr } = await check(
      [
        '--prometheus',
        proxyUrl,
        '--prometheus-header',
        `X-Scope-OrgID: ${TENANT}`,
        '--job',
        TEAM_JOB,
        ...range('unhealthy'),
      ],
      { HARNESS_PROMETHEUS_BEARER_TOKEN: '', HARNESS_PROMETHEUS_BASIC_AUTH: `${USER}:${PASSWORD}` },
    );
    // The real verdict came back through the proxy: every request passed Prometheus' own auth check.
    assert.equal(code, 1, stdout + stderr);
    assert.ok(seen.length >= 10, `only ${seen.length} requests`);
    // The check's instant queries and the diagnosis's breakdowns and exemplar look-up all went through.
    assert.deepEqual(new Set(seen.map((r) => r.path)), new Set(['/api/v1/query', '/api/v1/query_exemplars']));
    for (const request of seen) {
      assert.equal(request.headers['x-scope-orgid'], TENANT, request.path);
      assert.equal(request.headers.authorization, `Basic ${BASIC}`, request.path);
    }
    assertNoSecret([stdout, stderr]);
  });

  it('the external stack probes the secured Prometheus with the same access, and records no secret', async () => {
    // The API probe needs some service: the recording proxy answers (Prometheus' 401 is "not a server error").
    const env = { API_URL: proxyUrl, PROMETHEUS_URL: prometheus.url };
    const good = {
      access: { basicAuth: { username: USER, password: PASSWORD }, caFile, headers: { 'X-Scope-OrgID': TENANT } },
      settings: { basicAuthFile: authFile, caFile, headers: { 'X-Scope-OrgID': TENANT } },
    };
    const stack = await connectExternalStack({ prometheusAccess: good }, env);
    assert.deepEqual(stack.info.prometheusAccess, good.settings);
    assertNoSecret([JSON.stringify(stack.info)]);
    const wrong = { access: { basicAuth: { username: USER, password: 'wrong-pw-1' }, caFile } };
    await assert.rejects(connectExternalStack({ prometheusAccess: wrong }, env), (error: Error) => {
      assert.match(
        error.message,
        /prometheus at https:\/\/127\.0\.0\.1:\d+ refused the request: HTTP 401 \(sent basic auth/,
      );
      assert.ok(!error.message.includes('wrong-pw-1'));
      return true;
    });
  });
});

describe('harness slo check against Prometheus requiring mutual TLS', () => {
  let mtls: BackfilledPrometheus;
  let certFile: string;
  let keyFile: string;

  before(async () => {
    // A client certificate signed by the test CA, for client authentication only.
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await openssl(['req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=harness-ci']);
    writeFileSync(join(work, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
    await openssl([
      ...['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'],
      ...['-out', 'client.crt', '-days', '2', '-extfile', 'client.ext'],
    ]);
    certFile = join(work, 'client.crt');
    keyFile = join(work, 'client.key');
    // Prometheus' own check: no connection without a certificate the CA signed (no basic auth here).
    const webYaml = [
      'tls_server_config:',
      `  cert_file: ${join(work, 'server.crt')}`,
      `  key_file: ${join(work, 'server.key')}`,
      '  client_auth_type: RequireAndVerifyClientCert',
      `  client_ca_file: ${caFile}`,
      '',
    ].join('\n');
    mtls = await startBackfilledPrometheus(toOpenMetrics(referenceFamilies()), {
      yaml: webYaml,
      scheme: 'https',
      access: { caFile, clientCert: { certFile, keyFile } },
    });
  });

  after(async () => {
    await mtls?.stop();
  });

  it('with the client certificate gives the real verdicts: unhealthy exits 1 (flags), healthy exits 0 (environment)', async () => {
    const out = join(work, 'mtls-unhealthy.json');
    const unhealthy = await check([
      ...['--prometheus', mtls.url, '--prometheus-ca-file', caFile],
      ...['--prometheus-cert-file', certFile, '--prometheus-key-file', keyFile],
      ...range('unhealthy'),
      ...['--format', 'json', '--out', out],
    ]);
    assert.equal(unhealthy.code, 1, unhealthy.stdout + unhealthy.stderr);
    assert.deepEqual(verdictsAt(out), expectedVerdicts('unhealthy'));
    const healthy = await check(['--prometheus', mtls.url, ...range('healthy')], {
      HARNESS_PROMETHEUS_CA_FILE: caFile,
      HARNESS_PROMETHEUS_CERT_FILE: certFile,
      HARNESS_PROMETHEUS_KEY_FILE: keyFile,
    });
    assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
    const key = readFileSync(keyFile, 'utf8').split('\n')[1]!;
    for (const text of [
      unhealthy.stdout,
      unhealthy.stderr,
      healthy.stdout,
      healthy.stderr,
      readFileSync(out, 'utf8'),
    ]) {
      assert.ok(!text.includes(key), 'the private key appears in the output');
    }
  });

  it('without the client certificate exits 2, with the hint to give one', async () => {
    const { code, stdout, stderr } = await check([
      ...['--prometheus', mtls.url, '--prometheus-ca-file', caFile, '--retries', '0'],
      ...range('healthy'),
    ]);
    assert.equal(code, 2, stdout + stderr);
    assert.match(stdout, /--prometheus-cert-file/);
  });

  it('refuses a certificate without its key, naming both flags', async () => {
    const { code, stderr } = await check(['--prometheus', mtls.url, '--prometheus-cert-file', certFile]);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /--prometheus-cert-file and --prometheus-key-file: give the client certificate and its key together/,
    );
  });
});
