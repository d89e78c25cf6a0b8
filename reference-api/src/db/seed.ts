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

async function insertColumns(
  client: pg.ClientBase,
  table: string,
  columns: [name: string, pgType: string, values: unknown[]][],
): Promise<void> {
  const total = columns[0]![2].length;
  const names = columns.map((c) => c[0]).join(', ');
  const unnest = columns.map((c, i) => `$${i + 1}::${c[1]}[]`).join(', ');
  for (let start = 0; start < total; start += CHUNK) {
    const params = columns.map((c) => c[2].slice(start, start + CHUNK));
    await client.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest})`, params);
  }
}

/** Fills empty tables with `data` (in one transaction). */
export async function loadSeed(client: pg.ClientBase, data: SeedData = generateSeedData()): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`TRUNCATE ${SEED_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    const s = data.securities;
    await insertColumns(client, 'securities', [
      ['symbol', 'text', s.map((x) => x.symbol)],
      ['name', 'text', s.map((x) => x.name)],
      ['sector', 'text', s.map((x) => x.sector)],
      ['industry', 'text', s.map((x) => x.industry)],
    ]);
    await insertColumns(client, 'market_indices', [
      ['code', 'text', data.indices.map((x) => x.code)],
      ['name', 'text', data.indices.map((x) => x.name)],
    ]);
    await insertColumns(client, 'trading_days', [['date', 'date', data.tradingDays]]);
    for (const [table, key, bars] of [
      ['bars', 'symbol', data.bars],
      ['index_bars', 'code', data.indexBars],
    ] as const) {
      await insertColumns(client, table, [
        [key, 'text', bars.map((b) => b.symbol)],
        ['date', 'date', bars.map((b) => b.date)],
        ['open', 'numeric', bars.map((b) => b.open)],
        ['high', 'numeric', bars.map((b) => b.high)],
        ['low', 'numeric', bars.map((b) => b.low)],
        ['close', 'numeric', bars.map((b) => b.close)],
        ['volume', 'bigint', bars.map((b) => b.volume)],
        ['amount', 'numeric', bars.map((b) => b.amount)],
      ]);
    }
    const f = data.fundFlows;
    await insertColumns(client, 'fund_flows', [
      ['symbol', 'text', f.map((x) => x.symbol)],
      ['date', 'date', f.map((x) => x.date)],
      ['main_net_inflow', 'numeric', f.map((x) => x.mainNetInflow)],
      ['retail_net_inflow', 'numeric', f.map((x) => x.retailNetInflow)],
    ]);
    const { username, password, displayName } = data.demoUser;
    // A fixed salt for the seeded user only (registered users get random salts): same seed, same rows.
    const salt = createHash('sha256').update(`mystocks-seed:${username}`).digest().subarray(0, 16);
    const createdAt = `${data.tradingDays.at(-1)}T00:00:00Z`;
    const user = await client.query<{ id: number }>(
      'INSERT INTO users (username, password_hash, display_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
      [username, await hashPassword(password, salt), displayName, createdAt],
    );
    const userId = user.rows[0]!.id;
    const p = data.positions;
    await insertColumns(client, 'positions', [
      ['user_id', 'int', p.map(() => userId)],
      ['symbol', 'text', p.map((x) => x.symbol)],
      ['quantity', 'int', p.map((x) => x.quantity)],
      ['cost_price', 'numeric', p.map((x) => x.costPrice)],
    ]);
    const a = data.alertRules;
    await insertColumns(client, 'alert_rules', [
      ['user_id', 'int', a.map(() => userId)],
      ['symbol', 'text', a.map((x) => x.symbol)],
      ['metric', 'text', a.map((x) => x.metric)],
      ['threshold', 'numeric', a.map((x) => x.threshold)],
      ['created_at', 'timestamptz', a.map(() => createdAt)],
    ]);
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
