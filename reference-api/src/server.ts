// Entry point the stack runs: `node reference-api/src/server.ts` with the environment of docs/api.md.
// Starts tracing (telemetry/tracing.ts), migrates and seeds, listens, logs the URL, and closes gracefully on
// SIGTERM/SIGINT. The app is imported only after tracing started: its modules (pg, ioredis, fastify) must
// load through the instrumentations' hooks, which a static import would bypass.

import cluster from 'node:cluster';
import closeWithGrace from 'close-with-grace';
import { runPrimary, workersFromEnv } from './cluster.ts';
import { ConfigError, configFromEnv } from './config.ts';
import { shutdownTracing, startTracing } from './telemetry/tracing.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof configFromEnv>;
  try {
    config = configFromEnv();
    // The OTEL_* settings are configuration too: a bad one ends the start the same way.
    await startTracing();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`mystocks reference-api: invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const { buildApp, listenApp } = await import('./app.ts');
  const app = await buildApp(config);
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    await shutdownTracing();
  });
  await listenApp(app);
}

let workers = 1;
try {
  workers = workersFromEnv();
} catch (error) {
  process.stderr.write(`mystocks reference-api: invalid configuration: ${(error as Error).message}\n`);
  process.exit(2);
}
const started =
  workers > 1 && cluster.isPrimary
    ? runPrimary(workers, (line) => process.stderr.write(`mystocks reference-api (primary): ${line}\n`))
    : main();
started.catch((error: unknown) => {
  process.stderr.write(
    `mystocks reference-api: start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
