// `harness load compare RUN_A RUN_B`: did run B get slower (or fail more, or serve less) than run A, per endpoint
// and overall, with a confidence interval for every difference taken from the runs' own per-request samples.
//
// The maths (docs/load.md, "Comparing two runs", says the same in prose):
// - Requests of one run are not independent: a noisy neighbour on the machine slows every request of the same
//   few seconds. An ordinary bootstrap that resamples single requests would pretend they are independent and
//   give intervals far too narrow. So each run is cut into blocks of BLOCK_SECONDS, and a replicate draws as many
//   whole blocks as the run has, with replacement (the non-overlapping block bootstrap, Carlstein 1986). Slow
//   stretches stay together, and the interval widens with them.
// - The two runs are independent, so replicate i of the difference is (statistic of B's replicate i) minus
//   (statistic of A's replicate i); the interval is the (α/2, 1−α/2) percentiles of those differences
//   (percentile bootstrap).
// - Latencies go into log-spaced buckets 1 % wide (HDR-histogram style) before resampling, so one replicate costs
//   a few thousand additions instead of sorting every request again; a quantile is then read to within 1 % of
//   its value, far below the noise of any run on a shared machine.
// - The margin a figure is judged against is the larger of the configured margin (how big a change matters) and
//   the smallest margin this pair of runs can judge at all (its resolution). With h the half-width of the
//   difference's interval, the resolution is 2h: when the runs do not really differ, the estimate lies within h
//   of zero with the interval's one-sided confidence (99.5 % at the default 99 %), so the whole interval, of
//   width 2h, lies inside ±2h. A smaller margin would call a healthy but noisy pair "cannot tell" about half of
//   the time (that was the old rule: 3 healthy comparisons out of 3 came out inconclusive on this machine). The
//   margin used is reported, so a pass says which question it answered: "no regression larger than 36 ms".
// - A difference is a regression only when the whole interval lies beyond the margin used (the lower bound above
//   +margin); it is "within margin" only when the whole interval lies inside ±margin. An interval that straddles
//   the margin is inconclusive: the data cannot tell. Too few samples or blocks is "not enough data", decided
//   before any resampling (a bootstrap of ten requests would still print an interval, a meaningless one).
// - Not every figure decides the verdict. A figure with fewer than DECIDING_TAIL requests beyond its quantile (over
//   all requests as per endpoint), and every per-endpoint throughput, is listed but never decides: about 80
//   figures are compared at once, and the thin ones are where chance alone, or a few of the machine's hiccups,
//   put an interval past its margin.
//
// The random generator is seeded, so the same two runs always give the same intervals. The table and the Allure
// results of a comparison are rendered in report/load/compare.ts.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import jstat from 'jstat';
import type { Verdict } from '../core/outcome.ts';
import { checkRunId } from '../core/run-id.ts';
import { readSamples, SAMPLES_FILE, type Sample } from './samples.ts';

/** Length of the blocks the bootstrap resamples, seconds. */
export const BLOCK_SECONDS = 5;
/** Relative width of a latency bucket: a quantile is read to within this factor. */
const BUCKET_GROWTH = 1.01;
/** Latencies at or below this go into the first bucket (ms). */
const BUCKET_FLOOR_MS = 0.1;
/** Name of the row that holds every request of the run. */
export const OVERALL = '(all endpoints)';
/**
 * Fewest requests beyond its quantile that a figure needs to decide the verdict (200 requests for a P50, 2000 for a
 * P95; 200 for an error share). Below it the figure is judged and listed, but does not decide. Measured on this
 * machine: an export endpoint's P50 over 25 and 34 requests made a healthy comparison inconclusive; and with 50,
 * 2 of 21 healthy pairs of 60 s smoke runs were "cannot tell" on the overall P95, which there rests on the 70
 * slowest requests (the machine's hiccups, while other jobs ran), and 0 of 21 with 100, while 50 ms on
 * /api/market/quotes was a regression in 14 of 14 pairs either way (docs/performance.md).
 */
export const DECIDING_TAIL = 100;

/** The quantiles compared. */
const QUANTILES = [
  ['p50', 0.5],
  ['p95', 0.95],
  ['p99', 0.99],
] as const;

/** What is compared in each row. */
export type MetricName = 'p50' | 'p95' | 'p99' | 'throughput' | 'errorShare';

