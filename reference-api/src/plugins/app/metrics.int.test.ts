// /metrics holds every metric of DESIGN.md with exactly the label sets it gives (snapshot in
// metrics.expected.txt), the default process metrics, and route templates (never raw URLs) as endpoints.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startTestEnv, type TestEnv } from '../../../../stack/local/api-test-support.ts';
import { samples } from '../../test-helper.ts';

const EXPECTED = new URL('./metrics.expected.txt', import.meta.url);
let env: TestEnv;
before(async () => {
  // One route made slow on purpose, so slow_http_requests_total has a labelled sample to snapshot.
  env = await startTestEnv({ config: { faults: [{ route: '/api/market/sectors', latencyMs: 320 }] } });
});
after(async () => env?.close());

/** `name type {label,label}` per metric family (histogram `le` left out), sorted; default metrics excluded. */
function snapshot(text: string): string {
  const types = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(m[1]!, m[2]!);
  const lines: string[] = [];
  for (const [name, type] of types) {
    if (name.startsWith('process_') || name.startsWith('nodejs_')) continue;
    // OpenMetrics (the registry's format, for exemplars) names a counter family without `_total`; its
    // samples, and the snapshot, carry it.
    const shown = type === 'counter' && !name.endsWith('_total') ? `${name}_total` : name;
    const sampleName = type === 'histogram' ? `${name}_count` : shown;
    const labelSets = new Set(
      samples(text, sampleName).map((s) =>
        Object.keys(s.labels)
          .filter((l) => l !== 'le')
          .sort()
          .join(','),
      ),
    );
    lines.push(`${shown} ${type} {${[...labelSets].sort().join('|')}}`);
  }
  return `${lines.sort().join('\n')}\n`;
}

test('metric names and label sets match the committed snapshot', async () => {
  const cookie = await env.login();
  await env.app.inject('/api/market/overview');
  await env.app.inject('/api/risk/portfolio');
  await env.app.inject({ url: '/api/risk/portfolio', headers: { cookie } });
  await env.app.inject('/api/market/sectors');
  await env.app.db.query('test.sleep', 'SELECT pg_sleep(0.15)'); // a slow query, for slow_db_queries_total
  const text = (await env.app.metricsServer.inject('/metrics')).body;
  const actual = snapshot(text);
  if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(EXPECTED, actual);
  assert.equal(actual, readFileSync(EXPECTED, 'utf8'));
});

test('histogram buckets include the SLO bounds; default process metrics are there', async () => {
  const text = (await env.app.metricsServer.inject('/metrics')).body;
  const httpLe = new Set(samples(text, 'http_request_duration_seconds_bucket').map((s) => s.labels.le));
  assert.ok(httpLe.has('0.1') && httpLe.has('0.3'));
  const dbLe = new Set(samples(text, 'db_query_duration_seconds_bucket').map((s) => s.labels.le));
  assert.ok(dbLe.has('0.1'));
  for (const name of [
    'process_cpu_user_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_seconds',
  ]) {
    // A sample, not the TYPE line: OpenMetrics names a counter's family without `_total`.
    assert.match(text, new RegExp(`^${name}[{ ]`, 'm'), name);
  }
});

test('endpoint is the route template; unmatched URLs share one label', async () => {
  await env.app.inject('/api/market/quotes/600084');
  await env.app.inject('/api/market/quotes/600007');
  await env.app.inject('/no/such/path/1');
  await env.app.inject('/no/such/path/2');
  const endpoints = new Set(
    samples((await env.app.metricsServer.inject('/metrics')).body, 'http_requests_total').map((s) => s.labels.endpoint),
  );
  assert.ok(endpoints.has('/api/market/quotes/:symbol'));
  assert.ok(endpoints.has('unmatched'));
  for (const e of endpoints) assert.ok(!e?.includes('600084') && !e?.includes('/no/such'), e);
});
