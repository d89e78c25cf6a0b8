// Slow statements against a real PostgreSQL (with pg_stat_statements preloaded, as every stack starts it)
// holding the reference service's seed, with the real service answering requests: under the noIndex fault
// the report names quotes.latest and suggests the index; without it, no hint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderDiagnosisTable } from '../report/diagnose/render.ts';
import { startTestEnv, type TestEnv } from '../stack/local/api-test-support.ts';
import { indexParts, readSlowStatements, resetStatementStats } from './slow-queries.ts';

let env: TestEnv;

before(async () => {
  env = await startTestEnv({ redis: false });
});

after(async () => {
  await env?.close();
});

/** Sends `count` quotes requests to an app; asserts each is answered. */
async function quotes(app: TestEnv['app'], count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await app.inject({ method: 'GET', url: '/api/market/quotes?pageSize=5' });
    assert.equal(response.statusCode, 200, response.body);
  }
}

/** db_query_duration_seconds of one operation from the app's /metrics: [count, observations <= 100 ms]. */
async function dbHistogram(app: TestEnv['app'], operation: string): Promise<[number, number]> {
  const text = (await app.metricsServer.inject({ method: 'GET', url: '/metrics' })).body;
  const value = (pattern: string) => Number(new RegExp(`${pattern} (\\S+)`).exec(text)?.[1] ?? Number.NaN);
  return [
    value(`db_query_duration_seconds_count\\{operation="${operation}"\\}`),
    value(`db_query_duration_seconds_bucket\\{le="0.1",operation="${operation}"\\}`),
  ];
}

describe('slow statements of the window', () => {
  it('names quotes.latest and suggests the index under the noIndex fault', async () => {
    const faulty = await env.buildAnother({ faults: [{ route: '/api/market/quotes', noIndex: true }] });
    assert.equal(await resetStatementStats(env.postgres.connectionUri), undefined);
    await quotes(faulty, 5);
    const section = await readSlowStatements(env.postgres.connectionUri);
    assert.equal(section.status, 'read');
    if (section.status !== 'read') return;
    const worst = section.byTotal[0]!;
    // Every request bypassed the cache: five calls of the one statement, 100 securities each.
    assert.deepEqual([worst.operation, worst.calls, worst.rows], ['quotes.latest', 5, 500]);
    assert.match(worst.query, /p\.symbol::text = s\.symbol::text/);
    assert.ok(worst.shareOfDbTime > 0.5, `quotes.latest should dominate DB time: ${JSON.stringify(section.byTotal)}`);
    const explained = section.explained.find((e) => e.operation === 'quotes.latest')!;
    assert.ok(
      explained.plan.some((line) => /Seq Scan on bars p/.test(line)),
      explained.plan.join('\n'),
    );
    const hint = explained.hints.find((h) => h.relation === 'bars')!;
    assert.ok(hint, JSON.stringify(explained));
    assert.equal(hint.createIndex, 'CREATE INDEX ON bars ((symbol::text), date);');
    assert.match(hint.text, /The index bars_pkey leads with symbol, but the filter compares symbol::text/);
    // The report says it in plain words, with the index.
    const text = renderDiagnosisTable({ time: '', breakdowns: [], slowQueries: section });
    assert.match(text, /quotes\.latest\s+5\s+500\s/);
    assert.match(text, /suggested: CREATE INDEX ON bars \(\(symbol::text\), date\);/);
    // The metric the db-query-p95 SLO reads: most of the five runs took longer than 100 ms.
    const [count, fast] = await dbHistogram(faulty, 'quotes.latest');
    assert.equal(count, 5);
    assert.ok(fast < count, `expected quotes.latest slower than 100 ms under the fault, ${fast} of ${count} were not`);
  });

  it('gives no hint without the fault', async () => {
    assert.equal(await resetStatementStats(env.postgres.connectionUri), undefined);
    const bypass = await env.buildAnother({ faults: [{ route: '/api/market/quotes', cacheBypass: true }] });
    await quotes(bypass, 5);
    const section = await readSlowStatements(env.postgres.connectionUri);
    assert.equal(section.status, 'read');
    if (section.status !== 'read') return;
    const latest = section.byTotal.find((s) => s.operation === 'quotes.latest')!;
    assert.equal(latest.calls, 5);
    assert.doesNotMatch(latest.query, /::text/);
    assert.deepEqual(
      section.explained.flatMap((e) => e.hints),
      [],
    );
  });

  it('says why it skipped without a URL or without pg_stat_statements', async () => {
    const none = await readSlowStatements(undefined);
    assert.equal(none.status, 'skipped');
    // A role without rights: pg_stat_statements_reset is for superusers unless granted.
    const admin = env.postgres.connectionUri;
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query("DROP ROLE IF EXISTS diag_reader; CREATE ROLE diag_reader LOGIN PASSWORD 'x'");
    await client.end();
    const reader = admin.replace('postgres@', 'diag_reader:x@');
    assert.match((await resetStatementStats(reader)) ?? '', /may not read or reset pg_stat_statements/);
  });
});

describe('the columns an index would serve', () => {
  const bars = ['symbol', 'date', 'open', 'close'];
  it('puts equality comparisons first and keeps a cast as an expression', () => {
    assert.deepEqual(indexParts('((date < bars.date) AND ((symbol)::text = (s.symbol)::text))', 'p', bars), [
      { column: 'symbol', cast: 'text' },
      { column: 'date' },
    ]);
  });
  it('reads alias.column and ignores other tables’ columns and type names', () => {
    assert.deepEqual(
      indexParts("((p.close > '1'::numeric) AND (q.symbol = p.symbol) AND (x = '2024-01-01'::date))", 'p', bars),
      [{ column: 'symbol' }, { column: 'close' }],
    );
  });
});
