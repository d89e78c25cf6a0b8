// How often `harness load compare` fails two healthy runs (docs/load.md states the rate, docs/performance.md
// records what this prints). One local stack; K healthy runs back to back, then F runs with 50 ms added to
// /api/market/quotes (the API's fault injection). Every pair of healthy runs is a healthy comparison: K runs give
// K·(K−1)/2 pairs, the first run of each pair as the baseline. Each faulted run is compared with every healthy one,
// where a pass would be a miss. Prints each pair's verdict and the deciding reason, then the counts.
//   node bench/load/compare-false-alarms.ts [profile] [seconds] [healthyRuns] [faultedRuns]
// defaults: smoke 60 7 2 (21 healthy pairs and 14 faulted pairs, about 15 minutes).

import { runLoad } from '../../cli/load-run.ts';
import { compareRuns, loadRun } from '../../load/compare.ts';
import { startFaultStack } from './fault-stack.ts';

const profile = process.argv[2] ?? 'smoke';
const seconds = Number(process.argv[3] ?? 60);
const healthyRuns = Number(process.argv[4] ?? 7);
const faultedRuns = Number(process.argv[5] ?? 2);
const { stack, reportDir, setFaults } = await startFaultStack('harness-bench-false-alarms-');
const run = async (runId: string, warmupSeconds: number) => {
  const started = Date.now();
  const result = await runLoad({
    profile,
    durationSeconds: seconds,
    warmupSeconds,
    target: stack.info.apiUrl,
    reportDir,
    runId,
  });
  console.error(`${runId}: ${result.verdict} in ${Math.round((Date.now() - started) / 1000)} s`);
};
const verdictLine = (a: string, b: string) => {
  const c = compareRuns(loadRun(a, reportDir), loadRun(b, reportDir));
  console.log(`${b} against ${a}: ${c.verdict} (${c.runA.samples}/${c.runB.samples} requests): ${c.reasons[0]}`);
  return c.verdict;
};
const healthy = Array.from({ length: healthyRuns }, (_, i) => `healthy-${i + 1}`);
const faulted = Array.from({ length: faultedRuns }, (_, i) => `slow-quotes-${i + 1}`);
try {
  // The first run warms the fresh stack (as `harness load` does); the rest find it warm, as back-to-back runs do.
  for (const [i, id] of healthy.entries()) await run(id, i === 0 ? 10 : 0);
  await setFaults([{ route: '/api/market/quotes', latencyMs: 50 }]);
  for (const id of faulted) await run(id, 0);
  await setFaults([]);
} finally {
  await stack.stop();
}
const counts = { healthyPairs: 0, healthyNotPassed: 0, healthyRegressions: 0, faultedPairs: 0, faultedMissed: 0 };
for (let i = 0; i < healthy.length; i++) {
  for (let j = i + 1; j < healthy.length; j++) {
    const verdict = verdictLine(healthy[i]!, healthy[j]!);
    counts.healthyPairs++;
    if (verdict !== 'no-significant-difference') counts.healthyNotPassed++;
    if (verdict === 'regression') counts.healthyRegressions++;
  }
}
for (const slow of faulted) {
  for (const base of healthy) {
    counts.faultedPairs++;
    if (verdictLine(base, slow) !== 'regression') counts.faultedMissed++;
  }
}
console.log(
  `profile ${profile}, ${seconds} s runs: healthy pairs not passed ${counts.healthyNotPassed}/${counts.healthyPairs} ` +
    `(${counts.healthyRegressions} called a regression); 50 ms on quotes missed ${counts.faultedMissed}/${counts.faultedPairs}`,
);
console.error(`runs in ${reportDir}`);
