import type { z } from 'zod';
import { badRequest } from '../errors.ts';

/** Parses with a schema outside Fastify's validation (e.g. a query whose shape depends on a path param), with the same 400. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : 'query';
  throw badRequest(field, issue.message);
}
