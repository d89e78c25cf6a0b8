// The hardening of the reference service (docs/security.md), each point against real PostgreSQL and Redis:
// sessions (rotation, revocation, sweep, Secure cookie), the register and login limits (a burst counted before
// hashing, the bound on concurrent hashes, the per-account backoff, the register-then-login oracle), the
// untrusted X-Forwarded-For warning, the security headers, the request timeouts of a listening server, CSV
// formula neutralisation in a real export, and /metrics on a loopback listener of its own, not the app port (L2).

import assert from 'node:assert/strict';
import { type AddressInfo, connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { startTestEnv, type TestEnv } from '../../stack/local/api-test-support.ts';
import { listenApp } from './app.ts';
import { configFromEnv, DEFAULT_METRICS_PORT } from './config.ts';
import { cookieOf, sampleValue } from './test-helper.ts';

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
/** A counter of the app's /metrics (label-less). */
const counter = async (app: FastifyInstance, name: string) =>
  sampleValue((await app.metricsServer.inject('/metrics')).body, name);
/** How many answers had each status, e.g. { 401: 5, 429: 295 }. */
const tally = (answers: { statusCode: number }[]) => {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.statusCode] = (counts[a.statusCode] ?? 0) + 1;
  return counts;
};
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

  test('failed logins are limited per address across usernames (password spraying); the right password waits too', async () => {
    const app = await env.buildAnother({ loginFailuresPerAddress: 5 });
    const spray = (username: string, remoteAddress = '10.1.0.1') =>
      login(app, username, 'Summer2026!', { remoteAddress });
    for (let i = 0; i < 5; i++) assert.equal((await spray(`user${i}`)).statusCode, 401);
    const blocked = await spray('user5');
    assert.equal(blocked.statusCode, 429);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.match(json(blocked).message, /too many failed logins from this address/);
    // The decision of docs/security.md ("Which limit refuses a right password"): the right password is refused
    // from that address too, before it is hashed: letting it through would tell the sprayer which guess was
    // right, and cost a hash per attempt again. Another address still signs in.
    const hashes = await counter(app, 'password_hashes_total');
    assert.equal((await login(app, 'demo', 'demo-pass', { remoteAddress: '10.1.0.1' })).statusCode, 429);
    assert.equal(await counter(app, 'password_hashes_total'), hashes, 'the refused right password was not hashed');
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

describe('logins in a burst, and the bound on hashing (M1)', () => {
  test('300 simultaneous wrong logins from one address hash only the address limit: 5 answered 401, 295 429', async () => {
    // Before: the failures were counted after scrypt, so all 300 passed the check and were hashed (300 x 401).
    const app = await env.buildAnother({ loginFailuresPerAddress: 5 });
    const before = await counter(app, 'password_hashes_total');
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => login(app, `burst_${i}`, 'wrong-password', { remoteAddress: '10.4.0.1' })),
    );
    assert.equal((await counter(app, 'password_hashes_total')) - before, 5);
    assert.deepEqual(tally(answers), { 401: 5, 429: 295 });
    for (const a of answers.filter((a) => a.statusCode === 429)) assert.ok(Number(a.headers['retry-after']) > 0);
  });

  test('one process hashes at most passwordHashConcurrency passwords at once; past the queue, 503 with Retry-After', async () => {
    const app = await env.buildAnother({ passwordHashConcurrency: 1, passwordHashQueue: 1 });
    const before = {
      run: await counter(app, 'password_hashes_total'),
      rejected: await counter(app, 'password_hashes_rejected_total'),
    };
    // 20 addresses, so no per-address or per-account limit is what refuses them.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        login(app, `gate_${i}`, 'wrong-password', { remoteAddress: `10.6.0.${i + 1}` }),
      ),
    );
    const counts = tally(answers);
    assert.deepEqual(Object.keys(counts).sort(), ['401', '503'], JSON.stringify(counts));
    for (const a of answers.filter((a) => a.statusCode === 503)) {
      assert.equal(a.headers['retry-after'], '1');
      assert.equal(json(a).message, 'too many password checks in progress, retry in 1 second');
    }
    assert.equal(app.passwordHashes.peak, 1, 'never more than one hash at once');
    assert.equal((await counter(app, 'password_hashes_total')) - before.run, counts[401]);
    assert.equal((await counter(app, 'password_hashes_rejected_total')) - before.rejected, counts[503]);
  });

  test('an attempt refused for lack of a hash slot is not counted as a failed login', async () => {
    const app = await env.buildAnother({
      loginFailuresPerAddress: 2,
      passwordHashConcurrency: 1,
      passwordHashQueue: 0,
    });
    const wrong = (name: string) => login(app, name, 'wrong-password', { remoteAddress: '10.7.0.1' });
    // Two reserve the address's two failures; one of them finds no slot (503) and gives its failure back.
    const [first, second] = await Promise.all([wrong('slot_a'), wrong('slot_b')]);
    assert.deepEqual([first!.statusCode, second!.statusCode].sort(), [401, 503]);
    assert.equal((await wrong('slot_c')).statusCode, 401, 'one failure was left, not none');
    assert.equal((await wrong('slot_d')).statusCode, 429);
  });

  test('failures of one account are limited across addresses (backoff); a burst on it hashes only the free failures', async () => {
    const app = await env.buildAnother({ loginFailuresPerAccount: 3 });
    for (let i = 1; i <= 3; i++) {
      assert.equal((await login(app, 'demo', 'wrong-password', { remoteAddress: `10.8.0.${i}` })).statusCode, 401);
    }
    // After the 3rd failure the next attempt waits 2^0 = 1 s, whatever the address, right password or not.
    for (const password of ['wrong-password', 'demo-pass']) {
      const waiting = await login(app, 'demo', password, { remoteAddress: '10.8.1.1' });
      assert.equal(waiting.statusCode, 429, password);
      assert.equal(waiting.headers['retry-after'], '1');
      assert.equal(json(waiting).message, 'too many failed logins for this account, retry in 1 seconds');
    }
    // An unknown name gets the same backoff (it tells nobody which accounts exist), and a burst of 50 on it from
    // 50 addresses hashes 3 passwords.
    const before = await counter(app, 'password_hashes_total');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => login(app, 'no_such_user', 'guess', { remoteAddress: `10.8.2.${i + 1}` })),
    );
    assert.deepEqual(tally(answers), { 401: 3, 429: 47 });
    assert.equal((await counter(app, 'password_hashes_total')) - before, 3);
  });
});

