// What the service does when a dependency goes away, with the real dependency made to go away (docs/security.md,
// "Failure modes"). PostgreSQL is paused (SIGSTOP to the postmaster and every backend: connections stay open, nothing answers),
// and a request whose statement is then waiting on it must get its 503 at the request's database deadline. PostgreSQL is stopped (its process ends) and started again on the same data directory and
// port: in between, protected routes answer 503 with Retry-After and /readyz names the database; afterwards
// they answer again. Redis has its clients' connections cut and new ones refused while it keeps its data (a
// partition, not a restart): an alert written meanwhile must show once Redis is back, not the L2 copy from
// before the write.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { startTestEnv, type TestEnv } from '../../stack/local/api-test-support.ts';
import { findBinary, lookupUser, ManagedProcess } from '../../stack/process.ts';
import { waitFor } from '../../stack/wait.ts';

let env: TestEnv;
/** A PostgreSQL this test started again itself (stopped before env.close removes its data directory). */
let restarted: ManagedProcess | undefined;

before(async () => {
  // L1 keeps entries for 0.2 s, so a read after that shows what L2 (or PostgreSQL) holds.
  env = await startTestEnv({ config: { webDistDir: '/nonexistent-dist/', l1MaxTtlSeconds: 0.2 } });
});
after(async () => {
  await restarted?.stop();
  await env?.close();
});

const json = (res: { body: string }) => JSON.parse(res.body);

/** Starts postgres again on the stopped server's data directory and port, as its owner (see stack/local). */
async function startPostgresAgain(): Promise<ManagedProcess> {
  const workDir = dirname(env.postgres.process.logFile);
  const owner = process.getuid?.() === 0 ? lookupUser('postgres') : undefined;
  const bin = findBinary('postgres', [
    '/usr/lib/postgresql/17/bin',
    '/usr/lib/postgresql/16/bin',
    '/usr/lib/postgresql/15/bin',
  ]);
  return ManagedProcess.start({
    name: 'postgres-again',
    command: bin,
    args: [
      '-D',
      join(workDir, 'data'),
      '-p',
      String(env.postgres.port),
      '-k',
      join(workDir, 'sock'),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ],
    env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
    cwd: workDir,
    logFile: join(workDir, 'postgres-again.log'),
    stopSignal: 'SIGINT',
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
  });
}

/**
 * Sends `signal` to the postmaster and each of its children. Not to the process group: every PostgreSQL backend
 * calls setsid() and leads a group of its own, so the group of the postmaster holds the postmaster alone.
 */
function signalPostgres(signal: NodeJS.Signals): void {
  const postmaster = env.postgres.process.pid;
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its closing parenthesis.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
  for (const pid of [...children, postmaster]) process.kill(pid, signal);
}

describe('PostgreSQL paused (hung) under a request in flight', () => {
  test('the request answers 503 with Retry-After at the database deadline, not after 20 s', async () => {
    const app = await env.buildAnother({});
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const cookie = await env.login();
    const alerts = (signal?: AbortSignal) =>
      fetch(`http://127.0.0.1:${port}/api/risk/alerts`, { headers: { cookie }, ...(signal ? { signal } : {}) });
    // The request before the pause leaves open connections in the pool: the one after it reuses one, so its
    // statement is sent and then waits on a server that does not answer (connecting would have its own 5 s bound).
    assert.equal((await alerts()).status, 200);
    signalPostgres('SIGSTOP');
    try {
      // The failure condition is the request's own signal: 10 s, which the old 20 s query timeout overran (the
      // fetch then rejects with a TimeoutError) and the 5 s deadline does not. No time is measured.
      const res = await alerts(AbortSignal.timeout(10_000));
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '5');
      const body = (await res.json()) as { dependency?: string };
      assert.equal(body.dependency, 'database');
    } finally {
      signalPostgres('SIGCONT');
    }
    await waitFor(async () => ((await app.inject('/readyz')).statusCode === 200 ? true : undefined), {
      what: '/readyz to answer 200 after PostgreSQL resumed',
      timeoutMs: 30_000,
    });
  });
});

