// `harness load merge`'s judge, in memory (load/merge.ts mergeGeneratorRuns): two generators of one smoke run,
// hand-made, started 3 s apart, each with a slow warm-up that must be left out. The numbers are counted by hand
// in load/testing/generator-runs.ts and below; the verdict must be that of judging the pooled samples directly (load/thresholds.ts), the one judge.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type GeneratorRun, mergeGeneratorRuns } from './merge.ts';
import { getProfile } from './profiles.ts';
import { generatorRun, T0, TEST_THRESHOLDS, TWO_GENERATORS } from './testing/generator-runs.ts';
import { evaluateThresholds, measureSamples, thresholdsFromLimits } from './thresholds.ts';

const [g0, g1] = TWO_GENERATORS;

describe('load merge: the generators of one run judged as one', () => {
  const runs = [generatorRun(g0), generatorRun(g1)];

  it('each generator alone: generator 0 holds P95 <= 300 ms (100 ms), generator 1 breaks it (900 ms)', () => {
    const p95 = (run: GeneratorRun) => run.summary.thresholds.find((t) => t.name === 'latency-p95')!.value;
    assert.deepEqual(runs.map(p95), [100, 900]);
    assert.deepEqual(
      runs.map((run) => run.summary.verdict),
      ['pass', 'fail'],
    );
  });

  it('pooled: P95 is 250 ms (the 48th of 50: 38 x 100, 8 x 120, 200, 250, 900, 1000), so the run passes', () => {
    const merged = mergeGeneratorRuns(runs);
    const p95 = merged.judgement.results.find((r) => r.name === 'latency-p95')!;
    assert.equal(p95.value, 250);
    assert.equal(p95.ok, true);
    assert.equal(merged.judgement.verdict, 'pass');
    assert.equal(merged.samples.length, 50);
    // The one judge: the same results as the thresholds measured on the pooled samples directly.
    const direct = evaluateThresholds(TEST_THRESHOLDS, measureSamples([...g0.samples, ...g1.samples]));
    assert.deepEqual(merged.judgement.results, direct);
    // The 2000 ms warm-up requests are in no threshold: each generator's were cut at its own boundary.
    assert.ok(merged.samples.every((s) => s.ms < 2000));
    assert.equal(merged.warmupSamples.length, 10);
  });

  it('the window runs from the earliest judged start to the latest end; the warm-up from the first to the last', () => {
    const merged = mergeGeneratorRuns([runs[1]!, runs[0]!]);
    assert.deepEqual(merged.window, { startedAt: new Date(T0 + 10_000), endedAt: new Date(T0 + 45_000) });
    assert.equal(merged.warmupResult?.startedAt.getTime(), T0);
    assert.equal(merged.warmupResult?.endedAt.getTime(), T0 + 13_000);
    assert.equal(merged.warmupResult?.requests, 10);
    assert.equal(merged.runId, 'load-1');
    assert.equal(merged.count, 2);
  });

  it("periods are merged as a local run's: counters summed, percentiles of the pooled samples, warm-up split off", () => {
    const { periods } = mergeGeneratorRuns(runs);
    assert.deepEqual(
      periods.warmup.map((p) => [p.period, p.counters?.['http.requests'], p.summaries?.['http.response_time']?.p95]),
      [[T0, 8, 2000]],
    );
    assert.deepEqual(
      periods.judged.map((p) => [p.period, p.counters?.['http.requests'], p.summaries?.['http.response_time']?.p95]),
      [[T0 + 10_000, 52, 250]],
    );
    assert.equal(periods.judged[0]!.counters?.['vusers.created_by_name.market-browsing'], 4);
  });

  it('a generator whose Artillery did not end well makes the run inconclusive, as in a local run', () => {
    const broken = generatorRun(g1);
    broken.summary.generator.exit = { code: 1, signal: null };
    broken.output = 'Error: worker crashed\n';
    const merged = mergeGeneratorRuns([runs[0]!, broken]);
    assert.equal(merged.judgement.verdict, 'inconclusive');
    assert.match(merged.judgement.problem ?? '', /^Artillery ended with 1 before the run was over; last lines of /);
    assert.match(merged.judgement.problem ?? '', /Error: worker crashed/);
  });
});

describe('load merge: folders that are not one run’s generators are refused, each named', () => {
  const refused = (runs: GeneratorRun[], message: string) =>
    assert.throws(() => mergeGeneratorRuns(runs), { name: 'HarnessError', message });

  it('another run id, another --generators count, another profile, another threshold set', () => {
    refused(
      [generatorRun(g0, '/r/a'), generatorRun({ ...g1, runId: 'load-2' }, '/r/b')],
      `not one run's generators: /r/b has run id "load-2", /r/a has "load-1"`,
    );
    refused(
      [generatorRun(g0, '/r/a'), generatorRun({ ...g1, of: 3 }, '/r/b')],
      `not one run's generators: /r/b has --generators 3, /r/a has 2`,
    );
    refused(
      [generatorRun(g0, '/r/a'), generatorRun({ ...g1, profile: getProfile('average') }, '/r/b')],
      `not one run's generators: /r/b has another profile (phases, warm-up) than /r/a`,
    );
    refused(
      [
        generatorRun(g0, '/r/a'),
        generatorRun({ ...g1, thresholds: thresholdsFromLimits({ p95LatencyMs: 500, maxErrorRatePct: 1 }) }, '/r/b'),
      ],
      `not one run's generators: /r/b has another threshold set than /r/a`,
    );
  });

  it('a generator missing, or given twice', () => {
    refused([generatorRun(g0, '/r/a')], 'generator 1 of 2 is missing: the folders given are generators 0');
    refused(
      [generatorRun(g0, '/r/a'), generatorRun(g0, '/r/b'), generatorRun(g1, '/r/c')],
      'generator 0 of 2 is given twice: /r/a and /r/b',
    );
  });
});
