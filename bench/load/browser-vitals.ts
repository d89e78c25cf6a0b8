// Browser-level load judged by Web Vitals, shown both ways on the real local stack: a healthy run, then the same
// run with a latency fault on the API route the market page waits for (docs/performance.md, "Web Vitals").
//   node bench/load/browser-vitals.ts [seconds] [latencyMs]
import { readFileSync } from 'node:fs';
import { runLoad } from '../../cli/load-run.ts';
import { startFaultStack } from './fault-stack.ts';

const seconds = Number(process.argv[2] ?? 36);
const latencyMs = Number(process.argv[3] ?? 3000);
const { stack, reportDir, setFaults } = await startFaultStack('harness-bench-browser-');
try {
  for (const faults of [[], [{ route: '/api/market/quotes', latencyMs }]]) {
    await setFaults(faults);
    const result = await runLoad({
      profile: 'smoke',
      scenario: 'browser',
      durationSeconds: seconds,
      target: stack.info.apiUrl,
      reportDir,
      runId: `browser-${faults.length === 0 ? 'healthy' : 'slow-quotes'}-${Date.now()}`,
      log: (line) => console.error(line),
    });
    console.log(
      `\n===== faults ${JSON.stringify(faults)}: verdict ${result.verdict}\n${readFileSync(result.summaryPath, 'utf8')}`,
    );
  }
} finally {
  await stack.stop();
}
