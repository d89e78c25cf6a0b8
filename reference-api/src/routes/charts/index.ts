// GET /api/charts/kline/:symbol (docs/api.md, "Charts").

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { klineQuerySchema, klineSchema } from '../../schemas/charts.ts';
import { errorResponses } from '../../schemas/common.ts';
import { symbolParamsSchema } from '../../schemas/market.ts';
import { kline } from '../../services/charts.ts';
import { ctxOf } from '../../services/context.ts';

const chartRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/charts/kline/:symbol',
    {
      schema: {
        params: symbolParamsSchema,
        querystring: klineQuerySchema,
        response: { 200: klineSchema, ...errorResponses },
      },
    },
    async (request) => kline(ctxOf(app, request), request.params.symbol, request.query),
  );
};

export default chartRoutes;
