// Two load runs compared, for the golden tests of the comparison's renderings: the plain-text table
// (report/load/compare.test.ts) and verify's Markdown section (report/verify/baseline-comparison.test.ts).
// The runs are fake-runs.ts's seeded generator, so every test run sees the same samples and, the bootstrap being
// seeded too, the same intervals.
import { type Comparison, compareRuns, type LoadedRun } from '../compare.ts';
import { makeRun } from './fake-runs.ts';

/** The three busy endpoints' median latencies, ms (6 requests a second each). */
const BUSY = { '/api/market/overview': 12, '/api/market/quotes/:symbol': 8, '/api/portfolio/summary': 25 };
/** A rare, slow endpoint: 1 request a second, too few for its tail quantiles to be judged. */
const RARE = { '/api/export/csv': 140 };

/**
 * A 60 s run: the busy endpoints with a shared per-second slowdown (burstiness 0.15, a machine's noise) and the
 * rare one, each with `extra` ms added to it; 60 x (3 x 6 + 1) = 1140 requests.
 */
function run(runId: string, seed: number, extra: Record<string, number> = {}): LoadedRun {
  const busy = makeRun(runId, { seconds: 60, rate: 6, seed, endpoints: BUSY, extra, burstiness: 0.15 });
  const rare = makeRun(runId, { seconds: 60, rate: 1, seed: seed + 100, endpoints: RARE, extra });
  return { ...busy, samples: [...busy.samples, ...rare.samples].sort((a, b) => a.t - b.t) };
}

/** The baseline run (A) and this run (B), their ids as `harness load` names runs. */
export const BASELINE_RUN_ID = 'load-5e1f0a21';
export const THIS_RUN_ID = 'load-9c3b7d44';

/**
 * The pairs: `regression` adds 50 ms to every quotes request (a regression there and over all requests) and 4 ms
 * to the portfolio (which the pair cannot tell from noise); `inconclusive` adds the 4 ms only; `healthy` nothing.
 */
export function comparedRuns(kind: 'regression' | 'inconclusive' | 'healthy'): Comparison {
  const extra: Record<string, number> = {
    regression: { '/api/market/quotes/:symbol': 50, '/api/portfolio/summary': 4 },
    inconclusive: { '/api/portfolio/summary': 4 },
    healthy: {},
  }[kind];
  return compareRuns(run(BASELINE_RUN_ID, 1), run(THIS_RUN_ID, 2, extra));
}
