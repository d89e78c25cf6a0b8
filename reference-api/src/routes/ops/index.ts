// GET /healthz (the process listens) and /readyz (PostgreSQL answers on the ping connection; cache ok or
// degraded). The load's machine probe polls both: their latencies are the controls of the latency SLOs. A 503 from
// /readyz names the dependency that is down in `checks` and carries Retry-After, as protected routes do then.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RETRY_AFTER_SECONDS } from '../../errors.ts';

const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.object({ database: z.enum(['ok', 'down']), cache: z.enum(['ok', 'degraded']) }),
});

const opsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({
      status: 'ok' as const,
    }),
  );

  app.get(
    '/readyz',
    { logLevel: 'warn', schema: { response: { 200: readySchema, 503: readySchema } } },
    async (_request, reply) => {
      const [database, cache] = await Promise.all([
        app.db
          .ping()
          .then(() => 'ok' as const)
          .catch(() => 'down' as const),
        app.cache.status(),
      ]);
      const ready = database === 'ok';
      if (!ready) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'unavailable', checks: { database, cache } });
    },
  );
};

export default opsRoutes;
