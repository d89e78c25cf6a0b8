// Where a command finds a service: flag > environment > reports/stack.json, the same for every service. Every
// stack.json read here is this test's own (HARNESS_REPORTS_DIR), never the checkout's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { StackInfo } from '../stack/types.ts';
import { resolveEndpoint, resolvePrometheus, resolvePrometheusAccess } from './endpoints.ts';

const stack = { apiUrl: 'http://127.0.0.1:3000', pushgatewayUrl: 'http://127.0.0.1:9091' } as StackInfo;
const target = (flag: string | undefined) => ({
  flag: { name: '--target', value: flag },
  env: ['HARNESS_TEST_API_URL'],
  fromStack: (info: StackInfo) => info.apiUrl,
});

test('a flag wins over the environment, which wins over stack.json', () => {
  process.env.HARNESS_TEST_API_URL = 'http://127.0.0.1:4000/';
  try {
    assert.deepEqual(resolveEndpoint(target('http://127.0.0.1:5000'), stack), {
      url: 'http://127.0.0.1:5000',
      source: '--target',
    });
    assert.deepEqual(resolveEndpoint(target(undefined), stack), {
      url: 'http://127.0.0.1:4000',
      source: 'HARNESS_TEST_API_URL',
    });
  } finally {
    delete process.env.HARNESS_TEST_API_URL;
  }
  assert.deepEqual(resolveEndpoint(target(undefined), stack), { url: stack.apiUrl, source: 'reports/stack.json' });
});

