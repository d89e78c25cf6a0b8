// One helper for the service's tests: the app built with explicit config on a PostgreSQL (and a Redis, unless there
// is none) that the caller started, its log lines captured. `await using` closes the apps and stops the services.
//
// The service imports nothing of the harness, its test helper included: the harness's test support
// (stack/local/api-test-support.ts startTestEnv) starts the services and hands them here.

import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type BuildOptions, buildApp } from './app.ts';
import { type AppConfigInput, appConfigSchema } from './config.ts';

/** What the environment needs of a service: where it is, and how to stop it (the env owns it). */
interface StoppableService {
  stop(): Promise<void>;
}

/** The services an environment is built on: a PostgreSQL database (migrated and seeded by the app) and a Redis. */
export interface ApiTestServices {
  postgres: StoppableService & { readonly connectionUri: string };
  redis?: (StoppableService & { readonly url: string }) | undefined;
}

/** A built test environment; `postgres` and `redis` are the caller's services, typed as the caller typed them. */
export interface ApiTestEnv<S extends ApiTestServices = ApiTestServices> extends AsyncDisposable {
  app: FastifyInstance;
  postgres: S['postgres'];
  redis: S['redis'] | undefined;
  /** Every log line so far, parsed. */
  logs: Record<string, unknown>[];
  /** Raw log text so far (to search for things that must never appear). */
  rawLogs(): string;
  /** Logs in as demo (or the user given) and returns the Cookie header value. */
  login(username?: string, password?: string): Promise<string>;
  /** Builds another app on the same services (e.g. with other faults); closed with the env. */
  buildAnother(overrides: Partial<AppConfigInput>, options?: Omit<BuildOptions, 'logStream'>): Promise<FastifyInstance>;
  /** Closes every app, then stops Redis and PostgreSQL. */
  close(): Promise<void>;
}

/**
 * Builds the app on started services; the database is migrated and seeded. From here on the env owns the
 * services: `close()` stops them, and so does a failed build before it rethrows.
 */
export async function buildApiTestEnv<S extends ApiTestServices>(
  services: S,
  config: Partial<AppConfigInput> = {},
): Promise<ApiTestEnv<S>> {
  const { postgres, redis } = services;
  const apps: FastifyInstance[] = [];
  const chunks: string[] = [];
  const stopServices = async () => {
    await redis?.stop().catch(() => {});
    await postgres.stop();
  };
  try {
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
      ...config,
    };
    const build = async (overrides: Partial<AppConfigInput>, options: Omit<BuildOptions, 'logStream'> = {}) => {
      const app = await buildApp(appConfigSchema.parse({ ...base, ...overrides }), { ...options, logStream: stream });
      apps.push(app);
      return app;
    };
    const app = await build({});
    const env: ApiTestEnv<S> = {
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
        await stopServices();
      },
      async [Symbol.asyncDispose]() {
        await env.close();
      },
    };
    return env;
  } catch (error) {
    for (const a of apps) await a.close().catch(() => {});
    await stopServices();
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
