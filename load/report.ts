// What a load run leaves behind, as data: the per-period analysis, the breakpoint and the run's summary
// (RunSummary). report/load/ renders it: summary.md, the HTML page and the Allure results.
import type { Verdict } from '../core/outcome.ts';
import type { ProcessExit } from '../stack/process.ts';
import { type Phase, type Profile, scheduledRateAt } from './profiles.ts';
import { nearestRank, type Sample } from './samples.ts';
import type { SaturationReadout } from './saturation.ts';
import { METRIC, type ThresholdResult, type ThresholdSpec } from './thresholds.ts';

/** One of Artillery's 10 s reporting periods, as the progress plugin or the JSON report gives it. */
export interface PeriodStats {
  /** Start of the period, ms since the epoch. */
  period: number;
  firstMetricAt?: number;
  lastMetricAt?: number;
  counters?: Record<string, number>;
  summaries?: Record<string, Record<string, number>>;
}

/** A period boiled down to what a person (and the breakpoint search) looks at. */
export interface PeriodSummary {
  /** Seconds since the first period started. */
  atSeconds: number;
  /** Virtual users that arrived per second in this period. */
  arrivalRate: number;
  /** The profile's scheduled arrival rate in the middle of the period. */
  scheduledRate: number;
  requestsPerSecond: number;
  /** Response-time percentiles of the period (Artillery's http.response_time), ms. */
  p50Ms?: number | null;
  p95Ms: number | null;
  p99Ms?: number | null;
  errorRatePct: number | null;
  requests: number;
}

/** Where a breakpoint run broke, or that it did not. */
export interface Breakpoint {
  broke: boolean;
  /** Which threshold broke first ("latency-p95"), when it broke. */
  threshold?: string;
  /** Arrival rate (virtual users per second) in the first breaking period, measured and scheduled. */
  arrivalRate?: number;
  scheduledRate?: number;
  requestsPerSecond?: number;
  p95Ms?: number | null;
  errorRatePct?: number | null;
  /** Seconds into the run at which it broke. */
  atSeconds?: number;
  /** The highest arrival rate reached without a breach. */
  lastGoodRate?: number;
  /** Share of journeys by name (percent) up to the breaking period. */
  journeyMix: Record<string, number>;
}

const PERIOD_SECONDS = 10;

/** Per-period figures, in time order. */
export function summarizePeriods(periods: readonly PeriodStats[], profile: Pick<Profile, 'phases'>): PeriodSummary[] {
  const sorted = [...periods].sort((a, b) => a.period - b.period);
  const t0 = sorted[0]?.period ?? 0;
  return sorted.map((p) => {
    const c = (name: string): number => p.counters?.[name] ?? 0;
    const requests = c('http.requests');
    // Per period, requests minus responses is mostly requests still in flight at the boundary, not failures:
    // count the failures Artillery names instead (errors.ETIMEDOUT, errors.ECONNREFUSED, ...) plus 5xx answers.
    const networkErrors = Object.entries(p.counters ?? {})
      .filter(([name]) => name.startsWith('errors.'))
      .reduce((sum, [, n]) => sum + n, 0);
    const failed = networkErrors + c(METRIC.serverErrors);
    const atSeconds = Math.round((p.period - t0) / 1000);
    return {
      atSeconds,
      arrivalRate: round(c('vusers.created') / PERIOD_SECONDS),
      scheduledRate: round(scheduledRateAt(profile, atSeconds + PERIOD_SECONDS / 2)),
      requestsPerSecond: round(requests / PERIOD_SECONDS),
      p50Ms: p.summaries?.['http.response_time']?.p50 ?? p.summaries?.['http.response_time']?.median ?? null,
      p95Ms: p.summaries?.['http.response_time']?.p95 ?? null,
      p99Ms: p.summaries?.['http.response_time']?.p99 ?? null,
      errorRatePct: requests > 0 ? round((Math.max(0, failed) / requests) * 100) : null,
      requests,
    };
  });
}

