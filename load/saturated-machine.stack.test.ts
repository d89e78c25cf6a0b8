// A saturated machine is not a slow service (issue #11, point 6), on the real local stack with a CPU hog
// beside the run: busy-loop children that this test starts and stops (bounded to the run; one per core).
// Healthy service + hog: latency-p95 and latency-300ms never fail (pass, or inconclusive saying why).
// 400 ms added to /api/market/quotes + the same hog: latency-p95 fails, the fault being clearly above the
// noise that the /healthz control measures in the same window, in the service's histogram and as the load's
// own probes timed it. Judged as `harness verify` judges: the seed SLOs over the judged load window, with the
// load's probes. One stack for both runs, the fault set through the API's admin route.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runLoad } from '../cli/load-run.ts';
import { renderTable } from '../report/slo/render.ts';
import { evaluateSlos, type SloReport } from '../slo/evaluate/evaluate.ts';
import { loadSloConfig } from '../slo/load.ts';
import { API_ENTRY } from '../stack/local/api.ts';
import { sharedFaultStack, waitForSamples } from '../stack/local/test-support.ts';
import type { FaultSpec } from '../stack/types.ts';

process.env.HARNESS_STATE_DIR = mkdtempSync(join(tmpdir(), 'harness-saturation-test-state-'));
const reportDir = mkdtempSync(join(tmpdir(), 'harness-saturation-test-reports-'));
const skip = existsSync(API_ENTRY) ? false : `the reference API (${API_ENTRY}) is not there yet`;
const log = process.env.LOAD_TEST_VERBOSE ? (line: string) => console.error(line) : undefined;

/** One busy loop per core, each ending itself after `seconds` even if this test dies. */
function startHog(seconds: number): { stop(): void } {
  const children: ChildProcess[] = [];
  for (let i = 0; i < availableParallelism(); i++) {
    children.push(
      spawn(process.execPath, ['-e', `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {}`], {
        stdio: 'ignore',
      }),
    );
  }
  return {
    stop() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

const shared = sharedFaultStack({}, skip);

/** A 20 s smoke load with the hog beside it and `faults` set on the shared stack (cleared again), judged. */
async function loadWithHog(faults: FaultSpec[], runId: string): Promise<SloReport> {
  const { apiUrl, prometheusUrl } = shared.stack.info;
  // Bounded well past the run (warm-up and Artillery's start included); stopped as soon as the load ends.
  const hog = startHog(600);
  const result = await shared
    .withFaults(faults, () =>
      runLoad({
        profile: 'smoke',
        durationSeconds: 20,
        // No warm-up: this test is about latency under a hog, and a warm-up is a second Artillery start.
        warmupSeconds: 0,
        target: apiUrl,
        reportDir,
        runId,
        ...(log ? { log } : {}),
      }),
    )
    .finally(() => hog.stop());
  assert.ok(prometheusUrl, 'the local stack has a Prometheus');
  const end = result.endedAt.getTime() / 1000;
  await waitForSamples(prometheusUrl, 'max(timestamp(up{job="mystocks-api"}))', (s) => Number(s.value[1]) >= end);
  const { model } = await loadSloConfig();
  // As `harness verify` passes them: the load's own /healthz probes of the judged window (cli/verify/stages.ts).
  const probedMs = result.machine?.healthzP95Ms;
  return await evaluateSlos(model, {
    prometheusUrl,
    start: result.startedAt,
    end: result.endedAt,
    ...(typeof probedMs === 'number' ? { probes: { '/healthz': probedMs / 1000 } } : {}),
  });
}

const latencyOf = (report: SloReport) => report.slos.find((slo) => slo.name === 'latency-p95')!;

describe('a CPU hog beside the run', { skip }, () => {
  test('healthy service + hog: latency-p95 and latency-300ms pass or are inconclusive, never fail', async () => {
    const report = await loadWithHog([], 'test-hog-healthy');
    // Both latency SLOs: the quantile bound, and the share within 300 ms (latency-300ms, whose noise rule reads
    // the share within 300 ms plus the machine's noise, slo/evaluate/latency-noise.ts).
    for (const name of ['latency-p95', 'latency-300ms']) {
      const latency = report.slos.find((slo) => slo.name === name)!;
      assert.notEqual(latency.status, 'fail', renderTable(report));
      if (latency.status === 'inconclusive') assert.match(latency.reason!, /machine saturated: |too few|\d+ events/);
      assert.ok(latency.control && latency.control.value !== null, `${name}: the /healthz control was measured`);
    }
  });

  test('400 ms on /api/market/quotes + hog: latency-p95 fails, clearly above the noise', async () => {
    const report = await loadWithHog([{ route: '/api/market/quotes', latencyMs: 400 }], 'test-hog-fault');
    const latency = latencyOf(report);
    assert.equal(latency.status, 'fail', renderTable(report));
    assert.equal(report.status, 'fail');
    assert.match(latency.reason!, /above the machine's noise \(\/healthz P95 /);
    // The load's own probes were weighed too (as `harness verify` weighs them), and the fault stands above them.
    assert.equal(typeof latency.control?.probed, 'number', 'the probed /healthz P95 reached the gate');
  });
});
