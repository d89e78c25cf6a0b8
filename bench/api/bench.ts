// bench/api: throughput and latency of GET /api/market/overview with a warm cache against a trivial route
// (GET /healthz) of the same server, measured in one run with autocannon and reported as a ratio and a P95.
// The two targets alternate (A B A B) so machine noise during the run hits both alike.
//
//   node bench/api/bench.ts                # 4 x 5 s segments, 10 connections
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=20 node bench/api/bench.ts
//
// Starts its own PostgreSQL and Redis (stack/local) and the app on a free loopback port; stops all on exit.

import { buildApp } from '../../reference-api/src/app.ts';
import { appConfigSchema } from '../../reference-api/src/config.ts';
import { LocalPostgres } from '../../stack/local/postgres.ts';
import { LocalRedis } from '../../stack/local/redis.ts';
import { benchSettings, CONNECTIONS, p95, ROUNDS, runSegment, SECONDS, type Segment } from './autocannon.ts';

await using postgres = await new LocalPostgres().start();
await using redis = await new LocalRedis().start();
const app = await buildApp(
  appConfigSchema.parse({ databaseUrl: postgres.connectionUri, redisUrl: redis.url, logLevel: 'warn', port: 0 }),
);
try {
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const targets = { overview: `${base}/api/market/overview`, trivial: `${base}/healthz` };
  // Warm: first load fills L1 and L2; the overview TTL (15 s) is refreshed by the load itself.
  for (const url of Object.values(targets)) await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const totals = { overview: [] as Segment[], trivial: [] as Segment[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['trivial', 'overview'] as const) {
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${name} for ${SECONDS} s ...\n`);
      totals[name].push(await runSegment(targets[name], CONNECTIONS, SECONDS));
    }
  }
  const summary = (segments: Segment[]) => {
    const requests = segments.reduce((s, x) => s + x.requests, 0);
    const seconds = segments.reduce((s, x) => s + x.seconds, 0);
    return {
      rps: requests / seconds,
      p95Ms: p95(segments.flatMap((x) => x.latenciesMs)),
      requests,
      failed: segments.reduce((s, x) => s + x.non2xx, 0),
    };
  };
  const overview = summary(totals.overview);
  const trivial = summary(totals.trivial);
  const text = (await app.metricsServer.inject('/metrics')).body;
  const l1Hits = /^cache_hits_total\{level="l1"\} (\S+)$/m.exec(text)?.[1];
  const report = {
    ...benchSettings('bench/api/bench.ts'),
    overview: { ...overview, rps: Math.round(overview.rps), p95Ms: overview.p95Ms },
    trivial: { ...trivial, rps: Math.round(trivial.rps), p95Ms: trivial.p95Ms },
    throughputRatio: Number((overview.rps / trivial.rps).toFixed(3)),
    p95Ratio: Number((overview.p95Ms / trivial.p95Ms).toFixed(3)),
    l1Hits: Number(l1Hits ?? 0),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (overview.failed > 0 || trivial.failed > 0) process.exitCode = 1;
} finally {
  await app.close();
}