/**
 * Several generators' periods as one run's: the periods of the same 10 s (Artillery's periods are wall-clock
 * aligned, so the generators' keys agree) become one, counters summed. A percentile cannot be added up: each
 * summary keeps its largest value here, an upper bound that `withSampleLatency` replaces for the response time
 * with the percentiles of the pooled samples. One generator's periods are returned as they are.
 */
export function mergePeriods(perGenerator: readonly (readonly PeriodStats[])[]): PeriodStats[] {
  if (perGenerator.length === 1) return [...perGenerator[0]!];
  const byPeriod = new Map<number, PeriodStats>();
  for (const period of perGenerator.flat()) {
    const into = byPeriod.get(period.period) ?? { period: period.period, counters: {}, summaries: {} };
    byPeriod.set(period.period, into);
    for (const [name, n] of Object.entries(period.counters ?? {}))
      into.counters![name] = (into.counters![name] ?? 0) + n;
    for (const [name, summary] of Object.entries(period.summaries ?? {})) {
      const merged = into.summaries![name] ?? {};
      into.summaries![name] = merged;
      for (const [stat, v] of Object.entries(summary))
        merged[stat] = Math.max(merged[stat] ?? Number.NEGATIVE_INFINITY, v);
    }
  }
  return [...byPeriod.values()].sort((a, b) => a.period - b.period);
}

/**
 * Periods whose response-time P50/P95/P99 are those of the samples that arrived within them (nearest rank over
 * the pooled samples of every generator, [period, period + 10 s)): the merged run's own percentiles.
 */
export function withSampleLatency(periods: readonly PeriodStats[], samples: readonly Sample[]): PeriodStats[] {
  const waits = new Map<number, number[]>(periods.map((p) => [p.period, []]));
  for (const sample of samples) {
    waits.get(Math.floor(sample.t / (PERIOD_SECONDS * 1000)) * PERIOD_SECONDS * 1000)?.push(sample.ms);
  }
  return periods.map((p) => {
    const ms = waits.get(p.period)!.sort((a, b) => a - b);
    if (ms.length === 0) return p;
    const rank = (q: number) => nearestRank(ms, q)!;
    const responseTime = {
      min: ms[0]!,
      max: ms.at(-1)!,
      count: ms.length,
      p50: rank(0.5),
      p95: rank(0.95),
      p99: rank(0.99),
    };
    return { ...p, summaries: { ...p.summaries, 'http.response_time': responseTime } };
  });
}

/** Options of {@link findBreakpoint}. */
export interface BreakpointOptions {
  /** Periods with fewer requests are not judged (a handful of requests has no meaningful P95). Default 20. */
  minRequests?: number;
  /**
   * The run is over: a breach in the last period counts even without a following period to confirm it.
   * While the run goes on (live early stop) a breach must hold for two periods in a row, so one noisy
   * 10 s period on a shared machine does not end the ramp. Default true.
   */
  final?: boolean;
}

/**
 * The first period of a sustained breach (that period and the next both break): P95 above its limit, or the
 * error rate above its limit.
 */
export function findBreakpoint(
  periods: readonly PeriodStats[],
  profile: Pick<Profile, 'phases'>,
  thresholds: readonly ThresholdSpec[],
  options: BreakpointOptions = {},
): Breakpoint {
  const { minRequests = 20, final = true } = options;
  const summaries = summarizePeriods(periods, profile);
  const p95Limit = thresholds.find((t) => t.kind === 'latency-p95')?.limit;
  const errorLimit = thresholds.find((t) => t.kind === 'error-rate')?.limit;
  const breach = (s: PeriodSummary | undefined): 'latency-p95' | 'error-rate' | undefined => {
    if (!s || s.requests < minRequests) return undefined;
    if (p95Limit !== undefined && s.p95Ms !== null && s.p95Ms > p95Limit) return 'latency-p95';
    if (errorLimit !== undefined && s.errorRatePct !== null && s.errorRatePct > errorLimit) return 'error-rate';
    return undefined;
  };
  let lastGoodRate: number | undefined;
  for (let i = 0; i < summaries.length; i++) {
    const s = summaries[i]!;
    if (s.requests < minRequests) continue;
    const kind = breach(s);
    const confirmed =
      kind !== undefined && (breach(summaries[i + 1]) !== undefined || (final && i === summaries.length - 1));
    if (kind !== undefined && confirmed) {
      const latencyBroke = kind === 'latency-p95';
      return {
        broke: true,
        threshold: latencyBroke ? 'latency-p95' : 'error-rate',
        arrivalRate: s.arrivalRate,
        scheduledRate: s.scheduledRate,
        requestsPerSecond: s.requestsPerSecond,
        p95Ms: s.p95Ms,
        errorRatePct: s.errorRatePct,
        atSeconds: s.atSeconds,
        ...(lastGoodRate === undefined ? {} : { lastGoodRate }),
        journeyMix: journeyMix(periods.slice(0, i + 1)),
      };
    }
    if (kind === undefined) lastGoodRate = Math.max(lastGoodRate ?? 0, s.arrivalRate);
  }
  return { broke: false, ...(lastGoodRate === undefined ? {} : { lastGoodRate }), journeyMix: journeyMix(periods) };
}

