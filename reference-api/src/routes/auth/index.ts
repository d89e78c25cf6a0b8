// POST /api/auth/login|logout|register, GET|DELETE /api/auth/me (docs/api.md, "Auth").

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, HttpError } from '../../errors.ts';
import { hashPassword, verifyPassword } from '../../plugins/app/passwords.ts';
import { loginSchema, registerSchema, userResponseSchema } from '../../schemas/auth.ts';
import { errorResponses } from '../../schemas/common.ts';

// Verifying against a dummy hash when the user does not exist keeps the answer time the same for
// unknown users and wrong passwords (no username probing by timing).
const DUMMY_HASH = await hashPassword('not-a-real-password');

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/auth/login',
    {
      schema: { body: loginSchema, response: { 200: userResponseSchema, ...errorResponses } },
      config: {
        rateLimit: {
          max: app.config.loginRateLimit,
          timeWindow: 60_000,
          // After body parsing, so the key can hold the username: one client guessing many passwords of
          // one user is stopped, other users behind the same address are not.
          hook: 'preHandler',
          keyGenerator: (request) => {
            const body = request.body as { username?: unknown } | undefined;
            return `${request.ip}|${String(body?.username ?? '').toLowerCase()}`;
          },
          errorResponseBuilder: (_request, context) => {
            const error = new HttpError(429, `too many login attempts, retry in ${context.after}`);
            return error;
          },
        },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const { rows } = await app.db.query<{ id: number; password_hash: string; display_name: string }>(
        'users.by_username',
        'SELECT id, password_hash, display_name FROM users WHERE username = $1',
        [username],
      );
      const row = rows[0];
      const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      if (!row || !ok) {
        request.log.info({ username }, 'login failed');
        return reply.code(401).send(errorBody(401, 'invalid username or password'));
      }
      await app.sessions.start(reply, row.id);
      request.log.info({ username }, 'login');
      return { user: { username, displayName: row.display_name } };
    },
  );

  app.post('/api/auth/logout', { schema: { response: { 204: z.null() } } }, async (request, reply) => {
    await app.sessions.end(request, reply);
    return reply.code(204).send(null);
  });

  app.get(
    '/api/auth/me',
    { preHandler: app.requireUser, schema: { response: { 200: userResponseSchema, ...errorResponses } } },
    async (request) => ({ user: { username: request.user!.username, displayName: request.user!.displayName } }),
  );

  app.post(
    '/api/auth/register',
    { schema: { body: registerSchema, response: { 201: userResponseSchema, ...errorResponses } } },
    async (request, reply) => {
      const { username, password } = request.body;
      const displayName = request.body.displayName ?? username;
      const { rowCount } = await app.db.query(
        'users.create',
        'INSERT INTO users (username, password_hash, display_name) VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING',
        [username, await hashPassword(password), displayName],
      );
      if (rowCount === 0) throw new HttpError(409, `username ${username} is taken`, 'username');
      return reply.code(201).send({ user: { username, displayName } });
    },
  );

  app.delete(
    '/api/auth/me',
    { preHandler: app.requireUser, schema: { response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      const userId = request.user!.id;
      // alerts, sessions and positions go with the user (ON DELETE CASCADE)
      await app.db.query('users.delete', 'DELETE FROM users WHERE id = $1', [userId]);
      await app.cache.invalidate('alerts', String(userId));
      await app.cache.invalidate('risk-portfolio', String(userId));
      await app.sessions.end(request, reply);
      return reply.code(204).send(null);
    },
  );
};

export default authRoutes;
