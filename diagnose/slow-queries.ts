// Slow statements of the judged window, from PostgreSQL's pg_stat_statements: reset at the window's start,
// read at its end. The top statements by total and by mean time, each mapped to the `operation` label of
// db_query_duration_seconds (the reference service puts `/* operation=NAME */` before every statement, and
// pg_stat_statements keeps that comment), and for the worst few an EXPLAIN plan with a plain-words hint when
// the plan scans a large table sequentially.
//
// EXPLAIN without ANALYZE: the statement is planned, never run. pg_stat_statements stores statements with
// their constants replaced by $1, $2...; PostgreSQL 15 cannot EXPLAIN those directly (GENERIC_PLAN is 16+),
// so the statement is PREPAREd and its generic plan (plan_cache_mode = force_generic_plan) explained with NULL
// arguments, inside a transaction that is rolled back.
import pg from 'pg';

/** A table with at least this many rows is large: a sequential scan over it deserves an index hint. */
export const LARGE_TABLE_ROWS = 10_000;
/** Statements listed per ranking, and statements explained. */
export const TOP_STATEMENTS = 5;
export const EXPLAINED_STATEMENTS = 3;
const TIMEOUT_MS = 5_000;

/** One statement's figures over the window. */
export interface StatementStats {
  queryId: string;
  /** The `operation` label this statement is timed under, when its text names it. */
  operation: string | null;
  /** Normalised text (constants as $1...), without the operation comment. */
  query: string;
  calls: number;
  rows: number;
  totalMs: number;
  meanMs: number;
  /** Share of the window's database execution time (0-1). */
  shareOfDbTime: number;
}

/** What a plan says about one sequential scan over a large table. */
export interface PlanHint {
  relation: string;
  /** The table's row count (pg_class.reltuples). */
  tableRows: number;
  filter: string | null;
  /** Plain words: what the plan does and why it is slow. */
  text: string;
  /** An index that would serve the scan's filter, or null when the scan has no filter to serve. */
  createIndex: string | null;
}

/** The plan of one of the worst statements. */
export interface ExplainedStatement {
  queryId: string;
  operation: string | null;
  /** EXPLAIN's text output. */
  plan: string[];
  hints: PlanHint[];
  /** Why there is no plan (a statement that cannot be prepared, a write). */
  problem?: string;
}

/** The slow-statement section of a diagnosis. */
export type SlowQuerySection =
  | { status: 'skipped'; reason: string }
  | {
      status: 'read';
      /** When the statistics were last reset (the window's start), ISO 8601. */
      since: string | null;
      totalDbMs: number;
      byTotal: StatementStats[];
      byMean: StatementStats[];
      explained: ExplainedStatement[];
    };

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: TIMEOUT_MS,
    statement_timeout: TIMEOUT_MS,
    query_timeout: TIMEOUT_MS + 1_000,
    application_name: 'mystocks-harness-diagnose',
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

function reasonOf(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e.code === '42501') return `the role may not read or reset pg_stat_statements (${e.message})`;
  if (e.code === '55000' || /shared_preload_libraries/.test(e.message ?? '')) {
    return 'pg_stat_statements is not loaded (shared_preload_libraries = pg_stat_statements, then restart)';
  }
  return e.message ?? String(error);
}

/**
 * Starts the window: creates the extension where the role may, and resets the statistics. Resolves with
 * undefined on success, or the reason the section will be skipped.
 */
export async function resetStatementStats(url: string): Promise<string | undefined> {
  let client: pg.Client | undefined;
  try {
    client = await connect(url);
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => {});
    await client.query('SELECT pg_stat_statements_reset()');
    return undefined;
  } catch (error) {
    return reasonOf(error);
  } finally {
    await client?.end().catch(() => {});
  }
}

const OPERATION = /^\/\* operation=(.+?) \*\/\s*/;

