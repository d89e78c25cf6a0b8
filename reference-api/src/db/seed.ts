// Loads the deterministic seed (domain/seed-data.ts) in bulk: one INSERT ... SELECT FROM unnest(arrays)
// per chunk of rows, so ~50k bars and ~50k fund flows load in seconds. Seeding twice gives identical rows:
// identities restart, the demo user's password salt is derived from the username, timestamps are fixed.

import { createHash } from 'node:crypto';
import pg from 'pg';
import { generateSeedData } from '../domain/seed-data.ts';
import type { SeedData } from '../domain/types.ts';
import { hashPassword } from '../plugins/app/passwords.ts';
import { migrate } from './migrate.ts';

/** Advisory lock key held while migrating and seeding ('mystocks' in ASCII, fits a bigint). */
export const SCHEMA_LOCK_KEY = 0x6d7973746f636bn;
const CHUNK = 10_000;

/** Every table the seed fills, children first (TRUNCATE order does not matter with CASCADE). */
const SEED_TABLES = [
  'alert_rules',
  'positions',
  'sessions',
  'users',
  'fund_flows',
  'index_bars',
  'bars',
  'trading_days',
  'market_indices',
  'securities',
];

/** The column a row field is stored in: its name in snake_case (`mainNetInflow` -> `main_net_inflow`). */
const columnOf = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * Inserts `rows` into `table`, CHUNK rows per statement: each key of `columns` is a field of the rows, stored in
 * its snake_case column (columnOf) as that PostgreSQL type, in the order `columns` gives.
 */
async function insertRows<Row extends object>(
  client: pg.ClientBase,
  table: string,
  rows: readonly Row[],
  columns: Partial<Record<keyof Row & string, string>>,
): Promise<void> {
  const fields = Object.keys(columns) as (keyof Row & string)[];
  const names = fields.map(columnOf).join(', ');
  const unnest = fields.map((field, i) => `$${i + 1}::${columns[field]}[]`).join(', ');
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const params = fields.map((field) => chunk.map((row) => row[field]));
    await client.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest})`, params);
  }
}

/** The columns of a daily bar after its key (bars.symbol, index_bars.code). */
const BAR_COLUMNS = {
  date: 'date',
  open: 'numeric',
  high: 'numeric',
  low: 'numeric',
  close: 'numeric',
  volume: 'bigint',
  amount: 'numeric',
} as const;

/** Fills empty tables with `data` (in one transaction). */
export async function loadSeed(client: pg.ClientBase, data: SeedData = generateSeedData()): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`TRUNCATE ${SEED_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    await insertRows(client, 'securities', data.securities, {
      symbol: 'text',
      name: 'text',
      sector: 'text',
      industry: 'text',
    });
    await insertRows(client, 'market_indices', data.indices, { code: 'text', name: 'text' });
    await insertRows(
      client,
      'trading_days',
      data.tradingDays.map((date) => ({ date })),
      { date: 'date' },
    );
    await insertRows(client, 'bars', data.bars, { symbol: 'text', ...BAR_COLUMNS });
    // An index bar carries its index code in `symbol`; the table calls that column `code`.
    const indexBars = data.indexBars.map(({ symbol, ...bar }) => ({ code: symbol, ...bar }));
    await insertRows(client, 'index_bars', indexBars, { code: 'text', ...BAR_COLUMNS });
    await insertRows(client, 'fund_flows', data.fundFlows, {
      symbol: 'text',
      date: 'date',
      mainNetInflow: 'numeric',
      retailNetInflow: 'numeric',
    });
    const { username, password, displayName } = data.demoUser;
    // A fixed salt for the seeded user only (registered users get random salts): same seed, same rows.
    const salt = createHash('sha256').update(`mystocks-seed:${username}`).digest().subarray(0, 16);
    const createdAt = `${data.tradingDays.at(-1)}T00:00:00Z`;
    const user = await client.query<{ id: number }>(
      'INSERT INTO users (username, password_hash, display_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
      [username, await hashPassword(password, salt), displayName, createdAt],
    );
    const userId = user.rows[0]!.id;
    await insertRows(
      client,
      'positions',
      data.positions.map((position) => ({ userId, ...position })),
      { userId: 'int', symbol: 'text', quantity: 'int', costPrice: 'numeric' },
    );
    await insertRows(
      client,
      'alert_rules',
      data.alertRules.map((rule) => ({ userId, ...rule, createdAt })),
      { userId: 'int', symbol: 'text', metric: 'text', threshold: 'numeric', createdAt: 'timestamptz' },
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** What prepareDatabase did. */
export interface PrepareResult {
  migrations: string[];
  seeded: boolean;
}

/**
 * Start-up step: migrations, then the seed (`auto`: only into an empty database; `reset`: always;
 * `off`: never), all under one advisory lock so concurrent instances take turns.
 */
export async function prepareDatabase(databaseUrl: string, mode: 'auto' | 'reset' | 'off'): Promise<PrepareResult> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query('SET lock_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY.toString()]);
    try {
      const migrations = await migrate(client);
      let seeded = false;
      if (mode !== 'off') {
        const empty = (await client.query('SELECT NOT EXISTS (SELECT 1 FROM securities) AS empty')).rows[0].empty;
        if (mode === 'reset' || empty) {
          await loadSeed(client);
          seeded = true;
        }
      }
      return { migrations, seeded };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY.toString()]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}
