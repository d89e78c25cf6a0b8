// A content-addressed cache of PostgreSQL data directories: the local stack's PostgreSQL starts from a copy of a data
// directory that initdb, the reference service's migrations and its seed filled once, instead of running all three
// on every start (postgres.ts withSeededTemplate; docs/performance.md "PostgreSQL from a template").
//
// The key is a hash of everything that decides the directory's contents (TemplateInputs): the PostgreSQL version,
// initdb's options and locale, the database's name, the demo user's password-hash cost (MYSTOCKS_SCRYPT), the Node
// version that runs the seed, the migrations, the seed's own code (seed.ts and every module it imports at run time,
// followed file by file) and the versions of the packages that code imports. Any change there is another key, so a
// stale template is never used; it is simply not found. The clock is not an input: the seed reads no date (a fixed
// calendar, created_at from its last trading day; postgres-template.test.ts runs it under two mocked clocks). The
// one time a template keeps is schema_migrations.applied_at, when the template was built; nothing reads it.
//
// Where: $XDG_CACHE_HOME/mystocks-harness/pg-template/<hash> (~/.cache/... when XDG_CACHE_HOME is unset). The user's
// cache, not the checkout: a template is about 75 MB, survives `npm ci` (which empties node_modules/.cache) and is
// shared by every checkout and worktree on the machine, which is safe because the key holds every input. Like any
// XDG cache it may be deleted at any time: a missing template is built again. Templates unused for a week are
// removed when a new one is built.
//
// Two starts at once: each builds into its own `.build-<pid>-<start>-*` folder beside the templates and publishes it
// with one rename(2) to `<hash>`; the rename of a folder onto a non-empty one fails, so the first rename wins, the
// loser removes its copy and uses the winner's. A folder named by its hash is therefore always complete: a half-built
// template (a crash, a Ctrl-C) stays under its `.build-` name, is never used, and is removed by the next build once
// its process is gone.

import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { harnessCacheRoot } from '../cache-dir.ts';
import { runCommand } from '../process.ts';
import { isSameProcessAlive, processStartTicks } from '../state.ts';
import { onTeardown } from '../teardown.ts';

/** Bump when the way a template is built changes in a way the other inputs do not show. */
export const TEMPLATE_FORMAT = 1;

/** Everything that decides a template's contents; its hash names the template. */
export interface TemplateInputs {
  format: number;
  /** `postgres --version` */
  postgres: string;
  /** initdb's options (the data directory aside) and the locale it runs in. */
  initdb: readonly string[];
  locale: string;
  database: string;
  /** MYSTOCKS_SCRYPT of the seed: the demo user's password hash depends on it (null: the service's default). */
  scrypt: string | null;
  /** The Node version that runs the seed (generated data, number formatting). */
  node: string;
  /** sha256 of each migration and of each module of the seed's code, by path relative to the db folder. */
  sources: Record<string, string>;
  /** Version of each package the seed's code imports at run time. */
  packages: Record<string, string>;
}

/** A template as a start found or made it. */
export interface TemplateUse {
  hash: string;
  /** The template's folder; its data directory is `data/` inside. */
  dir: string;
  /** True when this start built and published it; false when it was there already (or another start won). */
  built: boolean;
}

/** The template's name: the first 16 hex digits (64 bits) of the sha256 of its inputs in a fixed key order. */
export function templateHash(inputs: TemplateInputs): string {
  const canonical = JSON.stringify(inputs, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/**
 * The seed's inputs as files: every file in `<dbDir>/migrations/`, and `<dbDir>/seed.ts` with the modules it imports
 * at run time, followed by relative import (type-only imports have no run-time effect and are not followed); the
 * packages those modules import are recorded by the version installed beside them.
 */
export function seedSources(dbDir: string): Pick<TemplateInputs, 'sources' | 'packages'> {
  const sources: Record<string, string> = {};
  const packages: Record<string, string> = {};
  const digest = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
  for (const name of readdirSync(join(dbDir, 'migrations')).sort()) {
    sources[`migrations/${name}`] = digest(readFileSync(join(dbDir, 'migrations', name)));
  }
  const queue = [join(dbDir, 'seed.ts')];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    const key = relative(dbDir, file);
    if (key in sources) continue;
    if (!existsSync(file)) {
      sources[key] = 'missing'; // an import the scan misread: the key still changes with it, the start goes on
      continue;
    }
    const text = readFileSync(file, 'utf8');
    sources[key] = digest(text);
    for (const specifier of runtimeImports(text)) {
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:')) {
        const name = packageName(specifier);
        packages[name] = installedVersion(name, dirname(file));
      }
    }
  }
  return { sources, packages };
}

/**
 * The specifiers a module imports at run time: `import ... from 'x'`, `export ... from 'x'`, `import 'x'` and
 * `import('x')`, less whole statements that are `import type` / `export type`. A text scan, not a parser: enough
 * for the service's own modules, which keep to these forms (and a miss would only widen the key, never reuse a
 * stale template, as long as the missed module is not the only one changed).
 */