describe('username oracle (L6, kept: docs/security.md)', () => {
  test('register then login tells a taken name (401) from a free one (200); probing stops at the failure limit', async () => {
    const app = await env.buildAnother({ registerRateLimit: 20, loginFailuresPerAddress: 2 });
    const register = (username: string, password: string, remoteAddress: string) =>
      app.inject({ method: 'POST', url: '/api/auth/register', payload: { username, password }, remoteAddress });
    for (const name of ['owner_a', 'owner_b', 'owner_c'])
      assert.equal((await register(name, 'owners-password', '10.10.0.1')).statusCode, 201);
    const probe = async (name: string) => {
      assert.equal((await register(name, 'probe-password', '10.10.0.2')).statusCode, 201, 'register answers alike');
      return (await login(app, name, 'probe-password', { remoteAddress: '10.10.0.2' })).statusCode;
    };
    assert.equal(await probe('owner_a'), 401, 'taken');
    assert.equal(await probe('free_name_1'), 200, "free (and now the prober's account)");
    assert.equal(await probe('owner_b'), 401, 'taken');
    // Each taken name costs the prober one failed login, so the probe ends at the address's limit (2 here).
    assert.equal(await probe('owner_c'), 429);
    assert.equal(await probe('free_name_2'), 429);
  });
});

