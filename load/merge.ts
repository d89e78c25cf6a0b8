// `harness load merge DIR...`: the N generator runs of one load run (`harness load --generators N --generator-index I
// --run-id R`, each a pod of deploy/k8s/load-generator's Indexed Job, each judged on its own share) judged as one
// run, by the same judge as `harness load --generators N` on one machine (load/run.ts judgeRun):
// - the thresholds on the pooled samples: each generator's samples.jsonl, which already holds only the samples
//   after its own warm-up boundary (its warm-up's are in warmup-samples.jsonl), so each is cut at its own;
// - the judged window from the earliest judged start to the latest end (the pods start seconds apart);
// - the periods merged as a local run merges its generators' (mergePeriods, then withSampleLatency over the
//   pooled samples), split off the warm-up at the window's start, as a local run splits at its own.
// What each generator's folder must hold for this is its summary.json's `generator` record (GeneratorRecord).
// No saturation read-out (each pod's CPU readings are its own) and no machine noise are merged.
//
// A generator can be given nothing: load/profiles.ts generatorPhases splits a whole rate into whole arrivals, so
// smoke's 3 journeys/s over 4 generators is 1, 1, 1 and 0 in every phase, warm-up included. Such a generator sends
// nothing and writes no samples.jsonl (load/run.ts splits the samples file only when it exists). Its Artillery
// has nothing to run either: each of its phases is a pause (generatorPhases), and artillery 2.0.34, sharing the
// phases among its local workers (lib/dist.js divideWork), keeps no worker whose every phase is idle (a pause is,
// lib/core/is-idle-phase.js), so it starts no worker and ends at once, without waiting out its pauses (divideWork
// proven in load/units.test.ts; the end read in lib/launch-platform.js: 0 of 0 workers done). The pod's
// summary.json records a start and an end seconds apart, outside the other pods' judged windows.
// That it was given nothing is read from its own record (profile, warm-up, index, count: scheduledArrivals), not
// from the missing file, so a pod that was given arrivals and wrote no samples is still refused (a broken pod).
// An idle generator is one of the N (the merge still needs every index), but nothing of it is judged: neither
// its times, which would stretch the window, nor how its Artillery ended, nor its (empty) evidence.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { HarnessError } from '../core/outcome.ts';
import { checkRunId } from '../core/run-id.ts';
import type { ProcessExit } from '../stack/process.ts';
import { generatorPhases, isPause, type Phase, type Profile, toArtilleryPhases } from './profiles.ts';
import {
  type GeneratorRecord,
  journeyMix,
  mergePeriods,
  type PeriodStats,
  type RunSummary,
  summarizePeriods,
  withSampleLatency,
} from './report.ts';
import {
  aggregateOfPeriods,
  BROWSER_SCENARIO,
  type JudgedLoadRun,
  type Judgement,
  judgeRun,
  type LoadResult,
  profileWarmPhaseSeconds,
  runPaths,
  splitPeriods,
  type WarmupResult,
  warmupPeriods,
} from './run.ts';
import { formatSample, readSamples, SAMPLES_FILE, type Sample, WARMUP_SAMPLES_FILE } from './samples.ts';
import type { ThresholdSpec } from './thresholds.ts';

/** One generator's run folder as `harness load --generator-index` left it, read. */
export interface GeneratorRun {
  dir: string;
  summary: RunSummary & { generator: GeneratorRecord };
  /** Its judged samples (samples.jsonl: after its own warm-up boundary). */
  samples: Sample[];
  /** Its warm-up's samples (warmup-samples.jsonl; none without a warm-up). */
  warmupSamples: Sample[];
  /** Its 10 s periods (periods.jsonl), warm-up included. */
  periods: PeriodStats[];
  /** Its Artillery log (artillery.log), for the reason when the merged run produced nothing. */
  output: string;
}

/** What the generators have in common, checked: one run's. */
interface OneRun {
  runId: string;
  count: number;
  profile: Profile;
  warmup?: Phase;
  thresholds: ThresholdSpec[];
  scenario: string;
  target: string;
}

