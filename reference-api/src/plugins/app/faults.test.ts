// Fault injection: latency that shows in the metrics, injected 503s, cache bypass, the admin route and its
// token, and start-up refusing an invalid MYSTOCKS_FAULTS.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { ConfigError, parseFaults } from '../../config.ts';
import { sampleValue, startTestEnv, type TestEnv } from '../../test-helper.ts';

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
  const text = (await app.inject('/metrics')).body;
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
  const text = (await app.inject('/metrics')).body;
  assert.equal(
    sampleValue(text, 'http_requests_total', { endpoint: '/api/market/quotes', method: 'GET', status_code: '503' }),
    1,
  );
});

test('cacheBypass skips both levels: no cache counter moves', async () => {
  const app = await env.buildAnother({ faults: [{ route: '/api/market/sectors', cacheBypass: true }] });
  for (let i = 0; i < 3; i++) assert.equal((await app.inject('/api/market/sectors')).statusCode, 200);
  const text = (await app.inject('/metrics')).body;
  assert.equal(sampleValue(text, 'cache_hits_total', { level: 'l1' }), 0);
  assert.equal(sampleValue(text, 'cache_misses_total', { level: 'l1' }), 0);
});

test('the admin route needs the token, validates and replaces the list', async () => {
  const app = await env.buildAnother({ faultsAdminToken: 's3cret' });
  const auth = { authorization: 'Bearer s3cret' };
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

test('the server refuses to start with invalid MYSTOCKS_FAULTS, saying why', async () => {
  const child = spawn(process.execPath, [new URL('../../server.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      DATABASE_URL: env.postgres.connectionUri,
      PORT: '0',
      MYSTOCKS_FAULTS: '[{"route": "*", "errorRate": "high"}]',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 2);
  assert.match(
    stderr,
    /invalid configuration: MYSTOCKS_FAULTS\[0\]\.errorRate: Invalid input: expected number, received string/,
  );
});
