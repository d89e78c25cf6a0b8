// Global set-up of the Playwright run: with BASE_URL set, nothing to do (an external or already running stack).
// Without it: build the pages if the build is missing or older than their sources, start the local stack
// (PostgreSQL, Redis, the reference API; no Prometheus), export BASE_URL for the workers, and return the teardown
// that stops the stack. Progress goes to stderr so a slow start never sits silent. MYSTOCKS_FAULTS and
// MYSTOCKS_FAULTS_ADMIN_TOKEN reach the stack it starts (validated first: a bad list stops the run with the
// service's own message), as they do for `harness up`; with BASE_URL set they are the deployment's business.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { ConfigError, parseFaults } from '../reference-api/src/config.ts';
import { startStack } from '../stack/index.ts';

const WEB_DIR = new URL('../reference-api/web/', import.meta.url).pathname;

/** Newest modification time under a folder (the page sources). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the web pages when the build is missing or older than their sources (the stack serves the build). */
export function buildPagesIfStale(log: (line: string) => void): void {
  const built = join(WEB_DIR, 'dist', 'index.html');
  const sourcesAt = Math.max(newest(join(WEB_DIR, 'src')), statSync(join(WEB_DIR, 'index.html')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sourcesAt) return;
  log('building the web pages (npm run build:web)');
  execFileSync('npm', ['run', '--silent', 'build:web'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Removes this run's own session folder (fixtures/auth-state.ts), never one a caller named. */
function removeRunSessions(): void {
  const dir = process.env.MYSTOCKS_AUTH_DIR;
  if (dir && /^playwright\/\.auth\/run-\d+$/.test(dir)) rmSync(dir, { recursive: true, force: true });
}

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  if (process.env.BASE_URL) return async () => removeRunSessions();
  const log = (line: string) => process.stderr.write(`[e2e] ${line}\n`);
  let faults: ReturnType<typeof parseFaults>;
  try {
    faults = parseFaults(process.env.MYSTOCKS_FAULTS);
  } catch (error) {
    // A ConfigError's message names the variable and what is wrong; no stack trace needed.
    if (error instanceof ConfigError) throw new Error(`e2e set-up refused to start the stack: ${error.message}`);
    throw error;
  }
  const faultsAdminToken = process.env.MYSTOCKS_FAULTS_ADMIN_TOKEN || undefined;
  if (faults.length > 0) log(`fault injection on: MYSTOCKS_FAULTS=${JSON.stringify(faults)}`);
  buildPagesIfStale(log);
  const stack = await startStack('local', {
    withPrometheus: false,
    log,
    ...(faults.length > 0 ? { faults } : {}),
    ...(faultsAdminToken ? { faultsAdminToken } : {}),
  });
  process.env.BASE_URL = stack.info.apiUrl;
  log(`BASE_URL=${stack.info.apiUrl}`);
  return async () => {
    log('stopping the local stack');
    removeRunSessions();
    await stack.stop();
  };
}
