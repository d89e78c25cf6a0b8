// /metrics holds every metric of DESIGN.md with exactly the label sets it gives (snapshot in
// metrics.expected.txt), the default process metrics, and route templates (never raw URLs) as endpoints.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startTestEnv, type TestEnv } from '../../../../stack/local/api-test-support.ts';
import { LocalPrometheus } from '../../../../stack/local/prometheus.ts';
import { waitFor } from '../../../../stack/wait.ts';
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

/** Records one GET's duration with a trace id exemplar, as the service does for a sampled request. */
function observeWithExemplar(endpoint: string, seconds: number, traceId: string): void {
  env.app.metrics.httpDuration.observe({
    labels: { endpoint, method: 'GET', status_code: '200' },
    value: seconds,
    // prom-client types exemplar labels with the metric's own label names (metrics.ts says so too).
    exemplarLabels: { trace_id: traceId } as unknown as Record<'endpoint', string>,
  });
}

// Prometheus 2's Accept with exemplar storage on (scrape/scrape.go, the version the stacks run): OpenMetrics first.
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

test('/metrics negotiates: OpenMetrics with exemplars when asked for, the classic text format otherwise', async () => {
  // An observation with an exemplar, as a sampled request records it. Made directly: this test's app runs without
  // a tracer provider (tracing starts only in the service's process, telemetry/tracing.ts), so its requests carry
  // no trace id; telemetry/tracing.int.test.ts shows a real request's trace id in the exemplar.
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  observeWithExemplar('/api/market/overview', 0.042, traceId);
  const scrape = (accept?: string) =>
    env.app.metricsServer.inject({ url: '/metrics', headers: accept === undefined ? {} : { accept } });

  // Prometheus 3's default Accept (UTF-8 escaping, OpenMetrics 1.0.0 at q=0.6 over text/plain at 0.4): OpenMetrics.
  const prometheus3 = await scrape(
    'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
  );
  assert.match(String(prometheus3.headers['content-type']), /^application\/openmetrics-text;/);
  const open = await scrape(PROMETHEUS_ACCEPT);
  assert.equal(open.headers['content-type'], 'application/openmetrics-text; version=1.0.0; charset=utf-8');
  assert.ok(open.body.endsWith('\n# EOF\n'), 'OpenMetrics ends with # EOF');
  assert.match(
    open.body,
    new RegExp(`^http_request_duration_seconds_bucket\\{.*\\} \\d+ # \\{trace_id="${traceId}"\\}`, 'm'),
  );
  assert.match(open.body, /^# TYPE http_requests counter$/m);

  for (const accept of [undefined, 'text/plain;version=0.0.4', '*/*', 'application/openmetrics-text;q=0, text/plain']) {
    const classic = await scrape(accept);
    assert.equal(classic.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8', String(accept));
    assert.doesNotMatch(classic.body, /# EOF/, String(accept));
    assert.doesNotMatch(classic.body, / # \{/, `${accept}: no exemplars`);
    // Counters keep `_total` in the family line, even after an OpenMetrics answer (which renames them in
    // prom-client's own rendering).
    assert.match(classic.body, /^# TYPE http_requests_total counter$/m, String(accept));
    assert.ok(samples(classic.body, 'http_request_duration_seconds_count').length > 0);
  }
  // The same metric families and label sets in both (the first test holds the classic answer to the snapshot).
  assert.equal(snapshot((await scrape('text/plain')).body), snapshot(open.body));
  // And OpenMetrics after the classic answers is unchanged (no `_total_total`).
  assert.doesNotMatch((await scrape('application/openmetrics-text')).body, /_total_total/);
});

test('a real Prometheus (with exemplar storage) scraping the listener stores the exemplars', async () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  observeWithExemplar('/api/market/quotes/:symbol', 0.35, traceId);
  await env.app.metricsServer.listen({ host: '127.0.0.1', port: 0 });
  const { port } = env.app.metricsServer.server.address() as AddressInfo;
  // Prometheus 2 sends its own Accept (OpenMetrics first); the exemplar is stored only if it got OpenMetrics.
  await using prometheus = await new LocalPrometheus({
    config: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: api\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
  }).start();
  const stored = await waitFor(
    async () => {
      const end = Date.now() / 1000;
      const url = `${prometheus.url}/api/v1/query_exemplars?query=http_request_duration_seconds_bucket&start=${end - 600}&end=${end}`;
      const body = (await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).json()) as {
        data: { seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string> }[] }[];
      };
      const series = body.data.find((s) => s.exemplars.some((e) => e.labels.trace_id === traceId));
      return series;
    },
    { what: 'the exemplar in Prometheus', timeoutMs: 30_000, intervalMs: 500 },
  );
  assert.equal(stored.seriesLabels.endpoint, '/api/market/quotes/:symbol');
  assert.equal(stored.seriesLabels.le, '0.5', 'the bucket the 0.35 s observation fell in');
});
