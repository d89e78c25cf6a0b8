// One autocannon segment with every response time kept, for the API benches (bench.ts, tracing.ts).
import autocannon from 'autocannon';

/** Each segment's length, and the connections that drive it (BENCH_SECONDS, BENCH_CONNECTIONS). */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** Each segment runs this many times, alternated with the others, so a slow spell of the machine hits all alike. */
export const ROUNDS = 2;

/** How a bench ran, at the head of its report: the command that runs it again with the same settings. */
export function benchSettings(script: string) {
  return {
    command: `BENCH_SECONDS=${SECONDS} BENCH_CONNECTIONS=${CONNECTIONS} node ${script}`,
    node: process.version,
    connections: CONNECTIONS,
    segmentSeconds: SECONDS,
    rounds: ROUNDS,
  };
}

export interface Segment {
  requests: number;
  seconds: number;
  latenciesMs: number[];
  non2xx: number;
}

/** Drives `url` with `connections` for `seconds`; resolves with the counts and every response time. */
export function runSegment(url: string, connections: number, seconds: number): Promise<Segment> {
  const latenciesMs: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, timeout: 10 }, (error, result) => {
      if (error) reject(error);
      else
        resolve({
          requests: result.requests.total,
          seconds: result.duration,
          latenciesMs,
          non2xx: result.non2xx + result.errors,
        });
    });
    // Every response time, so the P95 is exact (autocannon's own summary has p90 and p97.5, not p95).
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latenciesMs.push(responseTime);
    });
  });
}

/** The exact 95th percentile (nearest rank). */
export function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
}