export function runtimeImports(text: string): string[] {
  const found: string[] = [];
  const statement = /(?:^|[\n;])\s*(import|export)(\s+type)?\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g;
  for (const match of text.matchAll(statement)) if (!match[2] && match[3]) found.push(match[3]);
  for (const match of text.matchAll(/(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]/g)) if (match[1]) found.push(match[1]);
  for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) if (match[1]) found.push(match[1]);
  return found;
}

/** `pg` of `pg`, `pg/lib/x`; `@scope/name` of `@scope/name/sub`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** The version of the package Node would load from `fromDir` (node_modules up the tree), or "not installed". */
function installedVersion(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest))
      return String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version);
    if (dirname(dir) === dir) return 'not installed';
  }
}

/** The templates' folder: $XDG_CACHE_HOME/mystocks-harness/pg-template, ~/.cache/... by default. */
export function templateCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(harnessCacheRoot(env), 'pg-template');
}

const BUILD_PREFIX = '.build-';
const TRASH_PREFIX = '.trash-';
/** Touched at each use; a template whose stamp is older than UNUSED_MS is removed when another is built. */
const LAST_USED = 'last-used';
const UNUSED_MS = 7 * 24 * 3600 * 1000;

/**
 * The template for `inputs`: the cached one, or one `build` makes now. `build(dataDir)` must create `dataDir` (it
 * does not exist yet) and fill it completely; it runs inside a private `.build-*` folder that is published whole.
 */
export async function ensureTemplate(
  root: string,
  inputs: TemplateInputs,
  build: (dataDir: string) => Promise<void>,
): Promise<TemplateUse> {
  const hash = templateHash(inputs);
  const dir = join(root, hash);
  if (existsSync(dir)) return used({ hash, dir, built: false });
  mkdirSync(root, { recursive: true });
  removeAbandoned(root);
  const building = mkdtempSync(join(root, `${BUILD_PREFIX}${ownerTag()}-`));
  const remove = () => rmSync(building, { recursive: true, force: true, maxRetries: 3 });
  const unregister = onTeardown('postgres template build', async () => remove());
  try {
    await build(join(building, 'data'));
    writeFileSync(join(building, 'inputs.json'), `${JSON.stringify(inputs, null, 2)}\n`);
    writeFileSync(join(building, LAST_USED), '');
    // On disk before it is visible under its name: a crash after the rename must not leave a torn template that
    // every later start would copy (the build's PostgreSQL ran with fsync off). syncfs(2) of the cache's file system.
    await runCommand('sync', ['-f', building]);
    try {
      renameSync(building, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      remove(); // another start published the same template first: use it
      return used({ hash, dir, built: false });
    }
    pruneUnused(root, hash);
    return { hash, dir, built: true };
  } catch (error) {
    remove();
    throw error;
  } finally {
    unregister();
  }
}

/**
 * Copies a data directory to `to` (which must not exist) with owner, modes and times kept, reflinked where the file
 * system can: into a template, and out of it for each start.
 */
export async function copyDataDir(from: string, to: string): Promise<void> {
  // cp -a, not fs.cp: as root the files must stay the postgres user's, and fs.cp keeps no owner.
  await runCommand('cp', ['-a', '--reflink=auto', from, to], { timeoutMs: 120_000 });
}

function used(template: TemplateUse): TemplateUse {
  const now = new Date();
  try {
    utimesSync(join(template.dir, LAST_USED), now, now);
  } catch {
    // a read-only cache still serves; the stamp only decides what a later build may prune
  }
  return template;
}

/** `<pid>-<start ticks>` of this process: a folder's owner, told apart from a later process given the same PID. */
function ownerTag(): string {
  return `${process.pid}-${processStartTicks(process.pid) ?? 0}`;
}

/** Removes `.build-` and `.trash-` folders whose process is gone (a killed build, an interrupted prune). */
function removeAbandoned(root: string): void {
  for (const name of readdirSync(root)) {
    const owner = new RegExp(`^(?:${BUILD_PREFIX}|${TRASH_PREFIX})(\\d+)-(\\d+)-`).exec(name);
    if (owner && !isSameProcessAlive(Number(owner[1]), Number(owner[2]) || undefined)) {
      rmSync(join(root, name), { recursive: true, force: true });
    }
  }
}

/** Removes the templates other than `keep` not used for a week; renamed away first, so none is ever half there. */
function pruneUnused(root: string, keep: string): void {
  for (const name of readdirSync(root)) {
    if (name === keep || name.startsWith('.')) continue;
    try {
      if (Date.now() - statSync(join(root, name, LAST_USED)).mtimeMs < UNUSED_MS) continue;
      const trash = join(root, `${TRASH_PREFIX}${ownerTag()}-${name}`);
      renameSync(join(root, name), trash);
      rmSync(trash, { recursive: true, force: true });
    } catch {
      // not a template of ours, or another start pruned it first
    }
  }
}
