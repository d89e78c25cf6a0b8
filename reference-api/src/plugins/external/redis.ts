// The Redis client of the L2 cache, tuned to fail fast: no offline queue and one retry per command, so while
// Redis is down every call errors at once and the circuit breaker (plugins/app/cache.ts) opens; ioredis keeps
// reconnecting in the background, so the cache recovers by itself when Redis returns.

import { Redis } from 'ioredis';

/** A connected-or-connecting client; never throws on start-up (Redis down at start is a degraded cache, not a crash). */
export function createRedis(url: string): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    // Reconnect forever with a backoff capped at 1 s, so recovery is quick once Redis is back.
    retryStrategy: (times) => Math.min(times * 100, 1_000),
    keyPrefix: '',
  });
  // Without a listener ioredis would print every connection error; the breaker and /readyz report them.
  client.on('error', () => {});
  return client;
}
