// `harness load merge`'s judge, in memory (load/merge.ts mergeGeneratorRuns): two generators of one smoke run,
// hand-made, started 3 s apart, each with a slow warm-up that must be left out. The numbers are counted by hand
// in load/testing/generator-runs.ts and below; the verdict must be that of judging the pooled samples directly (load/thresholds.ts), the one judge.
// Then a generator given no arrivals, on folders written as its pod leaves them (readGeneratorRun reads them back):
// accepted and left out of the evidence; and one given arrivals that wrote no samples, refused.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ProcessExit } from '../stack/process.ts';
import { type GeneratorRun, mergeGeneratorRuns, readGeneratorRun, scheduledArrivals, writeMergedRun } from './merge.ts';
import { getProfile, warmupPhase } from './profiles.ts';
import { SAMPLES_FILE, WARMUP_SAMPLES_FILE } from './samples.ts';
import {
  type GeneratorShape,
  generatorRun,
  requests,
  T0,
  TEST_THRESHOLDS,
  TWO_GENERATORS,
  writeGeneratorFolder,
} from './testing/generator-runs.ts';
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
    // Averaging the generators' own P95s (100 ms over 40 requests, 900 ms over 10), as a dashboard that averages
    // per-instance quantiles does, would say 500 ms and fail the run; the P95 of all the requests is 250 ms.
    const ownP95s = runs.map((run) => run.summary.thresholds.find((t) => t.name === 'latency-p95')!.value!);
    assert.equal(ownP95s.reduce((sum, value) => sum + value, 0) / ownP95s.length, 500);
    assert.notEqual(p95.value, 500);
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

describe('load merge: the arrivals each generator was scheduled, from its record (scheduledArrivals)', () => {
  const smoke = getProfile('smoke');
  const average = getProfile('average');
  const of = (profile: typeof smoke, count: number) =>
    Array.from({ length: count }, (_, index) =>
      scheduledArrivals({ index, of: count, profile, warmup: warmupPhase(profile)! }),
    );

  it('smoke, 3 journeys/s over 4: 1, 1, 1 and 0 a second, 10 s of warm-up and 60 s judged: 70, 70, 70 and 0', () => {
    assert.deepEqual(of(smoke, 4), [70, 70, 70, 0]);
  });

  it('average over 2 adds up to the profile: generator 1 gets no warm-up (1/s: 1 and 0) yet 735 journeys', () => {
    // Warm-up 10 s at 1/s: 10 and 0. Ramp-up 60 s, 1 -> 5 halved: 0.5 -> 2.5, mean 1.5, 90 each. Hold 300 s at
    // 5/s: 3 and 2, so 900 and 600. Ramp-down 30 s, 5 -> 1 halved: mean 1.5, 45 each. The whole: 10 + 60 x 3 +
    // 300 x 5 + 30 x 3 = 1780 = 1045 + 735.
    assert.deepEqual(of(average, 2), [1045, 735]);
  });
});

