// Migrations and seed: two instances starting together take turns under the advisory lock, and seeding
// twice gives identical rows.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { LocalPostgres } from '../../../stack/local/postgres.ts';
import { migrationFiles } from './migrate.ts';
import { prepareDatabase } from './seed.ts';

const TABLES = [
  'securities',
  'market_indices',
  'trading_days',
  'bars',
  'index_bars',
  'fund_flows',
  'users',
  'positions',
  'alert_rules',
];

/** One md5 per table over all its rows in key order: equal digests, equal data. */
async function digests(uri: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    for (const table of TABLES) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS d FROM ${table} t`,
      );
      out[table] = `${rows[0].n}:${rows[0].d}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

test('concurrent start-ups migrate once and seed once; a reset reproduces the same rows', async () => {
  await using postgres = await new LocalPostgres().start();
  const [a, b] = await Promise.all([
    prepareDatabase(postgres.connectionUri, 'auto'),
    prepareDatabase(postgres.connectionUri, 'auto'),
  ]);
  assert.deepEqual([...a.migrations, ...b.migrations].sort(), migrationFiles());
  assert.equal(Number(a.seeded) + Number(b.seeded), 1, 'exactly one of them seeded');
  const first = await digests(postgres.connectionUri);
  assert.equal(first.securities?.split(':')[0], '100');
  assert.equal(first.positions?.split(':')[0], '10');
  assert.equal(first.alert_rules?.split(':')[0], '2');
  const again = await prepareDatabase(postgres.connectionUri, 'reset');
  assert.deepEqual(again, { migrations: [], seeded: true });
  assert.deepEqual(await digests(postgres.connectionUri), first);
  assert.deepEqual(await prepareDatabase(postgres.connectionUri, 'off'), { migrations: [], seeded: false });
});
