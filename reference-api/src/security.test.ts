// The hardening of the reference service (docs/security.md), each point against real PostgreSQL and Redis:
// sessions (rotation, revocation, sweep, Secure cookie), the register and login limits, the security headers,
// the request timeouts of a listening server, and CSV formula neutralisation in a real export.

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { cookieOf, startTestEnv, type TestEnv } from './test-helper.ts';

let env: TestEnv;

before(async () => {
  env = await startTestEnv({
    config: { webDistDir: '/nonexistent-dist/', registerRateLimit: 3, loginFailuresPerAddress: 5 },
  });
});
after(async () => env?.close());

const json = (res: { body: string }) => JSON.parse(res.body);
const login = (app: FastifyInstance, username: string, password: string, extra: Record<string, unknown> = {}) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, ...extra });
const me = (cookie: string) => env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
/** Runs one statement straight on the test database (to set up what no route can, e.g. an expired session). */
async function sql<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: env.postgres.connectionUri, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}
const sessionCount = async (username: string) =>
  Number(
    (
      await sql<{ n: string }>(
        'SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1',
        [username],
      )
    )[0]!.n,
  );

describe('sessions', () => {
  test('login rotates the session: the token the browser carried before is no longer valid', async () => {
    const first = await env.login();
    const second = cookieOf(await login(env.app, 'demo', 'demo-pass', { headers: { cookie: first } }));
    assert.notEqual(second, first);
    assert.equal((await me(first)).statusCode, 401);
    assert.equal((await me(second)).statusCode, 200);
  });

  test('DELETE /api/auth/sessions ends every other session of the user, and only those', async () => {
    const one = await env.login();
    const two = await env.login();
    const revoked = await env.app.inject({ method: 'DELETE', url: '/api/auth/sessions', headers: { cookie: two } });
    assert.equal(revoked.statusCode, 200);
    assert.ok(json(revoked).revoked >= 1);
    assert.equal((await me(one)).statusCode, 401);
    assert.equal((await me(two)).statusCode, 200);
    assert.equal(await sessionCount('demo'), 1);
  });

  test('expired sessions are deleted by the sweep (run at start and on an interval)', async () => {
    const cookie = await env.login();
    await sql(
      "UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE username = 'demo')",
    );
    assert.equal((await me(cookie)).statusCode, 401);
    assert.ok((await sessionCount('demo')) >= 1, 'the expired row is still there before the sweep');
    // A new app on the same database sweeps as it starts.
    await env.buildAnother({});
    assert.equal(await sessionCount('demo'), 0);
  });

  test('the cookie is Secure when configured, and with auto only behind HTTPS or a trusted proxy saying so', async () => {
    const secureOf = async (app: FastifyInstance, headers: Record<string, string> = {}) =>
      /;\s*Secure/i.test(String((await login(app, 'demo', 'demo-pass', { headers })).headers['set-cookie']));
    // env.app: cookieSecure auto (the default), trustProxy off: a forged X-Forwarded-Proto is ignored.
    assert.equal(await secureOf(env.app), false);
    assert.equal(await secureOf(env.app, { 'x-forwarded-proto': 'https' }), false);
    const proxied = await env.buildAnother({ trustProxy: true });
    assert.equal(await secureOf(proxied), false);
    assert.equal(await secureOf(proxied, { 'x-forwarded-proto': 'https' }), true);
    const always = await env.buildAnother({ cookieSecure: true });
    assert.equal(await secureOf(always), true);
  });
});

