// The two-level cache against real Redis: counters move as a user would see them on /metrics, L2 hits are
// promoted, L1 and L2 evictions are counted, and Redis dying mid-test degrades the cache without failing
// a single request, then recovers when Redis returns on the same port.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { startTestEnv, type TestEnv } from '../../../../stack/local/api-test-support.ts';
import { LocalRedis, type StartedLocalRedis } from '../../../../stack/local/redis.ts';
import { waitFor } from '../../../../stack/wait.ts';
import { sampleValue } from '../../test-helper.ts';
import { Cache } from './cache.ts';
import { createMetrics } from './metrics.ts';

let env: TestEnv;
before(async () => {
  env = await startTestEnv({ config: { l1MaxEntries: 4 } });
});
after(async () => env?.close());

async function counters(app = env.app) {
  const text = (await app.metricsServer.inject('/metrics')).body;
  const read = (name: string, level: string) => sampleValue(text, name, { level });
  return {
    l1Hits: read('cache_hits_total', 'l1'),
    l1Misses: read('cache_misses_total', 'l1'),
    l2Hits: read('cache_hits_total', 'l2'),
    l2Misses: read('cache_misses_total', 'l2'),
    l1Evictions: read('cache_evictions_total', 'l1'),
    l2Evictions: read('cache_evictions_total', 'l2'),
    breakerOpen: sampleValue(text, 'cache_l2_breaker_open'),
  };
}

test('a first request misses both levels, the next one hits L1', async () => {
  const before = await counters();
  assert.equal((await env.app.inject('/api/market/sectors')).statusCode, 200);
  const mid = await counters();
  assert.equal(mid.l1Misses - before.l1Misses, 1);
  assert.equal(mid.l2Misses - before.l2Misses, 1);
  assert.equal((await env.app.inject('/api/market/sectors')).statusCode, 200);
  const end = await counters();
  assert.equal(end.l1Hits - mid.l1Hits, 1);
  assert.equal(end.l1Misses, mid.l1Misses);
});

test('a second instance finds the entry in L2 and promotes it to its L1', async () => {
  const other = await env.buildAnother({});
  await env.app.inject('/api/fund-flow?scope=industry&period=20d');
  // L2 writes are fire-and-forget; wait until the entry is there.
  await waitFor(
    async () => {
      await other.inject('/api/fund-flow?scope=industry&period=20d');
      return (await counters(other)).l2Hits > 0 ? true : undefined;
    },
    { what: 'an L2 hit on the second instance', timeoutMs: 20_000 },
  );
  const mid = await counters(other);
  await other.inject('/api/fund-flow?scope=industry&period=20d');
  const end = await counters(other);
  assert.equal(end.l1Hits - mid.l1Hits, 1, 'promoted: the next read is an L1 hit');
  assert.equal(end.l2Hits, mid.l2Hits);
});

test('L1 is bounded: more keys than its size evict the oldest', async () => {
  const before = await counters();
  for (const symbol of ['000002', '600007', '600079', '600084', '600524', '688550']) {
    await env.app.inject(`/api/charts/kline/${symbol}`);
  }
  const end = await counters();
  assert.ok(end.l1Evictions - before.l1Evictions >= 2, `l1 evictions moved by ${end.l1Evictions - before.l1Evictions}`);
});

test('an entry gone from Redis that this instance wrote counts as an L2 eviction', async () => {
  const metrics = createMetrics();
  const redis = new Redis(env.redis!.url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000 });
  const cache = new Cache(metrics, redis, { l1MaxEntries: 1, l2TimeoutMs: 1_000, breakerResetMs: 500 });
  try {
    await cache.getOrLoad('sectors', 'evict-a', async () => 'a');
    await waitFor(async () => ((await redis.exists('mystocks:v1:sectors:evict-a')) === 1 ? true : undefined), {
      what: 'the L2 write',
      timeoutMs: 10_000,
    });
    await redis.del('mystocks:v1:sectors:evict-a'); // what a TTL expiry or maxmemory eviction does
    await cache.getOrLoad('sectors', 'evict-b', async () => 'b'); // pushes evict-a out of the 1-entry L1
    assert.equal(await cache.getOrLoad('sectors', 'evict-a', async () => 'a again'), 'a again');
    const text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, 'cache_evictions_total', { level: 'l2' }), 1);
    assert.equal(sampleValue(text, 'cache_evictions_total', { level: 'l1' }), 2);
  } finally {
    cache.shutdown();
    redis.disconnect();
  }
});

test('an entry outlives its short L1 life in L2: after the L1 cap a read is an L2 hit, not a database load', async () => {
  const shortL1 = await env.buildAnother({ l1MaxTtlSeconds: 1 });
  const url = '/api/market/search?q=60&limit=3';
  assert.equal((await shortL1.inject(url)).statusCode, 200);
  // L2 writes are fire-and-forget: wait until Redis holds the entry before letting L1 expire.
  const client = new Redis(env.redis!.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  try {
    await client.connect();
    await waitFor(async () => ((await client.keys('mystocks:v1:search:*')).length > 0 ? true : undefined), {
      what: 'the search entry in Redis',
      timeoutMs: 10_000,
    });
  } finally {
    client.disconnect();
  }
  const mid = await counters(shortL1);
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  assert.equal((await shortL1.inject(url)).statusCode, 200);
  const end = await counters(shortL1);
  assert.equal(end.l1Misses - mid.l1Misses, 1, 'the L1 copy expired after its 1 s cap');
  assert.equal(end.l2Hits - mid.l2Hits, 1, 'L2 still held the entry (search TTL is 60 s)');
  assert.equal(end.l2Misses, mid.l2Misses);
});

test('Redis killed: requests stay 200, breaker opens, readyz degraded; Redis back: cache ok again', async () => {
  const port = env.redis!.port;
  await env.redis!.stop();
  let restarted: StartedLocalRedis | undefined;
  try {
    // Distinct keys so each request goes to L2 (and fails there) rather than being answered by L1.
    const symbols = ['000002', '600007', '600079', '600084', '600524', '688550', '301184', '301795'];
    for (const symbol of symbols) {
      const r = await env.app.inject(`/api/charts/kline/${symbol}?period=month`);
      assert.equal(r.statusCode, 200);
    }
    // The breaker opens once failures pass 50 % of its rolling window (which still holds earlier successes).
    let requests = 0;
    while ((await counters()).breakerOpen !== 1) {
      assert.ok(++requests < 500, 'the breaker opened within 500 requests');
      const r = await env.app.inject(`/api/market/search?q=${requests}`);
      assert.equal(r.statusCode, 200);
    }
    const down = await env.app.inject('/readyz');
    assert.equal(down.statusCode, 200);
    assert.deepEqual(JSON.parse(down.body).checks, { database: 'ok', cache: 'degraded' });

    restarted = await new LocalRedis({ port }).start();
    await waitFor(
      async () => (JSON.parse((await env.app.inject('/readyz')).body).checks.cache === 'ok' ? true : undefined),
      {
        what: 'the cache to report ok after Redis returned',
        timeoutMs: 30_000,
        intervalMs: 250,
      },
    );
    assert.equal((await counters()).breakerOpen, 0);
    assert.equal((await env.app.inject('/api/market/overview')).statusCode, 200);
  } finally {
    await restarted?.stop();
  }
});
