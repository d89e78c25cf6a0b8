// Run-time configuration of the reference service: one zod schema turns the environment (docs/api.md,
// "Run-time configuration") into a typed AppConfig. Tests build AppConfig objects directly.

import { availableParallelism } from 'node:os';
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

/** Shortest admin token accepted (MYSTOCKS_FAULTS_ADMIN_TOKEN). */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

/** Default port of the metrics listener (MYSTOCKS_METRICS_PORT): the port OpenTelemetry's Prometheus exporter uses. */
export const DEFAULT_METRICS_PORT = 9464;

/** The fields of the configuration (appConfigSchema adds the checks across fields). */
const appConfigFields = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(3000),
  /**
   * Where GET /metrics is served: a listener of its own, never the app port. The exposition names every endpoint,
   * Node's version, memory, pool gauges and trace ids (exemplars), which is for the operator's Prometheus, not for
   * whoever reaches the app port; bound to loopback unless told otherwise (docs/security.md, L2).
   */
  metricsHost: z.string().default('127.0.0.1'),
  /** Port of the metrics listener; 9464 as OpenTelemetry's Prometheus exporter; 0 picks a free port. */
  metricsPort: z.number().int().min(0).max(65_535).default(DEFAULT_METRICS_PORT),
  databaseUrl: z.string().min(1),
  /** Unset: L2 disabled, L1 only. */
  redisUrl: z.string().min(1).optional(),
  seed: z.enum(['auto', 'reset', 'off']).default('auto'),
  faults: faultListSchema.default([]),
  /**
   * Enables GET/PUT /admin/faults. At least 32 characters: the route can turn every /api answer into a 503
   * (`[{"route": "*", "errorRate": 1}]`), so its token is a secret to generate, not a word to remember.
   */
  faultsAdminToken: z
    .string()
    .min(
      ADMIN_TOKEN_MIN_LENGTH,
      `must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (generate one, e.g. \`openssl rand -hex 32\`)`,
    )
    .optional(),
  /** NODE_ENV=production: fault injection is refused unless allowFaultsInProduction says otherwise. */
  production: z.boolean().default(false),
  /** MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION: the second, explicit switch for faults under NODE_ENV=production. */
  allowFaultsInProduction: z.boolean().default(false),
  /** Login attempts per (address, username) per minute. */
  loginRateLimit: z.number().int().min(1).default(10),
  /** Failed logins per address, across usernames, per loginFailureWindowSeconds. */
  loginFailuresPerAddress: z.number().int().min(1).default(30),
  loginFailureWindowSeconds: z.number().int().min(1).default(900),
  /**
   * Failed logins of one account (from any address) before its exponential backoff starts: the next attempt
   * must then wait 1 s, then 2 s, 4 s, ... up to loginAccountMaxBackoffSeconds (plugins/app/failure-limits.ts).
   * 10, as loginRateLimit: one address guessing one account meets the per-(address, username) limit first, as
   * before; the backoff adds what that limit cannot see, the same account guessed from many addresses.
   */
  loginFailuresPerAccount: z.number().int().min(1).default(10),
  loginAccountMaxBackoffSeconds: z.number().int().min(1).default(300),
  /**
   * Password hashes (scrypt, login and register) running at once in this process; more wait in a queue of
   * passwordHashQueue, and past that a login or register is answered 503 at once (plugins/app/passwords.ts).
   * Default: twice the cores (libuv runs scrypt on its 4 threads; 2 cores here give 4).
   */
  passwordHashConcurrency: z
    .number()
    .int()
    .min(1)
    .default(() => 2 * availableParallelism()),
  /** Hashes that may wait for a slot; 0: none wait. Default: four times passwordHashConcurrency. */
  passwordHashQueue: z.number().int().min(0).optional(),
  /** Registrations per address per minute (the harness's own stacks raise it: load registers a user per arrival). */
  registerRateLimit: z.number().int().min(1).default(5),
  /** How often expired sessions are deleted (also once at start). */
  sessionSweepSeconds: z.number().int().min(1).default(600),
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
  /**
   * Longest a statement may take, and longest a request waits for a pooled connection: the request's database
   * deadline. PostgreSQL cancels a statement past it (statement_timeout); a server that does not answer at all
   * (hung, paused, cut off) is given up on at the same bound (pg's query_timeout). Either way: 503.
   */
  dbTimeoutMs: z.number().int().min(100).default(5_000),
  /**
   * Secure flag of the session cookie: true, false, or 'auto' (set when the request came over HTTPS, directly
   * or as a trusted proxy's X-Forwarded-Proto says).
   */
  cookieSecure: z.union([z.boolean(), z.literal('auto')]).default('auto'),
  /**
   * Fastify's trustProxy: false (default; the socket's address is the client), true (trust every hop), a hop
   * count, or addresses/CIDRs of the proxies. It decides request.ip (rate limits) and request.protocol (cookie).
   */
  trustProxy: z.union([z.boolean(), z.number().int().min(1), z.array(z.string().min(1))]).default(false),
  /** Longest time to receive a whole request (Node's requestTimeout); 408 after it. */
  requestTimeoutMs: z.number().int().min(100).default(30_000),
  /** Longest time to receive a request's headers (Node's headersTimeout): a slow-loris client is cut off. */
  headersTimeoutMs: z.number().int().min(100).default(10_000),
  /**
   * How often Node checks open connections against the two deadlines above (its connectionsCheckingInterval,
   * 30 s by default): a deadline holds to within this. 1 s keeps a slow-loris socket from outliving its
   * headersTimeout by up to 30 s, for one timer a second walking the open connections.
   */
  connectionsCheckingIntervalMs: z.number().int().min(10).default(1_000),
  /** How long an idle keep-alive connection stays open (Node's keepAliveTimeout). */
  keepAliveTimeoutMs: z.number().int().min(100).default(5_000),
  /** Idle socket timeout (Fastify's connectionTimeout): a connection silent this long is closed. */
  connectionTimeoutMs: z.number().int().min(100).default(60_000),
});

