// The harness's own folder in the user's cache, for what is worth keeping between runs and is made again when
// lost: the PostgreSQL templates (stack/local/postgres-template.ts) and, for an installed harness whose own folder
// is read-only, the load runs' bundles (load/run-script.ts).
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The harness's folder in the user's cache: $XDG_CACHE_HOME/mystocks-harness, ~/.cache/... by default. The
 * templates live in it, and the load runs' bundles of an installed harness whose own folder is read-only
 * (load/run-script.ts).
 */
export function harnessCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  // The XDG Base Directory spec: a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  const cache = xdg?.startsWith('/') ? xdg : join(homedir(), '.cache');
  return join(cache, 'mystocks-harness');
}

/** Whether a cache folder can be made and written; without one, what it would hold is made afresh each time. */
export function cacheWritable(root: string): boolean {
  try {
    mkdirSync(root, { recursive: true });
    accessSync(root, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
