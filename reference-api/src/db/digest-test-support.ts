// The database's content as digests, for tests that compare two databases or one database before and after:
// the seed's determinism (seed.int.test.ts) and the harness's seeded template (stack/local/postgres-template
// .int.test.ts, which compares a copy of the template with a fresh migrate-and-seed). Test support: no production
// file imports it; it imports nothing of the harness.
import pg from 'pg';

/**
 * Per table of the public schema, its row count and the md5 of all its rows in text order (`n:md5`): equal
 * digests, equal rows. The tables are read from the catalog, so a table a migration adds is compared too.
 * schema_migrations stands as the names it records, in order: its applied_at is the clock's, not data.
 */
export async function tableDigests(uri: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1",
    );
    const out: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ n: number; d: string | null }>(
        `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS d FROM ${name} t`,
      );
      out[name] = `${rows[0]?.n}:${rows[0]?.d}`;
    }
    const applied = await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    out.schema_migrations = applied.rows.map((r) => r.name).join(',');
    return out;
  } finally {
    await client.end();
  }
}
