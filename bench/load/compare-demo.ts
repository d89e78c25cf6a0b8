// `harness load compare` shown three ways on real runs against one local stack (docs/performance.md): two
// healthy runs; 50 ms added to /api/market/quotes (the API's fault injection) against a healthy run; two runs too
// short to tell. Prints each comparison's table; the runs stay in BENCH_REPORT_DIR for `harness load compare`.
//   node bench/load/compare-demo.ts [seconds] [shortSeconds] [cases]
// cases: a comma list of healthy, slow, short (default all three); e.g. `600 10 healthy` for a long healthy pair.

import { runLoad } from '../../cli/load-run.ts';
import { compareRuns, loadRun } from '../../load/compare.ts';
import { renderComparisonTable } from '../../report/load/compare.ts';
import { startFaultStack } from './fault-stack.ts';

const seconds = Number(process.argv[2] ?? 45);
const shortSeconds = Number(process.argv[3] ?? 10);
const cases = new Set((process.argv[4] ?? 'healthy,slow,short').split(','));
const { stack, reportDir, setFaults } = await startFaultStack('harness-bench-compare-');
const run = async (runId: string, duration: number) => {
  const result = await runLoad({
    profile: 'average',
    durationSeconds: duration,
    target: stack.info.apiUrl,
    reportDir,
    runId,
    log: (line) => console.error(line),
  });
  console.error(`${runId}: verdict ${result.verdict}`);
};
const compare = (a: string, b: string) => {
  try {
    console.log(
      `\n===== ${b} against ${a}\n${renderComparisonTable(compareRuns(loadRun(a, reportDir), loadRun(b, reportDir)))}`,
    );
  } catch (error) {
    console.log(`\n===== ${b} against ${a}: ${(error as Error).message}`);
  }
};
try {
  if (cases.has('healthy') || cases.has('slow')) await run('healthy-a', seconds);
  if (cases.has('healthy')) {
    await run('healthy-b', seconds);
    compare('healthy-a', 'healthy-b');
  }
  if (cases.has('slow')) {
    await setFaults([{ route: '/api/market/quotes', latencyMs: 50 }]);
    await run('slow-quotes', seconds);
    await setFaults([]);
    compare('healthy-a', 'slow-quotes');
  }
  if (cases.has('short')) {
    await run('short-a', shortSeconds);
    await run('short-b', shortSeconds);
    compare('short-a', 'short-b');
  }
} finally {
  await stack.stop();
}
console.error(`runs in ${reportDir}`);
