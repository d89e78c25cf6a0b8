// Browser-level load judged by Web Vitals, shown both ways on the real local stack: a healthy run, then the same
// run with a latency fault on the API route the market page waits for (docs/performance.md, "Web Vitals").
//   node bench/load/browser-vitals.ts [seconds] [latencyMs]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from '../../load/run.ts';
import { putFaults } from '../../stack/admin-faults.ts';
import { startStack } from '../../stack/index.ts';

const seconds = Number(process.argv[2] ?? 36);
const latencyMs = Number(process.argv[3] ?? 3000);
const token = randomBytes(24).toString('hex');
process.env.HARNESS_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'harness-bench-state-'));
const reportDir = process.env.BENCH_REPORT_DIR ?? mkdtempSync(join(tmpdir(), 'harness-bench-browser-'));
const stack = await startStack('local', { faultsAdminToken: token, withPrometheus: false });
try {
  for (const faults of [[], [{ route: '/api/market/quotes', latencyMs }]]) {
    await putFaults(stack.info.apiUrl, token, faults);
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
