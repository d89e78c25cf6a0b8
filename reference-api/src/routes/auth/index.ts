// POST /api/auth/login|logout|register, GET|DELETE /api/auth/me, DELETE /api/auth/sessions (docs/api.md, "Auth").
// Login is limited twice: per (address, username) for guessing one user's password, and per address across
// usernames for failures (plugins/app/login-failures.ts). Register is limited per address and answers the same
// whether the name was free or taken, so it tells nobody which names exist.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, HttpError } from '../../errors.ts';
import { LoginFailures } from '../../plugins/app/login-failures.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../plugins/app/passwords.ts';
import { loginSchema, registerSchema, userResponseSchema } from '../../schemas/auth.ts';
import { errorResponses } from '../../schemas/common.ts';

// Verifying against a dummy hash when the user does not exist keeps the answer time the same for
// unknown users and wrong passwords (no username probing by timing).
const DUMMY_HASH = await hashPassword('not-a-real-password');

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const failures = new LoginFailures(app.config.loginFailuresPerAddress, app.config.loginFailureWindowSeconds * 1000);
  app.post(
    '/api/auth/login',
    {
      // Before the body is even read: an address over its failure limit costs no scrypt work.
      onRequest: async (request, reply) => {
        const retryAfter = failures.retryAfterSeconds(request.ip);
        if (retryAfter > 0) {
          return reply
            .code(429)
            .header('retry-after', String(retryAfter))
            .send(errorBody(429, `too many failed logins from this address, retry in ${retryAfter} seconds`));
        }
      },
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
        failures.record(request.ip);
        request.log.info({ username }, 'login failed');
        return reply.code(401).send(errorBody(401, 'invalid username or password'));
      }
      if (needsRehash(row.password_hash)) {
        // A hash made with older (weaker) scrypt parameters is upgraded while the password is at hand.
        await app.db.query('users.rehash', 'UPDATE users SET password_hash = $2 WHERE id = $1', [
          row.id,
          await hashPassword(password),
        ]);
      }
      await app.sessions.start(request, reply, row.id);
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
    {
      schema: { body: registerSchema, response: { 201: userResponseSchema, ...errorResponses } },
      config: {
        rateLimit: {
          max: app.config.registerRateLimit,
          timeWindow: 60_000,
          errorResponseBuilder: (_request, context) =>
            new HttpError(429, `too many registrations from this address, retry in ${context.after}`),
        },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const displayName = request.body.displayName ?? username;
      // The password is hashed whether or not the name is free, so the answer takes the same time either way.
      const { rowCount } = await app.db.query(
        'users.create',
        'INSERT INTO users (username, password_hash, display_name) VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING',
        [username, await hashPassword(password), displayName],
      );
      // A taken name gets the same 201 as a new one (nothing is changed; logging in with this password fails),
      // so register cannot be used to list the users. Only the log, which the operator reads, tells them apart.
      if (rowCount === 0) request.log.info({ username }, 'register: name taken, nothing created');
      return reply.code(201).send({ user: { username, displayName } });
    },
  );

  app.delete(
    '/api/auth/sessions',
    {
      preHandler: app.requireUser,
      schema: { response: { 200: z.object({ revoked: z.number() }), ...errorResponses } },
    },
    async (request) => ({ revoked: await app.sessions.revokeOthers(request, request.user!.id) }),
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
