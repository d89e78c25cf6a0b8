// Fault injection: latency that shows in the metrics, injected 503s, cache bypass, the admin route and its
// token (at least 32 characters, wrong ones limited per address), and start-up refusing an invalid
// MYSTOCKS_FAULTS, a short token, and fault injection under NODE_ENV=production without the second switch.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { startTestEnv, type TestEnv } from '../../../../stack/local/api-test-support.ts';
import { appConfigSchema, ConfigError, configFromEnv, parseFaults } from '../../config.ts';
import { sampleValue } from '../../test-helper.ts';

let env: TestEnv;
before(async () => {
  env = await startTestEnv({ redis: false });
});
after(async () => env?.close());

test('no faults by default: the admin route does not exist without a token', async () => {
  assert.equal((await env.app.inject('/api/market/sectors')).statusCode, 200);
  assert.equal((await env.app.inject('/admin/faults')).statusCode, 404);
});

test('added latency pushes the request past 300 ms, visible in the slow counter and histogram', async () => {
  const app = await env.buildAnother({ faults: [{ route: '/api/market/sectors', latencyMs: 350 }] });
  assert.equal((await app.inject('/api/market/sectors')).statusCode, 200);
  assert.equal((await app.inject('/api/market/search?q=60')).statusCode, 200);
  const text = (await app.metricsServer.inject('/metrics')).body;
  const sectors = { endpoint: '/api/market/sectors', method: 'GET' };
  assert.equal(sampleValue(text, 'slow_http_requests_total', sectors), 1);
  assert.equal(sampleValue(text, 'http_request_duration_seconds_bucket', { ...sectors, le: '0.3' }), 0);
  assert.equal(sampleValue(text, 'http_request_duration_seconds_bucket', { ...sectors, le: '+Inf' }), 1);
  assert.equal(sampleValue(text, 'slow_http_requests_total', { endpoint: '/api/market/search', method: 'GET' }), 0);
});

test('errorRate 1 on * answers every /api route 503, other routes unharmed', async () => {
  const app = await env.buildAnother({ faults: [{ route: '*', errorRate: 1 }] });
  const r = await app.inject('/api/market/quotes');
  assert.equal(r.statusCode, 503);
  assert.deepEqual(JSON.parse(r.body), { statusCode: 503, error: 'Service Unavailable', message: 'injected fault' });
  assert.equal((await app.inject('/healthz')).statusCode, 200);
  const text = (await app.metricsServer.inject('/metrics')).body;
  assert.equal(
    sampleValue(text, 'http_requests_total', { endpoint: '/api/market/quotes', method: 'GET', status_code: '503' }),
    1,
  );
});

test('cacheBypass skips both levels: no cache counter moves', async () => {
  const app = await env.buildAnother({ faults: [{ route: '/api/market/sectors', cacheBypass: true }] });
  for (let i = 0; i < 3; i++) assert.equal((await app.inject('/api/market/sectors')).statusCode, 200);
  const text = (await app.metricsServer.inject('/metrics')).body;
  assert.equal(sampleValue(text, 'cache_hits_total', { level: 'l1' }), 0);
  assert.equal(sampleValue(text, 'cache_misses_total', { level: 'l1' }), 0);
});

/** An admin token of the required length (32 characters or more). */
const TOKEN = 'faults-test-admin-token-0123456789';