/** Ends the window: reads the statistics since the reset and explains the worst statements. Never throws. */
export async function readSlowStatements(url: string | undefined): Promise<SlowQuerySection> {
  if (url === undefined) {
    return {
      status: 'skipped',
      reason:
        'no PostgreSQL URL: give one whose role may read pg_stat_statements (pg_read_all_stats) to see slow statements',
    };
  }
  let client: pg.Client | undefined;
  try {
    client = await connect(url);
    // Only this database's statements; the harness's own (this module, the seed) are left out.
    const { rows } = await client.query<{
      queryid: string;
      query: string;
      calls: string;
      rows: string;
      total: number;
      mean: number;
    }>(
      `SELECT queryid::text AS queryid, query, calls::text, rows::text, total_exec_time AS total, mean_exec_time AS mean
         FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND query NOT ILIKE '%pg_stat_statements%'
          AND query !~* '^\\s*(EXPLAIN|PREPARE|DEALLOCATE|BEGIN|COMMIT|ROLLBACK|SET)\\b'`,
    );
    const since = await client
      .query<{ stats_reset: Date }>('SELECT stats_reset FROM pg_stat_statements_info')
      .then((r) => r.rows[0]?.stats_reset.toISOString() ?? null)
      .catch(() => null);
    const totalDbMs = rows.reduce((sum, row) => sum + row.total, 0);
    const stats: StatementStats[] = rows.map((row) => {
      const operation = OPERATION.exec(row.query)?.[1] ?? null;
      return {
        queryId: row.queryid,
        operation,
        query: row.query.replace(OPERATION, '').replace(/\s+/g, ' ').trim(),
        calls: Number(row.calls),
        rows: Number(row.rows),
        totalMs: round(row.total),
        meanMs: round(row.mean),
        shareOfDbTime: totalDbMs > 0 ? round(row.total / totalDbMs, 4) : 0,
      };
    });
    const byTotal = [...stats].sort((a, b) => b.totalMs - a.totalMs).slice(0, TOP_STATEMENTS);
    const byMean = [...stats].sort((a, b) => b.meanMs - a.meanMs).slice(0, TOP_STATEMENTS);
    const worst = byTotal.slice(0, EXPLAINED_STATEMENTS);
    const texts = new Map(rows.map((row) => [row.queryid, row.query]));
    const explained: ExplainedStatement[] = [];
    for (const statement of worst) explained.push(await explain(client, statement, texts.get(statement.queryId)!));
    return { status: 'read', since, totalDbMs: round(totalDbMs), byTotal, byMean, explained };
  } catch (error) {
    return { status: 'skipped', reason: reasonOf(error) };
  } finally {
    await client?.end().catch(() => {});
  }
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

async function explain(client: pg.Client, statement: StatementStats, text: string): Promise<ExplainedStatement> {
  const base = { queryId: statement.queryId, operation: statement.operation };
  if (!/^\s*(\/\*.*?\*\/\s*)?(SELECT|WITH)\b/is.test(text)) {
    return { ...base, plan: [], hints: [], problem: 'not a SELECT: not explained' };
  }
  const parameters = Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  const args = parameters === 0 ? '' : `(${Array(parameters).fill('NULL').join(', ')})`;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
    await client.query(`PREPARE harness_diagnose AS ${text}`);
    const textPlan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE harness_diagnose${args}`);
    const jsonPlan = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) EXECUTE harness_diagnose${args}`,
    );
    const hints: PlanHint[] = [];
    for (const node of seqScans(jsonPlan.rows[0]!['QUERY PLAN'][0].Plan)) {
      const hint = await hintFor(client, node);
      if (hint) hints.push(hint);
    }
    return { ...base, plan: textPlan.rows.map((row) => row['QUERY PLAN']), hints };
  } catch (error) {
    return { ...base, plan: [], hints: [], problem: `could not explain: ${(error as Error).message}` };
  } finally {
    // A prepared statement outlives the transaction that made it.
    await client.query('ROLLBACK').catch(() => {});
    await client.query('DEALLOCATE ALL').catch(() => {});
  }
}

