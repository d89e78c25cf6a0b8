// PostgreSQL from a seeded template (postgres.ts withSeededTemplate, postgres-template.ts), on real PostgreSQL:
// two starts at once with no template both succeed and leave one; a later start copies it and builds nothing; the
// copy holds the rows a fresh initdb plus the service's own migrations and seed make, and the service's start-up
// step then finds nothing to do. Each test has its own cache folder. (The key's inputs: postgres-template.test.ts.)
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tableDigests as digests } from '../../reference-api/src/db/digest-test-support.ts';
import { migrationFiles } from '../../reference-api/src/db/migrate.ts';
import { prepareDatabase } from '../../reference-api/src/db/seed.ts';
import { LocalPostgres } from './postgres.ts';

const cacheDirs: string[] = [];
after(() => {
  for (const dir of cacheDirs) rmSync(dir, { recursive: true, force: true });
});
function newCacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mystocks-template-cache-'));
  cacheDirs.push(dir);
  return dir;
}

// This process's cost, as the service built in this process would hash the demo user's password.
const scrypt = process.env.MYSTOCKS_SCRYPT;

test('two starts at once with no template both succeed and leave one; a later start copies it', async () => {
  const cacheDir = newCacheDir();
  // What a killed build leaves (its process long gone): removed by the next build, never used.
  mkdirSync(join(cacheDir, '.build-2147483646-1-abandoned', 'data'), { recursive: true });
  const start = () => new LocalPostgres({ seededTemplate: { scrypt, cacheDir } }).start();
  const both = await Promise.allSettled([start(), start()]);
  const [a, b] = both.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined));
  try {
    assert.deepEqual(
      both.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'started')),
      ['started', 'started'],
    );
    assert.ok(a && b);
    assert.ok(a.template && b.template, 'both started from a template');
    assert.equal(a.template.hash, b.template.hash);
    assert.equal(Number(a.template.built) + Number(b.template.built), 1, 'exactly one of them published it');
    assert.deepEqual(readdirSync(cacheDir), [a.template.hash], 'one template, no build folder left');
    assert.deepEqual(readdirSync(a.template.dir).sort(), ['data', 'inputs.json', 'last-used']);
    assert.deepEqual(await digests(a.connectionUri), await digests(b.connectionUri));
  } finally {
    await Promise.all([a?.stop(), b?.stop()]);
  }

  const dir = join(cacheDir, a.template.hash, 'data');
  const before = statSync(dir);
  await using c = await start();
  assert.deepEqual(c.template, { hash: a.template.hash, dir: a.template.dir, built: false });
  const afterwards = statSync(dir);
  assert.deepEqual([afterwards.ino, afterwards.mtimeMs], [before.ino, before.mtimeMs], 'the template was not rebuilt');
  assert.notEqual(statSync(c.dataDir).ino, before.ino, 'the server runs on its own copy');
  assert.equal((await digests(c.connectionUri)).securities?.split(':')[0], '100', 'seeded before anything ran');
  assert.deepEqual(readdirSync(cacheDir), [a.template.hash]);
});

test("a copy holds a fresh initdb's migrated and seeded rows, and the service's start-up then does nothing", async () => {
  const cacheDir = newCacheDir();
  // The way a start went before templates: HARNESS_PG_TEMPLATE=off turns the template off, initdb makes an empty
  // database, and the service's own start-up step migrates and seeds it.
  process.env.HARNESS_PG_TEMPLATE = 'off';
  let fresh: Awaited<ReturnType<LocalPostgres['start']>>;
  try {
    fresh = await new LocalPostgres({ seededTemplate: { scrypt, cacheDir } }).start();
  } finally {
    delete process.env.HARNESS_PG_TEMPLATE;
  }
  await using _fresh = fresh;
  assert.equal(fresh.template, undefined);
  assert.deepEqual(readdirSync(cacheDir), [], 'no template with HARNESS_PG_TEMPLATE=off');
  assert.deepEqual(await prepareDatabase(fresh.connectionUri, 'auto'), { migrations: migrationFiles(), seeded: true });

  // Templates other than the one built are pruned when unused for a week.
  const [stale, recent] = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'];
  for (const name of [stale, recent]) {
    mkdirSync(join(cacheDir, name, 'data'), { recursive: true });
    writeFileSync(join(cacheDir, name, 'last-used'), '');
  }
  const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
  utimesSync(join(cacheDir, stale, 'last-used'), eightDaysAgo, eightDaysAgo);

  await using copy = await new LocalPostgres({ seededTemplate: { scrypt, cacheDir } }).start();
  assert.equal(copy.template?.built, true);
  assert.deepEqual(readdirSync(cacheDir).sort(), [copy.template.hash, recent].sort());
  const [expected, actual] = [await digests(fresh.connectionUri), await digests(copy.connectionUri)];
  assert.equal(actual.bars?.split(':')[0], expected.bars?.split(':')[0]);
  assert.ok(Number(actual.bars?.split(':')[0]) > 40_000, `bars: ${actual.bars}`);
  assert.deepEqual(actual, expected);
  // What the service does on start (reference-api/src/app.ts): nothing to migrate, nothing to seed.
  assert.deepEqual(await prepareDatabase(copy.connectionUri, 'auto'), { migrations: [], seeded: false });
});
