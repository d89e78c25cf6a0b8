// Two-level cache: L1 an in-process LRU (bounded, short-lived), L2 Redis behind an opossum circuit breaker.
// Routes call getOrLoad(kind, key, loader) and never touch Redis. Read path: L1 -> L2 (a hit is promoted to
// L1) -> loader (PostgreSQL), whose value is written to both. L2 keeps an entry for its kind's TTL; L1 keeps
// it for at most l1MaxTtlSeconds, because no replica can invalidate another's L1: the hot copy stays fresh
// within seconds across replicas, and L2 absorbs the rest. Any L2 failure, timeout
// or open breaker is an L2 miss, so requests keep succeeding from PostgreSQL while Redis is down.
//
// Invalidations survive an outage: a DEL that cannot reach Redis is remembered, the key is not read from L2
// while it is pending, and the DEL is replayed as soon as an L2 call succeeds again. Without this, an outage in
// which Redis kept its data (a network partition rather than a restart) would leave the value from before the
// write in L2, served for up to its kind's TTL once Redis is back. Other replicas rely on the replay too: they
// may read the old value in the moment between Redis returning and this replica's replay, not after.

import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import CircuitBreaker from 'opossum';
import type { Metrics } from './metrics.ts';
import { annotateSpan, inSpan } from './tracing.ts';

/** Time-to-live per kind of data, in seconds. Market overview 15 s and quotes 5 s are the seed's figures. */
export const CACHE_POLICIES = {
  /** GET /api/market/overview */
  'market-overview': 15,
  /** the latest quote of every symbol (quotes list, detail, export) */
  quotes: 5,
  /** search results per (q, limit) */
  search: 60,
  /** sector -> industries; seed data only changes on reset */
  sectors: 300,
  /** fund-flow sums per (scope, period) */
  'fund-flow': 30,
  /** daily bars of one symbol (K-line, backtest) */
  bars: 300,
  /** a user's portfolio risk report; positions only change with the seed */
  'risk-portfolio': 60,
  /** a user's alert rules; invalidated on every write */
  alerts: 30,
} as const satisfies Record<string, number>;
export type CacheKind = keyof typeof CACHE_POLICIES;

/** L2 key namespace; bump the version when a cached shape changes. */
const PREFIX = 'mystocks:v1:';

/** Most invalidations remembered while Redis is unreachable; beyond it, every key of ours is dropped instead. */
const MAX_PENDING_INVALIDATIONS = 10_000;

/** Cache options (see AppConfig). */
export interface CacheOptions {
  l1MaxEntries: number;
  /** Cap on an entry's life in L1 (seconds); L2 keeps it for the kind's full TTL. */
  l1MaxTtlSeconds?: number;
  l2TimeoutMs: number;
  breakerResetMs: number;
}

interface Envelope {
  /** absolute expiry, epoch ms */
  exp: number;
  v: unknown;
}

/** The two-level cache of one app. */
export class Cache {
  readonly #l1: LRUCache<string, Envelope>;
  readonly #redis: Redis | undefined;
  readonly #breaker: CircuitBreaker<[() => Promise<unknown>], unknown> | undefined;
  readonly #metrics: Metrics;
  readonly #l1MaxTtlMs: number;
  /** keys this instance wrote to L2 and when they expire, to tell an L2 eviction from a plain miss */
  readonly #written: LRUCache<string, true>;
  /**
   * DELs that failed while L2 was unreachable, to replay when it answers again; 'all' after more than
   * MAX_PENDING_INVALIDATIONS, meaning every key under PREFIX is dropped on recovery. L2 is not read for a
   * pending key (or at all, under 'all') until then.
   */
  #pending: Set<string> | 'all' = new Set();
  #replaying = false;

