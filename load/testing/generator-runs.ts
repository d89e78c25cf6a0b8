// Generator runs whose truth is known, for the tests of `harness load merge` (load/merge.test.ts, in memory, and
// cli/commands/load-merge.int.test.ts, as folders): what `harness load --generators N --generator-index I` leaves
// behind, with hand-made samples and periods in place of an Artillery run's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorRun } from '../merge.ts';
import { getProfile, type Profile, warmupPhase } from '../profiles.ts';
import type { PeriodStats } from '../report.ts';
import { formatSample, SAMPLES_FILE, type Sample, WARMUP_SAMPLES_FILE } from '../samples.ts';
import { evaluateThresholds, measureSamples, type ThresholdSpec, thresholdsFromLimits } from '../thresholds.ts';

/** Every test's epoch: a whole 10 s period, so a period's key is easy to write (T0 + 10_000 * k). */
export const T0 = 1_800_000_000_000;

/** The thresholds the tests judge by: P95 <= 300 ms, error rate <= 1 %, and no failed check. */
export const TEST_THRESHOLDS: ThresholdSpec[] = thresholdsFromLimits({ p95LatencyMs: 300, maxErrorRatePct: 1 });

/** `count` requests of `ms` each, one every 100 ms from `from`, answered with `status`. */
export function requests(from: number, count: number, ms: number, status = 200): Sample[] {
  return Array.from({ length: count }, (_, i) => ({
    t: from + i * 100,
    endpoint: '/api/market/quotes/:symbol',
    ms,
    status,
  }));
}

/** One generator's run: its share of a smoke run with a 10 s warm-up, judged from `judgedFrom` to `endedAt`. */
export interface GeneratorShape {
  runId: string;
  index: number;
  of: number;
  /** Its judged start (its own warm-up boundary) and its end, ms. */
  judgedFrom: number;
  endedAt: number;
  samples: Sample[];
  warmupSamples?: Sample[];
  periods?: PeriodStats[];
  profile?: Profile;
  thresholds?: ThresholdSpec[];
  target?: string;
}

/** The run as readGeneratorRun reads it back from its folder; its own verdict judged on its own samples. */
export function generatorRun(shape: GeneratorShape, dir = `/nonexistent/generator-${shape.index}`): GeneratorRun {
  const profile = shape.profile ?? getProfile('smoke');
  const warmup = warmupPhase(profile)!;
  const thresholds = shape.thresholds ?? TEST_THRESHOLDS;
  const results = evaluateThresholds(thresholds, measureSamples(shape.samples));
  return {
    dir,
    summary: {
      runId: shape.runId,
      profile: profile.name,
      scenario: 'mix',
      target: shape.target ?? 'https://mystocks.example.com',
      startedAt: new Date(shape.judgedFrom).toISOString(),
      endedAt: new Date(shape.endedAt).toISOString(),
      verdict: results.every((r) => r.ok) ? 'pass' : 'fail',
      thresholds: results,
      requests: shape.samples.length,
      warmup: {
        seconds: warmup.durationSeconds,
        startedAt: new Date(shape.judgedFrom - warmup.durationSeconds * 1000).toISOString(),
        endedAt: new Date(shape.judgedFrom).toISOString(),
        requests: shape.warmupSamples?.length ?? 0,
      },
      journeyMix: {},
      periods: [],
      command: `harness load --profile smoke --generators ${shape.of} --generator-index ${shape.index} --run-id ${shape.runId}`,
      generator: { index: shape.index, of: shape.of, profile, warmup, thresholds, exit: { code: 0, signal: null } },
    },
    samples: shape.samples,
    warmupSamples: shape.warmupSamples ?? [],
    periods: shape.periods ?? [],
    output: '',
  };
}

/** Writes a generator's run folder as `harness load --generator-index` leaves it; returns the folder. */
export function writeGeneratorFolder(dir: string, shape: GeneratorShape): string {
  const run = generatorRun(shape, dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(run.summary, null, 2)}\n`);
  writeFileSync(join(dir, SAMPLES_FILE), run.samples.map(formatSample).join(''));
  writeFileSync(join(dir, WARMUP_SAMPLES_FILE), run.warmupSamples.map(formatSample).join(''));
  // The progress plugin's file: a phase start line among the periods, as Artillery's plugin writes it.
  const lines = [{ phaseStarted: { index: 1, startTime: shape.judgedFrom } }, ...run.periods];
  writeFileSync(join(dir, 'periods.jsonl'), lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  writeFileSync(join(dir, 'artillery.log'), `generator ${shape.index}: Artillery's console output\n`);
  return dir;
}

// Generator 0: warm-up from T0, judged from T0 + 10 s: 38 requests of 100 ms, one of 250, one of 1000.
// Alone, its P95 is the 38th of 40 (nearest rank: ceil(0.95 x 40) = 38): 100 ms, within 300.
const g0: GeneratorShape = {
  runId: 'load-1',
  index: 0,
  of: 2,
  judgedFrom: T0 + 10_000,
  endedAt: T0 + 40_000,
  samples: [...requests(T0 + 10_000, 38, 100), ...requests(T0 + 14_000, 1, 250), ...requests(T0 + 14_100, 1, 1000)],
  warmupSamples: requests(T0, 5, 2000),
  periods: [
    { period: T0, counters: { 'http.requests': 5, 'vusers.created_by_name.market-browsing': 1 } },
    { period: T0 + 10_000, counters: { 'http.requests': 40, 'vusers.created_by_name.market-browsing': 4 } },
  ],
};
// Generator 1, 3 s later: 8 requests of 120 ms, one of 200, one of 900. Alone, its P95 is the 10th of 10
// (ceil(9.5) = 10): 900 ms, above 300: it fails by itself.
const g1: GeneratorShape = {
  runId: 'load-1',
  index: 1,
  of: 2,
  judgedFrom: T0 + 13_000,
  endedAt: T0 + 45_000,
  samples: [...requests(T0 + 13_000, 8, 120), ...requests(T0 + 13_800, 1, 200), ...requests(T0 + 13_900, 1, 900)],
  warmupSamples: requests(T0 + 3_000, 5, 2000),
  periods: [
    { period: T0, counters: { 'http.requests': 3, 'vusers.created_by_name.trader-session': 1 } },
    { period: T0 + 10_000, counters: { 'http.requests': 12, 'vusers.created_by_name.trader-session': 1 } },
  ],
};
/**
 * Two generators of one smoke run, started 3 s apart, each with a slow (2000 ms) warm-up that must be left out:
 * generator 0 alone holds P95 <= 300 ms, generator 1 alone breaks it, the pooled requests hold it.
 */
export const TWO_GENERATORS: readonly [GeneratorShape, GeneratorShape] = [g0, g1];