function* seqScans(node: PlanNode): Generator<PlanNode> {
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) yield node;
  for (const child of node.Plans ?? []) yield* seqScans(child);
}

/** A hint for a sequential scan over a large table, or undefined for a small one. */
async function hintFor(client: pg.Client, node: PlanNode): Promise<PlanHint | undefined> {
  const relation = node['Relation Name']!;
  const alias = node.Alias ?? relation;
  const info = await client.query<{ reltuples: number; columns: string[] }>(
    `SELECT c.reltuples::float8 AS reltuples,
            array(SELECT attname::text FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped) AS columns
       FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [relation],
  );
  const row = info.rows[0];
  if (!row) return undefined;
  let tableRows = row.reltuples;
  // Never analysed (-1): count, within the statement timeout.
  if (tableRows < 0) {
    const counted = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteIdent(relation)}`);
    tableRows = Number(counted.rows[0]!.n);
  }
  if (tableRows < LARGE_TABLE_ROWS) return undefined;
  const filter = node.Filter ?? null;
  const scan = `Sequential scan of ${relation} (about ${Math.round(tableRows)} rows)`;
  if (filter === null) {
    return {
      relation,
      tableRows,
      filter,
      text: `${scan} with no filter: it reads the whole table.`,
      createIndex: null,
    };
  }
  const parts = indexParts(filter, alias, row.columns);
  if (parts.length === 0) {
    return { relation, tableRows, filter, text: `${scan}, filtered by ${filter}.`, createIndex: null };
  }
  const indexes = await client.query<{ name: string; leading: string }>(
    `SELECT i.indexrelid::regclass::text AS name, a.attname::text AS leading
       FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
      WHERE i.indrelid = to_regclass($1)`,
    [relation],
  );
  const wrapped = parts.filter((part) => part.cast !== undefined);
  const defeated = indexes.rows.find((index) => wrapped.some((part) => part.column === index.leading));
  const columns = parts.map((part) => part.column).join(', ');
  const text = defeated
    ? `${scan}, filtered by ${filter}. The index ${defeated.name} leads with ${defeated.leading}, but the filter ` +
      `compares ${defeated.leading}::${wrapped.find((p) => p.column === defeated.leading)!.cast}, which that index ` +
      'cannot serve: compare the column as declared, or index the expression.'
    : `${scan}, filtered by ${filter}: no index serves ${columns}.`;
  const keys = parts.map((part) => (part.cast ? `(${part.column}::${part.cast})` : part.column)).join(', ');
  return { relation, tableRows, filter, text, createIndex: `CREATE INDEX ON ${quoteIdent(relation)} (${keys});` };
}

/**
 * The scanned table's columns a filter compares, equality comparisons first (an index serves an equality
 * prefix, then one range), each with the cast the filter puts on it. EXPLAIN writes the scanned table's
 * columns bare or as alias.column, a cast one as (column)::type; another table's as other.column.
 */
export function indexParts(filter: string, alias: string, columns: string[]): { column: string; cast?: string }[] {
  const parts: { column: string; cast?: string; equality: boolean }[] = [];
  const reference = new RegExp(`(\\()?(?<![\\w.:])(?:${escapeRegExp(alias)}\\.)?(\\w+)(\\))?(?:::(\\w+))?`, 'g');
  for (const match of filter.matchAll(reference)) {
    const column = match[2]!;
    if (!columns.includes(column) || parts.some((part) => part.column === column)) continue;
    const cast = match[1] && match[3] ? match[4] : undefined;
    const after = filter.slice((match.index ?? 0) + match[0].length);
    const before = filter.slice(0, match.index ?? 0);
    // Either side of an `=` (not <=, >=, <>, !=).
    const equality = /^\s*=/.test(after) || /(?<![<>!])=\s*$/.test(before);
    parts.push(cast === undefined ? { column, equality } : { column, cast, equality });
  }
  return parts
    .sort((a, b) => Number(b.equality) - Number(a.equality))
    .map(({ column, cast }) => (cast === undefined ? { column } : { column, cast }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}