/** The N generators as one run: its evidence and its judgement, before any file is written. */
export interface MergedRun extends OneRun {
  /** The indexes of the generators that were scheduled no arrivals and sent none: nothing of them is judged. */
  idle: number[];
  window: { startedAt: Date; endedAt: Date };
  /** The pooled judged samples, in time order. */
  samples: Sample[];
  /** The pooled warm-up samples, in time order. */
  warmupSamples: Sample[];
  /** The merged periods, judged and warm-up. */
  periods: { judged: PeriodStats[]; warmup: PeriodStats[] };
  warmupResult?: WarmupResult;
  judgement: Judgement;
}

/**
 * The run folder a DIR names: DIR itself when it holds a summary.json, else the one run folder among its
 * children or its load/ folder's (a pod's HARNESS_REPORTS_DIR, /reports/generator-I, holds load/R/). None, or
 * several, is refused: which run was meant is not guessed.
 */
export function runFolderOf(given: string): string {
  const dir = resolve(given);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new HarnessError(`${given}: no such folder`);
  if (existsSync(join(dir, 'summary.json'))) return dir;
  const runsIn = (parent: string): string[] =>
    existsSync(parent) && statSync(parent).isDirectory()
      ? readdirSync(parent, { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && existsSync(join(parent, entry.name, 'summary.json')))
          .map((entry) => join(parent, entry.name))
      : [];
  const runs = [...runsIn(dir), ...runsIn(join(dir, 'load'))];
  if (runs.length === 1) return runs[0]!;
  throw new HarnessError(
    runs.length === 0
      ? `${given}: not a load run's folder: no summary.json in it, nor in one folder inside it or inside its load/`
      : `${given}: holds ${runs.length} run folders (${runs.join(', ')}): name the one of this run`,
  );
}

/**
 * The journeys generator `record.index` of `record.of` was scheduled, warm-up included: its share of every phase
 * as load/run.ts planned it (the warm-up, then the profile's phases, each divided by generatorPhases), a constant
 * phase's rate x its seconds, a ramp's mean rate (the mean of its ends) x its seconds, a pause (a share of
 * nothing) 0. 0 exactly when every share is a pause: smoke's 3 journeys/s over 4 generators gives generator 3
 * nothing, a 10 s and a 60 s pause.
 */
export function scheduledArrivals(record: Pick<GeneratorRecord, 'index' | 'of' | 'profile' | 'warmup'>): number {
  const { profile, warmup, of, index } = record;
  const phases = toArtilleryPhases({ ...profile, phases: [...(warmup ? [warmup] : []), ...profile.phases] });
  return generatorPhases(phases, of, index).reduce(
    (sum, phase) =>
      isPause(phase) ? sum : sum + ((phase.arrivalRate + (phase.rampTo ?? phase.arrivalRate)) / 2) * phase.duration,
    0,
  );
}

/**
 * Reads one generator's run folder (runFolderOf); a folder that is not one generator's run is refused. A folder
 * without samples.jsonl is read as no samples only when its generator was scheduled no arrivals
 * (scheduledArrivals); one that was scheduled some and wrote none is refused, naming the file and the count.
 */
export function readGeneratorRun(given: string): GeneratorRun {
  const dir = runFolderOf(given);
  const summaryFile = join(dir, 'summary.json');
  const summary = located(() => JSON.parse(readFileSync(summaryFile, 'utf8')) as Partial<RunSummary>, summaryFile);
  const record = summary.generator;
  if (
    record === undefined ||
    !Number.isInteger(record.index) ||
    !Number.isInteger(record.of) ||
    !Array.isArray(record.thresholds) ||
    !Array.isArray(record.profile?.phases)
  ) {
    throw new HarnessError(
      `${summaryFile}: no generator record (index, count, profile, thresholds): not a run of 'harness load --generators N --generator-index I', or one recorded before 'harness load merge' existed`,
    );
  }
  checkRunId(String(summary.runId), `${summaryFile}: runId`);
  const samplesFile = join(dir, SAMPLES_FILE);
  const hasSamples = existsSync(samplesFile);
  if (!hasSamples) {
    const scheduled = scheduledArrivals(record);
    if (scheduled > 0) {
      const journeys = Number.isInteger(scheduled) ? `${scheduled}` : `about ${Math.round(scheduled)}`;
      throw new HarnessError(
        `${samplesFile}: no samples, yet generator ${record.index} of ${record.of} was scheduled ${journeys} journeys (its share of the ${record.profile.name} profile${record.warmup ? ', warm-up included' : ''}): its Artillery sent no request, or its samples were lost`,
      );
    }
  }
  const warmupFile = join(dir, WARMUP_SAMPLES_FILE);
  const periodsFile = join(dir, 'periods.jsonl');
  const logFile = join(dir, 'artillery.log');
  return {
    dir,
    summary: summary as GeneratorRun['summary'],
    samples: hasSamples ? located(() => readSamples(samplesFile)) : [],
    warmupSamples: existsSync(warmupFile) ? located(() => readSamples(warmupFile)) : [],
    periods: existsSync(periodsFile) ? located(() => readPeriods(periodsFile), periodsFile) : [],
    output: existsSync(logFile) ? readFileSync(logFile, 'utf8') : '',
  };
}

/**
 * A file that cannot be read as what it should hold is refused (exit 2), named: `file` is put before the message
 * (readSamples names its file and line itself).
 */
function located<T>(read: () => T, file?: string): T {
  try {
    return read();
  } catch (error) {
    throw new HarnessError(`${file === undefined ? '' : `${file}: `}${(error as Error).message}`);
  }
}

/** A periods.jsonl as the progress plugin writes it: the 10 s periods, its phase-start lines left out. */
export function readPeriods(file: string): PeriodStats[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as PeriodStats | { phaseStarted: unknown })
    .filter((entry): entry is PeriodStats => !('phaseStarted' in entry));
}

