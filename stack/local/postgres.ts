import { chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { findBinary, lookupUser, type ManagedProcess, runCommand } from '../process.ts';
import { startLocalProcess } from './local-process.ts';
import { serviceEnvironment } from './service-env.ts';
import { StartedLocalService } from './started-service.ts';
import type { WorkDir } from './workdir.ts';

const POSTGRES_BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

/** A PostgreSQL server started as a child process; its connection URI names the database it created. */
export interface StartedLocalPostgres extends AsyncDisposable {
  readonly connectionUri: string;
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Builder for a throwaway PostgreSQL cluster: initdb in a temp directory, postgres on a free loopback port,
 * one database created. As root it runs as the `postgres` user, since postgres refuses to run as root.
 */
export class LocalPostgres {
  #database = 'mystocks';
  #port: number | undefined;
  #startupTimeoutMs = 60_000;

  withDatabase(name: string): this {
    this.#database = name;
    return this;
  }

  withPort(port: number): this {
    this.#port = port;
    return this;
  }

  withStartupTimeout(ms: number): this {
    this.#startupTimeoutMs = ms;
    return this;
  }

  start(): Promise<StartedLocalPostgres> {
    const initdb = findBinary('initdb', POSTGRES_BIN_DIRS, 'install PostgreSQL (scripts/setup.sh)');
    const postgres = findBinary('postgres', POSTGRES_BIN_DIRS, 'install PostgreSQL (scripts/setup.sh)');
    const owner = process.getuid?.() === 0 ? lookupUser('postgres') : undefined;
    if (process.getuid?.() === 0 && !owner) {
      return Promise.reject(new Error('running as root, but there is no postgres user to run PostgreSQL as'));
    }
    // The allow-listed environment (service-env.ts) in a fixed locale: initdb and postgres need nothing else.
    const env = serviceEnvironment({ set: { LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } });
    const database = this.#database;
    return startLocalProcess({
      name: 'postgres',
      command: postgres,
      port: this.#port,
      owner,
      env: () => env,
      prepare: async ({ workDir }) => {
        const socketDir = join(workDir.path, 'sock');
        mkdirSync(socketDir);
        if (owner) chownSync(socketDir, owner.uid, owner.gid);
        await runCommand(
          initdb,
          [
            '-D',
            join(workDir.path, 'data'),
            '-U',
            'postgres',
            '--auth=trust',
            '-E',
            'UTF8',
            '--no-sync',
            '--no-instructions',
          ],
          { ...(owner ?? {}), env, cwd: workDir.path },
        );
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
      readyProbe: {
        probe: (port) => query(adminUri(port), 'SELECT 1').then(() => true),
        what: (port) => `PostgreSQL on 127.0.0.1:${port} to accept connections`,
      },
      startupTimeoutMs: this.#startupTimeoutMs,
      started: (serverProcess, { port, workDir }) => new StartedPostgres(serverProcess, port, database, workDir),
      afterReady: (started) => query(started.adminUri, `CREATE DATABASE "${database.replaceAll('"', '""')}"`),
    });
  }
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

  constructor(serverProcess: ManagedProcess, port: number, database: string, workDir: WorkDir) {
    const connectionUri = `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    super(serverProcess, port, connectionUri, workDir);
    this.connectionUri = connectionUri;
    this.adminUri = adminUri(port);
  }
}
