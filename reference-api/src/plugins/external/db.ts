// PostgreSQL access: one pg.Pool whose every query is named (the `operation` label) and timed into
// db_query_duration_seconds / slow_db_queries_total; pool gauges are read at scrape time.

import pg from 'pg';
import { Gauge } from 'prom-client';
import { DependencyUnavailableError } from '../../errors.ts';
import { type Metrics, SLOW_DB_SECONDS } from '../app/metrics.ts';

// numeric and bigint come back as strings by default; the seed's values fit doubles exactly enough
// (prices with 4 decimals, money with 2, volumes < 2^53), and dates stay 'YYYY-MM-DD' strings.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 1700 || oid === 20) return (value: string) => Number(value);
    if (oid === 1082) return (value: string) => value;
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept a union format argument
    return pg.types.getTypeParser(oid, format as any);
  },
};

/**
 * The statement with its operation name as a leading comment. PostgreSQL's pg_stat_statements keeps the text
 * as sent, comment included, so the harness's slow-statement report can name each statement's operation
 * (the `operation` label of db_query_duration_seconds). Names are fixed strings; a comment terminator in one is defused anyway.
 */
export function tagged(operation: string, text: string): string {
  return `/* operation=${operation.replaceAll('*/', '* /')} */ ${text}`;
}

/**
 * SQLSTATE classes and codes that mean the server cannot serve us, not that our statement was wrong: 08
 * (connection exception), 53 (insufficient resources: too many connections, out of memory or disk), 57P01..03
 * (shut down by an administrator, crash, still starting), 57014 (cancelled: the statement ran past the request's
 * deadline, statement_timeout). The rest (22 data exception, 23 constraint...) are the statement's own fault,
 * which the schemas exist to prevent, and stay 500s that must be fixed.
 */
function isUnavailable(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? '';
    return code.startsWith('08') || code.startsWith('53') || /^57P0[123]$/.test(code) || code === '57014';
  }
  // Errors raised outside PostgreSQL's answer: the socket's (refused, reset, timed out) and pg's own for a lost
  // or never-made connection, and for a server that did not answer in time.
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) ||
    (typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message))
  );
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Client was closed|Connection ended/;

/** `operation` label of the health ping (GET /readyz), which the DB latency SLO leaves out and uses as control. */
export const PING_OPERATION = 'health.ping';

/** A client inside a transaction (see Db.transaction). */
export interface Tx {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    operation: string,
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** The database handle routes and repositories use. */
export class Db implements Tx {
  readonly pool: pg.Pool;
  /**
   * One connection of its own for the health ping, outside the pool: its `SELECT 1` never queues behind the
   * service's own queries, so its latency is PostgreSQL's and the machine's round trip alone. That makes it
   * the control of the DB latency SLO (slo-config.yaml): it rises when the machine is saturated, not when the
   * service's queries are slow or its pool is exhausted.
   */
  readonly #pingPool: pg.Pool;
  readonly #metrics: Metrics;

  /**
   * `timeoutMs` is the request's database deadline (config dbTimeoutMs, 5 s): the longest wait for a pooled
   * connection, and for a statement. PostgreSQL cancels a statement at timeoutMs - 500 ms (statement_timeout,
   * SQLSTATE 57014: the connection stays usable); a server that does not answer at all (hung, paused, cut off)
   * is given up on at timeoutMs (pg's query_timeout, "Query read timeout": the pool drops that connection).
   * Both are 503s (isUnavailable), so a request in flight when PostgreSQL stops answering gets its 503 as soon
   * as a new one does, not after the 20 s query_timeout this used to have.
   */
  constructor(connectionString: string, metrics: Metrics, { max = 10, timeoutMs = 5_000 } = {}) {
    this.#metrics = metrics;
    const options = {
      connectionString,
      connectionTimeoutMillis: timeoutMs,
      idleTimeoutMillis: 30_000,
      statement_timeout: Math.max(100, timeoutMs - 500),
      query_timeout: timeoutMs,
      application_name: 'mystocks-reference-api',
      types,
    };
    this.pool = new pg.Pool({ ...options, max });
    this.#pingPool = new pg.Pool({ ...options, max: 1 });
    // An idle client losing its server (PostgreSQL restarted) must not crash the process.
    this.pool.on('error', () => {});
    this.#pingPool.on('error', () => {});
    const registers = [metrics.registry];
    const pool = this.pool;
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL connections the pool holds (idle and in use)',
      registers,
      collect() {
        this.set(pool.totalCount);
      },
    });
    new Gauge({
      name: 'db_pool_idle_connections',
      help: 'Idle PostgreSQL connections in the pool',
      registers,
      collect() {
        this.set(pool.idleCount);
      },
    });
    new Gauge({
      name: 'db_pool_waiting_requests',
      help: 'Queries waiting for a pooled connection',
      registers,
      collect() {
        this.set(pool.waitingCount);
      },
    });
  }

  /** Runs one statement; `operation` is a fixed name such as 'quotes.latest' (bounded label values). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    operation: string,
    text: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    return this.#timed(operation, () => this.pool.query<R>(tagged(operation, text), params));
  }

  /** `SELECT 1` on the ping connection, timed as operation `health.ping` (the DB latency SLO's control). */
  async ping(): Promise<void> {
    await this.#timed(PING_OPERATION, () => this.#pingPool.query(tagged(PING_OPERATION, 'SELECT 1')));
  }

  /** Runs `work` in a transaction on one client; its queries are timed like any other. */
  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw new DependencyUnavailableError('database', error);
    });
    const tx: Tx = {
      query: <R extends pg.QueryResultRow>(operation: string, text: string, params: unknown[] = []) =>
        this.#timed(operation, () => client.query<R>(tagged(operation, text), params)),
    };
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async #timed<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await run();
    } catch (error) {
      throw isUnavailable(error) ? new DependencyUnavailableError('database', error) : error;
    } finally {
      const seconds = (performance.now() - start) / 1000;
      this.#metrics.dbDuration.observe({ operation }, seconds);
      if (seconds > SLOW_DB_SECONDS) this.#metrics.dbSlow.inc({ operation });
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.#pingPool.end()]);
  }
}