  constructor(metrics: Metrics, redis: Redis | undefined, options: CacheOptions) {
    this.#metrics = metrics;
    this.#redis = redis;
    // Without L2 there is no second level to fall back on, so L1 keeps the kind's full TTL.
    this.#l1MaxTtlMs = redis === undefined ? Number.POSITIVE_INFINITY : (options.l1MaxTtlSeconds ?? 2) * 1000;
    this.#l1 = new LRUCache<string, Envelope>({
      max: options.l1MaxEntries,
      ttlAutopurge: false,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') metrics.cacheEvictions.inc({ level: 'l1' });
      },
    });
    this.#written = new LRUCache<string, true>({ max: 10_000 });
    if (redis !== undefined) {
      this.#breaker = new CircuitBreaker((op: () => Promise<unknown>) => op(), {
        timeout: options.l2TimeoutMs,
        resetTimeout: options.breakerResetMs,
        errorThresholdPercentage: 50,
        volumeThreshold: 3,
        rollingCountTimeout: 10_000,
      });
      const state = () => metrics.breakerOpen.set(this.#breaker?.closed ? 0 : 1);
      this.#breaker.on('open', state);
      this.#breaker.on('halfOpen', state);
      this.#breaker.on('close', state);
      metrics.breakerOpen.set(0);
      // A reconnect is the first sign Redis answers again; replay then rather than wait for another L2 call.
      redis.on('ready', () => void this.#replayPending());
    }
  }

  /** The cached value of (kind, key), else the loader's, which is then cached for the kind's TTL. */
  async getOrLoad<T>(
    kind: CacheKind,
    key: string,
    loader: () => Promise<T>,
    opts: { bypass?: boolean } = {},
  ): Promise<T> {
    if (opts.bypass) return loader();
    // One span per lookup, marked with what each level answered, so a trace shows L1, L2 and the load apart.
    return inSpan(`cache ${kind}`, { 'mystocks.cache.kind': kind }, () => this.#getOrLoad(kind, key, loader));
  }

  async #getOrLoad<T>(kind: CacheKind, key: string, loader: () => Promise<T>): Promise<T> {
    const fullKey = `${PREFIX}${kind}:${key}`;
    const now = Date.now();
    const l1 = this.#l1.get(fullKey);
    if (l1 !== undefined && l1.exp > now) {
      this.#metrics.cacheHits.inc({ level: 'l1' });
      annotateSpan('mystocks.cache.l1', 'hit');
      return l1.v as T;
    }
    this.#metrics.cacheMisses.inc({ level: 'l1' });
    annotateSpan('mystocks.cache.l1', 'miss');
    if (this.#breaker !== undefined && !this.#isPending(fullKey)) {
      const l2 = await this.#l2Get(fullKey);
      if (l2 !== undefined && l2.exp > Date.now()) {
        this.#metrics.cacheHits.inc({ level: 'l2' });
        annotateSpan('mystocks.cache.l2', 'hit');
        this.#setL1(fullKey, l2);
        return l2.v as T;
      }
      this.#metrics.cacheMisses.inc({ level: 'l2' });
      annotateSpan('mystocks.cache.l2', 'miss');
    }
    const value = await loader();
    const ttlMs = CACHE_POLICIES[kind] * 1000;
    const envelope: Envelope = { exp: Date.now() + ttlMs, v: value };
    this.#setL1(fullKey, envelope);
    if (this.#breaker !== undefined && !this.#isPending(fullKey)) void this.#l2Set(fullKey, envelope, ttlMs);
    return value;
  }

  /** Drops (kind, key) from both levels, after a write that changes it. */
  async invalidate(kind: CacheKind, key: string): Promise<void> {
    const fullKey = `${PREFIX}${kind}:${key}`;
    this.#l1.delete(fullKey);
    this.#written.delete(fullKey);
    if (this.#breaker === undefined) return;
    const deleted = await this.#l2Call(() => this.#redis!.del(fullKey));
    if (deleted === undefined) this.#remember(fullKey);
  }

  /** How many invalidations wait for Redis (Infinity when all our keys are to be dropped). */
  get pendingInvalidations(): number {
    return this.#pending === 'all' ? Number.POSITIVE_INFINITY : this.#pending.size;
  }

  #isPending(fullKey: string): boolean {
    return this.#pending === 'all' || this.#pending.has(fullKey);
  }

  #remember(fullKey: string): void {
    if (this.#pending === 'all') return;
    this.#pending.add(fullKey);
    if (this.#pending.size > MAX_PENDING_INVALIDATIONS) this.#pending = 'all';
  }

  /** Replays the pending DELs after an L2 call succeeded; keys whose DEL fails again stay pending. */
  async #replayPending(): Promise<void> {
    if (this.#replaying || this.pendingInvalidations === 0) return;
    this.#replaying = true;
    try {
      if (this.#pending === 'all') {
        if (await this.#deleteAllOurs()) this.#pending = new Set();
        return;
      }
      for (const key of [...this.#pending]) {
        const deleted = await this.#l2Call(() => this.#redis!.del(key), false);
        if (deleted === undefined) return; // unreachable again: the rest waits for the next success
        this.#pending.delete(key);
      }
    } finally {
      this.#replaying = false;
    }
  }

  /** Deletes every key under PREFIX (SCAN + DEL); false if Redis failed on the way. */
  async #deleteAllOurs(): Promise<boolean> {
    const redis = this.#redis;
    if (redis === undefined) return true;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      return true;
    } catch {
      return false;
    }
  }

  /** Drops everything this service cached (both levels), e.g. after the seed is reloaded. */
  async clear(): Promise<void> {
    this.#l1.clear();
    this.#written.clear();
    if (this.#redis === undefined) return;
    // Redis down: remember to drop everything once it answers, and read nothing from it until then.
    if (!(await this.#deleteAllOurs())) this.#pending = 'all';
  }

  /**
   * 'ok' with L2 disabled or healthy; 'degraded' while Redis is unreachable or the breaker is not closed.
   * A PING goes through the breaker, so polling /readyz is also what lets a half-open breaker close again.
   */
  async status(): Promise<'ok' | 'degraded'> {
    if (this.#breaker === undefined) return 'ok';
    const pong = await this.#l2Call(() => this.#redis!.ping());
    return pong === 'PONG' && this.#breaker.closed ? 'ok' : 'degraded';
  }

  /** Stops the breaker's timers (the Redis client is closed by its owner). */
  shutdown(): void {
    this.#breaker?.shutdown();
  }

  /** Puts an entry in L1 until the earlier of its own expiry and the L1 lifetime cap. */
  #setL1(fullKey: string, envelope: Envelope): void {
    const ttl = Math.min(envelope.exp - Date.now(), this.#l1MaxTtlMs);
    if (ttl <= 0) return;
    this.#l1.set(fullKey, { exp: Date.now() + ttl, v: envelope.v }, { ttl });
  }

  async #l2Get(fullKey: string): Promise<Envelope | undefined> {
    const raw = await this.#l2Call(() => this.#redis!.get(fullKey));
    if (typeof raw === 'string') {
      try {
        return JSON.parse(raw) as Envelope;
      } catch {
        return undefined;
      }
    }
    if (raw === null && this.#written.has(fullKey)) {
      // Written by us, gone now: Redis expired or evicted it.
      this.#written.delete(fullKey);
      this.#metrics.cacheEvictions.inc({ level: 'l2' });
    }
    return undefined;
  }

  async #l2Set(fullKey: string, envelope: Envelope, ttlMs: number): Promise<void> {
    const ok = await this.#l2Call(() => this.#redis!.set(fullKey, JSON.stringify(envelope), 'PX', ttlMs));
    if (ok === 'OK') this.#written.set(fullKey, true);
  }

  /**
   * One L2 operation through the breaker; undefined on failure, timeout or open breaker. A success while
   * invalidations are pending means Redis answers again: they are replayed (in the background).
   */
  async #l2Call<T>(op: () => Promise<T>, replay = true): Promise<T | undefined> {
    if (this.#breaker === undefined) return undefined;
    let result: T;
    try {
      result = (await this.#breaker.fire(op)) as T;
    } catch {
      return undefined;
    }
    if (replay && this.pendingInvalidations > 0) void this.#replayPending();
    return result;
  }
}
