// Bench: 200 SLOs evaluated with bounded concurrency against the same checks one after another, against
// one backfilled Prometheus, in one run. Prints both times and their ratio (docs/performance.md).
//   node bench/slo/run.ts [--slos 200] [--concurrency 8] [--rounds 3]
import { parseArgs } from 'node:util';
import { evaluateSlos } from '../../slo/evaluate/evaluate.ts';
import { loadSloConfig } from '../../slo/load.ts';
import type { SloModel } from '../../slo/model/model.ts';
import { startBackfilledPrometheus, toOpenMetrics } from '../../slo/testing/backfill.ts';
import { PHASES, referenceFamilies } from '../../slo/testing/datasets.ts';

const { values } = parseArgs({
  options: {
    slos: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
  },
});
const count = Number(values.slos);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);

const { model: seed } = await loadSloConfig();
// 200 SLOs: the seed's five over and over, each with its own name (1.6 queries per SLO on average).
const model: SloModel = {
  ...seed,
  slos: Array.from({ length: count }, (_, i) => ({ ...seed.slos[i % seed.slos.length]!, name: `slo-${i}` })),
};

await using prometheus = await startBackfilledPrometheus(toOpenMetrics(referenceFamilies()));
const options = { prometheusUrl: prometheus.url, window: '1h', time: new Date(PHASES.healthy * 1000) };

async function timed(limit: number): Promise<number> {
  const started = performance.now();
  const report = await evaluateSlos(model, { ...options, concurrency: limit });
  const elapsed = performance.now() - started;
  if (report.status !== 'pass') throw new Error(`bench run was ${report.status}, expected pass`);
  return elapsed;
}

await timed(concurrency); // warm-up: Prometheus' caches, the JIT, the HTTP agent
const sequential: number[] = [];
const bounded: number[] = [];
// Interleaved rounds, so a slow moment of the machine hits both sides alike.
for (let round = 0; round < rounds; round++) {
  sequential.push(await timed(1));
  bounded.push(await timed(concurrency));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seq = median(sequential);
const par = median(bounded);
console.log(`${count} SLOs, median of ${rounds} rounds`);
console.log(`one after another (concurrency 1): ${seq.toFixed(0)} ms`);
console.log(`bounded concurrency ${concurrency}:        ${par.toFixed(0)} ms`);
console.log(`ratio (sequential / bounded): ${(seq / par).toFixed(2)}x`);
