// GET /api/fund-flow (docs/api.md, "Fund flow").

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../schemas/common.ts';
import { fundFlowQuerySchema, fundFlowSchema } from '../../schemas/fund-flow.ts';
import { ctxOf } from '../../services/context.ts';
import { fundFlow } from '../../services/fund-flow.ts';

const fundFlowRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/fund-flow',
    { schema: { querystring: fundFlowQuerySchema, response: { 200: fundFlowSchema, ...errorResponses } } },
    async (request) => {
      const all = await fundFlow(ctxOf(app, request), request.query);
      return { ...all, items: all.items.slice(0, request.query.limit) };
    },
  );
};

export default fundFlowRoutes;
