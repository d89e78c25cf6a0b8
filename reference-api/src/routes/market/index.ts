// GET /api/market/overview|quotes|quotes/:symbol|search|sectors (docs/api.md, "Market").

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../schemas/common.ts';
import {
  overviewSchema,
  quoteSchema,
  quotesPageSchema,
  quotesQuerySchema,
  searchQuerySchema,
  searchResultSchema,
  sectorsSchema,
  symbolParamsSchema,
} from '../../schemas/market.ts';
import { ctxOf } from '../../services/context.ts';
import { overview, quoteOf, quotesPage, search, sectors } from '../../services/market.ts';

const marketRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/market/overview', { schema: { response: { 200: overviewSchema } } }, async (request) =>
    overview(ctxOf(app, request)),
  );
  app.get(
    '/api/market/quotes',
    { schema: { querystring: quotesQuerySchema, response: { 200: quotesPageSchema, ...errorResponses } } },
    async (request) => quotesPage(ctxOf(app, request), request.query),
  );
  app.get(
    '/api/market/quotes/:symbol',
    { schema: { params: symbolParamsSchema, response: { 200: quoteSchema, ...errorResponses } } },
    async (request) => quoteOf(ctxOf(app, request), request.params.symbol),
  );
  app.get(
    '/api/market/search',
    { schema: { querystring: searchQuerySchema, response: { 200: searchResultSchema, ...errorResponses } } },
    async (request) => search(ctxOf(app, request), request.query.q, request.query.limit),
  );
  app.get('/api/market/sectors', { schema: { response: { 200: sectorsSchema } } }, async (request) =>
    sectors(ctxOf(app, request)),
  );
};

export default marketRoutes;
