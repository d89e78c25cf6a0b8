// One helper for the service's tests: a real PostgreSQL (and Redis, unless asked not to) started once per
// test file, the app built on them with explicit config and its log lines captured. `await using` stops all.

import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { LocalPostgres, type StartedLocalPostgres } from '../../stack/local/postgres.ts';
import { LocalRedis, type StartedLocalRedis } from '../../stack/local/redis.ts';
import { type BuildOptions, buildApp } from './app.ts';
import { type AppConfigInput, appConfigSchema } from './config.ts';

/** A started test environment. */
export interface TestEnv extends AsyncDisposable {
  app: FastifyInstance;
  postgres: StartedLocalPostgres;
  redis: StartedLocalRedis | undefined;
  /** Every log line so far, parsed. */
  logs: Record<string, unknown>[];
  /** Raw log text so far (to search for things that must never appear). */
  rawLogs(): string;
  /** Logs in as demo (or the user given) and returns the Cookie header value. */
  login(username?: string, password?: string): Promise<string>;
  /** Builds another app on the same services (e.g. with other faults); closed with the env. */
  buildAnother(overrides: Partial<AppConfigInput>, options?: Omit<BuildOptions, 'logStream'>): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export interface TestEnvOptions {
  redis?: boolean;
  config?: Partial<AppConfigInput>;
}

/** Starts PostgreSQL (+ Redis) and builds the app; the database is migrated and seeded. */
export async function startTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  const postgres = await new LocalPostgres().start();
  let redis: StartedLocalRedis | undefined;
  const apps: FastifyInstance[] = [];
  const chunks: string[] = [];
  try {
    if (options.redis !== false) redis = await new LocalRedis().start();
    const stream = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const base: AppConfigInput = {
      databaseUrl: postgres.connectionUri,
      redisUrl: redis?.url,
      logLevel: 'info',
      // generous: the test machine is small and shared
      l2TimeoutMs: 1_000,
      breakerResetMs: 500,
      ...options.config,
    };
    const build = async (overrides: Partial<AppConfigInput>, options: Omit<BuildOptions, 'logStream'> = {}) => {
      const app = await buildApp(appConfigSchema.parse({ ...base, ...overrides }), { ...options, logStream: stream });
      apps.push(app);
      return app;
    };
    const app = await build({});
    const env: TestEnv = {
      app,
      postgres,
      redis,
      get logs() {
        return chunks
          .join('')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      },
      rawLogs: () => chunks.join(''),
      async login(username = 'demo', password = 'demo-pass') {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
        if (res.statusCode !== 200) throw new Error(`login as ${username} answered ${res.statusCode}: ${res.body}`);
        return cookieOf(res);
      },
      buildAnother: build,
      async close() {
        for (const a of apps.reverse()) await a.close().catch(() => {});
        await redis?.stop().catch(() => {});
        await postgres.stop();
      },
      async [Symbol.asyncDispose]() {
        await env.close();
      },
    };
    return env;
  } catch (error) {
    for (const a of apps) await a.close().catch(() => {});
    await redis?.stop().catch(() => {});
    await postgres.stop();
    throw error;
  }
}

/** `name=value` of the session cookie a response sets. */
export function cookieOf(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0] : header;
  if (!first) throw new Error('no set-cookie header');
  return first.split(';')[0]!;
}

/** The samples of one metric in Prometheus text: labels (as an object) and value. */
export function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    // OpenMetrics may end a sample with an exemplar, ` # {trace_id="..."} value timestamp`: not the sample's.
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line.replace(/ # \{.*$/, ''));
    if (!m || m[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]!] = pair[2]!;
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of one sample whose labels include `match` (0 when absent). */
export function sampleValue(text: string, name: string, match: Record<string, string> = {}): number {
  const found = samples(text, name).find((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v));
  return found?.value ?? 0;
}
