// The PostgreSQL template's key (postgres-template.ts): which files it reads, that a changed migration or seed
// module is another template and an unrelated file is not, and that the seed reads no clock, so a template built
// on one day holds what a fresh seed on another would. The cache's building and copying need PostgreSQL:
// postgres-template.int.test.ts.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateSeedData } from '../../reference-api/src/domain/seed-data.ts';
import { cacheWritable } from '../cache-dir.ts';
import {
  runtimeImports,
  seedSources,
  TEMPLATE_FORMAT,
  type TemplateInputs,
  templateCacheRoot,
  templateHash,
} from './postgres-template.ts';

const SRC = fileURLToPath(new URL('../../reference-api/src/', import.meta.url));

/** Inputs as postgres.ts makes them, with the seed's files from `srcDir`'s db folder. */
function inputsOf(srcDir: string, overrides: Partial<TemplateInputs> = {}): TemplateInputs {
  return {
    format: TEMPLATE_FORMAT,
    postgres: 'postgres (PostgreSQL) 15.18',
    initdb: ['-U', 'postgres', '--auth=trust', '-E', 'UTF8'],
    locale: 'C.UTF-8',
    database: 'mystocks',
    scrypt: '16384,8,1',
    node: 'v24.0.0',
    ...seedSources(join(srcDir, 'db')),
    ...overrides,
  };
}

describe('the template key', () => {
  const copy = mkdtempSync(join(tmpdir(), 'mystocks-template-key-'));
  cpSync(SRC, copy, { recursive: true });
  after(() => rmSync(copy, { recursive: true, force: true }));

  it('reads the migrations, seed.ts and the modules it imports at run time, and their packages', () => {
    const { sources, packages } = seedSources(join(SRC, 'db'));
    // Worked out by hand from the imports: seed.ts -> migrate.ts, ../domain/seed-data.ts (-> rng.ts; types.ts is
    // imported as types only), ../plugins/app/passwords.ts (-> ../../errors.ts); pg from seed.ts, and
    // fastify-type-provider-zod from errors.ts (its fastify import is types only).
    assert.deepEqual(Object.keys(sources).sort(), [
      '../domain/rng.ts',
      '../domain/seed-data.ts',
      '../errors.ts',
      '../plugins/app/passwords.ts',
      'migrate.ts',
      'migrations/001_market.sql',
      'migrations/002_users.sql',
      'seed.ts',
    ]);
    assert.deepEqual(Object.keys(packages).sort(), ['fastify-type-provider-zod', 'pg']);
    assert.match(packages.pg ?? '', /^\d+\.\d+\.\d+/);
  });

  it("changes with a migration's contents, a new migration and a seed module, and with nothing else", () => {
    const base = templateHash(inputsOf(copy));
    assert.match(base, /^[0-9a-f]{16}$/);
    assert.equal(templateHash(inputsOf(copy)), base, 'the same inputs, the same key');

    const migration = join(copy, 'db', 'migrations', '002_users.sql');
    appendFileSync(migration, '\nCREATE INDEX users_name_idx ON users (display_name);\n');
    const changedMigration = templateHash(inputsOf(copy));
    assert.notEqual(changedMigration, base);

    writeFileSync(join(copy, 'db', 'migrations', '003_more.sql'), 'ALTER TABLE users ADD COLUMN email text;\n');
    assert.notEqual(templateHash(inputsOf(copy)), changedMigration);
    rmSync(join(copy, 'db', 'migrations', '003_more.sql'));
    assert.equal(templateHash(inputsOf(copy)), changedMigration, 'removing it again gives the key back');

    appendFileSync(join(copy, 'domain', 'rng.ts'), '\n// a change two imports away from seed.ts\n');
    const changedSeed = templateHash(inputsOf(copy));
    assert.notEqual(changedSeed, changedMigration);

    // Not what the seed runs: a type-only import and a route.
    appendFileSync(join(copy, 'domain', 'types.ts'), '\nexport type Unused = number;\n');
    appendFileSync(join(copy, 'routes', 'market', 'index.ts'), '\n// a route\n');
    assert.equal(templateHash(inputsOf(copy)), changedSeed);
  });

  it('changes with every other input', () => {
    const base = inputsOf(SRC);
    const others: Partial<TemplateInputs>[] = [
      { format: TEMPLATE_FORMAT + 1 },
      { postgres: 'postgres (PostgreSQL) 16.4' },
      { initdb: [...base.initdb, '--data-checksums'] },
      { locale: 'en_US.UTF-8' },
      { database: 'other' },
      { scrypt: null },
      { node: 'v24.1.0' },
      { packages: { ...base.packages, pg: '0.0.1' } },
    ];
    const keys = new Set([templateHash(base), ...others.map((o) => templateHash({ ...base, ...o }))]);
    assert.equal(keys.size, others.length + 1);
  });

  it('does not depend on the order of keys', () => {
    const base = inputsOf(SRC);
    const reversed = Object.fromEntries(Object.entries(base).reverse()) as unknown as TemplateInputs;
    const sources = Object.fromEntries(Object.entries(base.sources).reverse());
    assert.equal(templateHash({ ...reversed, sources }), templateHash(base));
  });
});

describe('runtimeImports', () => {
  it('finds run-time imports in every form, and skips type-only statements', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      'import {',
      '  c,',
      '  type D,',
      "} from '../c.ts';",
      "export { e } from './e.ts';",
      "export type { F } from './f.ts';",
      "import './side-effect.ts';",
      "const g = await import('./g.ts');",
      "import pg from 'pg';",
      "const sql = 'SELECT 1 FROM x'; // from 'not-an-import' in a comment after a semicolon is not a statement",
    ].join('\n');
    assert.deepEqual(runtimeImports(text), ['./a.ts', '../c.ts', './e.ts', 'pg', './side-effect.ts', './g.ts']);
  });
});

describe('templateCacheRoot', () => {
  it('is under XDG_CACHE_HOME when it is absolute, ~/.cache otherwise', () => {
    assert.equal(templateCacheRoot({ XDG_CACHE_HOME: '/var/cache/me' }), '/var/cache/me/mystocks-harness/pg-template');
    const home = join(homedir(), '.cache', 'mystocks-harness', 'pg-template');
    assert.equal(templateCacheRoot({ XDG_CACHE_HOME: 'relative/cache' }), home);
    assert.equal(templateCacheRoot({}), home);
  });
});

describe('cacheWritable', () => {
  it('is true for a folder it can make, false where a file stands in the way (the start then runs initdb)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mystocks-template-root-'));
    try {
      assert.equal(cacheWritable(join(dir, 'a', 'b')), true);
      writeFileSync(join(dir, 'file'), '');
      assert.equal(cacheWritable(join(dir, 'file', 'pg-template')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the seed and the clock', () => {
  it('generates the same data whatever the date, so a template never holds a stale seed', () => {
    mock.timers.enable({ apis: ['Date'], now: Date.parse('2020-01-01T00:00:00Z') });
    try {
      const early = generateSeedData();
      mock.timers.setTime(Date.parse('2041-07-15T12:00:00Z'));
      assert.equal(new Date().getUTCFullYear(), 2041, 'the clock is mocked');
      assert.deepEqual(generateSeedData(), early);
    } finally {
      mock.timers.reset();
    }
  });
});