test("without a stack given, the reports folder's stack.json is read, and none there is no URL", () => {
  // A reports folder of this test's own (HARNESS_REPORTS_DIR): the checkout's reports/stack.json belongs to whatever
  // `harness up` or `harness verify` is running there, and must not decide this test.
  const dir = mkdtempSync(join(tmpdir(), 'endpoints-test-reports-'));
  const previous = process.env.HARNESS_REPORTS_DIR;
  process.env.HARNESS_REPORTS_DIR = dir;
  try {
    // An explicit undefined takes the default too: stack.json of HARNESS_REPORTS_DIR, here none.
    assert.equal(resolveEndpoint(target(undefined), undefined), undefined);
    assert.equal(resolveEndpoint(target(undefined)), undefined);
    writeFileSync(join(dir, 'stack.json'), JSON.stringify({ ...stack, apiUrl: 'http://127.0.0.1:3999' }));
    assert.deepEqual(resolveEndpoint(target(undefined)), {
      url: 'http://127.0.0.1:3999',
      source: 'reports/stack.json',
    });
  } finally {
    if (previous === undefined) delete process.env.HARNESS_REPORTS_DIR;
    else process.env.HARNESS_REPORTS_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a value that is not a URL is named with where it came from', () => {
  assert.throws(() => resolveEndpoint(target('notaurl'), stack), /^HarnessError: --target: 'notaurl' is not a URL/);
  assert.throws(() => resolveEndpoint(target('ftp://x'), stack), /--target: 'ftp:\/\/x' is not an http\(s\) URL/);
});

test('Prometheus access: each setting flag > environment > stack.json, stack.json only for its own Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'access-test-'));
  try {
    const fileAuth = join(dir, 'auth');
    writeFileSync(fileAuth, 'file-user:file-pw\n');
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'tok-from-file\n');
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, 'not parsed until a request');
    const withAccess = {
      ...stack,
      prometheusUrl: 'https://prom.example:9090',
      prometheusAccess: { headers: { 'X-Scope-OrgID': 'from-stack' }, bearerTokenFile: tokenFile, caFile: ca },
    } as StackInfo;
    const env = { HARNESS_PROMETHEUS_BASIC_AUTH: 'env-user:env-pw', HARNESS_PROMETHEUS_HEADERS: 'X-Scope-OrgID: env' };

    // Flags win over the environment, setting by setting.
    const flagged = resolvePrometheusAccess(
      { 'prometheus-header': ['X-Scope-OrgID: flag'], 'prometheus-basic-auth-file': fileAuth },
      { stack: withAccess, env },
    );
    assert.deepEqual(flagged.access, {
      headers: { 'X-Scope-OrgID': 'flag' },
      basicAuth: { username: 'file-user', password: 'file-pw' },
      caFile: ca,
    });
    // What may be written down names the file, never the password.
    assert.deepEqual(flagged.settings, { headers: { 'X-Scope-OrgID': 'flag' }, basicAuthFile: fileAuth, caFile: ca });

    // The environment wins over stack.json; stack.json fills what neither gives.
    const fromEnv = resolvePrometheusAccess({}, { stack: withAccess, env });
    assert.deepEqual(fromEnv.access, {
      headers: { 'X-Scope-OrgID': 'env' },
      basicAuth: { username: 'env-user', password: 'env-pw' },
      caFile: ca,
    });
    assert.equal(fromEnv.settings?.basicAuthFile, undefined);
    const fromStack = resolvePrometheusAccess({}, { stack: withAccess, env: {} });
    assert.deepEqual(fromStack.access, {
      headers: { 'X-Scope-OrgID': 'from-stack' },
      bearerToken: 'tok-from-file',
      caFile: ca,
    });
    assert.deepEqual(resolvePrometheusAccess({}, { env: {} }), {});

    // resolvePrometheus takes stack.json's access only with stack.json's URL.
    const previous = process.env.PROMETHEUS_URL;
    delete process.env.PROMETHEUS_URL;
    try {
      assert.equal(resolvePrometheus({}, withAccess)?.access?.bearerToken, 'tok-from-file');
      const other = resolvePrometheus({ prometheus: 'https://other.example' }, withAccess);
      assert.equal(other?.url, 'https://other.example');
      assert.equal(other?.access?.headers, undefined);
    } finally {
      if (previous !== undefined) process.env.PROMETHEUS_URL = previous;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Prometheus access: bad settings are errors that name their source and never echo a secret', () => {
  const both = { HARNESS_PROMETHEUS_BASIC_AUTH: 'u:pw-123', HARNESS_PROMETHEUS_BEARER_TOKEN: 'tok-456' };
  assert.throws(
    () => resolvePrometheusAccess({}, { env: both }),
    (error: Error) =>
      /environment: give basic auth or a bearer token/.test(error.message) && !/pw-123|tok-456/.test(error.message),
  );
  assert.throws(
    () => resolvePrometheusAccess({}, { env: { HARNESS_PROMETHEUS_BASIC_AUTH: 'no-colon-secret' } }),
    (error: Error) =>
      /HARNESS_PROMETHEUS_BASIC_AUTH: expected 'user:password'/.test(error.message) &&
      !error.message.includes('no-colon-secret'),
  );
  assert.throws(
    () => resolvePrometheusAccess({ 'prometheus-header': ['Authorization: Bearer tok-789'] }, { env: {} }),
    (error: Error) =>
      /the Authorization header carries a credential/.test(error.message) && !error.message.includes('tok-789'),
  );
  assert.throws(
    () => resolvePrometheusAccess({ 'prometheus-header': ['no colon'] }, { env: {} }),
    /--prometheus-header: expected 'Name: value'/,
  );
  assert.throws(
    () => resolvePrometheusAccess({ 'prometheus-bearer-token-file': '/nonexistent/token' }, { env: {} }),
    /the Prometheus bearer-token file \/nonexistent\/token cannot be read \(ENOENT\)/,
  );
  assert.throws(
    () => resolvePrometheusAccess({ 'prometheus-ca-file': '/nonexistent/ca.pem' }, { env: {} }),
    /the Prometheus CA file \/nonexistent\/ca.pem does not exist/,
  );
});

