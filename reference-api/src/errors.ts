// One error shape for every answer (docs/api.md, "Errors"): `{ statusCode, error, message, field? }`;
// 5xx never carry internal details, only the request id to find them in the logs.

import { STATUS_CODES } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** An error a handler throws on purpose; its message and field reach the client (4xx). */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly field: string | undefined;
  constructor(statusCode: number, message: string, field?: string) {
    super(message);
    this.statusCode = statusCode;
    this.field = field;
  }
}

/**
 * A dependency the request needs (PostgreSQL) cannot be reached: the answer is 503 with Retry-After, because
 * the request itself was fine and the same request later will likely succeed.
 */
export class DependencyUnavailableError extends Error {
  readonly dependency: string;
  constructor(dependency: string, cause: unknown) {
    super(`${dependency} unavailable`, { cause });
    this.dependency = dependency;
  }
}

/**
 * The service is too busy for this request right now (all password-hash slots and their queue are taken): 503
 * with Retry-After at once, rather than a queue that grows without bound.
 */
export class ServiceBusyError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Seconds a client is told to wait (Retry-After) when a dependency is down: about one reconnect attempt. */
export const RETRY_AFTER_SECONDS = 5;

/** 400 naming the field: `{ message: "<field>: <reason>", field }`. */
export function badRequest(field: string, reason: string): HttpError {
  return new HttpError(400, `${field}: ${reason}`, field);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, message);
}

/** The body of an error answer. */
export function errorBody(statusCode: number, message: string, extra: Record<string, unknown> = {}) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...extra };
}

/** The error and not-found handlers of the root instance. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0]!;
      // instancePath is "/pageSize" (or "/" for the whole object); the first segment names the field.
      const path = first.instancePath.split('/').filter(Boolean);
      const field = path.length > 0 ? path.join('.') : (error.validationContext ?? 'body');
      const message = path.length > 0 ? `${field}: ${first.message}` : `${field}: ${first.message}`;
      return reply.code(400).send(errorBody(400, message, { field }));
    }
    if (error instanceof DependencyUnavailableError) {
      request.log.error({ err: error.cause, dependency: error.dependency }, 'dependency unavailable');
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send(
          errorBody(503, `${error.dependency} unavailable, retry later`, {
            dependency: error.dependency,
            requestId: request.id,
          }),
        );
    }
    if (error instanceof ServiceBusyError) {
      // Not logged one by one: a flood would write a line per request; password_hashes_rejected_total counts them.
      return reply.code(503).header('retry-after', String(error.retryAfterSeconds)).send(errorBody(503, error.message));
    }
    if (error instanceof HttpError) {
      return reply
        .code(error.statusCode)
        .send(errorBody(error.statusCode, error.message, error.field ? { field: error.field } : {}));
    }
    const e = error as { statusCode?: unknown; message?: string };
    const status = typeof e.statusCode === 'number' && e.statusCode >= 400 ? e.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send(errorBody(status, 'internal error', { requestId: request.id }));
    }
    // Fastify's own 4xx (bad JSON body, body too large, unsupported media type): their message is safe, and
    // all of them are about the body (or its headers), so a 400 names it as the field.
    const message = e.message ?? 'error';
    if (status === 400) return reply.code(400).send(errorBody(400, `body: ${message}`, { field: 'body' }));
    return reply.code(status).send(errorBody(status, message));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(404, `Route ${request.method} ${request.url.split('?')[0]} not found`));
  });
}
