import { z } from 'zod';
import { plainText } from './common.ts';

export const userSchema = z.object({ username: z.string(), displayName: z.string() });
export const userResponseSchema = z.object({ user: userSchema });

export const loginSchema = z.object({
  // Any stored username is plain text (registerSchema); control characters cannot match one, and NUL would
  // make the lookup fail in PostgreSQL.
  username: plainText(1, 64),
  // The password never reaches the database (only its scrypt hash), so any character may be in it.
  password: z.string().min(1).max(256),
});
export const registerSchema = z.object({
  username: z
    .string()
    .min(3)
    .max(32)
    .regex(/^[a-z0-9_-]+$/, 'may hold only a-z, 0-9, _ and -'),
  password: z.string().min(8).max(256),
  displayName: plainText(1, 64).optional(),
});