test('Prometheus access: the client certificate and key are one setting, flag > environment > stack.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'access-cert-test-'));
  try {
    const [flagCert, flagKey, envCert, envKey, stackCert, stackKey] = ['fc', 'fk', 'ec', 'ek', 'sc', 'sk'].map(
      (name) => {
        const path = join(dir, `${name}.pem`);
        writeFileSync(path, 'not parsed until a request');
        return path;
      },
    ) as [string, string, string, string, string, string];
    const withCert = {
      ...stack,
      prometheusUrl: 'https://prom.example:9090',
      prometheusAccess: { certFile: stackCert, keyFile: stackKey },
    } as StackInfo;
    const env = { HARNESS_PROMETHEUS_CERT_FILE: envCert, HARNESS_PROMETHEUS_KEY_FILE: envKey };
    const flags = { 'prometheus-cert-file': flagCert, 'prometheus-key-file': flagKey };
    assert.deepEqual(resolvePrometheusAccess(flags, { stack: withCert, env }).access, {
      clientCert: { certFile: flagCert, keyFile: flagKey },
    });
    const fromEnv = resolvePrometheusAccess({}, { stack: withCert, env });
    assert.deepEqual(fromEnv.access, { clientCert: { certFile: envCert, keyFile: envKey } });
    // What may be written down: the two paths.
    assert.deepEqual(fromEnv.settings, { certFile: envCert, keyFile: envKey });
    assert.deepEqual(resolvePrometheusAccess({}, { stack: withCert, env: {} }).access, {
      clientCert: { certFile: stackCert, keyFile: stackKey },
    });
    // Half a pair is an error naming its source, even where another source has the other half.
    assert.throws(
      () => resolvePrometheusAccess({ 'prometheus-key-file': flagKey }, { env }),
      /--prometheus-cert-file and --prometheus-key-file: give the client certificate and its key together/,
    );
    assert.throws(
      () => resolvePrometheusAccess({}, { env: { HARNESS_PROMETHEUS_CERT_FILE: envCert } }),
      /HARNESS_PROMETHEUS_CERT_FILE and HARNESS_PROMETHEUS_KEY_FILE: give the client certificate and its key together/,
    );
    assert.throws(
      () => resolvePrometheusAccess({ ...flags, 'prometheus-key-file': join(dir, 'missing.pem') }, { env: {} }),
      /the Prometheus client key .*missing\.pem does not exist/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Prometheus access: the answer size cap, flag > environment > stack.json, in bytes or with a unit', () => {
  const withCap = {
    ...stack,
    prometheusUrl: 'http://prom.example',
    prometheusAccess: { maxBodyBytes: 4096 },
  } as StackInfo;
  const env = { HARNESS_PROMETHEUS_MAX_BODY: '64MiB' };
  assert.equal(
    resolvePrometheusAccess({ 'prometheus-max-body': '1048576' }, { stack: withCap, env }).access?.maxBodyBytes,
    1_048_576,
  );
  assert.equal(resolvePrometheusAccess({}, { stack: withCap, env }).access?.maxBodyBytes, 64 * 1024 * 1024);
  assert.deepEqual(resolvePrometheusAccess({}, { stack: withCap, env: {} }), {
    access: { maxBodyBytes: 4096 },
    settings: { maxBodyBytes: 4096 },
  });
  // KiB/MiB/GiB are powers of 1024, kB/MB/GB of 1000.
  for (const [text, bytes] of [
    ['512KiB', 524_288],
    ['1.5 MiB', 1_572_864],
    ['2GiB', 2_147_483_648],
    ['20MB', 20_000_000],
    ['3kB', 3000],
    ['100B', 100],
  ] as const) {
    assert.equal(
      resolvePrometheusAccess({ 'prometheus-max-body': text }, { env: {} }).access?.maxBodyBytes,
      bytes,
      text,
    );
  }
  // Without any, no cap is set here: the client's default (16 MiB) applies.
  assert.deepEqual(resolvePrometheusAccess({}, { env: {} }), {});
  for (const [flags, env2, source, value] of [
    [{ 'prometheus-max-body': '0' }, {}, '--prometheus-max-body', '0'],
    [{ 'prometheus-max-body': '16 megs' }, {}, '--prometheus-max-body', '16 megs'],
    [{}, { HARNESS_PROMETHEUS_MAX_BODY: '-1' }, 'HARNESS_PROMETHEUS_MAX_BODY', '-1'],
    [{}, { HARNESS_PROMETHEUS_MAX_BODY: '0.5B' }, 'HARNESS_PROMETHEUS_MAX_BODY', '0.5B'],
  ] as const) {
    assert.throws(
      () => resolvePrometheusAccess(flags, { env: env2 }),
      new RegExp(
        `^HarnessError: ${source}: '${value.replace('.', '\\.')}' is not a size \\(a positive number of bytes, or with KiB, MiB, GiB, kB, MB, GB, e\\.g\\. 64MiB\\)$`,
      ),
    );
  }
});

test('a value that is not a URL is echoed without what could be a password', () => {
  assert.throws(
    () => resolveEndpoint(target('http://user:sec/ret@host'), stack),
    (error: Error) =>
      error.message === "--target: 'http://[redacted]@host' is not a URL (expected e.g. http://127.0.0.1:3000)",
  );
  assert.throws(
    () => resolveEndpoint(target('ftp://user:secret-1@host/x'), stack),
    (error: Error) => error.message === "--target: 'ftp://[redacted]@host/x' is not an http(s) URL",
  );
});