/** How a difference was judged. */
export type CellVerdict =
  /** The whole interval is beyond the margin, in the bad direction. */
  | 'regression'
  /** The whole interval is beyond the margin, in the good direction. */
  | 'improvement'
  /** The whole interval lies inside ±margin. */
  | 'within-margin'
  /** Not worse beyond the margin, but the interval reaches past the margin on the good side. */
  | 'no-regression'
  /** The interval straddles the margin on the bad side: it may be a regression, or not. */
  | 'inconclusive'
  /** Too few samples or blocks in one of the runs to compute a trustworthy interval. */
  | 'not-enough-data';

/** Margins within which a difference is not a regression. */
export interface Margins {
  /** Latency: larger of this share of A's value (percent) and `latencyMinMs`. */
  latencyPct: number;
  latencyMinMs: number;
  /** Throughput: this share of A's requests per second (percent). */
  throughputPct: number;
  /** Error share: this many percentage points. */
  errorSharePoints: number;
}

/** The defaults, sized for the 2-core shared machine (docs/load.md explains how they were chosen). */
export const DEFAULT_MARGINS: Margins = { latencyPct: 20, latencyMinMs: 5, throughputPct: 10, errorSharePoints: 1 };

/** Options of {@link compareRuns}. */
export interface CompareOptions {
  margins?: Partial<Margins>;
  /** Confidence level of each interval, e.g. 0.95. Default 0.99: many cells are compared at once. */
  confidence?: number;
  /** Bootstrap replicates. Default 4000 (20 replicates beyond each end of a 99 % interval). */
  replicates?: number;
  /** Seed of the generator. */
  seed?: number;
  /** Fewest blocks a run needs before anything about it is judged. Default 6 (30 s). */
  minBlocks?: number;
  /** Fewest samples beyond a quantile (n·(1−p)) for it to be judged. Default 10. */
  minTailSamples?: number;
  /** Fewest samples beyond a quantile for a figure to decide the verdict. Default {@link DECIDING_TAIL}. */
  decidingTailSamples?: number;
}

/** One compared figure. */
export interface Cell {
  metric: MetricName;
  unit: 'ms' | 'req/s' | '%';
  /** Point estimates from all samples of each run; null when the run has none. */
  a: number | null;
  b: number | null;
  /** B − A. */
  difference: number | null;
  /** Confidence interval of B − A; absent when not judged. */
  interval?: [number, number];
  /**
   * The margin the difference was judged against (a positive number, in the cell's unit): the larger of
   * `configuredMargin` and `resolution`.
   */
  margin: number | null;
  /** The margin from the settings (--latency-margin-pct and the others), before the pair's resolution. */
  configuredMargin: number | null;
  /** The smallest margin this pair can judge: twice the half-width of the interval; absent when not judged. */
  resolution?: number;
  /** Whether this figure can decide the comparison's verdict (see {@link rowOutcome}). */
  decides: boolean;
  verdict: CellVerdict;
  /** Why there was not enough data. */
  reason?: string;
}

/** The cells of one endpoint (or of every request: {@link OVERALL}). */
export interface Row {
  endpoint: string;
  requestsA: number;
  requestsB: number;
  cells: Cell[];
}

/** The answer of a comparison. */
export type ComparisonVerdict = 'regression' | 'no-significant-difference' | 'inconclusive';

/** The full comparison, as written to compare.json. */
export interface Comparison {
  runA: RunRef;
  runB: RunRef;
  confidence: number;
  replicates: number;
  blockSeconds: number;
  margins: Margins;
  verdict: ComparisonVerdict;
  /** One sentence per reason for the verdict. */
  reasons: string[];
  rows: Row[];
}

/** Which run, and how much of it there was. */
export interface RunRef {
  runId: string;
  dir: string;
  samples: number;
  seconds: number;
  blocks: number;
}

/** A run's samples, with where they came from. */
export interface LoadedRun {
  runId: string;
  dir: string;
  samples: Sample[];
}

/**
 * Finds a run: a folder holding samples.jsonl, or a run id under `reportDir` (reports/load). Throws a message
 * saying what is missing (a run made before samples were recorded has none).
 */