describe('a reverse proxy the service does not trust (M4)', () => {
  test('X-Forwarded-For from an untrusted sender is counted, and a warning naming MYSTOCKS_TRUST_PROXY is logged once', async () => {
    const app = await env.buildAnother({});
    const warnings = () =>
      env.logs.filter((l) => String(l.msg).startsWith('X-Forwarded-For ignored: the sender is not a trusted proxy'));
    const logged = warnings().length;
    for (let i = 0; i < 3; i++) {
      await app.inject({ url: '/healthz', headers: { 'x-forwarded-for': '203.0.113.7' }, remoteAddress: '10.11.0.1' });
    }
    await app.inject({ url: '/healthz', remoteAddress: '10.11.0.1' });
    assert.equal(await counter(app, 'untrusted_forwarded_for_total'), 3);
    const lines = warnings().slice(logged);
    assert.equal(lines.length, 1, 'logged once, not per request');
    assert.equal(lines[0]!.level, 40);
    assert.equal(lines[0]!.remote_address, '10.11.0.1');
    assert.match(String(lines[0]!.msg), /set MYSTOCKS_TRUST_PROXY to the proxy hop count or addresses/);
    // Behind a proxy the service trusts, the header is believed: nothing counted, nothing logged.
    const trusting = await env.buildAnother({ trustProxy: ['10.11.0.1'] });
    await trusting.inject({
      url: '/healthz',
      headers: { 'x-forwarded-for': '203.0.113.7' },
      remoteAddress: '10.11.0.1',
    });
    assert.equal(await counter(trusting, 'untrusted_forwarded_for_total'), 0);
    assert.equal(warnings().length, logged + 1);
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
    const app = await env.buildAnother({
      headersTimeoutMs: 500,
      requestTimeoutMs: 1_000,
      connectionsCheckingIntervalMs: 100,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += String(chunk);
    });
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    // Node checks the deadlines every connectionsCheckingIntervalMs (here 0.1 s); the guard only ends a test
    // whose server never cuts the client off.
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

describe('metrics on a listener of their own, not the app port (L2)', () => {
  test('the app port answers /metrics 404; the metrics listener, on loopback by default, serves the exposition', async (t) => {
    // The defaults a deployment gets when it sets nothing (server.ts reads configFromEnv).
    const defaults = configFromEnv({ DATABASE_URL: 'postgres://127.0.0.1/mystocks' });
    assert.equal(defaults.metricsHost, '127.0.0.1');
    assert.equal(defaults.metricsPort, DEFAULT_METRICS_PORT);
    // A free port for each listener; the metrics host is left to its default, as above.
    const app = await env.buildAnother({ port: 0, metricsPort: 0 });
    const { url, metricsUrl } = await listenApp(app);
    const appPort = (app.server.address() as AddressInfo).port;
    const metricsAddress = app.metricsServer.server.address() as AddressInfo;
    assert.equal(metricsAddress.address, '127.0.0.1');
    assert.notEqual(metricsAddress.port, appPort);

    const get = (at: string) => fetch(at, { signal: AbortSignal.timeout(10_000) });
    assert.equal((await get(`${url}/healthz`)).status, 200);
    const refused = await get(`${url}/metrics`);
    assert.equal(refused.status, 404);
    assert.doesNotMatch(await refused.text(), /http_request|process_|nodejs_/);
    // The listener serves /metrics and nothing else.
    assert.equal((await get(`${metricsUrl}/api/market/overview`)).status, 404);

    const scrape = await get(`${metricsUrl}/metrics`);
    assert.equal(scrape.status, 200);
    // fetch asks for any type (Accept: */*): the classic text format (metrics.int.test.ts covers the negotiation).
    assert.match(String(scrape.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
    const text = await scrape.text();
    for (const family of ['http_request_duration_seconds histogram', 'db_query_duration_seconds histogram']) {
      assert.match(text, new RegExp(`^# TYPE ${family}$`, 'm'));
    }
    assert.match(text, /^nodejs_version_info\{/m);
    // The requests on the app port are counted there: /healthz as itself, /metrics as a route the app lacks.
    const count = (labels: Record<string, string>) => sampleValue(text, 'http_requests_total', labels);
    assert.equal(count({ endpoint: '/healthz', method: 'GET', status_code: '200' }), 1);
    assert.equal(count({ endpoint: 'unmatched', method: 'GET', status_code: '404' }), 1);

    // Not reachable on this machine's other addresses: a connection to the metrics port there is refused.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    const outcomes: string[] = [];
    for (const address of others) {
      const socket = connect({ host: address, port: metricsAddress.port, timeout: 5_000 });
      const outcome = await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('timeout', () => resolve('no answer'));
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(String(error.code)));
      });
      socket.destroy();
      // Only a connection is a failure. Refused is the usual answer; an address that vanished between the listing
      // and the connect (a container network's bridge going down while another test file runs) is routed away
      // and answers EHOSTUNREACH or nothing, which is just as unreachable.
      assert.notEqual(outcome, 'connected', `the metrics port on ${address} accepted a connection`);
      outcomes.push(`${address}: ${outcome}`);
    }
    // Said in the output, so a machine with loopback only does not pass the check above unnoticed.
    t.diagnostic(`metrics port tried on ${outcomes.length ? outcomes.join(', ') : 'no other address (loopback only)'}`);
  });
});