/**
 * The generators, checked to be one run's: one run id, one count N, every index from 0 to N-1 once, one profile
 * (phases, warm-up, scenario), one threshold set and one target. Each refusal names the folders that differ.
 */
function oneRun(runs: readonly GeneratorRun[]): OneRun {
  const first = runs[0];
  if (first === undefined) throw new HarnessError('give the report folders of the generators of one run');
  // A figure is shown as it is ("run id 'a', ... 'b'"); a profile or a threshold set is only said to differ.
  const same = (what: string, of: (run: GeneratorRun) => unknown): void => {
    const other = runs.find((run) => !isDeepStrictEqual(of(run), of(first)));
    if (other === undefined) return;
    const value = of(other);
    throw new HarnessError(
      typeof value === 'object'
        ? `not one run's generators: ${other.dir} has another ${what} than ${first.dir}`
        : `not one run's generators: ${other.dir} has ${what} ${JSON.stringify(value)}, ${first.dir} has ${JSON.stringify(of(first))}`,
    );
  };
  same('run id', (run) => run.summary.runId);
  same('--generators', (run) => run.summary.generator.of);
  same('profile (phases, warm-up)', (run) => [run.summary.generator.profile, run.summary.generator.warmup ?? null]);
  same('scenario', (run) => run.summary.scenario);
  same('threshold set', (run) => run.summary.generator.thresholds);
  same('target', (run) => run.summary.target);
  const count = first.summary.generator.of;
  for (let index = 0; index < count; index++) {
    const given = runs.filter((run) => run.summary.generator.index === index);
    if (given.length > 1) {
      throw new HarnessError(`generator ${index} of ${count} is given twice: ${given.map((g) => g.dir).join(' and ')}`);
    }
    if (given.length === 0) {
      const have = runs.map((run) => run.summary.generator.index).sort((a, b) => a - b);
      throw new HarnessError(
        `generator ${index} of ${count} is missing: the folders given are generators ${have.join(', ')}`,
      );
    }
  }
  if (runs.length > count) throw new HarnessError(`${runs.length} folders given for a run of ${count} generators`);
  if (first.summary.scenario === BROWSER_SCENARIO) {
    throw new HarnessError('the browser scenario runs one generator: there is nothing to merge');
  }
  const { profile, warmup, thresholds } = first.summary.generator;
  return {
    runId: first.summary.runId,
    count,
    profile,
    ...(warmup ? { warmup } : {}),
    thresholds,
    scenario: first.summary.scenario,
    target: first.summary.target,
  };
}

