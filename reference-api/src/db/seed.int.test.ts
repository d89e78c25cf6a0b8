// Migrations and seed: two instances starting together take turns under the advisory lock, and seeding
// twice gives identical rows.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalPostgres } from '../../../stack/local/postgres.ts';
import { tableDigests as digests } from './digest-test-support.ts';
import { migrationFiles } from './migrate.ts';
import { prepareDatabase } from './seed.ts';

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