describe('PostgreSQL stopped and started', () => {
  test('protected routes answer 503 with Retry-After and /readyz names the database; both recover', async () => {
    const cookie = await env.login();
    assert.equal((await env.app.inject({ url: '/api/risk/alerts', headers: { cookie } })).statusCode, 200);

    await env.postgres.process.stop();
    for (const url of ['/api/risk/alerts', '/api/risk/portfolio', '/api/auth/me', '/api/export/quotes.csv']) {
      const res = await env.app.inject({ url, headers: { cookie } });
      assert.equal(res.statusCode, 503, `${url}: ${res.body}`);
      assert.equal(res.headers['retry-after'], '5', url);
      assert.equal(json(res).dependency, 'database', url);
      assert.equal(json(res).message, 'database unavailable, retry later', url);
    }
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'demo', password: 'demo-pass' },
    });
    assert.equal(login.statusCode, 503);
    const ready = await env.app.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.headers['retry-after'], '5');
    assert.equal(json(ready).status, 'unavailable');
    assert.equal(json(ready).checks.database, 'down');

    restarted = await startPostgresAgain();
    await waitFor(async () => ((await env.app.inject('/readyz')).statusCode === 200 ? true : undefined), {
      what: '/readyz to answer 200 after PostgreSQL started again',
      timeoutMs: 60_000,
    });
    // The session survived (same data directory): the same cookie works again.
    assert.equal((await env.app.inject({ url: '/api/risk/alerts', headers: { cookie } })).statusCode, 200);
  });
});

describe('Redis connection cut while it keeps its data', () => {
  test('an invalidation that could not reach Redis is replayed: no stale L2 read after the outage', async () => {
    // The PostgreSQL test above may have run first: wait until the database answers.
    await waitFor(async () => ((await env.app.inject('/readyz')).statusCode === 200 ? true : undefined), {
      what: 'the service to be ready',
      timeoutMs: 60_000,
    });
    const admin = new Redis(env.redis!.url, { maxRetriesPerRequest: 1 });
    try {
      const cookie = await env.login();
      const list = async () =>
        (json(await env.app.inject({ url: '/api/risk/alerts', headers: { cookie } })).items as { id: number }[]).map(
          (a) => a.id,
        );
      const before = await list();
      // The list is in L2 now (written in the background).
      await waitFor(async () => ((await admin.keys('mystocks:v1:alerts:*')).length > 0 ? true : undefined), {
        what: 'the alert list in L2',
        timeoutMs: 20_000,
      });

      // Cut: no client may connect, and the app's connection is killed; Redis keeps every key.
      await admin.config('SET', 'maxclients', '1');
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      await waitFor(
        async () => ((await env.app.inject('/readyz')).json().checks.cache === 'degraded' ? true : undefined),
        {
          what: 'the cache to report degraded',
          timeoutMs: 20_000,
        },
      );
      const created = await env.app.inject({
        method: 'POST',
        url: '/api/risk/alerts',
        headers: { cookie },
        payload: { symbol: null, metric: 'var95_above', threshold: 0.5 },
      });
      assert.equal(created.statusCode, 201, created.body);
      const newId = json(created).id as number;
      assert.ok((await admin.keys('mystocks:v1:alerts:*')).length > 0, 'Redis kept the old list through the cut');

      // Restore and wait for the cache to be healthy again (the app's client reconnects by itself).
      await admin.config('SET', 'maxclients', '10000');
      await waitFor(async () => ((await env.app.inject('/readyz')).json().checks.cache === 'ok' ? true : undefined), {
        what: 'the cache to report ok again',
        timeoutMs: 30_000,
      });
      await waitFor(async () => (env.app.cache.pendingInvalidations === 0 ? true : undefined), {
        what: 'the pending invalidation to be replayed',
        timeoutMs: 20_000,
      });
      // Past L1's 0.2 s, the read comes from L2 or PostgreSQL; either way it must hold the new alert.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const afterIds = await list();
      assert.deepEqual(afterIds, [...before, newId]);
    } finally {
      await admin.config('SET', 'maxclients', '10000').catch(() => {});
      admin.disconnect();
    }
  });
});
