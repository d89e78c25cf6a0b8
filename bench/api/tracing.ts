// bench/api/tracing.ts: what OpenTelemetry costs the reference service. Three servers of the same build on one
// PostgreSQL and Redis, as the stack runs them (`node reference-api/src/server.ts`): tracing off
// (OTEL_SDK_DISABLED=true), tracing at the default sampling (parent-based, DEFAULT_SAMPLING_RATIO of new traces),
// and every request sampled (ratio 1); the traced ones export to the harness's OTLP receiver, so the cost of
// exporting is in. GET /api/market/overview (warm cache) and GET /healthz are driven by autocannon against each,
// the segments interleaved (off, default, all; then again) so noise falls on every variant alike.
//
// Overhead = 1 - (traced req/s / untraced req/s) for the same route, from one run. Requests carry no
// traceparent, so the default ratio decides, as for real traffic entering the service.
//
//   node bench/api/tracing.ts                  # 2 rounds x 5 s per segment, 10 connections
//   BENCH_SECONDS=10 node bench/api/tracing.ts

import { LocalApi } from '../../stack/local/api.ts';
import { LocalOtlpReceiver } from '../../stack/local/otlp-receiver.ts';
import { LocalPostgres } from '../../stack/local/postgres.ts';
import { LocalRedis } from '../../stack/local/redis.ts';
import { p95, runSegment, type Segment } from './autocannon.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = 2;

await using postgres = await new LocalPostgres().withDatabase('mystocks').start();
await using redis = await new LocalRedis().start();
await using receiver = await new LocalOtlpReceiver().start();
const api = (env: Record<string, string>) =>
  new LocalApi().withDatabaseUrl(postgres.connectionUri).withRedisUrl(redis.url).withLogLevel('warn').withEnv(env);
const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
// One after the other: the first start migrates and seeds the shared database.
await using off = await api({ OTEL_SDK_DISABLED: 'true' }).start();
await using sampled = await api(traced).start();
await using all = await api({ ...traced, OTEL_TRACES_SAMPLER_ARG: '1' }).start();
const variants = { off, default: sampled, all } as const;
const routes = { overview: '/api/market/overview', healthz: '/healthz' } as const;

const results: Record<string, Segment[]> = {};
for (const server of Object.values(variants)) {
  for (const path of Object.values(routes))
    await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(30_000) });
}
for (let round = 0; round < ROUNDS; round++) {
  for (const [route, path] of Object.entries(routes)) {
    for (const [variant, server] of Object.entries(variants)) {
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${route}, tracing ${variant}, ${SECONDS} s ...\n`);
      const key = `${route}/${variant}`;
      results[key] = [...(results[key] ?? []), await runSegment(`${server.url}${path}`, CONNECTIONS, SECONDS)];
    }
  }
}

const summary = (segments: Segment[]) => {
  const requests = segments.reduce((s, x) => s + x.requests, 0);
  const seconds = segments.reduce((s, x) => s + x.seconds, 0);
  return {
    rps: Math.round(requests / seconds),
    p95Ms: p95(segments.flatMap((x) => x.latenciesMs)),
    failed: segments.reduce((s, x) => s + x.non2xx, 0),
  };
};
const table = Object.fromEntries(Object.entries(results).map(([key, segments]) => [key, summary(segments)]));
const overhead = (route: string, variant: string) =>
  Number((1 - table[`${route}/${variant}`]!.rps / table[`${route}/off`]!.rps).toFixed(3));
const report = {
  command: `BENCH_SECONDS=${SECONDS} BENCH_CONNECTIONS=${CONNECTIONS} node bench/api/tracing.ts`,
  node: process.version,
  connections: CONNECTIONS,
  segmentSeconds: SECONDS,
  rounds: ROUNDS,
  results: table,
  /** Share of throughput lost to tracing, per route and variant (0.05 = 5 % fewer requests per second). */
  overhead: {
    overviewDefault: overhead('overview', 'default'),
    overviewAll: overhead('overview', 'all'),
    healthzDefault: overhead('healthz', 'default'),
    healthzAll: overhead('healthz', 'all'),
  },
  /** overview / healthz throughput with tracing off and at the default sampling (bench.ts's ratio). */
  throughputRatio: {
    off: Number((table['overview/off']!.rps / table['healthz/off']!.rps).toFixed(3)),
    default: Number((table['overview/default']!.rps / table['healthz/default']!.rps).toFixed(3)),
  },
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
if (Object.values(table).some((row) => row.failed > 0)) process.exitCode = 1;
