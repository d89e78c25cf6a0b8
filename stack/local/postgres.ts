import { chownSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { cacheWritable } from '../cache-dir.ts';
import { findBinary, lookupUser, type ManagedProcess, runCommand } from '../process.ts';
import { LocalServiceBuilder, type LocalServiceOptions } from './local-process.ts';
import {
  copyDataDir,
  ensureTemplate,
  seedSources,
  TEMPLATE_FORMAT,
  type TemplateUse,
  templateCacheRoot,
} from './postgres-template.ts';
import { serviceEnvironment } from './service-env.ts';
import { StartedLocalService } from './started-service.ts';
import type { WorkDir } from './workdir.ts';

const POSTGRES_BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
const INSTALL_HINT = 'install PostgreSQL (scripts/setup.sh)';
/** initdb's options besides the data directory (a template's key holds them). */
const INITDB_OPTIONS = ['-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'];
/** initdb and postgres run in this locale, whatever the harness's: nothing else of the machine's reaches them. */
const LOCALE = 'C.UTF-8';
/** The reference service's start-up step (migrations, then the seed) that a template runs once. */
const SEED_MODULE = fileURLToPath(new URL('../../reference-api/src/db/seed.ts', import.meta.url));

/** A PostgreSQL server started as a child process; its connection URI names the database it created. */
export interface StartedLocalPostgres extends AsyncDisposable {
  readonly connectionUri: string;
  readonly port: number;
  readonly process: ManagedProcess;
  /** The cluster's data directory (in the work directory, removed on stop). */
  readonly dataDir: string;
  /** The template the data directory was copied from; undefined when initdb made it. */
  readonly template: TemplateUse | undefined;
  stop(): Promise<void>;
}

/** How a started PostgreSQL gets a database the reference service finds migrated and seeded. */
export interface SeededTemplateOptions {
  /** MYSTOCKS_SCRYPT of the service that will use the database: the seeded demo user's password hash depends on it. */
  scrypt?: string | undefined;
  /** The templates' folder; templateCacheRoot() by default (tests give a temp folder). */
  cacheDir?: string;
}

export interface LocalPostgresOptions extends LocalServiceOptions {
  /** The database created in the cluster; `mystocks` by default. */
  database?: string | undefined;
  /**
   * The database already migrated and seeded, as the reference service's first start would leave it
   * (`MYSTOCKS_SEED` auto), copied from a cached template (postgres-template.ts) that initdb, the migrations and
   * the seed filled once; the service then finds nothing to do. Without it, or with HARNESS_PG_TEMPLATE=off or a
   * cache folder that cannot be written, the cluster starts from initdb and an empty database.
   */
  seededTemplate?: SeededTemplateOptions | undefined;
}

/**
 * Builder for a throwaway PostgreSQL cluster: initdb in a temp directory (or a copy of a seeded template, see
 * LocalPostgresOptions.seededTemplate), postgres on a free loopback port, one database. As root it runs as the
 * `postgres` user, since postgres refuses to run as root.
 */
export class LocalPostgres extends LocalServiceBuilder<LocalPostgresOptions> {
  start(): Promise<StartedLocalPostgres> {
    const postgres = findBinary('postgres', POSTGRES_BIN_DIRS, INSTALL_HINT);
    const owner = process.getuid?.() === 0 ? lookupUser('postgres') : undefined;
    if (process.getuid?.() === 0 && !owner) {
      return Promise.reject(new Error('running as root, but there is no postgres user to run PostgreSQL as'));
    }
    // The allow-listed environment (service-env.ts) in a fixed locale: initdb and postgres need nothing else.
    const env = serviceEnvironment({ set: { LC_ALL: LOCALE, LANG: LOCALE } });
    const { database = 'mystocks' } = this.options;
    const template = templateOptions(this.options.seededTemplate);
    let fromTemplate: TemplateUse | undefined;
    return this.launch({
      name: 'postgres',
      command: postgres,
      owner,
      env: () => env,
      prepare: async ({ workDir }) => {
        const socketDir = join(workDir.path, 'sock');
        mkdirSync(socketDir);
        if (owner) chownSync(socketDir, owner.uid, owner.gid);
        const dataDir = join(workDir.path, 'data');
        if (template) {
          fromTemplate = await seededTemplate(postgres, database, template);
          await copyDataDir(join(fromTemplate.dir, 'data'), dataDir);
        } else {
          const initdb = findBinary('initdb', POSTGRES_BIN_DIRS, INSTALL_HINT);
          await runCommand(initdb, ['-D', dataDir, ...INITDB_OPTIONS], { ...(owner ?? {}), env, cwd: workDir.path });
        }
      },
      // fsync and friends off: a test database is rebuilt from migrations and seed, never recovered.
      args: ({ port, workDir }) => [
        '-D',
        join(workDir.path, 'data'),
        '-p',
        String(port),
        '-k',
        join(workDir.path, 'sock'),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
        // Statement statistics for the diagnosis of a failed run (diagnose/slow-queries.ts).
        '-c',
        'shared_preload_libraries=pg_stat_statements',
      ],
      // SIGTERM is postgres' "smart" shutdown, which waits for clients to leave; SIGINT ("fast") ends them.
      stopSignal: 'SIGINT',
      startupTimeoutMs: 60_000,
      readyProbe: {
        probe: (port) => query(adminUri(port), 'SELECT 1').then(() => true),
        what: (port) => `PostgreSQL on 127.0.0.1:${port} to accept connections`,
      },
      started: (serverProcess, { port, workDir }) =>
        new StartedPostgres(serverProcess, port, database, workDir, fromTemplate),
      // A template holds the database already.
      afterReady: async (started) => {
        if (!started.template) await query(started.adminUri, `CREATE DATABASE "${database.replaceAll('"', '""')}"`);
      },
    });
  }
}

/** The template options in force: none when HARNESS_PG_TEMPLATE=off or the cache folder cannot be written. */
function templateOptions(
  options: SeededTemplateOptions | undefined,
): (SeededTemplateOptions & { cacheDir: string }) | undefined {
  if (options === undefined || process.env.HARNESS_PG_TEMPLATE === 'off') return undefined;
  const cacheDir = options.cacheDir ?? templateCacheRoot();
  return cacheWritable(cacheDir) ? { ...options, cacheDir } : undefined;
}

/** `postgres --version` per binary, asked once per process (a template's key holds it). */
const versions = new Map<string, Promise<string>>();

/** The seeded template for this PostgreSQL, database and password-hash cost: cached, or built now. */
async function seededTemplate(
  postgres: string,
  database: string,
  options: SeededTemplateOptions & { cacheDir: string },
): Promise<TemplateUse> {
  let version = versions.get(postgres);
  if (version === undefined) {
    version = runCommand(postgres, ['--version']).then(({ stdout }) => stdout.trim());
    version.catch(() => versions.delete(postgres));
    versions.set(postgres, version);
  }
  const inputs = {
    format: TEMPLATE_FORMAT,
    postgres: await version,
    initdb: INITDB_OPTIONS,
    locale: LOCALE,
    database,
    scrypt: options.scrypt ?? null,
    node: process.version,
    ...seedSources(dirname(SEED_MODULE)),
  };
  return ensureTemplate(options.cacheDir, inputs, (dataDir) => buildSeededData(database, options.scrypt, dataDir));
}

/**
 * Node code that runs the service's own start-up step, prepareDatabase(url, 'auto'), as its first start would:
 * argv[1] is seed.ts's URL, argv[2] the database's.
 */
const SEED_SCRIPT = `
const { prepareDatabase } = await import(process.argv[1]);
const result = await prepareDatabase(process.argv[2], 'auto');
if (!result.seeded) throw new Error('the template database was not empty: nothing seeded');
`;

/**
 * A template's data directory: a cluster from initdb with the database created (a plain LocalPostgres), migrated
 * and seeded by the service's start-up step in a Node child with the service's MYSTOCKS_SCRYPT (the cost is read
 * once per process, so not in this one), stopped cleanly (a shutdown checkpoint: a copy starts without recovery),
 * and copied to `target`.
 */
async function buildSeededData(database: string, scrypt: string | undefined, target: string): Promise<void> {
  await using server = await new LocalPostgres({ database }).start();
  await runCommand(
    process.execPath,
    ['--input-type=module', '-e', SEED_SCRIPT, pathToFileURL(SEED_MODULE).href, server.connectionUri],
    {
      // The API's allow-list less its own addresses; MYSTOCKS_* from the stack alone, as the API gets them.
      env: serviceEnvironment({ prefixes: ['NODE_'], set: scrypt === undefined ? {} : { MYSTOCKS_SCRYPT: scrypt } }),
      // As long as the API may take to start, which includes this step on an empty database.
      timeoutMs: 300_000,
    },
  ).catch((error: unknown) => {
    // runCommand's message starts with the whole command line, script included; keep what the child said.
    const said = error instanceof Error ? error.message.slice(error.message.indexOf(' failed: ') + 9) : String(error);
    throw new Error(`the PostgreSQL template's migrations and seed failed: ${said}`, { cause: error });
  });
  await server.process.stop();
  await copyDataDir(server.dataDir, target);
}

/** The maintenance database's URI, for the readiness probe and CREATE DATABASE. */
function adminUri(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

async function query(uri: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A started PostgreSQL: `url` is the connection URI of the database the builder created. */
class StartedPostgres extends StartedLocalService implements StartedLocalPostgres {
  readonly connectionUri: string;
  readonly adminUri: string;
  readonly dataDir: string;
  readonly template: TemplateUse | undefined;

  constructor(
    serverProcess: ManagedProcess,
    port: number,
    database: string,
    workDir: WorkDir,
    template: TemplateUse | undefined,
  ) {
    const connectionUri = `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    super(serverProcess, port, connectionUri, workDir);
    this.connectionUri = connectionUri;
    this.adminUri = adminUri(port);
    this.dataDir = join(workDir.path, 'data');
    this.template = template;
  }
}
