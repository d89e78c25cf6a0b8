// Run-time configuration of the reference service: one zod schema turns the environment (docs/api.md,
// "Run-time configuration") into a typed AppConfig. Tests build AppConfig objects directly.

import { z } from 'zod';

/** One injected fault (docs/api.md, "Faults"). */
export const faultSchema = z.strictObject({
  route: z.string().min(1),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  cacheBypass: z.boolean().optional(),
  /** The route's statements run in a variant that no index can serve (and skip the cache to reach the database). */
  noIndex: z.boolean().optional(),
});
export type Fault = z.infer<typeof faultSchema>;
export const faultListSchema = z.array(faultSchema);

/** Everything buildApp needs; every field but databaseUrl has a default. */
export const appConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(3000),
  databaseUrl: z.string().min(1),
  /** Unset: L2 disabled, L1 only. */
  redisUrl: z.string().min(1).optional(),
  seed: z.enum(['auto', 'reset', 'off']).default('auto'),
  faults: faultListSchema.default([]),
  faultsAdminToken: z.string().min(1).optional(),
  loginRateLimit: z.number().int().min(1).default(10),
  sessionTtlSeconds: z.number().int().min(60).default(28_800),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder of the built pages (index.html + assets/). */
  webDistDir: z.string().default(new URL('../web/dist/', import.meta.url).pathname),
  /** Bound on L1 entries (LRU). */
  l1MaxEntries: z.number().int().min(1).default(1_000),
  /**
   * Longest an entry lives in L1, whatever its kind's TTL. L1 cannot be invalidated across replicas, so it
   * holds a short-lived hot copy and L2 (shared) holds the entry for the kind's full TTL.
   */
  l1MaxTtlSeconds: z.number().min(0.1).default(2),
  /** Per-call timeout of L2 operations; the breaker counts a timeout as a failure. */
  l2TimeoutMs: z.number().int().min(1).default(100),
  /** How long the open breaker waits before letting one trial call through. */
  breakerResetMs: z.number().int().min(100).default(2_000),
  dbPoolMax: z.number().int().min(1).default(10),
  /** Set the Secure flag on the session cookie (behind TLS). */
  cookieSecure: z.boolean().default(false),
});
export type AppConfig = z.output<typeof appConfigSchema>;
export type AppConfigInput = z.input<typeof appConfigSchema>;

/** A configuration error with a message fit for the operator (start-up stops with it). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function int(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new ConfigError(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Parses MYSTOCKS_FAULTS; the message names what is wrong and where. */
export function parseFaults(raw: string | undefined): Fault[] {
  if (raw === undefined || raw.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`MYSTOCKS_FAULTS is not valid JSON: ${(error as Error).message}`);
  }
  const result = faultListSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new ConfigError(`MYSTOCKS_FAULTS${where}: ${issue.message}`);
  }
  return result.data;
}

/** AppConfig from an environment (process.env by default); throws ConfigError with a clear message. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const input = {
    host: env.HOST || undefined,
    port: int('PORT', env.PORT),
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL || undefined,
    seed: env.MYSTOCKS_SEED || undefined,
    faults: parseFaults(env.MYSTOCKS_FAULTS),
    faultsAdminToken: env.MYSTOCKS_FAULTS_ADMIN_TOKEN || undefined,
    loginRateLimit: int('MYSTOCKS_LOGIN_RATE_LIMIT', env.MYSTOCKS_LOGIN_RATE_LIMIT),
    sessionTtlSeconds: int('MYSTOCKS_SESSION_TTL_SECONDS', env.MYSTOCKS_SESSION_TTL_SECONDS),
    l1MaxTtlSeconds: int('MYSTOCKS_L1_TTL_SECONDS', env.MYSTOCKS_L1_TTL_SECONDS),
    logLevel: env.LOG_LEVEL || undefined,
  };
  const result = appConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const names: Record<string, string> = {
      host: 'HOST',
      port: 'PORT',
      databaseUrl: 'DATABASE_URL',
      redisUrl: 'REDIS_URL',
      seed: 'MYSTOCKS_SEED',
      loginRateLimit: 'MYSTOCKS_LOGIN_RATE_LIMIT',
      sessionTtlSeconds: 'MYSTOCKS_SESSION_TTL_SECONDS',
      l1MaxTtlSeconds: 'MYSTOCKS_L1_TTL_SECONDS',
      logLevel: 'LOG_LEVEL',
    };
    const key = String(issue.path[0] ?? '');
    const message =
      input[key as keyof typeof input] === undefined && key === 'databaseUrl' ? 'is required' : issue.message;
    throw new ConfigError(`${names[key] ?? key}: ${message}`);
  }
  return result.data;
}
