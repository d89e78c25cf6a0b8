import { z } from 'zod';

export const userSchema = z.object({ username: z.string(), displayName: z.string() });
export const userResponseSchema = z.object({ user: userSchema });

export const loginSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export const registerSchema = z.object({
  username: z
    .string()
    .min(3)
    .max(32)
    .regex(/^[a-z0-9_-]+$/, 'may hold only a-z, 0-9, _ and -'),
  password: z.string().min(8).max(256),
  displayName: z.string().min(1).max(64).optional(),
});