/** Share of journeys by name, in percent, from `vusers.created_by_name.*`. */
export function journeyMix(periods: readonly Pick<PeriodStats, 'counters'>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of periods) {
    for (const [name, value] of Object.entries(p.counters ?? {})) {
      if (name.startsWith('vusers.created_by_name.')) {
        const journey = name.slice('vusers.created_by_name.'.length);
        counts[journey] = (counts[journey] ?? 0) + value;
      }
    }
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => [name, total > 0 ? round((n / total) * 100) : 0]),
  );
}

/** Everything the summary files say about a run. */
export interface RunSummary {
  runId: string;
  profile: string;
  scenario: string;
  target: string;
  startedAt: string;
  endedAt: string;
  verdict: Verdict;
  thresholds: ThresholdResult[];
  requests: number;
  /** The machine's noise during the judged run: /healthz P95 as probed, the load generator's event-loop delay. */
  machine?: { healthzP95Ms: number | null; probes: number; eventLoopDelayP99Ms: number };
  /** The warm-up before the judged run: not in the thresholds, not in the SLO window. */
  /**
   * The warm-up run before the judged one; `periods` are its 10 s periods at negative seconds (t = 0 is the
   * judged run's first period), for the load-window chart only.
   */
  warmup?: { seconds: number; startedAt: string; endedAt: string; requests: number; periods?: PeriodSummary[] };
  /** Artillery processes that sent the load side by side, when more than one. */
  generators?: number;
  /** A generator run alone (--generator-index): what `harness load merge` needs to judge the N as one run. */
  generator?: GeneratorRecord;
  /** Browser scenario: requests the pages made (documents, scripts, API calls), as Chromium counted them. */
  pageRequests?: number;
  journeyMix: Record<string, number>;
  periods: PeriodSummary[];
  breakpoint?: Breakpoint;
  /** What saturated first (API runs). */
  saturation?: SaturationReadout;
  /** Why the run could not be judged (verdict inconclusive). */
  problem?: string;
  /** The command as it was typed (shell-quoted). */
  command: string;
  /** Seconds from the start that are the profile's warm-up (shaded in the charts). */
  warmPhaseSeconds?: number;
  /** A command that sends the same load to the same target again: target resolved, every option spelled out. */
  reproduce?: string;
}

/**
 * What a run of one generator of several (`harness load --generators N --generator-index I`) records in its
 * summary.json, so that `harness load merge` (load/merge.ts) can check that N folders are one run's generators and
 * judge them as `harness load --generators N` judges its own. Its judged window (startedAt) starts at its own
 * warm-up boundary, and its samples.jsonl holds only the samples after it.
 */
export interface GeneratorRecord {
  /** I, from 0. */
  index: number;
  /** N: the generators of the whole run. */
  of: number;
  /** The whole run's profile, as scaled by --duration or --duration-scale (each generator sends its share). */
  profile: Profile;
  /** The warm-up phase, the run's first, when one ran. */
  warmup?: Phase;
  /** The thresholds its samples were judged by. */
  thresholds: ThresholdSpec[];
  /** How its Artillery process ended. */
  exit: ProcessExit;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
