// Schemas shared by several areas. Each zod schema is both the validation and the TypeScript type.

import { z } from 'zod';

/**
 * C0 controls (NUL included), DEL and C1 controls. PostgreSQL's text type cannot hold NUL at all (the driver's
 * query fails, which would be a 500), and the others have no place in a name, a search or a sector; rejecting
 * them here gives a 400 that names the field instead.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Text of `min`..`max` characters without control characters (see CONTROL_CHARACTERS). */
export function plainText(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !CONTROL_CHARACTERS.test(s), 'must not contain control characters');
}

export const symbolSchema = z.string().regex(/^\d{6}$/, 'must be a 6-digit code');
export const dateSchema = z.iso.date('must be a date YYYY-MM-DD');
export const errorSchema = z.object({
  statusCode: z.number(),
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  requestId: z.string().optional(),
  dependency: z.string().optional(),
});
/** Responses every route may give besides its success. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  404: errorSchema,
  409: errorSchema,
  503: errorSchema,
};

/** A query integer with bounds and a default (query strings arrive as text). */
export function queryInt(min: number, max: number, fallback: number) {
  return z.coerce.number().int('must be an integer').min(min).max(max).default(fallback);
}
