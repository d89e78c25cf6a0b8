import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp directory owned by one run of one service, removed on dispose. */
export interface WorkDir {
  readonly path: string;
  remove(): void;
}

/** Makes a fresh temp directory (mode 0700), owned by `owner` when given (e.g. postgres when running as root). */
export function makeWorkDir(prefix: string, owner?: { uid: number; gid: number }): WorkDir {
  const path = mkdtempSync(join(tmpdir(), `mystocks-${prefix}-`));
  if (owner) chownSync(path, owner.uid, owner.gid);
  return {
    path,
    remove: () => rmSync(path, { recursive: true, force: true, maxRetries: 3 }),
  };
}
