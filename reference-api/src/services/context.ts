// What a service needs from a request: the database and the request's view of the cache (which honours a
// fault's cacheBypass). Services hold the logic shared by JSON routes and exports.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CacheKind } from '../plugins/app/cache.ts';
import type { Db } from '../plugins/external/db.ts';

export interface Ctx {
  db: Db;
  cached<T>(kind: CacheKind, key: string, loader: () => Promise<T>): Promise<T>;
  /** Drops a cached entry after a write. */
  invalidate(kind: CacheKind, key: string): Promise<void>;
  /** A noIndex fault matched: statements that have a variant run it (docs/api.md, "Faults"). */
  noIndex: boolean;
}

/** The service context of one request. */
export function ctxOf(app: FastifyInstance, request: FastifyRequest): Ctx {
  return {
    db: app.db,
    cached: (kind, key, loader) => app.cache.getOrLoad(kind, key, loader, { bypass: request.cacheBypass }),
    invalidate: (kind, key) => app.cache.invalidate(kind, key),
    noIndex: request.noIndex,
  };
}

/** Rounds to cents (2 decimals), the precision of every money figure and percentage in the API. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