export function loadRun(ref: string, reportDir: string): LoadedRun {
  // A ref that is not a run folder is a run id under reportDir: checked, so it names a folder there and no other.
  const dir = existsSync(join(ref, SAMPLES_FILE)) ? ref : join(reportDir, checkRunId(ref, 'run'));
  const file = join(dir, SAMPLES_FILE);
  if (!existsSync(file)) {
    throw new Error(
      `no per-request samples for run '${ref}': ${file} does not exist (runs recorded by 'harness load' since samples were added have one)`,
    );
  }
  const summaryPath = join(dir, 'summary.json');
  // The run id inside summary.json names the run in every report the comparison writes; a file can say anything,
  // so it is held to the same rule as a --run-id.
  const runId = existsSync(summaryPath)
    ? checkRunId(
        String((JSON.parse(readFileSync(summaryPath, 'utf8')) as { runId?: string }).runId ?? basename(dir)),
        `${summaryPath}: runId`,
      )
    : basename(dir);
  return { runId, dir, samples: readSamples(file) };
}

/**
 * What a row contributes to the verdict, the one rule that the verdict, the Allure tests and the JUnit cases all
 * follow: its regressions, and the figures that leave it undecided. Only figures that decide count (`decides`:
 * every figure over all requests, and per endpoint the latency and error figures with enough requests beyond
 * their quantile). Undecided are latency and error figures that "cannot tell", and too little data over all
 * requests. Throughput that "cannot tell" is not: the profiles are an open model, so arrivals follow the
 * profile's schedule whatever the service does, and requests per second measure the schedule (and, per endpoint,
 * which journeys the dice picked) until the service fails requests or the generator falls behind, which show in
 * the error share and the latencies. A fall of the overall throughput beyond its margin is still a regression.
 * Seen on this machine: two healthy 45 s runs of the average profile, overall throughput interval [-12.4, +10.8]
 * req/s against a ±3.4 margin (the ramp phases make 5 s blocks differ by design), docs/performance.md "Comparing
 * two load runs"; and a low-volume endpoint's throughput called a regression between two healthy runs.
 */
export function rowOutcome(row: Row): { regressed: Cell[]; undecided: Cell[] } {
  const deciding = row.cells.filter((c) => c.decides);
  return {
    regressed: deciding.filter((c) => c.verdict === 'regression'),
    // A deciding figure without enough data lacks blocks, not requests (it has the requests to decide): the
    // run is too short.
    undecided: deciding.filter(
      (c) => (c.verdict === 'inconclusive' && c.metric !== 'throughput') || c.verdict === 'not-enough-data',
    ),
  };
}

/**
 * Whether a figure can decide the verdict (see {@link rowOutcome} and {@link DECIDING_TAIL}): throughput over all
 * requests only, and a quantile or error share with enough requests, over all requests as per endpoint.
 */
function decides(endpoint: string, metric: MetricName, set: BlockSet, other: BlockSet, decidingTail: number): boolean {
  if (metric === 'throughput') return endpoint === OVERALL;
  const quantile = QUANTILES.find(([q]) => q === metric);
  // An error share is a proportion: 100 requests give it a resolution of one point or so, as a P50 of 100.
  const needed = quantile ? Math.ceil(decidingTail / (1 - quantile[1])) : 2 * decidingTail;
  return Math.min(set.requests, other.requests) >= needed;
}

/** Compares run B against run A (the baseline). */
export function compareRuns(runA: LoadedRun, runB: LoadedRun, options: CompareOptions = {}): Comparison {
  const margins: Margins = { ...DEFAULT_MARGINS, ...options.margins };
  const confidence = options.confidence ?? 0.99;
  if (!(confidence > 0 && confidence < 1)) throw new Error(`confidence must be between 0 and 1, got ${confidence}`);
  const replicates = options.replicates ?? 4000;
  const minBlocks = options.minBlocks ?? 6;
  const minTail = options.minTailSamples ?? 10;
  const decidingTail = options.decidingTailSamples ?? DECIDING_TAIL;
  const seed = options.seed ?? 20261130;

  const blocksA = toBlocks(runA.samples);
  const blocksB = toBlocks(runB.samples);
  const endpoints = [...new Set([...runA.samples, ...runB.samples].map((s) => s.endpoint))].sort();
  const rows: Row[] = [];
  for (const endpoint of [OVERALL, ...endpoints]) {
    const pick = endpoint === OVERALL ? undefined : endpoint;
    const a = selectBlocks(blocksA, pick);
    const b = selectBlocks(blocksB, pick);
    rows.push({
      endpoint,
      requestsA: a.requests,
      requestsB: b.requests,
      cells: compareBlocks(a, b, {
        margins,
        confidence,
        replicates,
        minBlocks,
        minTail,
        seed: seed + rows.length,
      }).map((cell) => ({ ...cell, decides: decides(endpoint, cell.metric, a, b, decidingTail) })),
    });
  }

  const { verdict, reasons } = judgeRows(rows, decidingTail);
  return {
    runA: runRef(runA, blocksA),
    runB: runRef(runB, blocksB),
    confidence,
    replicates,
    blockSeconds: BLOCK_SECONDS,
    margins,
    verdict,
    reasons,
    rows,
  };
}

