// The reference service's tests' environment on this harness's local services: a PostgreSQL and (unless asked not
// to) a Redis started as child processes, handed to the service's own test helper, which builds the app on them.
// Test support only: no production file imports it (core/layers.test.ts). The dependency goes this way, harness
// to service, so the service (reference-api/) imports nothing of the harness.

import type { AppConfigInput } from '../../reference-api/src/config.ts';
import { type ApiTestEnv, buildApiTestEnv } from '../../reference-api/src/test-helper.ts';
import { LocalPostgres, type StartedLocalPostgres } from './postgres.ts';
import { LocalRedis, type StartedLocalRedis } from './redis.ts';

/** A test environment whose services are local processes (a test may stop, kill or restart them). */
export type TestEnv = ApiTestEnv<{ postgres: StartedLocalPostgres; redis?: StartedLocalRedis | undefined }>;

export interface TestEnvOptions {
  redis?: boolean;
  config?: Partial<AppConfigInput>;
}

/** Starts PostgreSQL (+ Redis) and builds the app on them; `await using` or `close()` stops all. */
export async function startTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  // The app finds its database migrated and seeded (a copy of the cached template) unless it is told not to seed;
  // its seeded demo user's password is hashed at this process's MYSTOCKS_SCRYPT, as the app would hash it.
  const seededTemplate = options.config?.seed === 'off' ? undefined : { scrypt: process.env.MYSTOCKS_SCRYPT };
  const postgres = await new LocalPostgres({ seededTemplate }).start();
  let redis: StartedLocalRedis | undefined;
  try {
    if (options.redis !== false) redis = await new LocalRedis().start();
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  return buildApiTestEnv({ postgres, redis }, options.config);
}