/**
 * Everything buildApp needs; every field but databaseUrl has a default. Fault injection makes the service fail on
 * purpose: under NODE_ENV=production it takes a second switch, so a test setting carried into a deployment (an
 * environment file copied whole) stops the start instead.
 */
export const appConfigSchema = appConfigFields.superRefine((config, context) => {
  // Two listeners cannot share a port; said at start-up rather than as an EADDRINUSE from the second listen.
  if (config.metricsPort !== 0 && config.metricsPort === config.port) {
    context.addIssue({
      code: 'custom',
      path: ['metricsPort'],
      message: `must differ from PORT (${config.port}): metrics have a listener of their own`,
    });
  }
  if (!config.production || config.allowFaultsInProduction) return;
  const refused =
    'fault injection is refused under NODE_ENV=production (set MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION=true to allow it)';
  if (config.faults.length > 0) context.addIssue({ code: 'custom', path: ['faults'], message: refused });
  if (config.faultsAdminToken !== undefined)
    context.addIssue({ code: 'custom', path: ['faultsAdminToken'], message: refused });
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

/** A boolean from the environment: true/false/1/0/yes/no, or 'auto' where allowed. */
function flag(name: string, raw: string | undefined, allowAuto: boolean): boolean | 'auto' | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  if (allowAuto && value === 'auto') return 'auto';
  throw new ConfigError(`${name} must be true or false${allowAuto ? ' or auto' : ''}, got ${JSON.stringify(raw)}`);
}

/** MYSTOCKS_TRUST_PROXY: true/false, a hop count, or a comma list of proxy addresses or CIDRs. */
function trustProxyOf(raw: string | undefined): boolean | number | string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim();
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(true|false|1|0|yes|no)$/i.test(value)) return flag('MYSTOCKS_TRUST_PROXY', value, false) as boolean;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** AppConfig from an environment (process.env by default); throws ConfigError with a clear message. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const input = {
    host: env.HOST || undefined,
    port: int('PORT', env.PORT),
    metricsHost: env.MYSTOCKS_METRICS_HOST || undefined,
    metricsPort: int('MYSTOCKS_METRICS_PORT', env.MYSTOCKS_METRICS_PORT),
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL || undefined,
    seed: env.MYSTOCKS_SEED || undefined,
    faults: parseFaults(env.MYSTOCKS_FAULTS),
    faultsAdminToken: env.MYSTOCKS_FAULTS_ADMIN_TOKEN || undefined,
    production: env.NODE_ENV === 'production',
    allowFaultsInProduction: flag(
      'MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION',
      env.MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION,
      false,
    ) as boolean | undefined,
    loginRateLimit: int('MYSTOCKS_LOGIN_RATE_LIMIT', env.MYSTOCKS_LOGIN_RATE_LIMIT),
    loginFailuresPerAddress: int('MYSTOCKS_LOGIN_FAILURES_PER_ADDRESS', env.MYSTOCKS_LOGIN_FAILURES_PER_ADDRESS),
    loginFailuresPerAccount: int('MYSTOCKS_LOGIN_FAILURES_PER_ACCOUNT', env.MYSTOCKS_LOGIN_FAILURES_PER_ACCOUNT),
    passwordHashConcurrency: int('MYSTOCKS_PASSWORD_HASH_CONCURRENCY', env.MYSTOCKS_PASSWORD_HASH_CONCURRENCY),
    passwordHashQueue: int('MYSTOCKS_PASSWORD_HASH_QUEUE', env.MYSTOCKS_PASSWORD_HASH_QUEUE),
    registerRateLimit: int('MYSTOCKS_REGISTER_RATE_LIMIT', env.MYSTOCKS_REGISTER_RATE_LIMIT),
    cookieSecure: flag('MYSTOCKS_COOKIE_SECURE', env.MYSTOCKS_COOKIE_SECURE, true),
    trustProxy: trustProxyOf(env.MYSTOCKS_TRUST_PROXY),
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
      metricsHost: 'MYSTOCKS_METRICS_HOST',
      metricsPort: 'MYSTOCKS_METRICS_PORT',
      databaseUrl: 'DATABASE_URL',
      redisUrl: 'REDIS_URL',
      seed: 'MYSTOCKS_SEED',
      loginRateLimit: 'MYSTOCKS_LOGIN_RATE_LIMIT',
      loginFailuresPerAddress: 'MYSTOCKS_LOGIN_FAILURES_PER_ADDRESS',
      loginFailuresPerAccount: 'MYSTOCKS_LOGIN_FAILURES_PER_ACCOUNT',
      passwordHashConcurrency: 'MYSTOCKS_PASSWORD_HASH_CONCURRENCY',
      passwordHashQueue: 'MYSTOCKS_PASSWORD_HASH_QUEUE',
      faults: 'MYSTOCKS_FAULTS',
      faultsAdminToken: 'MYSTOCKS_FAULTS_ADMIN_TOKEN',
      allowFaultsInProduction: 'MYSTOCKS_ALLOW_FAULTS_IN_PRODUCTION',
      registerRateLimit: 'MYSTOCKS_REGISTER_RATE_LIMIT',
      cookieSecure: 'MYSTOCKS_COOKIE_SECURE',
      trustProxy: 'MYSTOCKS_TRUST_PROXY',
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
