// The warm-up against the real local stack, both ways (issue #11, point 5): on a freshly started stack a 20 s
// smoke load no longer fails cache-hit-rate from the first-touch misses of a cold cache, because the warm-up
// (its own Artillery run) fills the cache outside the judged window; and a real cache fault (Redis stopped,
// so only the 2 s in-process L1 serves) still fails it. The SLOs are judged as `harness verify` judges them:
// evaluateSlos over exactly the judged run's start and end, once Prometheus has scraped past the end.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { evaluateSlos, type SloReport } from '../slo/evaluate/evaluate.ts';
import { loadSloConfig } from '../slo/load.ts';
import { renderTable } from '../slo/report/render.ts';
import { startStack } from '../stack/index.ts';
import { API_ENTRY } from '../stack/local/api.ts';
import { waitForSamples } from '../stack/local/test-support.ts';
import { type LoadResult, runLoad } from './run.ts';

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
  });

  test('Redis stopped on a fresh stack: cache-hit-rate still fails after the warm-up', async () => {
    await using stack = await startStack('local', {});
    await stack.controls!.stopRedis();
    const result = await runLoad({
      profile: 'smoke',
      durationSeconds: 20,
      target: stack.info.apiUrl,
      reportDir,
      runId: 'test-warmup-redis-down',
      ...(log ? { log } : {}),
    });
    const report = await judge(stack.info.prometheusUrl!, result);
    assert.equal(cacheOf(report).status, 'fail', renderTable(report));
    assert.match(cacheOf(report).reason!, / % < 80 % \(burn rate /);
  });
});
