// Sessions: a random 32-byte token in the httpOnly cookie `mystocks_session`; PostgreSQL stores only its
// SHA-256, so a database leak yields no usable session. requireUser is the preHandler of protected routes.

import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../errors.ts';
import type { Db } from '../external/db.ts';

export const SESSION_COOKIE = 'mystocks_session';

/** The signed-in user as the API shows it, plus the id the server uses. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireUser (and by loadUser on page routes). */
    user: SessionUser | null;
  }
}

function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Whether the session cookie carries Secure: always, never, or 'auto': when the request arrived over HTTPS,
 * directly or (with trustProxy set) as the proxy's X-Forwarded-Proto says.
 */
export type CookieSecure = boolean | 'auto';

/** Session store and cookie handling of one app. */
export class Sessions {
  readonly #db: Db;
  readonly #ttlSeconds: number;
  readonly #secure: CookieSecure;

  constructor(db: Db, ttlSeconds: number, secure: CookieSecure) {
    this.#db = db;
    this.#ttlSeconds = ttlSeconds;
    this.#secure = secure;
  }

  #secureFor(request: FastifyRequest): boolean {
    // request.protocol is 'https' on a TLS socket, or from X-Forwarded-Proto when Fastify trusts the proxy.
    return this.#secure === 'auto' ? request.protocol === 'https' : this.#secure;
  }

  /**
   * Starts a fresh session for the user and sets the cookie. Any session the request already carried is
   * deleted first (rotation): a token planted in the browser before login (session fixation) never becomes
   * a signed-in session.
   */
  async start(request: FastifyRequest, reply: FastifyReply, userId: number): Promise<void> {
    const previous = request.cookies[SESSION_COOKIE];
    if (previous)
      await this.#db.query('sessions.delete', 'DELETE FROM sessions WHERE token_hash = $1', [tokenHash(previous)]);
    const token = randomBytes(32).toString('base64url');
    await this.#db.query(
      'sessions.create',
      'INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))',
      [tokenHash(token), userId, this.#ttlSeconds],
    );
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: this.#secureFor(request),
      maxAge: this.#ttlSeconds,
    });
  }

  /** The user of the request's session cookie, or null (no cookie, unknown or expired session). */
  async load(request: FastifyRequest): Promise<SessionUser | null> {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return null;
    const { rows } = await this.#db.query<{ id: number; username: string; display_name: string }>(
      'sessions.lookup',
      `SELECT u.id, u.username, u.display_name FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash(token)],
    );
    const row = rows[0];
    return row ? { id: row.id, username: row.username, displayName: row.display_name } : null;
  }

  /** Deletes the request's session (if any) and clears the cookie. */
  async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = request.cookies[SESSION_COOKIE];
    if (token)
      await this.#db.query('sessions.delete', 'DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)]);
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: this.#secureFor(request) });
  }

  /** Ends every session of the user but the request's own; returns how many were ended. */
  async revokeOthers(request: FastifyRequest, userId: number): Promise<number> {
    const token = request.cookies[SESSION_COOKIE] ?? '';
    const { rowCount } = await this.#db.query(
      'sessions.revoke_others',
      'DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2',
      [userId, tokenHash(token)],
    );
    return rowCount ?? 0;
  }

  /** Deletes expired sessions (they already fail load(); this keeps the table from growing); returns the count. */
  async sweep(): Promise<number> {
    const { rowCount } = await this.#db.query('sessions.sweep', 'DELETE FROM sessions WHERE expires_at <= now()');
    return rowCount ?? 0;
  }
}

/** Decorates requests with `user` and returns the preHandler that answers 401 without a session. */
export function registerAuth(app: FastifyInstance, sessions: Sessions) {
  app.decorateRequest('user', null);
  return async function requireUser(request: FastifyRequest): Promise<void> {
    const user = await sessions.load(request);
    if (user === null) throw new HttpError(401, 'authentication required');
    request.user = user;
  };
}
