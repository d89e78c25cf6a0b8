// /api/risk/* (docs/api.md, "Risk"): every route needs a session.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../schemas/common.ts';
import {
  alertInputSchema,
  alertListSchema,
  alertParamsSchema,
  alertSchema,
  backtestInputSchema,
  backtestSchema,
  portfolioSchema,
} from '../../schemas/risk.ts';
import { ctxOf } from '../../services/context.ts';
import { alerts, backtest, createAlert, deleteAlert, portfolio } from '../../services/risk.ts';

const riskRoutes: FastifyPluginAsyncZod = async (app) => {
  // onRequest-time auth would run before the body is read; preHandler runs after validation, so a request
  // without a session but with a bad body gets 400. Checking in onRequest answers 401 first, as a client expects.
  app.addHook('onRequest', app.requireUser);

  app.get(
    '/api/risk/portfolio',
    { schema: { response: { 200: portfolioSchema, ...errorResponses } } },
    async (request) => portfolio(ctxOf(app, request), request.user!.id),
  );
  app.get('/api/risk/alerts', { schema: { response: { 200: alertListSchema, ...errorResponses } } }, async (request) =>
    alerts(ctxOf(app, request), request.user!.id),
  );
  app.post(
    '/api/risk/alerts',
    { schema: { body: alertInputSchema, response: { 201: alertSchema, ...errorResponses } } },
    async (request, reply) =>
      reply.code(201).send(await createAlert(ctxOf(app, request), request.user!.id, request.body)),
  );
  app.delete(
    '/api/risk/alerts/:id',
    { schema: { params: alertParamsSchema, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await deleteAlert(ctxOf(app, request), request.user!.id, request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/risk/backtest',
    { schema: { body: backtestInputSchema, response: { 200: backtestSchema, ...errorResponses } } },
    async (request) => backtest(ctxOf(app, request), request.body),
  );
};

export default riskRoutes;