describe('register and login limits', () => {
  test('register is limited per address (429 with Retry-After) and a taken name answers like a new one', async () => {
    const app = await env.buildAnother({ registerRateLimit: 3 });
    const register = (username: string, remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { username, password: 'long-enough' },
        remoteAddress,
      });
    const fresh = await register('brand_new_1', '10.0.0.1');
    const taken = await register('demo', '10.0.0.1');
    assert.equal(fresh.statusCode, 201);
    assert.equal(taken.statusCode, 201);
    assert.deepEqual(Object.keys(json(taken)), Object.keys(json(fresh)));
    assert.equal((await register('brand_new_2', '10.0.0.1')).statusCode, 201);
    const limited = await register('brand_new_3', '10.0.0.1');
    assert.equal(limited.statusCode, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    // another address is not affected
    assert.equal((await register('brand_new_4', '10.0.0.2')).statusCode, 201);
  });

  test('failed logins are limited per address across usernames (password spraying)', async () => {
    const app = await env.buildAnother({ loginFailuresPerAddress: 5 });
    const spray = (username: string, remoteAddress = '10.1.0.1') =>
      login(app, username, 'Summer2026!', { remoteAddress });
    for (let i = 0; i < 5; i++) assert.equal((await spray(`user${i}`)).statusCode, 401);
    const blocked = await spray('user5');
    assert.equal(blocked.statusCode, 429);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.match(json(blocked).message, /too many failed logins from this address/);
    // even the right password is refused from that address for now; another address still signs in
    assert.equal((await login(app, 'demo', 'demo-pass', { remoteAddress: '10.1.0.1' })).statusCode, 429);
    assert.equal((await login(app, 'demo', 'demo-pass', { remoteAddress: '10.1.0.2' })).statusCode, 200);
  });

  test('successful logins do not count: one address signs many users in (a load test, an office NAT)', async () => {
    const app = await env.buildAnother({ loginFailuresPerAddress: 2 });
    for (let i = 0; i < 4; i++) {
      assert.equal((await login(app, 'demo', 'demo-pass', { remoteAddress: '10.2.0.1' })).statusCode, 200);
    }
  });

  test("a flood of new usernames from one address cannot evict another user's login limit", async () => {
    const app = await env.buildAnother({ loginRateLimit: 2, loginFailuresPerAddress: 20 });
    const attempt = (username: string) => login(app, username, 'wrong', { remoteAddress: '10.3.0.1' });
    for (let i = 0; i < 2; i++) assert.equal((await attempt('demo')).statusCode, 401);
    assert.equal((await attempt('demo')).statusCode, 429);
    // The flooder's new names stop counting once the address limit is reached: no new keys reach the store.
    let refused = 0;
    for (let i = 0; i < 40; i++) if ((await attempt(`flood${i}`)).statusCode === 429) refused++;
    assert.ok(refused >= 20, `only ${refused} of 40 flood attempts refused`);
    assert.equal((await attempt('demo')).statusCode, 429);
  });
});

describe('security headers', () => {
  test('every answer carries the CSP and the other helmet headers', async () => {
    for (const url of ['/healthz', '/api/market/sectors', '/login', '/nowhere']) {
      const res = await env.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, url);
      assert.match(csp, /script-src 'self'(;|$)/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
      assert.equal(res.headers['x-powered-by'], undefined, url);
    }
  });
});

describe('timeouts of a listening server', () => {
  test('a client that never finishes its headers is cut off (slow loris)', async () => {
    const app = await env.buildAnother({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += String(chunk);
    });
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    // Node checks the deadlines every 30 s (connectionsCheckingInterval), so allow up to a minute.
    const closed = await new Promise<boolean>((resolve) => {
      const guard = setTimeout(() => resolve(false), 60_000);
      socket.once('close', () => {
        clearTimeout(guard);
        resolve(true);
      });
    });
    socket.destroy();
    assert.ok(closed, 'the server kept a half-sent request open for a minute');
    assert.match(answer, /^HTTP\/1\.1 408/);
  });
});

describe('CSV export', () => {
  test('a text cell that a spreadsheet would run as a formula is neutralised; negative numbers stay numbers', async () => {
    // A sector name is the one text a user can reach in an export; make one hostile in the database.
    await sql(
      'UPDATE securities SET name = \'=HYPERLINK("http://evil","x")\' WHERE symbol = (SELECT min(symbol) FROM securities)',
    );
    await env.app.cache.clear();
    const cookie = await env.login();
    const res = await env.app.inject({ method: 'GET', url: '/api/export/quotes.csv', headers: { cookie } });
    assert.equal(res.statusCode, 200);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    const names = rows.map((r) => r.Name!);
    assert.ok(names.includes('\'=HYPERLINK("http://evil","x")'), names.slice(0, 3).join(' | '));
    assert.ok(!names.some((n) => /^[=+\-@\t\r]/.test(n)));
    const changes = rows.map((r) => r['Change %']!);
    assert.ok(
      changes.some((c) => /^-\d/.test(c)),
      'a negative change is written as a plain number',
    );
  });
});
