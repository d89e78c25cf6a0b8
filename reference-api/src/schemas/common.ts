// Schemas shared by several areas. Each zod schema is both the validation and the TypeScript type.

import { z } from 'zod';

export const symbolSchema = z.string().regex(/^\d{6}$/, 'must be a 6-digit code');
export const dateSchema = z.iso.date('must be a date YYYY-MM-DD');
export const errorSchema = z.object({
  statusCode: z.number(),
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  requestId: z.string().optional(),
});
/** Responses every route may give besides its success. */
export const errorResponses = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 409: errorSchema };

/** A query integer with bounds and a default (query strings arrive as text). */
export function queryInt(min: number, max: number, fallback: number) {
  return z.coerce.number().int('must be an integer').min(min).max(max).default(fallback);
}
