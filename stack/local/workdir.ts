import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTeardown } from '../teardown.ts';

/** A temp directory owned by one run of one service, removed on dispose. */
export interface WorkDir {
  readonly path: string;
  remove(): void;
}

/** Prefix of every work directory, so stale clean-up removes only directories the harness made. */
export const WORK_DIR_PREFIX = 'mystocks-';

/**
 * Makes a fresh temp directory (mode 0700), owned by `owner` when given (e.g. postgres when running as root).
 * It is registered for teardown (registered before the service's process, so removed after it on Ctrl-C).
 */
export function makeWorkDir(prefix: string, owner?: { uid: number; gid: number }): WorkDir {
  const path = mkdtempSync(join(tmpdir(), `${WORK_DIR_PREFIX}${prefix}-`));
  if (owner) chownSync(path, owner.uid, owner.gid);
  const remove = () => rmSync(path, { recursive: true, force: true, maxRetries: 3 });
  const unregister = onTeardown(`${prefix} work dir`, async () => remove());
  return {
    path,
    remove: () => {
      unregister();
      remove();
    },
  };
}
