// POST /api/auth/login|logout|register, GET|DELETE /api/auth/me, DELETE /api/auth/sessions (docs/api.md, "Auth").
// Login is limited three ways (docs/security.md, "Passwords, login and register"): per (address, username) for
// guessing one user's password from one place; per address across usernames, failures only, against one password
// sprayed over many users; per account across addresses, an exponential backoff, against guesses shared out over
// many addresses. The last two reserve their failure before the password is hashed (plugins/app/failure-limits.ts),
// and every hash goes through the process's one bound on concurrent hashes (app.passwordHashes). Register is
// limited per address and answers the same whether the name was free or taken.

import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, HttpError, ServiceBusyError } from '../../errors.ts';
import { AccountBackoff, FailuresByAddress } from '../../plugins/app/failure-limits.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../plugins/app/passwords.ts';
import { loginSchema, registerSchema, userResponseSchema } from '../../schemas/auth.ts';
import { errorResponses } from '../../schemas/common.ts';

// Verifying against a dummy hash when the user does not exist keeps the answer time the same for
// unknown users and wrong passwords (no username probing by timing).
const DUMMY_HASH = await hashPassword('not-a-real-password');

function tooManyFailures(reply: FastifyReply, retryAfter: number, whose: string) {
  return reply
    .code(429)
    .header('retry-after', String(retryAfter))
    .send(errorBody(429, `too many failed logins ${whose}, retry in ${retryAfter} seconds`));
}

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const windowMs = app.config.loginFailureWindowSeconds * 1000;
  const addresses = new FailuresByAddress(app.config.loginFailuresPerAddress, windowMs);
  const accounts = new AccountBackoff(
    app.config.loginFailuresPerAccount,
    app.config.loginAccountMaxBackoffSeconds * 1000,
    windowMs,
  );
  app.post(
    '/api/auth/login',
    {
      // Before the body is even read: an address over its failure limit costs no parsing and no scrypt work.
      onRequest: async (request, reply) => {
        const retryAfter = addresses.retryAfterSeconds(request.ip);
        if (retryAfter > 0) return tooManyFailures(reply, retryAfter, 'from this address');
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
      // Both failures are counted here, synchronously, before anything is awaited: of a burst of simultaneous
      // attempts, only as many as the limits allow get past this point, so only they are hashed.
      const address = addresses.reserve(request.ip);
      if (!address.ok) return tooManyFailures(reply, address.retryAfterSeconds, 'from this address');
      const account = accounts.reserve(username.toLowerCase());
      if (!account.ok) {
        address.release();
        return tooManyFailures(reply, account.retryAfterSeconds, 'for this account');
      }
      let outcome: 'wrong' | 'right' | undefined;
      try {
        const { rows } = await app.db.query<{ id: number; password_hash: string; display_name: string }>(
          'users.by_username',
          'SELECT id, password_hash, display_name FROM users WHERE username = $1',
          [username],
        );
        const row = rows[0];
        const ok = await app.passwordHashes.run(() => verifyPassword(password, row?.password_hash ?? DUMMY_HASH));
        if (!row || !ok) {
          outcome = 'wrong';
          request.log.info({ username }, 'login failed');
          return reply.code(401).send(errorBody(401, 'invalid username or password'));
        }
        outcome = 'right';
        if (needsRehash(row.password_hash)) {
          // A hash made with older (weaker) scrypt parameters is upgraded while the password is at hand; when
          // every hash slot is taken, the next login does it instead of this one failing.
          try {
            const upgraded = await app.passwordHashes.run(() => hashPassword(password));
            await app.db.query('users.rehash', 'UPDATE users SET password_hash = $2 WHERE id = $1', [row.id, upgraded]);
          } catch (error) {
            if (!(error instanceof ServiceBusyError)) throw error;
          }
        }
        await app.sessions.start(request, reply, row.id);
        request.log.info({ username }, 'login');
        return { user: { username, displayName: row.display_name } };
      } finally {
        // A wrong password keeps both failures. A right one gives the address's back and ends the account's
        // backoff; an attempt never decided (database down, no hash slot: 503) gives both back.
        if (outcome === 'right') {
          address.release();
          account.succeeded();
        } else if (outcome === undefined) {
          address.release();
          account.release();
        }
      }
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
      const passwordHash = await app.passwordHashes.run(() => hashPassword(password));
      const { rowCount } = await app.db.query(
        'users.create',
        'INSERT INTO users (username, password_hash, display_name) VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING',
        [username, passwordHash, displayName],
      );
      // A taken name gets the same 201 as a new one (nothing is changed), so register's answer alone does not list
      // the users. Register followed by a login with the same password does tell them apart (401 taken, 200 free):
      // without an out-of-band channel (an activation mail) no answer can hide that, so it stays, bounded by the
      // register limit and by the failed-login limits that a taken name's login counts against (docs/security.md,
      // "Username oracle"). The log, which the operator reads, tells the two cases apart.
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