/**
 * The generators' runs as one judged run (pure): checked to be one run's (else a HarnessError, exit 2), their
 * evidence pooled, and judged by load/run.ts judgeRun.
 */
export function mergeGeneratorRuns(runs: readonly GeneratorRun[]): MergedRun {
  const run = oneRun(runs);
  // A generator given nothing, that sent nothing, is left out of the evidence (the file's comment says why). Were
  // every one idle (no run's shares add up so), all would be kept, and the judge would find no request.
  const isIdle = (r: GeneratorRun) =>
    r.samples.length === 0 && r.warmupSamples.length === 0 && scheduledArrivals(r.summary.generator) === 0;
  const idle = runs.filter(isIdle);
  const judged = idle.length < runs.length ? runs.filter((r) => !isIdle(r)) : runs;
  const byTime = (a: Sample, b: Sample) => a.t - b.t;
  const samples = judged.flatMap((r) => r.samples).sort(byTime);
  const warmupSamples = judged.flatMap((r) => r.warmupSamples).sort(byTime);
  const window = {
    startedAt: new Date(Math.min(...judged.map((r) => Date.parse(r.summary.startedAt)))),
    endedAt: new Date(Math.max(...judged.map((r) => Date.parse(r.summary.endedAt)))),
  };
  // As a local run of N generators: counters summed per period, each period's percentiles from the pooled samples.
  const all = withSampleLatency(mergePeriods(judged.map((r) => r.periods)), [...warmupSamples, ...samples]);
  const periods = run.warmup ? splitPeriods(all, window.startedAt.getTime()) : { judged: all, warmup: [] };
  const warmupResult = run.warmup
    ? mergedWarmup(judged, { phase: run.warmup, requests: warmupSamples.length, periods: periods.warmup, window })
    : undefined;
  // The first generator that did not end well speaks for the run, as in a local run of several.
  const exits: ProcessExit[] = judged.map((r) => r.summary.generator.exit);
  const judgement = judgeRun(
    {
      browser: false,
      thresholds: run.thresholds,
      profile: run.profile,
      ...(run.warmup ? { warmup: run.warmup } : {}),
      generators: judged.map((r) => ({ log: join(r.dir, 'artillery.log') })),
    },
    { exit: exits.find((exit) => exit.code !== 0) ?? exits[0]!, output: judged.map((r) => r.output).join('\n') },
    { samples, periods: periods.judged },
  );
  return {
    ...run,
    idle: idle.map((r) => r.summary.generator.index).sort((a, b) => a - b),
    window,
    samples,
    warmupSamples,
    periods,
    ...(warmupResult ? { warmupResult } : {}),
    judgement,
  };
}

/**
 * The generators' warm-ups as one: from the first to start to the last to end (a generator that recorded none
 * leaves the judged window's start in its place).
 */
function mergedWarmup(
  runs: readonly GeneratorRun[],
  merged: { phase: Phase; requests: number; periods: PeriodStats[]; window: MergedRun['window'] },
): WarmupResult {
  const { phase, requests, periods, window } = merged;
  const at = (pick: (w: NonNullable<RunSummary['warmup']>) => string) =>
    runs.map((r) => (r.summary.warmup ? Date.parse(pick(r.summary.warmup)) : window.startedAt.getTime()));
  return {
    seconds: phase.durationSeconds,
    startedAt: new Date(Math.min(...at((w) => w.startedAt))),
    endedAt: new Date(Math.max(...at((w) => w.endedAt))),
    requests,
    periods,
  };
}

