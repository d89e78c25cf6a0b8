// bench/api/tracing.ts: what OpenTelemetry costs the reference service. Three servers of the same build on one
// PostgreSQL and Redis, as the stack runs them (`node reference-api/src/server.ts`): tracing off
// (OTEL_SDK_DISABLED=true), tracing at the default sampling (parent-based, DEFAULT_SAMPLING_RATIO of new traces),
// and every request sampled (ratio 1); the traced ones export to the harness's OTLP receiver, so the cost of
// exporting is in. GET /api/market/overview (warm cache) and GET /healthz are driven by autocannon against each,
// the segments interleaved (off, default, all; then again) so noise falls on every variant alike.
//
// Two measures of overhead, per route, from one run:
// - throughput: 1 - (traced req/s / untraced req/s). On a 2-core machine autocannon shares the cores with the
//   server, so this also moves with whatever else runs;
// - CPU per request: the server's own process_cpu_seconds_total (its /metrics) read before and after each
//   segment, divided by the segment's requests; overhead = traced / untraced - 1. This is the cost the
//   instrumentation adds to each request, whoever else is on the machine, and the one the 15 % target is read
//   against (docs/performance.md, "Tracing overhead").
// Each server is warmed for WARM_SECONDS per route first (the JIT; the cold first seconds cost double). Requests
// carry no traceparent, so the default ratio decides, as for real traffic entering the service.
//
//   node bench/api/tracing.ts                  # 2 rounds x 5 s per segment, 10 connections
//   BENCH_SECONDS=10 node bench/api/tracing.ts

import { LocalApi } from '../../stack/local/api.ts';
import { LocalOtlpReceiver } from '../../stack/local/otlp-receiver.ts';
import { LocalPostgres } from '../../stack/local/postgres.ts';
import { LocalRedis } from '../../stack/local/redis.ts';
import { benchSettings, CONNECTIONS, p95, ROUNDS, runSegment, SECONDS, type Segment } from './autocannon.ts';

const WARM_SECONDS = 3;

/** The server's own CPU seconds so far (prom-client's process_cpu_seconds_total). */
async function cpuSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const match = /^process_cpu_seconds_total(?:\{[^}]*\})? (\S+)$/m.exec(text);
  if (!match) throw new Error(`${url}/metrics has no process_cpu_seconds_total`);
  return Number(match[1]);
}

await using postgres = await new LocalPostgres({ database: 'mystocks' }).start();
await using redis = await new LocalRedis().start();
await using receiver = await new LocalOtlpReceiver().start();
const api = (env: Record<string, string>) =>
  new LocalApi({ databaseUrl: postgres.connectionUri, redisUrl: redis.url, logLevel: 'warn', env });
const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
// One after the other: the first start migrates and seeds the shared database.
await using off = await api({ OTEL_SDK_DISABLED: 'true' }).start();
await using sampled = await api(traced).start();
await using all = await api({ ...traced, OTEL_TRACES_SAMPLER_ARG: '1' }).start();
const variants = { off, default: sampled, all } as const;
const routes = { overview: '/api/market/overview', healthz: '/healthz' } as const;

const results: Record<string, Segment[]> = {};
const cpu: Record<string, number> = {};
for (const server of Object.values(variants)) {
  for (const path of Object.values(routes)) await runSegment(`${server.url}${path}`, CONNECTIONS, WARM_SECONDS);
}
for (let round = 0; round < ROUNDS; round++) {
  for (const [route, path] of Object.entries(routes)) {
    for (const [variant, server] of Object.entries(variants)) {
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${route}, tracing ${variant}, ${SECONDS} s ...\n`);
      const key = `${route}/${variant}`;
      const before = await cpuSeconds(server.metricsUrl);
      const segment = await runSegment(`${server.url}${path}`, CONNECTIONS, SECONDS);
      cpu[key] = (cpu[key] ?? 0) + (await cpuSeconds(server.metricsUrl)) - before;
      results[key] = [...(results[key] ?? []), segment];
    }
  }
}

const summary = (segments: Segment[]) => {
  const requests = segments.reduce((s, x) => s + x.requests, 0);
  const seconds = segments.reduce((s, x) => s + x.seconds, 0);
  return {
    rps: Math.round(requests / seconds),
    requests,
    p95Ms: p95(segments.flatMap((x) => x.latenciesMs)),
    failed: segments.reduce((s, x) => s + x.non2xx, 0),
  };
};
const table = Object.fromEntries(Object.entries(results).map(([key, segments]) => [key, summary(segments)]));
const overhead = (route: string, variant: string) =>
  Number((1 - table[`${route}/${variant}`]!.rps / table[`${route}/off`]!.rps).toFixed(3));
/** The server's CPU microseconds per request (its /metrics scrapes included: two per segment, negligible). */
const cpuPerRequest = (key: string) => (cpu[key]! / table[key]!.requests) * 1e6;
const cpuOverhead = (route: string, variant: string) =>
  Number((cpuPerRequest(`${route}/${variant}`) / cpuPerRequest(`${route}/off`) - 1).toFixed(3));
const report = {
  ...benchSettings('bench/api/tracing.ts'),
  results: table,
  /** Share of throughput lost to tracing, per route and variant (0.05 = 5 % fewer requests per second). */
  overhead: {
    overviewDefault: overhead('overview', 'default'),
    overviewAll: overhead('overview', 'all'),
    healthzDefault: overhead('healthz', 'default'),
    healthzAll: overhead('healthz', 'all'),
  },
  /** The server's CPU per request, microseconds. */
  cpuMicrosPerRequest: Object.fromEntries(Object.keys(table).map((key) => [key, Math.round(cpuPerRequest(key))])),
  /** Extra CPU per request with tracing (0.15 = 15 % more than untraced): the measure the target is read on. */
  cpuOverhead: {
    overviewDefault: cpuOverhead('overview', 'default'),
    overviewAll: cpuOverhead('overview', 'all'),
    healthzDefault: cpuOverhead('healthz', 'default'),
    healthzAll: cpuOverhead('healthz', 'all'),
  },
  /** overview / healthz throughput with tracing off and at the default sampling (bench.ts's ratio). */
  throughputRatio: {
    off: Number((table['overview/off']!.rps / table['healthz/off']!.rps).toFixed(3)),
    default: Number((table['overview/default']!.rps / table['healthz/default']!.rps).toFixed(3)),
  },
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
if (Object.values(table).some((row) => row.failed > 0)) process.exitCode = 1;