/**
 * The verdict on the rows and its reasons: a regression wherever a deciding figure regressed; otherwise
 * inconclusive when the overall row is short of data, nothing could decide, or a deciding figure could not be told
 * apart; otherwise no significant difference, saying which figures did not decide.
 */
function judgeRows(rows: Row[], decidingTail: number): { verdict: ComparisonVerdict; reasons: string[] } {
  const overall = rows[0]!;
  const reasons: string[] = [];
  const regressions = rows.flatMap((r) => rowOutcome(r).regressed.map((c) => `${r.endpoint} ${describeCell(c)}`));
  const undecidedThroughput = rows.flatMap((r) =>
    r.cells.filter((c) => c.verdict === 'inconclusive' && c.metric === 'throughput'),
  ).length;
  const undecided = rows.flatMap((r) =>
    rowOutcome(r)
      .undecided.filter((c) => c.verdict === 'inconclusive')
      .map((c) => `${r.endpoint} ${describeCell(c)}`),
  );
  const overallShort = rowOutcome(overall).undecided.filter((c) => c.verdict === 'not-enough-data');
  // Throughput follows the arrival schedule (rowOutcome): a pair whose latencies and errors cannot decide has
  // shown nothing about the service.
  const judgedAny = rows.some((r) =>
    r.cells.some((c) => c.decides && c.metric !== 'throughput' && c.verdict !== 'not-enough-data'),
  );
  let verdict: ComparisonVerdict;
  if (regressions.length > 0) {
    verdict = 'regression';
    reasons.push(...regressions.map((r) => `regression: ${r}`));
  } else if (overallShort.length > 0) {
    verdict = 'inconclusive';
    reasons.push(
      ...overallShort.map((c) => `not enough data to tell: ${OVERALL} ${c.metric}: ${c.reason ?? 'too few samples'}`),
    );
  } else if (!judgedAny) {
    verdict = 'inconclusive';
    reasons.push(
      `not enough data to tell: ${overall.requestsA} and ${overall.requestsB} requests; even a P50 needs ${Math.ceil(decidingTail / 0.5)} in each run to decide (${decidingTail} beyond the quantile)`,
    );
  } else if (undecided.length > 0) {
    verdict = 'inconclusive';
    reasons.push(...undecided.map((u) => `cannot tell: ${u}`));
  } else {
    verdict = 'no-significant-difference';
    const skipped = rows.flatMap((r) => r.cells.filter((c) => c.verdict === 'not-enough-data')).length;
    const listedOnly = rows.flatMap((r) => r.cells.filter((c) => !c.decides && c.verdict !== 'not-enough-data'));
    const notes = [
      skipped > 0 ? `${skipped} figures had too few samples to judge and are listed as such` : '',
      listedOnly.length > 0
        ? `${listedOnly.length} figures (every per-endpoint throughput, and figures with fewer than ${decidingTail} requests beyond their quantile) are listed but do not decide`
        : '',
      undecidedThroughput > 0
        ? `${undecidedThroughput} throughput figures could not be told apart; under an open-model load they follow the arrival schedule and do not decide`
        : '',
    ].filter(Boolean);
    reasons.push(
      `no regression larger than the margins used: ${marginsUsed(overall)}`,
      `every deciding latency and error difference lies inside its margin or is an improvement${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    );
  }
  return { verdict, reasons };
}

/**
 * The margins the overall row's deciding figures were judged against, each with where it came from: "p95 36.2 ms (the smallest
 * this pair can judge)" when the pair's resolution was above the configured margin.
 */
function marginsUsed(overall: Row): string {
  return overall.cells
    .filter((c) => c.decides && c.margin !== null && c.verdict !== 'not-enough-data')
    .map((c) => {
      const unit = c.unit === '%' ? ' points' : ` ${c.unit}`;
      const source =
        c.resolution !== undefined && c.configuredMargin !== null && c.resolution > c.configuredMargin
          ? ` (the smallest this pair can judge; configured ${c.configuredMargin})`
          : '';
      return `${c.metric} ${c.margin}${unit}${source}`;
    })
    .join(', ');
}

/**
 * A comparison's verdict in the harness's words (core/outcome.ts): a regression fails, "cannot tell" is
 * inconclusive, no significant difference passes. `harness load compare` and verify's compare stage both judge so.
 */
export function comparisonVerdict(c: Comparison): Verdict {
  return c.verdict === 'regression' ? 'fail' : c.verdict === 'inconclusive' ? 'inconclusive' : 'pass';
}

// --- blocks and histograms -------------------------------------------------------------------------------

/** One block of one run: latency histogram (bucket -> count), requests, 5xx or status-less answers, span. */
interface Block {
  buckets: Map<number, number>;
  requests: number;
  errors: number;
  seconds: number;
}

/** A run cut into blocks, each block split by endpoint. */
interface RunBlocks {
  byEndpoint: Map<string, Block>[];
  spans: number[];
}

/** A block packed for resampling: parallel arrays iterate several times faster than a Map. */
interface PackedBlock {
  bucketIds: Int32Array;
  bucketCounts: Float64Array;
  requests: number;
  errors: number;
  seconds: number;
}

/** The blocks of one endpoint (or of all), ready to resample. */
interface BlockSet {
  blocks: PackedBlock[];
  requests: number;
}

function bucketOf(ms: number): number {
  return ms <= BUCKET_FLOOR_MS ? 0 : Math.ceil(Math.log(ms / BUCKET_FLOOR_MS) / Math.log(BUCKET_GROWTH));
}

/** The value a bucket stands for: its upper edge, so a quantile is never reported faster than it was. */
function bucketValue(bucket: number): number {
  return BUCKET_FLOOR_MS * BUCKET_GROWTH ** bucket;
}

function toBlocks(samples: readonly Sample[]): RunBlocks {
  if (samples.length === 0) return { byEndpoint: [], spans: [] };
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  for (const s of samples) {
    t0 = Math.min(t0, s.t);
    t1 = Math.max(t1, s.t);
  }
  const count = Math.max(1, Math.ceil((t1 - t0 + 1) / (BLOCK_SECONDS * 1000)));
  const byEndpoint = Array.from({ length: count }, () => new Map<string, Block>());
  // The last block is usually cut short by the end of the run; its own span keeps throughput right.
  const spans = Array.from({ length: count }, (_, i) =>
    i < count - 1 ? BLOCK_SECONDS : Math.max(1, (t1 - (t0 + i * BLOCK_SECONDS * 1000)) / 1000),
  );
  for (const s of samples) {
    const index = Math.min(count - 1, Math.floor((s.t - t0) / (BLOCK_SECONDS * 1000)));
    const map = byEndpoint[index]!;
    let block = map.get(s.endpoint);
    if (!block) {
      block = { buckets: new Map(), requests: 0, errors: 0, seconds: spans[index]! };
      map.set(s.endpoint, block);
    }
    block.requests++;
    if (s.status === 0 || s.status >= 500) block.errors++;
    const bucket = bucketOf(s.ms);
    block.buckets.set(bucket, (block.buckets.get(bucket) ?? 0) + 1);
  }
  return { byEndpoint, spans };
}

/** Blocks of one endpoint, or all endpoints merged; a block in which the endpoint got no request counts as empty. */
function selectBlocks(run: RunBlocks, endpoint: string | undefined): BlockSet {
  let requests = 0;
  const blocks = run.byEndpoint.map((map, i): PackedBlock => {
    const merged: Block = { buckets: new Map(), requests: 0, errors: 0, seconds: run.spans[i]! };
    for (const [name, block] of map) {
      if (endpoint !== undefined && name !== endpoint) continue;
      merged.requests += block.requests;
      merged.errors += block.errors;
      for (const [bucket, n] of block.buckets) merged.buckets.set(bucket, (merged.buckets.get(bucket) ?? 0) + n);
    }
    requests += merged.requests;
    return {
      bucketIds: Int32Array.from(merged.buckets.keys()),
      bucketCounts: Float64Array.from(merged.buckets.values()),
      requests: merged.requests,
      errors: merged.errors,
      seconds: merged.seconds,
    };
  });
  return { blocks, requests };
}

function runRef(run: LoadedRun, blocks: RunBlocks): RunRef {
  return {
    runId: run.runId,
    dir: run.dir,
    samples: run.samples.length,
    seconds: Math.round(blocks.spans.reduce((a, b) => a + b, 0)),
    blocks: blocks.spans.length,
  };
}

// --- the bootstrap ---------------------------------------------------------------------------------------

interface Statistics {
  p50: number;
  p95: number;
  p99: number;
  throughput: number;
  errorShare: number;
}

/** Statistics of a multiset of blocks (indices into `blocks`, repeats allowed). */
function statistics(
  blocks: readonly PackedBlock[],
  picks: readonly number[],
  scratch: Float64Array,
  offset: number,
): Statistics {
  scratch.fill(0);
  let requests = 0;
  let errors = 0;
  let seconds = 0;
  for (const index of picks) {
    const block = blocks[index]!;
    requests += block.requests;
    errors += block.errors;
    seconds += block.seconds;
    const ids = block.bucketIds;
    const counts = block.bucketCounts;
    for (let j = 0; j < ids.length; j++) scratch[ids[j]! - offset]! += counts[j]!;
  }
  // Quantile as the ⌈p·n⌉-th smallest value (the inverse of the empirical distribution function).
  const ranks = QUANTILES.map(([, p]) => Math.max(1, Math.ceil(p * requests)));
  const values = [Number.NaN, Number.NaN, Number.NaN];
  let seen = 0;
  let next = 0;
  for (let i = 0; i < scratch.length && next < ranks.length; i++) {
    seen += scratch[i]!;
    while (next < ranks.length && seen >= ranks[next]!) values[next++] = bucketValue(i + offset);
  }
  return {
    p50: values[0]!,
    p95: values[1]!,
    p99: values[2]!,
    throughput: seconds > 0 ? requests / seconds : 0,
    errorShare: requests > 0 ? (errors / requests) * 100 : 0,
  };
}

/** A histogram array spanning every bucket the sets use, and the bucket its first cell stands for. */
function bucketScratch(sets: readonly BlockSet[]): { scratch: Float64Array; offset: number } {
  let low = Number.POSITIVE_INFINITY;
  let high = 0;
  for (const set of sets) {
    for (const block of set.blocks) {
      for (const bucket of block.bucketIds) {
        low = Math.min(low, bucket);
        high = Math.max(high, bucket);
      }
    }
  }
  const offset = Number.isFinite(low) ? low : 0;
  return { scratch: new Float64Array(Math.max(1, high - offset + 1)), offset };
}

interface BootstrapSettings {
  margins: Margins;
  confidence: number;
  replicates: number;
  minBlocks: number;
  minTail: number;
  seed: number;
}

function compareBlocks(a: BlockSet, b: BlockSet, settings: BootstrapSettings): Omit<Cell, 'decides'>[] {
  const { margins, confidence, replicates, minBlocks, minTail } = settings;
  const { scratch, offset } = bucketScratch([a, b]);
  const all = (set: BlockSet) => set.blocks.map((_, i) => i);
  const pointA = a.requests > 0 ? statistics(a.blocks, all(a), scratch, offset) : undefined;
  const pointB = b.requests > 0 ? statistics(b.blocks, all(b), scratch, offset) : undefined;

  const metrics: MetricName[] = ['p50', 'p95', 'p99', 'throughput', 'errorShare'];
  const judged = new Map<MetricName, string | undefined>();
  for (const metric of metrics) judged.set(metric, notEnough(metric, a, b, minBlocks, minTail));
  const differences = [...judged.values()].some((reason) => reason === undefined)
    ? bootstrapDifferences(a, b, metrics, { replicates, seed: settings.seed, scratch, offset })
    : new Map<MetricName, Float64Array>();

  return metrics.map((metric): Omit<Cell, 'decides'> => {
    const unit = metric === 'throughput' ? 'req/s' : metric === 'errorShare' ? '%' : 'ms';
    const va = pointA ? round(pointA[metric]) : null;
    const vb = pointB ? round(pointB[metric]) : null;
    const difference = va !== null && vb !== null ? round(vb - va) : null;
    const configuredMargin =
      va === null
        ? null
        : metric === 'throughput'
          ? round((margins.throughputPct / 100) * va)
          : metric === 'errorShare'
            ? margins.errorSharePoints
            : round(Math.max((margins.latencyPct / 100) * va, margins.latencyMinMs));
    const reason = judged.get(metric);
    if (reason !== undefined || configuredMargin === null) {
      return {
        metric,
        unit,
        a: va,
        b: vb,
        difference,
        margin: configuredMargin,
        configuredMargin,
        verdict: 'not-enough-data',
        reason: reason ?? 'no samples',
      };
    }
    const blocks = Math.min(a.blocks.length, b.blocks.length);
    const judgement = judgeDifference(metric, differences.get(metric)!, difference, configuredMargin, {
      confidence,
      replicates,
      blocks,
    });
    return { metric, unit, a: va, b: vb, difference, ...judgement };
  });
}

/**
 * Each metric's bootstrap differences B - A over `replicates` replicates: each replicate draws as many blocks as
 * each run has, with replacement (mulberry32 from `seed`, so a comparison is repeatable).
 */
function bootstrapDifferences(
  a: BlockSet,
  b: BlockSet,
  metrics: readonly MetricName[],
  bootstrap: { replicates: number; seed: number; scratch: Float64Array; offset: number },
): Map<MetricName, Float64Array> {
  const { replicates, scratch, offset } = bootstrap;
  const random = mulberry32(bootstrap.seed);
  const draw = (set: BlockSet): Statistics => {
    const picks = set.blocks.map(() => Math.floor(random() * set.blocks.length));
    return statistics(set.blocks, picks, scratch, offset);
  };
  const differences = new Map<MetricName, Float64Array>();
  for (const metric of metrics) differences.set(metric, new Float64Array(replicates));
  for (let i = 0; i < replicates; i++) {
    const ra = draw(a);
    const rb = draw(b);
    for (const metric of metrics) differences.get(metric)![i] = rb[metric] - ra[metric];
  }
  return differences;
}

/**
 * One figure's verdict from its bootstrap differences: the confidence interval of B - A, the pair's resolution,
 * the margin used (the configured one or the resolution, the larger), and where the interval lies against it.
 */
function judgeDifference(
  metric: MetricName,
  replicated: Float64Array,
  difference: number | null,
  configuredMargin: number,
  settings: { confidence: number; replicates: number; blocks: number },
): Pick<Cell, 'interval' | 'margin' | 'configuredMargin' | 'resolution' | 'verdict'> {
  const { confidence, replicates } = settings;
  const sorted = replicated.slice().sort();
  const alpha = 1 - confidence;
  // The percentile interval, widened about the estimate by the small-sample factor (see smallSampleFactor).
  const widen = smallSampleFactor(settings.blocks, confidence);
  const center = difference ?? 0;
  const lo = round(center - widen * (center - sorted[Math.floor((alpha / 2) * (replicates - 1))]!));
  const hi = round(center + widen * (sorted[Math.ceil((1 - alpha / 2) * (replicates - 1))]! - center));
  // Throughput is worse when it falls: judge the negated difference so "bad" is always the positive side.
  const [badLo, badHi] = metric === 'throughput' ? [-hi, -lo] : [lo, hi];
  // The pair's resolution (the file's header says why): twice the interval's reach on the bad side of the
  // estimate, and at least its width. A tail quantile's interval is lopsided (a P99 rests on a few requests,
  // and one slow block moves it up far more than down), and what a pass needs is room on the bad side.
  const badDifference = metric === 'throughput' ? -(difference ?? 0) : (difference ?? 0);
  const resolution = round(Math.max(hi - lo, 2 * (badHi - badDifference)));
  const margin = Math.max(configuredMargin, resolution);
  const verdict: CellVerdict =
    badLo > margin
      ? 'regression'
      : badHi < -margin
        ? 'improvement'
        : badHi <= margin && badLo >= -margin
          ? 'within-margin'
          : badHi <= margin
            ? 'no-regression'
            : 'inconclusive';
  return { interval: [lo, hi], margin, configuredMargin, resolution, verdict };
}

/**
 * How much wider an interval from k blocks must be than the bootstrap's. A bootstrap from k blocks estimates
 * the spread from those k blocks alone and treats the estimate as exact, so its interval is as narrow as a
 * normal-theory interval with a known variance; with 6 to 20 blocks (30 s to 100 s runs) it is too narrow. The
 * usual correction is Student's t with k − 1 degrees of freedom in place of the normal: the factor
 * t(1 − α/2, k − 1) / z(1 − α/2), 1.30 for 9 blocks at 99 %, 1.10 for 30, tending to 1. Seen on generated
 * healthy pairs of 60 s with bursty slowdowns: without it about one pair in fifteen was "cannot tell".
 */
function smallSampleFactor(blocks: number, confidence: number): number {
  if (blocks < 2) return 1;
  const p = 1 - (1 - confidence) / 2;
  return jstat.jStat.studentt.inv(p, blocks - 1) / jstat.jStat.normal.inv(p, 0, 1);
}

/** Why a metric cannot be judged from these runs, or undefined when it can. */
function notEnough(
  metric: MetricName,
  a: BlockSet,
  b: BlockSet,
  minBlocks: number,
  minTail: number,
): string | undefined {
  for (const [name, set] of [
    ['A', a],
    ['B', b],
  ] as const) {
    if (set.blocks.length < minBlocks) {
      return `run ${name} spans ${set.blocks.length} blocks of ${BLOCK_SECONDS} s; at least ${minBlocks} are needed`;
    }
    const quantile = QUANTILES.find(([q]) => q === metric);
    const needed = quantile ? Math.ceil(minTail / (1 - quantile[1])) : metric === 'errorShare' ? 100 : 1;
    if (set.requests < needed) {
      return `run ${name} has ${set.requests} requests; ${metric} needs at least ${needed}${quantile ? ` (${minTail} beyond the quantile)` : ''}`;
    }
  }
  return undefined;
}

/** A small, fast, seedable generator (Mulberry32): reproducible intervals, no dependency for 10 lines. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

// --- output ----------------------------------------------------------------------------------------------

/** One cell in words: metric, both values, difference with its interval, the margin used and where it came from. */
export function describeCell(c: Cell): string {
  const interval = c.interval ? ` [${c.interval[0]}, ${c.interval[1]}]` : '';
  const fromResolution =
    c.resolution !== undefined && c.configuredMargin !== null && c.resolution > c.configuredMargin
      ? ` (the smallest this pair can judge; configured ${c.configuredMargin})`
      : '';
  return `${c.metric} ${c.a ?? '-'} -> ${c.b ?? '-'} ${c.unit} (difference ${c.difference ?? '-'}${interval}, margin ${c.margin ?? '-'}${fromResolution})`;
}

// --- one run's figures ---------------------------------------------------------------------------------------

/** One endpoint's figures in one run (or every endpoint's, as {@link OVERALL}). */
export interface EndpointFigures {
  endpoint: string;
  requests: number;
  /** P50/P95/P99 in ms, read as the comparison reads them (see {@link runFigures}); null without a request. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Requests per second over the run's blocks. */
  throughput: number;
  /** Share of requests without an answer or with a 5xx, percent. */
  errorShare: number;
}

/**
 * Per-endpoint figures of one run (the load report's table), by the very statistics a comparison's point
 * estimates use: the same 1 % latency buckets, the quantile as the ⌈p·n⌉-th smallest value read as its bucket's
 * upper edge, the same error rule (no answer or a 5xx). So the report of a run and `harness load compare` show
 * the same P95 for it. OVERALL first, then the endpoints by name, as in the comparison's table.
 */
export function runFigures(samples: readonly Sample[]): EndpointFigures[] {
  const blocks = toBlocks(samples);
  const endpoints = [...new Set(samples.map((s) => s.endpoint))].sort();
  return [OVERALL, ...endpoints].map((endpoint): EndpointFigures => {
    const set = selectBlocks(blocks, endpoint === OVERALL ? undefined : endpoint);
    const { scratch, offset } = bucketScratch([set]);
    const figures = statistics(
      set.blocks,
      set.blocks.map((_, i) => i),
      scratch,
      offset,
    );
    const ms = (value: number) => (set.requests > 0 && Number.isFinite(value) ? round(value) : null);
    return {
      endpoint,
      requests: set.requests,
      p50: ms(figures.p50),
      p95: ms(figures.p95),
      p99: ms(figures.p99),
      throughput: round(figures.throughput),
      errorShare: round(figures.errorShare),
    };
  });
}
