// The breakpoint with 1 and then 2 API worker processes, back to back on this machine, each with its saturation
// read-out (docs/performance.md, "API workers"). Each round starts its own local stack, checks that /metrics
// really aggregates that many workers (one `worker` label per process), runs the breakpoint ramp stretched to
// BREAKPOINT_SECONDS (default 180), prints the summary's figures and stops the stack.
//   node bench/load/breakpoint-workers.ts [seconds]
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from '../../cli/load-run.ts';
import { startStack } from '../../stack/index.ts';

const seconds = Number(process.argv[2] ?? process.env.BREAKPOINT_SECONDS ?? 180);
process.env.HARNESS_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'harness-bench-state-'));
const reportDir = process.env.BENCH_REPORT_DIR ?? mkdtempSync(join(tmpdir(), 'harness-bench-breakpoint-'));
const results = [];
for (const workers of [1, 2]) {
  const stack = await startStack('local', { apiEnv: { MYSTOCKS_API_WORKERS: String(workers) } });
  try {
    const metrics = await (
      await fetch(`${stack.info.metricsUrl}/metrics`, { signal: AbortSignal.timeout(15_000) })
    ).text();
    const workerLabels = new Set(
      [...metrics.matchAll(/process_cpu_seconds_total\{[^}]*worker="(\d+)"/g)].map((m) => m[1]),
    );
    console.error(`${workers} worker(s): /metrics shows process series for workers [${[...workerLabels].join(', ')}]`);
    const before = loadavg()[0];
    const result = await runLoad({
      profile: 'breakpoint',
      durationSeconds: seconds,
      target: stack.info.apiUrl,
      ...(stack.info.pushgatewayUrl ? { pushgatewayUrl: stack.info.pushgatewayUrl } : {}),
      ...(stack.info.prometheusUrl ? { prometheusUrl: stack.info.prometheusUrl } : {}),
      reportDir,
      runId: `breakpoint-${workers}w-${Date.now()}`,
      log: (line) => console.error(line),
    });
    results.push({
      workers,
      workerLabels: [...workerLabels],
      loadAverageBefore: before,
      loadAverageAfter: loadavg()[0],
      summary: result.summaryPath,
      breakpoint: result.breakpoint,
    });
  } finally {
    await stack.stop();
  }
}
console.log(JSON.stringify(results, null, 2));