/** Where the merged run's files go, and the command that made it. */
export interface MergeOutput {
  outDir: string;
  /** The command as typed (shell-quoted), recorded in the summary. */
  command: string;
  log: (line: string) => void;
}

/**
 * Writes the merged run's own evidence into its folder, a run folder like any other (samples.jsonl and
 * warmup-samples.jsonl pooled, artillery.json from the merged periods), so `harness load compare` reads it, and
 * returns the judged run for report/load/publish.ts publishLoadRun. A folder that holds anything is refused.
 */
export async function writeMergedRun(merged: MergedRun, output: MergeOutput): Promise<JudgedLoadRun> {
  const { outDir, command, log } = output;
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw new HarnessError(`${outDir} already holds files: give another --out (a run's folder is never rewritten)`);
  }
  await mkdir(outDir, { recursive: true });
  const paths = runPaths(outDir);
  await writeFile(paths.samples, merged.samples.map(formatSample).join(''));
  if (merged.warmup) await writeFile(paths.warmupSamples, merged.warmupSamples.map(formatSample).join(''));
  const intermediate = [...merged.periods.warmup, ...merged.periods.judged];
  const aggregate = aggregateOfPeriods(intermediate);
  await writeFile(paths.report, `${JSON.stringify({ aggregate, intermediate }, null, 2)}\n`);
  const { verdict, results, problem } = merged.judgement;
  const { profile, window, warmupResult } = merged;
  const idle =
    merged.idle.length === 0
      ? ''
      : ` (${merged.idle.length === 1 ? 'generator' : 'generators'} ${merged.idle.join(', ')} scheduled no arrivals: nothing of ${merged.idle.length === 1 ? 'it' : 'them'} judged)`;
  log(
    `load merge ${merged.runId}: ${merged.count} generators${idle}, ${merged.samples.length} judged requests, window ${window.startedAt.toISOString()} .. ${window.endedAt.toISOString()}`,
  );
  const warmPhaseSeconds = profileWarmPhaseSeconds(profile);
  const summary: RunSummary = {
    runId: merged.runId,
    profile: profile.name,
    scenario: merged.scenario,
    target: merged.target,
    startedAt: window.startedAt.toISOString(),
    endedAt: window.endedAt.toISOString(),
    verdict,
    thresholds: results,
    requests: merged.samples.length,
    ...(warmupResult ? { warmup: summaryWarmup(warmupResult, merged.periods.judged, profile) } : {}),
    generators: merged.count,
    journeyMix: journeyMix(merged.periods.judged),
    periods: summarizePeriods(merged.periods.judged, profile),
    ...(problem ? { problem } : {}),
    command,
    ...(warmPhaseSeconds === undefined ? {} : { warmPhaseSeconds }),
  };
  const result: LoadResult = {
    verdict,
    runId: merged.runId,
    ...window,
    ...(warmupResult ? { warmup: warmupResult } : {}),
    thresholds: results,
    reportPath: paths.report,
    summaryPath: paths.summary,
    summaryJsonPath: paths.summaryJson,
    htmlPath: paths.html,
    ...(problem ? { problem } : {}),
  };
  return { result, summary, allureResultsDir: join(outDir, 'allure-results'), log };
}

/** The warm-up as summary.json says it: times as text, its periods on the judged run's time axis. */
function summaryWarmup(
  warmup: WarmupResult,
  judged: readonly PeriodStats[],
  profile: Profile,
): NonNullable<RunSummary['warmup']> {
  return {
    seconds: warmup.seconds,
    startedAt: warmup.startedAt.toISOString(),
    endedAt: warmup.endedAt.toISOString(),
    requests: warmup.requests,
    periods: warmupPeriods(warmup, judged, profile),
  };
}
