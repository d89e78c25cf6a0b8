// The warm-up against the real local stack (issue #11, point 5): on a freshly started stack a 20 s smoke load no
// longer fails cache-hit-rate from the first-touch misses of a cold cache, because the warm-up (the run's first
// phase) fills the cache outside the judged window, and the run's samples are cut exactly at its end. The SLOs
// are judged as `harness verify` judges them: evaluateSlos over exactly the judged window's start and end, once
// Prometheus has scraped past the end. That a real cache fault still fails with the warm-up in the run (Redis
// stopped during the warm-up phase) is cli/verify.stack.test.ts's Redis case.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { runLoad } from '../cli/load-run.ts';
import { renderTable } from '../report/slo/render.ts';
import { evaluateSlos, type SloReport } from '../slo/evaluate/evaluate.ts';
import { loadSloConfig } from '../slo/load.ts';
import { startStack } from '../stack/index.ts';
import { API_ENTRY } from '../stack/local/api.ts';
import { waitForSamples } from '../stack/local/test-support.ts';
import type { LoadResult } from './run.ts';
import { readSamples, SAMPLES_FILE, WARMUP_SAMPLES_FILE } from './samples.ts';

process.env.HARNESS_STATE_DIR = mkdtempSync(join(tmpdir(), 'harness-warmup-test-state-'));
const reportDir = mkdtempSync(join(tmpdir(), 'harness-warmup-test-reports-'));
const skip = existsSync(API_ENTRY) ? false : `the reference API (${API_ENTRY}) is not there yet`;
const log = process.env.LOAD_TEST_VERBOSE ? (line: string) => console.error(line) : undefined;

/** The seed SLOs over the judged window of a load run, after Prometheus scraped past its end. */
async function judge(prometheusUrl: string, result: LoadResult): Promise<SloReport> {
  const end = result.endedAt.getTime() / 1000;
  await waitForSamples(prometheusUrl, 'max(timestamp(up{job="mystocks-api"}))', (s) => Number(s.value[1]) >= end);
  const { model } = await loadSloConfig();
  return evaluateSlos(model, {
    prometheusUrl,
    start: result.startedAt,
    end: result.endedAt,
    ...(result.warmup ? { warmup: { start: result.warmup.startedAt, end: result.warmup.endedAt } } : {}),
  });
}

const cacheOf = (report: SloReport) => report.slos.find((slo) => slo.name === 'cache-hit-rate')!;

describe('the warm-up keeps first-touch misses out of the judged window', { skip }, () => {
  test('a fresh stack and a 20 s smoke load: cache-hit-rate passes, the reports show both windows', async () => {
    await using stack = await startStack('local', {});
    const result = await runLoad({
      profile: 'smoke',
      durationSeconds: 20,
      target: stack.info.apiUrl,
      reportDir,
      runId: 'test-warmup-fresh',
      ...(log ? { log } : {}),
    });
    assert.ok(result.warmup, 'the smoke profile warms up by default');
    assert.ok(result.warmup.requests > 0, 'the warm-up sent requests');
    assert.ok(result.warmup.endedAt <= result.startedAt, 'the warm-up ends before the judged window starts');
    const report = await judge(stack.info.prometheusUrl!, result);
    const cache = cacheOf(report);
    assert.equal(cache.status, 'pass', renderTable(report));
    const table = renderTable(report);
    assert.match(table, /warm-up \(not judged\): \S+ \.\. \S+ \(\d+\.\d s\)/);
    assert.match(table, /judged window: \S+ \.\. \S+ \(\d+\.\d s\)/);
    assert.match(readFileSync(result.summaryPath, 'utf8'), /- warm-up 10 s from .* \(not judged\)/);
    // The samples are cut at the boundary: the judged window's from its start on, the warm-up's before it, and
    // the warm-up's are the requests the result counts for it.
    const runDir = dirname(result.summaryPath);
    const judged = readSamples(join(runDir, SAMPLES_FILE));
    const warmup = readSamples(join(runDir, WARMUP_SAMPLES_FILE));
    const boundary = result.startedAt.getTime();
    assert.ok(
      judged.length > 0 && judged.every((sample) => sample.t >= boundary),
      'judged samples start at the boundary',
    );
    assert.ok(
      warmup.every((sample) => sample.t < boundary),
      'warm-up samples end before it',
    );
    assert.equal(warmup.length, result.warmup.requests);
  });
});
