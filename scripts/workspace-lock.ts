// One workspace's production install, as `turbo prune` or `pnpm deploy` make one: `node scripts/workspace-lock.ts
// reference-api OUT` writes OUT/package.json (the workspace's, without its devDependencies) and OUT/package-lock.json
// holding exactly the packages its dependencies reach, with the root lock's versions, sources and integrity
// hashes. `npm ci` in OUT then installs those and nothing else. The reference API's image is built this way
// (reference-api/Dockerfile).
//
// Why not `npm ci --omit=dev --workspace reference-api`: npm decides what is "dev" over the whole tree, so a
// package that the harness needs in production and the service only for development (ECharts, esbuild, through
// the web pages' build) counts as production there, and the service's image would carry the harness's packages.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A package-lock.json entry, with the fields this script reads; the rest are copied as they are. */
interface LockEntry {
  name?: string;
  version?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

export interface Lock {
  name: string;
  version: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/**
 * The lock path a package named `name` resolves to from the package at `from`, as Node resolves it: `from`'s own
 * node_modules, then each enclosing package's, up to the root's. Undefined when nothing in the lock answers.
 */
function resolveInLock(packages: Lock['packages'], name: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const enclosing = dir.lastIndexOf('/node_modules/');
    dir = enclosing >= 0 ? dir.slice(0, enclosing) : '';
  }
}

/**
 * The lock paths (the root lock's) of every package that the workspace at `workspace` reaches through its
 * dependencies, optional and peer dependencies, transitively. An optional dependency the lock lacks (another
 * platform's binary) is left out; a required one that is missing is an error, as it would be for npm.
 */
export function productionClosure(lock: Lock, workspace: string): string[] {
  const packages = lock.packages;
  const root = packages[workspace];
  if (!root) throw new Error(`${workspace} is not a workspace in the lock file`);
  const reached = new Set<string>();
  const pending = [workspace];
  while (pending.length > 0) {
    const at = pending.pop()!;
    const entry = packages[at]!;
    const optional = new Set([
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional)
        .map(([name]) => name),
    ]);
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}),
    ];
    for (const name of names) {
      const found = resolveInLock(packages, name, at);
      if (!found) {
        if (optional.has(name)) continue;
        throw new Error(`${at} needs ${name}, which the lock file does not hold`);
      }
      if (packages[found]!.link) throw new Error(`${at} needs ${name}, a workspace link: not supported here`);
      if (reached.has(found)) continue;
      reached.add(found);
      pending.push(found);
    }
  }
  return [...reached].sort();
}

/**
 * The workspace's package.json without devDependencies, and a lock of exactly its production closure. Paths
 * under the workspace's own node_modules move to the top; the same package hoisted at the root as well would
 * then collide, which is an error rather than a guess.
 */
export function workspaceLock(
  lock: Lock,
  manifest: Record<string, unknown>,
  workspace: string,
): { manifest: Record<string, unknown>; lock: Lock } {
  const { devDependencies: _development, scripts: _scripts, ...production } = manifest;
  const packages: Lock['packages'] = {};
  const { dev: _d, devOptional: _o, optional: _p, peer: _e, devDependencies: _v, ...top } = lock.packages[workspace]!;
  packages[''] = top;
  for (const path of productionClosure(lock, workspace)) {
    const target = path.startsWith(`${workspace}/`) ? path.slice(workspace.length + 1) : path;
    if (packages[target]) throw new Error(`${path} and the root's ${target} would both be ${target}`);
    const { dev, devOptional, optional, peer, ...entry } = lock.packages[path]!;
    // Only an optional edge reaches a package that the whole tree reaches only through optional edges; npm must
    // know, so that another platform's binary that fails to install is skipped, not an error.
    packages[target] = optional || devOptional ? { ...entry, optional: true } : entry;
  }
  const name = String(manifest.name);
  const version = String(manifest.version);
  return { manifest: production, lock: { name, version, lockfileVersion: 3, requires: true, packages } };
}

if (import.meta.main) {
  const [workspace, out] = process.argv.slice(2);
  if (!workspace || !out) {
    console.error('usage: node scripts/workspace-lock.ts WORKSPACE OUT_DIR');
    process.exit(64);
  }
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock;
  const manifest = JSON.parse(readFileSync(join(workspace, 'package.json'), 'utf8')) as Record<string, unknown>;
  const pruned = workspaceLock(lock, manifest, workspace);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(pruned.manifest, null, 2)}\n`);
  writeFileSync(join(out, 'package-lock.json'), `${JSON.stringify(pruned.lock, null, 2)}\n`);
  console.log(`${workspace}: ${Object.keys(pruned.lock.packages).length - 1} packages in ${out}/package-lock.json`);
}