describe('load merge: a generator given no arrivals, on folders as the pods leave them', () => {
  const work = mkdtempSync(join(tmpdir(), 'load-merge-idle-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const [g0, g1] = TWO_GENERATORS;
  // Smoke's 3 journeys/s over 4 generators: 1, 1, 1 and 0. Generators 0 and 1 as in the tests above; generator 2,
  // 2 s after generator 0, sends 10 requests of 110 ms.
  const shapes: GeneratorShape[] = [
    { ...g0, of: 4 },
    { ...g1, of: 4 },
    {
      runId: 'load-1',
      index: 2,
      of: 4,
      judgedFrom: T0 + 12_000,
      endedAt: T0 + 44_000,
      samples: requests(T0 + 12_000, 10, 110),
      warmupSamples: requests(T0 + 2_000, 5, 2000),
      periods: [{ period: T0 + 10_000, counters: { 'http.requests': 10 } }],
    },
  ];

  /**
   * Generator 3 of 4 as its pod leaves it (load/merge.ts says why): its Artillery skipped both phases of rate 0,
   * had no worker and ended at once, here 3 s after the pod started, 5 s before generator 0 began its warm-up; no
   * progress line, so no warm-up boundary: load/run.ts records the judged window and the warm-up as that whole
   * span, and the run as inconclusive (it judged nothing). No samples.jsonl, warmup-samples.jsonl or periods.jsonl.
   */
  function writeIdleGenerator(dir: string, exit: ProcessExit = { code: 0, signal: null }): string {
    writeGeneratorFolder(dir, {
      runId: 'load-1',
      index: 3,
      of: 4,
      judgedFrom: T0 - 5_000,
      endedAt: T0 - 2_000,
      samples: [],
    });
    for (const file of [SAMPLES_FILE, WARMUP_SAMPLES_FILE, 'periods.jsonl']) rmSync(join(dir, file));
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as GeneratorRun['summary'];
    const log = join(dir, 'artillery.log');
    const idle: GeneratorRun['summary'] = {
      ...summary,
      verdict: 'inconclusive',
      problem: `Artillery produced no results after the warm-up (exit ${exit.code}); last lines of ${log}:\nUnknown phase spec definition, skipping.`,
      warmup: { ...summary.warmup!, startedAt: summary.startedAt, endedAt: summary.endedAt, requests: 0 },
      generator: { ...summary.generator, exit },
    };
    writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(idle, null, 2)}\n`);
    writeFileSync(log, 'Unknown phase spec definition, skipping.\n{"name":"warm-up","duration":10,"arrivalRate":0}\n');
    return dir;
  }

  const folders = (name: string) =>
    shapes.map((shape) => writeGeneratorFolder(join(work, name, `g${shape.index}`), shape));
  const p95Of = (results: readonly { name: string; value: number | null }[]) =>
    results.find((r) => r.name === 'latency-p95')!.value;

  it('is accepted and left out: generators 0-2 judged as the run, 60 requests, P95 200 ms; the window and warm-up are theirs', async () => {
    const dirs = [...folders('idle'), writeIdleGenerator(join(work, 'idle', 'g3'))];
    const runs = dirs.map(readGeneratorRun);
    assert.deepEqual(runs[3]!.samples, []);
    const merged = mergeGeneratorRuns(runs);
    assert.deepEqual(merged.idle, [3]);
    assert.equal(merged.count, 4);
    // Pooled, 60: 38 x 100, 10 x 110, 8 x 120, 200, 250, 900, 1000; P95 is the ceil(0.95 x 60) = 57th: 200 ms.
    assert.equal(merged.samples.length, 60);
    assert.equal(p95Of(merged.judgement.results), 200);
    assert.equal(merged.judgement.verdict, 'pass');
    assert.equal(merged.judgement.problem, undefined);
    const pooled = [...g0.samples, ...g1.samples, ...shapes[2]!.samples];
    assert.deepEqual(merged.judgement.results, evaluateThresholds(TEST_THRESHOLDS, measureSamples(pooled)));
    // Generator 3's span (T0 - 5 s .. T0 - 2 s) is in neither: the window starts at generator 0's judged start,
    // the warm-up at generator 0's own start.
    assert.deepEqual(merged.window, { startedAt: new Date(T0 + 10_000), endedAt: new Date(T0 + 45_000) });
    assert.equal(merged.warmupResult?.startedAt.getTime(), T0);
    assert.equal(merged.warmupResult?.requests, 15);
    const lines: string[] = [];
    const judged = await writeMergedRun(merged, {
      outDir: join(work, 'idle', 'merged'),
      command: 'harness load merge',
      log: (line) => lines.push(line),
    });
    assert.equal(
      lines[0],
      `load merge load-1: 4 generators (generator 3 scheduled no arrivals: nothing of it judged), 60 judged requests, window ${new Date(T0 + 10_000).toISOString()} .. ${new Date(T0 + 45_000).toISOString()}`,
    );
    assert.equal(judged.summary.generators, 4);
  });

  it('is left out even when its Artillery, with nothing to run, did not end well: the run is still judged', () => {
    const dirs = [
      ...folders('idle-exit'),
      writeIdleGenerator(join(work, 'idle-exit', 'g3'), { code: 1, signal: null }),
    ];
    const merged = mergeGeneratorRuns(dirs.map(readGeneratorRun));
    assert.deepEqual([merged.idle, merged.judgement.verdict, p95Of(merged.judgement.results)], [[3], 'pass', 200]);
  });

  it('a generator given arrivals that wrote no samples is refused, exit 2, naming its file and its 70 journeys', () => {
    const dirs = folders('broken');
    rmSync(join(dirs[1]!, SAMPLES_FILE));
    assert.throws(() => readGeneratorRun(dirs[1]!), {
      name: 'HarnessError',
      verdict: 'inconclusive',
      message: `${join(dirs[1]!, SAMPLES_FILE)}: no samples, yet generator 1 of 4 was scheduled 70 journeys (its share of the smoke profile, warm-up included): its Artillery sent no request, or its samples were lost`,
    });
  });
});
