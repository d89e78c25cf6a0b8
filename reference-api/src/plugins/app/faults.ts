// Fault injection (docs/api.md, "Faults"), off unless configured: per route template (or `*` for every /api
// route) added latency, a share of 503 answers, and cache bypass. The list can be replaced at run time through
// the admin route when MYSTOCKS_FAULTS_ADMIN_TOKEN is set. That route can make every /api answer a 503, so its
// token is at least 32 characters (config.ts), wrong tokens are limited per address, and under
// NODE_ENV=production none of this starts without MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION=true (config.ts).

import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { clusterFaultsSync, inClusterWorker } from '../../cluster.ts';
import { type Fault, faultListSchema } from '../../config.ts';
import { errorBody } from '../../errors.ts';
import { errorResponses } from '../../schemas/common.ts';
import { FailuresByAddress } from './failure-limits.ts';
import { endpointOf } from './metrics.ts';
import { inSpan } from './tracing.ts';

/** Wrong admin tokens an address may send per window before every admin request from it is answered 429. */
export const ADMIN_TOKEN_FAILURES_PER_ADDRESS = 10;
export const ADMIN_TOKEN_FAILURE_WINDOW_MS = 15 * 60_000;

/** The active fault list of one app. */
export class Faults {
  #list: Fault[];
  constructor(list: Fault[]) {
    this.#list = list;
  }
  get list(): Fault[] {
    return this.#list;
  }
  set list(list: Fault[]) {
    this.#list = list;
  }
  /** How a change reaches the other processes of the service (a cluster's workers); absent: this process only. */
  #share: ((list: Fault[]) => Promise<void>) | undefined;
  /** Makes {@link replace} go through `share`, which must apply the list in every process, this one included. */
  shareWith(share: (list: Fault[]) => Promise<void>): void {
    this.#share = share;
  }
  /** Replaces the list in every process of the service; resolves once all of them apply it. */
  async replace(list: Fault[]): Promise<void> {
    if (this.#share) await this.#share(list);
    else this.#list = list;
  }
  /** The faults that apply to a request (several may: a `*` one and a route one). */
  matching(request: FastifyRequest): Fault[] {
    if (this.#list.length === 0) return [];
    const endpoint = endpointOf(request);
    const isApi = request.url.startsWith('/api/');
    return this.#list.filter((f) => f.route === endpoint || (f.route === '*' && isApi));
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a matching fault with cacheBypass: the request skips L1 and L2. */
    cacheBypass: boolean;
    /** Set by a matching fault with noIndex: the request's statements run in a variant no index serves. */
    noIndex: boolean;
  }
}

/** The fault hook (after the metrics hooks, so injected latency is measured) and the optional admin route. */
export function registerFaults(app: FastifyInstance, faults: Faults, adminToken: string | undefined): void {
  app.decorateRequest('cacheBypass', false);
  app.decorateRequest('noIndex', false);
  app.addHook('onRequest', async (request, reply) => {
    const matching = faults.matching(request);
    if (matching.length === 0) return;
    const latency = matching.reduce((sum, f) => sum + (f.latencyMs ?? 0), 0);
    // Its own span, so a trace shows the injected delay apart from the handler's real work.
    if (latency > 0) await inSpan('fault.latency', { 'mystocks.fault.latency_ms': latency }, () => sleep(latency));
    // noIndex skips the cache too: a cached answer would never reach the slow statement.
    request.noIndex = matching.some((f) => f.noIndex === true);
    request.cacheBypass = request.noIndex || matching.some((f) => f.cacheBypass === true);
    if (matching.some((f) => (f.errorRate ?? 0) > 0 && Math.random() < f.errorRate!)) {
      return reply.code(503).send(errorBody(503, 'injected fault'));
    }
  });

  if (adminToken === undefined) return;
  // With several workers (MYSTOCKS_API_WORKERS), a change made through one worker is applied by all of them
  // before the PUT is answered (cluster.ts); the list that arrives from the primary was validated by the worker
  // that took the PUT, and is parsed again here because it crossed a process boundary.
  if (inClusterWorker()) faults.shareWith(clusterFaultsSync((value) => (faults.list = faultListSchema.parse(value))));
  const expected = Buffer.from(`Bearer ${adminToken}`);
  const authorised = (request: FastifyRequest) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  // 10 wrong tokens per 15 minutes: the harness sends the right one or none, so only guessing reaches the limit,
  // and a 32-character token is not guessed in 10 tries anyway; the limit keeps a scan from costing anything.
  const failures = new FailuresByAddress(ADMIN_TOKEN_FAILURES_PER_ADDRESS, ADMIN_TOKEN_FAILURE_WINDOW_MS);
  // Checked in onRequest, before the body is validated: without the token nothing about the route leaks.
  const onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    const retryAfter = failures.retryAfterSeconds(request.ip);
    if (retryAfter > 0) {
      return reply
        .code(429)
        .header('retry-after', String(retryAfter))
        .send(errorBody(429, `too many wrong admin tokens from this address, retry in ${retryAfter} seconds`));
    }
    if (!authorised(request)) {
      failures.record(request.ip);
      return reply.code(401).send(errorBody(401, 'admin token required'));
    }
  };
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get('/admin/faults', { onRequest, schema: { response: { 200: faultListSchema } } }, async () => faults.list);
  typed.put(
    '/admin/faults',
    { onRequest, schema: { body: faultListSchema, response: { 200: faultListSchema, ...errorResponses } } },
    async (request, reply) => {
      try {
        await faults.replace(request.body);
      } catch (error) {
        // Not the request's fault: a worker that did not answer. Said, with what it was, and never a 500.
        request.log.error({ err: error }, 'fault list not applied by every worker');
        return reply.code(503).send(errorBody(503, `fault list not applied everywhere: ${(error as Error).message}`));
      }
      request.log.warn({ faults: request.body }, 'fault list replaced');
      return faults.list;
    },
  );
}