test('the admin route needs the token, validates and replaces the list', async () => {
  const app = await env.buildAnother({ faultsAdminToken: TOKEN });
  const auth = { authorization: `Bearer ${TOKEN}` };
  assert.equal((await app.inject('/admin/faults')).statusCode, 401);
  assert.equal((await app.inject({ url: '/admin/faults', headers: { authorization: 'Bearer nope' } })).statusCode, 401);
  assert.deepEqual(JSON.parse((await app.inject({ url: '/admin/faults', headers: auth })).body), []);
  const list = [{ route: '/api/market/overview', errorRate: 1 }];
  const put = await app.inject({ method: 'PUT', url: '/admin/faults', headers: auth, payload: list });
  assert.equal(put.statusCode, 200);
  assert.deepEqual(JSON.parse(put.body), list);
  assert.equal((await app.inject('/api/market/overview')).statusCode, 503);
  const bad = await app.inject({
    method: 'PUT',
    url: '/admin/faults',
    headers: auth,
    payload: [{ route: '*', errorRate: 2 }],
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(JSON.parse(bad.body).field, '0.errorRate');
  await app.inject({ method: 'PUT', url: '/admin/faults', headers: auth, payload: [] });
  assert.equal((await app.inject('/api/market/overview')).statusCode, 200);
});

test('parseFaults names what is wrong', () => {
  const cases: [string, string][] = [
    ['not json', 'MYSTOCKS_FAULTS is not valid JSON: '],
    ['{"route": "*"}', 'MYSTOCKS_FAULTS: Invalid input: expected array, received object'],
    ['[{"route": "*", "errorRate": 1.5}]', 'MYSTOCKS_FAULTS[0].errorRate: Too big: expected number to be <=1'],
    ['[{"latencyMs": 10}]', 'MYSTOCKS_FAULTS[0].route: Invalid input: expected string, received undefined'],
    ['[{"route": "*", "latency": 10}]', 'MYSTOCKS_FAULTS[0]: Unrecognized key: "latency"'],
  ];
  for (const [raw, message] of cases) {
    assert.throws(
      () => parseFaults(raw),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith(message),
      raw,
    );
  }
  assert.deepEqual(parseFaults(''), []);
});

/** Starts server.ts with `extra` in its environment and returns its exit code and stderr (a refused start). */
async function startServer(extra: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [new URL('../../server.ts', import.meta.url).pathname], {
    env: { ...process.env, DATABASE_URL: env.postgres.connectionUri, PORT: '0', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

test('the server refuses to start with invalid MYSTOCKS_FAULTS, saying why', async () => {
  const { code, stderr } = await startServer({ MYSTOCKS_FAULTS: '[{"route": "*", "errorRate": "high"}]' });
  assert.equal(code, 2);
  assert.match(
    stderr,
    /invalid configuration: MYSTOCKS_FAULTS\[0\]\.errorRate: Invalid input: expected number, received string/,
  );
});

test('an admin token shorter than 32 characters stops the start, without printing the token', async () => {
  const short = 'x'.repeat(31);
  const { code, stderr } = await startServer({ MYSTOCKS_FAULTS_ADMIN_TOKEN: short });
  assert.equal(code, 2);
  assert.match(
    stderr,
    /invalid configuration: MYSTOCKS_FAULTS_ADMIN_TOKEN: must be at least 32 characters \(generate one, e\.g\. `openssl rand -hex 32`\)/,
  );
  assert.ok(!stderr.includes(short), stderr);
  // A one-character token (the review's case) is refused by the configuration that buildApp takes too.
  assert.throws(() => appConfigSchema.parse({ databaseUrl: 'postgres://x', faultsAdminToken: 'a' }), /at least 32/);
  // 32 characters are enough.
  assert.equal(
    configFromEnv({ DATABASE_URL: 'postgres://x', MYSTOCKS_FAULTS_ADMIN_TOKEN: 'y'.repeat(32) }).faultsAdminToken,
    'y'.repeat(32),
  );
});

test('wrong admin tokens are limited per address: 429 with Retry-After after 10, other addresses unaffected', async () => {
  const app = await env.buildAnother({ faultsAdminToken: TOKEN });
  const get = (token: string, remoteAddress: string) =>
    app.inject({ url: '/admin/faults', headers: { authorization: `Bearer ${token}` }, remoteAddress });
  const statuses: number[] = [];
  for (let i = 0; i < 50; i++) statuses.push((await get(`wrong-${i}`, '10.9.0.1')).statusCode);
  // 10 wrong tokens are answered 401; the 40 after them 429, before the token is even compared.
  assert.deepEqual(statuses, [...Array(10).fill(401), ...Array(40).fill(429)]);
  const limited = await get(TOKEN, '10.9.0.1');
  assert.equal(limited.statusCode, 429, 'the address is refused for the window, right token or not');
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.match(
    JSON.parse(limited.body).message,
    /^too many wrong admin tokens from this address, retry in \d+ seconds$/,
  );
  assert.equal((await get(TOKEN, '10.9.0.2')).statusCode, 200);
});

test('under NODE_ENV=production fault injection stops the start unless MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION=true', async () => {
  const refused =
    /MYSTOCKS_FAULTS: fault injection is refused under NODE_ENV=production \(set MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION=true to allow it\)/;
  const faults = await startServer({ NODE_ENV: 'production', MYSTOCKS_FAULTS: '[{"route": "*", "errorRate": 1}]' });
  assert.equal(faults.code, 2);
  assert.match(faults.stderr, new RegExp(`invalid configuration: ${refused.source}`));
  const token = await startServer({ NODE_ENV: 'production', MYSTOCKS_FAULTS_ADMIN_TOKEN: TOKEN });
  assert.equal(token.code, 2);
  assert.match(
    token.stderr,
    /invalid configuration: MYSTOCKS_FAULTS_ADMIN_TOKEN: fault injection is refused under NODE_ENV=production/,
  );
  // The configuration (what server.ts hands buildApp) with and without the switch; an empty list is no injection.
  const production = { DATABASE_URL: 'postgres://x', NODE_ENV: 'production' };
  assert.deepEqual(configFromEnv({ ...production, MYSTOCKS_FAULTS: '[]' }).faults, []);
  assert.throws(() => configFromEnv({ ...production, MYSTOCKS_FAULTS: '[{"route": "*", "errorRate": 1}]' }), refused);
  const allowed = configFromEnv({
    ...production,
    MYSTOCKS_FAULTS: '[{"route": "*", "errorRate": 1}]',
    MYSTOCKS_FAULTS_ADMIN_TOKEN: TOKEN,
    MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION: 'true',
  });
  assert.deepEqual(allowed.faults, [{ route: '*', errorRate: 1 }]);
  assert.equal(allowed.faultsAdminToken, TOKEN);
  // Without NODE_ENV=production nothing changes.
  assert.equal(
    configFromEnv({ DATABASE_URL: 'postgres://x', MYSTOCKS_FAULTS_ADMIN_TOKEN: TOKEN }).faultsAdminToken,
    TOKEN,
  );
});
