import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { LocalPostgres } from './postgres.ts';
import { LocalPrometheus } from './prometheus.ts';
import { LocalRedis } from './redis.ts';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a local PostgreSQL accepts queries on its database and leaves no process or directory after dispose', async () => {
  let pid = 0;
  let logFile = '';
  {
    await using postgres = await new LocalPostgres({ database: 'harness_test' }).start();
    pid = postgres.process.pid;
    logFile = postgres.process.logFile;
    const client = new pg.Client({ connectionString: postgres.connectionUri });
    await client.connect();
    const { rows } = await client.query<{ db: string; sum: number }>('SELECT current_database() AS db, 1 + 1 AS sum');
    await client.end();
    assert.deepEqual(rows, [{ db: 'harness_test', sum: 2 }]);
  }
  assert.equal(processAlive(pid), false, 'postgres is still running after dispose');
  assert.equal(existsSync(logFile), false, 'the temp directory was not removed');
});

test('a local Redis stores values, and a restart on the same port serves the same URL again', async () => {
  const first = await new LocalRedis().start();
  const client = new Redis(first.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  assert.equal(await client.set('k', 'v'), 'OK');
  assert.equal(await client.get('k'), 'v');
  client.disconnect();
  await first.stop();
  assert.equal(processAlive(first.process.pid), false);
  await using second = await new LocalRedis({ port: first.port }).start();
  assert.equal(second.url, first.url);
  const again = new Redis(second.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await again.connect();
  assert.equal(await again.get('k'), null, 'a restarted Redis keeps nothing (no persistence)');
  again.disconnect();
});

test('a local Prometheus answers queries on its HTTP API', async () => {
  await using prometheus = await new LocalPrometheus().start();
  const response = await fetch(`${prometheus.url}/api/v1/query?query=vector(42)`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as { status: string; data: { result: { value: [number, string] }[] } };
  assert.equal(body.status, 'success');
  assert.equal(body.data.result[0]?.value[1], '42');
});
