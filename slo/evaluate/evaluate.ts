// Model -> report: each SLO's queries evaluated at one instant over its window (or the run's), then the
// verdict. The rule of this layer: never call an SLO healthy when the numbers could not be read.

import { formatDuration, parseDuration } from '../../core/duration.ts';
import { HarnessError, type Verdict, worstVerdict } from '../../core/outcome.ts';
import type { PrometheusAccess } from '../../core/prometheus-access.ts';
import {
  compare,
  errorBudget,
  isRawErrorRatio,
  type Operator,
  quantileEvidence,
  RAW_ERROR_RATIO_TOTAL,
  type RatioSli,
  renderQuery,
  roundSig,
  type SliUnit,
  type Slo,
  type SloModel,
  type ThresholdSli,
} from '../model/model.ts';
import { type BucketCounts, bucketCounts, countedQuery } from '../model/promql.ts';
import { formatElapsed, formatValue, negate, trim } from '../model/units.ts';
import { type BucketCount, latencyNoiseVerdict, noiseReading, unweighed } from './latency-noise.ts';
import { type AnswerShape, PrometheusClient, type QueryOutcome } from './prometheus.ts';

/** One query as it was sent, and what it gave. */
export interface QueryRecord {
  /**
   * `events`: how many observations a threshold value stands on (a histogram's _count increase); `buckets`: a
   * latency ratio's per-bucket query, and the count within its bound + the machine's noise read from it
   * (latency-noise.ts).
   */
  role: 'good' | 'bad' | 'total' | 'value' | 'events' | 'control' | 'buckets';
  query: string;
  /** The value, or null when there was none (see the SLO's reason). */
  value: number | null;
}

/** How this run compares with a baseline run (see compareWithBaseline). */
export interface BaselineComparison {
  value: number;
  /** Relative change towards worse, in percent (negative: better than the baseline). */
  regressionPct: number;
  maxRegressionPct: number;
  regressed: boolean;
  /**
   * Set when the regression did not decide the SLO's status: what judged "did it get slower" instead (verify's
   * load comparison, which has an interval for the difference; see compareWithBaseline).
   */
  judgedBy?: string;
}

/** The result of one SLO. */
export interface SloResult {
  name: string;
  description: string;
  kind: 'ratio' | 'threshold';
  /** The SLO's verdict (the JSON report's `status`: pass, fail or inconclusive). */
  status: Verdict;
  /** The SLI: good share in percent for ratio SLIs, the query's value for threshold SLIs; null if unknown. */
  sli: number | null;
  /** Percent target (ratio) or bound (threshold); the SLI must satisfy `sli operator objective`. */
  objective: number;
  operator: Operator;
  unit: SliUnit;
  /** The window evaluated, e.g. "30d" or a run's "1h". */
  window: string;
  /** Why the status is not pass, or what the noData policy did. */
  reason?: string;
  /** Ratio SLIs: share of bad events (0-1). */
  errorRatio?: number | null;
  /** Ratio SLIs: allowed share of bad events (0-1), 1 - objective/100. */
  errorBudget?: number;
  /** Ratio SLIs: how fast the window spent budget; 1 spends exactly the budget over the SLO period. */
  burnRate?: number | null;
  /** Ratio SLIs: share of the whole period's budget this window spent (burnRate x window / period). */
  budgetConsumed?: number | null;
  /** Events the SLI stands on (a ratio's total, a histogram's observations); null when unreadable. */
  events?: number | null;
  /** Fewest events this SLO is judged on (see defaultMinEvents). */
  minEvents?: number;
  /** Prometheus' warnings on this SLO's answers: the answer was partial. */
  warnings?: string[];
  /** Prometheus' infos on this SLO's answers. */
  infos?: string[];
  /**
   * The control's value in the same window (the machine's noise), when the SLO has one; `probed`: the same
   * endpoint's P95 as the harness's own client timed it in the window, when the control names a probe and
   * the run had one; `unit`: the control's own, where it is not the SLI's (a latency ratio's SLI is a percentage,
   * its control in the histogram's unit).
   */
  control?: { label: string; value: number | null; probed?: number; unit?: SliUnit };
  /** Scrape coverage of the window, when the config names a scrape-health series. */
  coverage?: Coverage;
  queries: QueryRecord[];
  baseline?: BaselineComparison;
  /**
   * How reports show the SLI: `error-share` for the SLO that states the error rate (loadThreshold
   * maxErrorRatePct), which a reader checks as "0.02 % <= 0.1 %", not as its 99.98 % success share.
   */
  readAs?: 'error-share';
}

/** The result of a run. */
export interface SloReport {
  /** The worst of the SLOs' (core/outcome.ts worstVerdict: a breach outranks an SLO without a verdict). */
  status: Verdict;
  /** Evaluation instant, ISO 8601. */
  time: string;
  /** The run's window when it overrode the SLOs' own, else null. */
  window: string | null;
  /** The judged range when it was given as start and end (ISO 8601), e.g. a load run's. */
  judged?: { start: string; end: string };
  /** The warm-up before the judged range, when one ran: not judged. */
  warmup?: { start: string; end: string };
  prometheusUrl: string;
  config: string;
  service: string;
  slos: SloResult[];
}

/** Options of a run. `window`, or `start` and `end`, override every SLO's own window. */
export interface EvaluateOptions {
  prometheusUrl: string;
  /** Headers, credentials and CA of a secured or multi-tenant Prometheus. */
  prometheusAccess?: PrometheusAccess;
  /** A Prometheus duration ("1h") or milliseconds. */
  window?: string | number;
  /** Evaluate at `end` over `end - start` (e.g. a load test's time range). */
  start?: Date;
  end?: Date;
  /** Evaluation instant when no `end` is given; default now. */
  time?: Date;
  /** Queries in flight at once (default 4). */
  concurrency?: number;
  /** Per query (default 15 s). */
  timeoutMs?: number;
  /** Extra attempts after a transient failure (default 3). */
  retries?: number;
  retryDelayMs?: number;
  /** A warm-up before `start`, reported next to the judged window (never judged). */
  warmup?: { start: Date; end: Date };
  /** Bound on the whole evaluation (the CLI's --deadline); queries still open then end inconclusive. */
  deadlineMs?: number;
  /**
   * P95 latency in seconds of endpoints the harness itself probed through the judged window, timed by its own
   * client (the load's /healthz probes), by the name a control's `probe` gives ("/healthz"). Client-side, so it
   * includes the wait before the service takes the request, which the service's own histogram never sees.
   */
  probes?: Record<string, number>;
}

/** Default bound on a whole evaluation: generous for 30-day queries, short enough that CI never hangs. */
export const DEFAULT_DEADLINE_MS = 300_000;

/** Resolves the run's instant and window override from the options; throws HarnessError on bad input. */
export function resolveRunWindow(options: EvaluateOptions): { time: Date; windowMs: number | undefined } {
  if (options.start !== undefined || options.end !== undefined) {
    if (options.start === undefined || options.end === undefined) {
      throw new HarnessError('give both start and end, or neither');
    }
    if (options.window !== undefined) throw new HarnessError('give a window, or start and end, not both');
    const windowMs = options.end.getTime() - options.start.getTime();
    if (!(windowMs > 0)) throw new HarnessError('end must be after start');
    // Range selectors take whole milliseconds; the window starts exactly at `start`.
    return { time: options.end, windowMs };
  }
  let windowMs: number | undefined;
  if (typeof options.window === 'number') windowMs = options.window;
  else if (options.window !== undefined) {
    windowMs = parseDuration(options.window);
    if (windowMs === undefined) {
      throw new HarnessError(`window: "${options.window}" is not a Prometheus duration such as 5m, 1h or 30d`);
    }
  }
  if (windowMs !== undefined && !(windowMs > 0)) throw new HarnessError('window must be positive');
  return { time: options.time ?? new Date(), windowMs };
}

/** Evaluates every SLO of the model against Prometheus. Never throws for a query problem: that SLO is inconclusive. */
export async function evaluateSlos(model: SloModel, options: EvaluateOptions): Promise<SloReport> {
  const { time, windowMs } = resolveRunWindow(options);
  const client = new PrometheusClient({
    url: options.prometheusUrl,
    ...(options.prometheusAccess ? { access: options.prometheusAccess } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    concurrency: options.concurrency ?? 4,
    signal: AbortSignal.timeout(options.deadlineMs ?? DEFAULT_DEADLINE_MS),
  });
  const seconds = time.getTime() / 1000;
  // All SLOs start at once; the client's limiter bounds the queries actually in flight.
  // Coverage is a property of a window, not of an SLO: checked once per distinct window.
  const coverages = new Map<number, Promise<Coverage>>();
  const coverageOf = (ms: number, up: string) => {
    const known = coverages.get(ms);
    if (known) return known;
    const coverage = checkCoverage(client, up, seconds, ms);
    coverages.set(ms, coverage);
    return coverage;
  };
  const slos = await Promise.all(
    model.slos.map(async (slo) => {
      const result = await evaluateSlo(client, slo, seconds, windowMs, options.probes);
      if (model.coverageUp === undefined) return result;
      return withCoverage(slo, result, await coverageOf(windowMs ?? slo.windowMs, model.coverageUp));
    }),
  );
  return {
    status: worstVerdict(slos.map((slo) => slo.status)),
    time: time.toISOString(),
    window: windowMs === undefined ? null : formatDuration(windowMs),
    ...(options.start && options.end
      ? { judged: { start: options.start.toISOString(), end: options.end.toISOString() } }
      : {}),
    ...(options.warmup
      ? { warmup: { start: options.warmup.start.toISOString(), end: options.warmup.end.toISOString() } }
      : {}),
    prometheusUrl: client.url,
    config: model.file,
    service: model.service,
    slos,
  };
}

/**
 * Evaluates one SLO at `seconds` over `overrideMs` or its own window. The order of the checks is the order of
 * trust: an answer that is not an answer (error, several series, wrong type) or answers another question (a
 * sample stamped at another instant, a scalar, a second series or labels where the harness's own aggregation
 * gives one unlabelled series: prometheus.ts, AnswerShape), then values no real counter or
 * histogram can give (NaN/Inf terms, negative counts or latencies, a ratio outside [0, 1]), then a partial
 * answer (Prometheus' warnings), then no events at all, then too few; only then the comparison. Each early
 * exit is inconclusive (no data may follow the SLO's noData policy), so none of them can ever give a pass.
 */
export async function evaluateSlo(
  client: PrometheusClient,
  slo: Slo,
  seconds: number,
  overrideMs?: number,
  probes: Record<string, number> = {},
): Promise<SloResult> {
  const windowMs = overrideMs ?? slo.windowMs;
  const window = formatDuration(windowMs);
  return slo.sli.kind === 'threshold'
    ? evaluateThreshold(client, slo, slo.sli, seconds, windowMs, window, probes)
    : evaluateRatio(client, slo, slo.sli, seconds, windowMs, window, probes);
}

/** One query's answer as the SLO uses it: its record for the report, its number, and what was wrong. */
interface Term {
  record: QueryRecord;
  outcome: QueryOutcome;
}

async function ask(
  client: PrometheusClient,
  role: QueryRecord['role'],
  query: string,
  seconds: number,
  shape: AnswerShape = 'any',
) {
  const outcome = await client.query(query, seconds, shape);
  const value = outcome.kind === 'value' && Number.isFinite(outcome.value) ? roundSig(outcome.value) : null;
  return { record: { role, query, value }, outcome } satisfies Term;
}

/** Prometheus' warnings and infos over all of an SLO's answers, each once. */
function annotationsOf(terms: Term[]): { warnings: string[]; infos: string[] } {
  const warnings = new Set<string>();
  const infos = new Set<string>();
  for (const { outcome } of terms) {
    if (outcome.kind === 'error') continue;
    for (const warning of outcome.warnings) warnings.add(warning);
    for (const info of outcome.infos) infos.add(info);
  }
  return { warnings: [...warnings], infos: [...infos] };
}

async function evaluateThreshold(
  client: PrometheusClient,
  slo: Slo,
  sli: ThresholdSli,
  seconds: number,
  windowMs: number,
  window: string,
  probes: Record<string, number>,
): Promise<SloResult> {
  // The events query model.ts derived from the quantile's _bucket selector is the harness's own aggregation,
  // sum(increase(<name>_count{...}[w])): one series without labels. One a user wrote is held to less.
  const eventsShape: AnswerShape = sli.events === quantileEvidence(sli.query).events ? 'aggregate' : 'any';
  const [value, events, control] = await Promise.all([
    ask(client, 'value', renderQuery(sli.query, windowMs), seconds),
    sli.events === undefined
      ? undefined
      : ask(client, 'events', renderQuery(sli.events, windowMs), seconds, eventsShape),
    sli.control === undefined ? undefined : ask(client, 'control', renderQuery(sli.control.query, windowMs), seconds),
  ]);
  const terms = events === undefined ? [value] : [value, events];
  const annotations = annotationsOf(terms);
  const base = {
    name: slo.name,
    description: slo.description,
    kind: 'threshold' as const,
    objective: sli.bound,
    operator: sli.operator,
    unit: sli.unit,
    window,
    queries: terms.map((term) => term.record),
    ...annotationsField(annotations),
    ...(slo.minEvents === undefined || events === undefined ? {} : { minEvents: slo.minEvents }),
  };
  const eventCount = events?.record.value ?? null;
  const controlValue = control?.record.value ?? null;
  const probeName = sli.control?.probe;
  const probed = probeName === undefined ? undefined : probes[probeName];
  const withEvents = {
    ...base,
    ...(events === undefined ? {} : { events: eventCount }),
    ...(control === undefined
      ? {}
      : { control: { label: sli.control!.label, value: controlValue, ...(probed === undefined ? {} : { probed }) } }),
    ...(control === undefined ? {} : { queries: [...base.queries, control.record] }),
  };

  const problem =
    unreadable(terms) ??
    (events === undefined ? undefined : impossibleCount(events)) ??
    impossibleValue(sli, value) ??
    partial(slo, annotations);
  if (problem) return { ...withEvents, ...unjudgedOutcome(slo, problem), sli: null };

  // A quiet window: no observations, whatever the quantile says (NaN, or a stale value).
  if (eventCount !== null && eventCount === 0) {
    return { ...withEvents, ...unjudgedOutcome(slo, quiet(0)), sli: null };
  }
  const outcome = value.outcome as Extract<QueryOutcome, { kind: 'value' }>;
  if (Number.isNaN(outcome.value)) {
    return { ...withEvents, ...unjudgedOutcome(slo, { noData: true, text: 'value query returned NaN' }), sli: null };
  }
  const reading = roundSig(outcome.value);
  if (eventCount !== null && slo.minEvents !== undefined && eventCount < slo.minEvents) {
    return { ...withEvents, ...unjudgedOutcome(slo, tooFew(eventCount, slo.minEvents, windowMs)), sli: reading };
  }
  const ok = compare(reading, sli.operator, sli.bound);
  if (!ok && sli.control !== undefined && (sli.operator === '<=' || sli.operator === '<')) {
    const noise = noiseVerdict(reading, sli, sli.control, controlValue, probed);
    if (noise !== undefined) return { ...withEvents, sli: reading, ...noise };
  }
  return {
    ...withEvents,
    status: ok ? 'pass' : 'fail',
    sli: reading,
    ...(ok ? {} : { reason: breach(reading, sli) }),
  };
}

/**
 * Whether the machine's own noise explains a breach of an upper bound: inconclusive when it does (never a pass),
 * fail naming the noise when the breach is clearly above it; undefined when no noise was measured.
 *
 * Two models of how a saturated machine slows the service, either of which explains a breach:
 * - Additive. Under CPU saturation every request waits for the CPU; a no-op endpoint does nothing else, so its
 *   latency in the same window is the machine's share, and value - noise estimates the service's own. The noise
 *   is the larger of the control (the service's own histogram) and the probe (the harness's client timing the
 *   same no-op): the client also sees the wait before the service's event loop takes the request, which on a
 *   machine crowded by other processes can be most of it (docs/slo.md, "When the noise explains a breach").
 * - Proportional, where the control sets `multiple`. A statement waits for the CPU at each of its wake-ups
 *   inside PostgreSQL, SELECT 1 about once, so a starved PostgreSQL stretches statements by a multiple of the
 *   ping rather than by the ping: a value within `multiple` x the control is explained.
 * A breach that neither explains is the service's own: the SLO fails, naming the noise it is above. The noise
 * is read as latency-noise.ts noiseReading reads it; a latency ratio's breach is judged there too.
 */
function noiseVerdict(
  reading: number,
  sli: ThresholdSli,
  control: NonNullable<ThresholdSli['control']>,
  controlValue: number | null,
  probed: number | undefined,
): { status: 'inconclusive' | 'fail'; reason: string } | undefined {
  const measured = noiseReading(control.label, controlValue, probed, sli.unit);
  if (measured === undefined) return undefined;
  const fmt = (value: number) => formatValue(value, sli.unit);
  const { noise, text: noiseText, fromHistogram } = measured;
  const own = roundSig(reading - noise);
  if (compare(own, sli.operator, sli.bound)) {
    return {
      status: 'inconclusive',
      reason: `machine saturated: ${noiseText}; ${fmt(reading)} minus that is ${fmt(own)}, within ${fmt(sli.bound)}, so the noise explains the breach`,
    };
  }
  if (control.multiple !== undefined && fromHistogram !== undefined && fromHistogram > 0) {
    const scaled = roundSig(control.multiple * fromHistogram);
    if (compare(reading, sli.operator, scaled)) {
      return {
        status: 'inconclusive',
        reason: `machine saturated: ${control.label} ${fmt(fromHistogram)}; ${fmt(reading)} is within ${control.multiple} x that (${fmt(scaled)}), so the noise explains the breach`,
      };
    }
  }
  return {
    status: 'fail',
    reason: `${breach(reading, sli)}, and ${fmt(own)} above the machine's noise (${noiseText})`,
  };
}

/** A threshold breach in the SLO's unit: "443 ms > 300 ms". */
function breach(reading: number, sli: ThresholdSli): string {
  return `${formatValue(reading, sli.unit)} ${negate(sli.operator)} ${formatValue(sli.bound, sli.unit)}`;
}

async function evaluateRatio(
  client: PrometheusClient,
  slo: Slo,
  sli: RatioSli,
  seconds: number,
  windowMs: number,
  window: string,
  probes: Record<string, number>,
): Promise<SloResult> {
  const objective = slo.objective!;
  const budget = errorBudget(slo)!;
  const [{ eventRole, events, total }, noise] = await Promise.all([
    askRatioTerms(client, sli, seconds, windowMs),
    askRatioControl(client, sli, seconds, windowMs, probes),
  ]);
  const terms = [events, total];
  const annotations = annotationsOf(terms);
  const totalValue = total.record.value;
  const base = {
    name: slo.name,
    description: slo.description,
    kind: 'ratio' as const,
    objective,
    operator: '>=' as const,
    unit: 'percent' as const,
    window,
    errorBudget: budget,
    ...(slo.loadThreshold === 'maxErrorRatePct' ? { readAs: 'error-share' as const } : {}),
    // The control's answer is shown, never judged: it only weighs a breach (ratioNoise).
    queries: [...terms.map((term) => term.record), ...(noise ? [noise.term.record] : [])],
    ...annotationsField(annotations),
    ...(slo.minEvents === undefined ? {} : { minEvents: slo.minEvents }),
    ...(noise ? { control: noise.shown } : {}),
  };
  const unknown = { sli: null, errorRatio: null, burnRate: null, budgetConsumed: null };
  // A raw error ratio (Sloth's error_ratio_query) is its own bad share over a total of 1: it tells how much
  // went wrong, not over how many events, so it has no event count to show or to hold to minEvents.
  const raw = isRawErrorRatio(sli);
  const problem = unreadable(terms) ?? impossibleCount(events) ?? impossibleCount(total) ?? partial(slo, annotations);
  if (problem) return { ...base, events: raw ? null : totalValue, ...unjudgedOutcome(slo, problem), ...unknown };
  // Both terms are finite, non-negative numbers from here on.
  const eventValue = events.record.value!;
  if (totalValue === 0) return { ...base, events: 0, ...unjudgedOutcome(slo, quiet(0)), ...unknown };
  const totalEvents = totalValue!;
  if (eventValue > totalEvents) {
    const text = `impossible ratio: ${eventRole} ${eventValue} > total ${totalEvents} (a ratio outside [0, 1]); ${eventRole} query: ${events.record.query}`;
    return { ...base, events: totalEvents, ...unjudgedOutcome(slo, { noData: false, text }), ...unknown };
  }
  const badValue = eventRole === 'bad' ? eventValue : totalEvents - eventValue;
  // The error ratio, then everything else from it: SLI = 1 - ratio (in percent); burn rate = ratio / budget
  // (1 spends exactly the budget over the period); budget consumed = burn rate x window / period (a 1 h run
  // at burn rate 14.4 spends 14.4 / 720 = 2 % of a 30-day budget).
  const errorRatio = roundSig(badValue / totalEvents);
  const sliValue = roundSig(100 * (1 - badValue / totalEvents));
  const burnRate = roundSig(errorRatio / budget);
  const budgetConsumed = roundSig((burnRate * windowMs) / slo.windowMs);
  const figures = { sli: sliValue, errorRatio, burnRate, budgetConsumed, events: raw ? null : totalEvents };
  const judged = judgeRatio(slo, figures, { badValue, totalEvents, raw, windowMs });
  // Only a breach is weighed against the noise; the budget and burn-rate figures stay as measured.
  const weighed =
    judged.status === 'fail' && noise !== undefined
      ? await ratioNoise(client, slo, noise, { seconds, windowMs, events: totalEvents, breach: judged.reason! })
      : undefined;
  if (weighed === undefined) return { ...base, ...figures, ...judged };
  return {
    ...base,
    ...figures,
    status: weighed.status,
    reason: weighed.reason,
    ...(weighed.record ? { queries: [...base.queries, weighed.record] } : {}),
  };
}

/** A latency ratio's noise control as asked: its answer, how the report shows it, and what reads its buckets. */
interface RatioControl {
  control: NonNullable<RatioSli['control']>;
  term: Term;
  probed: number | undefined;
  shown: NonNullable<SloResult['control']>;
  /** The good query's bound and the query of every bucket's count (promql.ts bucketCounts), or why not. */
  buckets: BucketCounts;
  /** The histogram's unit as reasons write it: seconds for a `*_seconds` histogram, else plain numbers. */
  unit: SliUnit;
}

/** Asks a latency ratio's noise control, beside its terms; undefined when the SLI has none. */
async function askRatioControl(
  client: PrometheusClient,
  sli: RatioSli,
  seconds: number,
  windowMs: number,
  probes: Record<string, number>,
): Promise<RatioControl | undefined> {
  const control = sli.control;
  if (control === undefined) return undefined;
  // The good query as the terms ask it (events over the window), so the buckets count what the ratio counts.
  const buckets: BucketCounts =
    sli.good === undefined ? { problem: 'the SLI has no good query' } : bucketCounts(countedQuery(sli.good));
  const unit: SliUnit = 'histogram' in buckets && buckets.histogram.endsWith('_seconds') ? 'seconds' : 'none';
  const term = await ask(client, 'control', renderQuery(control.query, windowMs), seconds);
  const probed = control.probe === undefined ? undefined : probes[control.probe];
  const shown = { label: control.label, value: term.record.value, unit, ...(probed === undefined ? {} : { probed }) };
  return { control, term, probed, shown, buckets, unit };
}

/**
 * A latency ratio's breach weighed against the machine's noise (latency-noise.ts latencyNoiseVerdict): undefined
 * when no noise was measured (the breach stands as judged), else the verdict and the record of the bucket count
 * it stood on. The buckets are asked only now, for a breach with a noise to weigh.
 */
async function ratioNoise(
  client: PrometheusClient,
  slo: Slo,
  noise: RatioControl,
  at: { seconds: number; windowMs: number; events: number; breach: string },
): Promise<{ status: 'inconclusive' | 'fail'; reason: string; record?: QueryRecord } | undefined> {
  const measured = noiseReading(noise.control.label, noise.term.record.value, noise.probed, noise.unit);
  if (measured === undefined) return undefined;
  const read = noise.buckets;
  if ('problem' in read) return unweighed(at.breach, measured, `the good query: ${read.problem}`);
  const query = renderQuery(read.query, at.windowMs);
  // Any number of series, one per le; its answer can only turn a breach inconclusive, never into a pass, and
  // counts that do not fit the SLI's weigh nothing (latencyNoiseVerdict).
  const answer = await client.queryVector(query, at.seconds);
  const le = (text: string | undefined) => (text === '+Inf' ? Number.POSITIVE_INFINITY : Number(text ?? Number.NaN));
  const buckets: BucketCount[] | { problem: string } =
    answer.kind === 'error'
      ? { problem: `buckets query: ${answer.message}; query: ${query}` }
      : answer.samples.length === 0
        ? { problem: `buckets query returned no data; query: ${query}` }
        : answer.samples
            .map((sample) => ({ le: le(sample.labels.le), count: sample.value }))
            .filter((bucket) => !Number.isNaN(bucket.le));
  const verdict = latencyNoiseVerdict({
    bound: read.bound,
    unit: noise.unit,
    noise: measured,
    buckets,
    events: at.events,
    objective: slo.objective!,
    ...(slo.minEvents === undefined ? {} : { minEvents: slo.minEvents }),
    breach: at.breach,
  });
  // The record keeps the query as sent and the count within bound + noise the verdict stood on.
  const value = verdict.within === undefined ? null : roundSig(verdict.within.count);
  return { status: verdict.status, reason: verdict.reason, record: { role: 'buckets', query, value } };
}

/**
 * A ratio SLI's two terms, asked as events over the window: the good (or bad) events and the total. The role
 * says which of good and bad the SLI counts.
 */
async function askRatioTerms(client: PrometheusClient, sli: RatioSli, seconds: number, windowMs: number) {
  const eventRole: 'good' | 'bad' = sli.good !== undefined ? 'good' : 'bad';
  // Events, not rates: a term written Sloth's way, rate(x[{{window}}]), is asked as increase(x[{{window}}])
  // (Prometheus's increase is rate x range), so the ratio is unchanged and the total counts the requests that
  // minEvents holds it to (slo/model/promql.ts countedQuery, through the PromQL parser). A raw error ratio
  // has no count to give, so its query is asked as written.
  const counted = (query: string) => (isRawErrorRatio(sli) ? query : countedQuery(query));
  const [events, total] = await Promise.all([
    ask(client, eventRole, renderQuery(counted((sli.good ?? sli.bad)!), windowMs), seconds),
    // vector(1), the total a raw error ratio is read over, is the harness's constant: one unlabelled series.
    ask(
      client,
      'total',
      renderQuery(counted(sli.total), windowMs),
      seconds,
      sli.total === RAW_ERROR_RATIO_TOTAL ? 'aggregate' : 'any',
    ),
  ]);
  return { eventRole, events, total };
}

/** A readable ratio's verdict: pass or fail on the objective, unless too few events leave it unjudged. */
function judgeRatio(
  slo: Slo,
  figures: { sli: number; errorRatio: number; burnRate: number },
  counts: { badValue: number; totalEvents: number; raw: boolean; windowMs: number },
): { status: Verdict; reason?: string } {
  const { badValue, totalEvents, raw, windowMs } = counts;
  const budget = errorBudget(slo)!;
  // A ratio that reads as a number stands on at least one event, so minEvents 1 is met and judges it alone.
  if (raw && slo.minEvents !== undefined && slo.minEvents > 1) {
    // Nor can a breach outrank the missing count: 100 % errors may be one request of one.
    return unjudgedOutcome(slo, uncounted(slo.minEvents));
  }
  if (!raw && slo.minEvents !== undefined && totalEvents < slo.minEvents) {
    // Too few events to judge, unless the bad ones already breach: padded with good events up to minEvents,
    // the window would still be below the objective, so more evidence could not turn it into a pass.
    if (badValue > budget * slo.minEvents) {
      return {
        status: 'fail',
        reason: `${ratioBreach(slo, figures)}; ${badValue} bad events exceed the budget of ${slo.minEvents} events (minEvents) although only ${totalEvents} were seen`,
      };
    }
    return unjudgedOutcome(slo, tooFew(totalEvents, slo.minEvents, windowMs));
  }
  const ok = figures.sli >= slo.objective!;
  return { status: ok ? 'pass' : 'fail', ...(ok ? {} : { reason: ratioBreach(slo, figures) }) };
}

/**
 * A ratio SLO's breach: the error-rate SLO (loadThreshold maxErrorRatePct) as its error share,
 * "error share 0.5 % > 0.1 % (burn rate 5x)"; every other as its success share, "99.5 % < 99.9 % (burn rate 5x)".
 */
function ratioBreach(slo: Slo, figures: { sli: number; errorRatio: number; burnRate: number }): string {
  const objective = slo.objective!;
  const burn = `(burn rate ${trim(figures.burnRate)}x)`;
  return slo.loadThreshold === 'maxErrorRatePct'
    ? `error share ${trim(figures.errorRatio * 100)} % > ${trim(100 - objective)} % ${burn}`
    : `${trim(figures.sli)} % < ${objective} % ${burn}`;
}

interface Problem {
  /** True for "nothing to judge" (no data, NaN, no events), which the noData policy may turn into pass or fail. */
  noData: boolean;
  text: string;
}

/** An answer that is not a number to read: an error, several series, no data, NaN or an infinity. */
function unreadable(terms: Term[]): Problem | undefined {
  const problems = terms.map(({ record, outcome }) => problemOf(record, outcome));
  // Hard problems (errors, impossible answers) come before no-data ones: they say more.
  return problems.find((problem) => problem && !problem.noData) ?? problems.find((problem) => problem !== undefined);
}

function problemOf(record: QueryRecord, outcome: QueryOutcome): Problem | undefined {
  switch (outcome.kind) {
    case 'no-data':
      return { noData: true, text: `${record.role} query returned no data; query: ${record.query}` };
    case 'too-many-series':
      return {
        noData: false,
        text: `${record.role} query returned ${outcome.count} series, expected 1 (aggregate it, e.g. with sum()); query: ${record.query}`,
      };
    case 'error':
      return { noData: false, text: `${record.role} query: ${outcome.message}; query: ${record.query}` };
    case 'value':
      if (Number.isNaN(outcome.value)) {
        // NaN of the value itself is judged after the event count (a quiet window says so); a NaN term of a
        // ratio or a NaN event count cannot be read.
        return record.role === 'value'
          ? undefined
          : { noData: true, text: `${record.role} query returned NaN; query: ${record.query}` };
      }
      if (!Number.isFinite(outcome.value)) {
        return {
          noData: false,
          text: `${record.role} query returned ${outcome.value > 0 ? '+Inf' : '-Inf'}, which no real measurement gives; query: ${record.query}`,
        };
      }
      return undefined;
  }
}

/** A count (a ratio term, an event count) below zero: no counter's increase can be. */
function impossibleCount(term: Term): Problem | undefined {
  const value = term.record.value;
  if (value === null || value >= 0) return undefined;
  return {
    noData: false,
    text: `impossible ${term.record.role} count ${value}: a counter's increase is never negative; query: ${term.record.query}`,
  };
}

/** A threshold value its unit cannot hold: a negative latency or count, a percentage or ratio out of range. */
function impossibleValue(sli: ThresholdSli, term: Term): Problem | undefined {
  const value = term.record.value;
  if (value === null) return undefined;
  const what =
    (sli.unit === 'seconds' || sli.unit === 'count') && value < 0
      ? `a negative ${sli.unit === 'seconds' ? 'latency' : 'count'} (${value})`
      : sli.unit === 'percent' && (value < 0 || value > 100)
        ? `a percentage outside [0, 100] (${value})`
        : sli.unit === 'ratio' && (value < 0 || value > 1)
          ? `a ratio outside [0, 1] (${value})`
          : undefined;
  return what === undefined
    ? undefined
    : { noData: false, text: `impossible value: ${what}; value query: ${term.record.query}` };
}

/** Prometheus marked an answer partial: inconclusive unless the SLO says to judge such answers. */
function partial(slo: Slo, annotations: { warnings: string[] }): Problem | undefined {
  if (annotations.warnings.length === 0 || slo.onWarnings === 'judge') return undefined;
  return {
    noData: false,
    text: `partial answer: Prometheus warned "${annotations.warnings.join('"; "')}" (onWarnings: inconclusive)`,
  };
}

/** Zero events: no run length at this rate would help, so the reason says what would. */
function quiet(count: number): Problem {
  return {
    noData: true,
    text: `no requests in the window (${count} events): no traffic reached the service in the window; check that the load targets this service and that the window covers the load`,
  };
}

function tooFew(count: number, minEvents: number, windowMs: number): Problem {
  return { noData: false, text: tooLittleEvidence(count, minEvents, windowMs) };
}

/**
 * The margin on the load length a too-little-evidence reason suggests. At this run's rate r = count / window,
 * minEvents / r is the length that reaches minEvents if the next run counts as this one did; it does not.
 * increase() loses the requests a series held before its first sample in the window (a series appears at its
 * first scrape, and Prometheus extrapolates back at most half a scrape interval), a series with one sample in
 * the window counts nothing, and which series are new differs from run to run (a fresh service, an occasional
 * endpoint or status); the journey mix is drawn at random too. The worst loss seen was 24 requests read as
 * 19.12, 20 % (docs/slo.md, "Minimum evidence"), so the suggestion allows for the next run counting 20 % less
 * than this one: 1 / (1 - 0.2) = 1.25.
 */
const EVIDENCE_MARGIN = 1.25;

/**
 * The reason of an SLO judged over too few events, with the load length that would give enough at this run's
 * rate (events / the evaluated window), times EVIDENCE_MARGIN, rounded up (roundUpSeconds):
 * 798 events over 30 s, minEvents 1000 -> 26.6 events/s, 1000 x 1.25 / 26.6 = 46.99 s -> "at least 47 s".
 */
export function tooLittleEvidence(count: number, minEvents: number, windowMs: number): string {
  // increase() extrapolates to the window's edges: 128.99 events are shown as 129.
  const seen = `too little evidence: ${Math.round(count)} events in the window, at least ${minEvents} needed (minEvents)`;
  if (!(count > 0) || !(windowMs > 0)) {
    return `${seen}; no traffic reached the service in the window, so no longer load at this rate would reach it: check that the load targets this service and that the window covers the load`;
  }
  const rate = count / (windowMs / 1000);
  // minEvents x margin / rate, written so that whole inputs stay whole (1000 x 1.25 x 3600 / 400 = 11250).
  const needed = (minEvents * EVIDENCE_MARGIN * windowMs) / count / 1000;
  return `${seen}; at this run's rate (${trim(rate)} events/s) a load of at least ${formatElapsed(roundUpSeconds(needed) * 1000)} would reach it`;
}

/**
 * A length in seconds rounded up so that a suggestion reads as a person would say it (formatElapsed shows at
 * most two units then): whole seconds under an hour (37.6 -> 38 s, 75.2 -> 1 m 16 s), whole minutes under a
 * day (11250 -> 3 h 8 m), whole hours beyond (90061 -> 1 d 2 h). Float noise is cut first (12 significant
 * digits, roundSig), so 9000.000000001 stays 9000 and is not rounded up a whole unit.
 */
export function roundUpSeconds(seconds: number): number {
  const exact = roundSig(seconds);
  const step = exact >= 86_400 ? 3600 : exact >= 3600 ? 60 : 1;
  return Math.max(1, Math.ceil(exact / step) * step);
}

function uncounted(minEvents: number): Problem {
  return {
    noData: false,
    text: `no event count: a raw error ratio says what share went wrong, not of how many events, so it cannot be held to minEvents (${minEvents}); give Sloth's events (error_query and total_query), or set minEvents: 1 in a harness config to judge the ratio alone`,
  };
}

function annotationsField(annotations: { warnings: string[]; infos: string[] }) {
  return {
    ...(annotations.warnings.length === 0 ? {} : { warnings: annotations.warnings }),
    ...(annotations.infos.length === 0 ? {} : { infos: annotations.infos }),
  };
}

/**
 * Status and reason of an SLO that cannot be judged (a query problem, no events, too few of them): inconclusive with
 * the problem as the reason, except that "nothing to judge" follows the SLO's noData policy (fail or pass).
 */
function unjudgedOutcome(slo: Slo, problem: Problem): { status: Verdict; reason: string } {
  if (problem.noData && slo.noData !== 'inconclusive') {
    return { status: slo.noData, reason: `${problem.text} (noData: ${slo.noData})` };
  }
  return { status: 'inconclusive', reason: problem.text };
}

/** How completely the scrapes of the SLOs' job cover a window (see checkCoverage). */
export interface Coverage {
  /** The scrape-health selector, e.g. up{job="mystocks-api"}. */
  up: string;
  /** Scrape interval seen in the samples, seconds; null when there were too few samples to tell. */
  intervalSeconds: number | null;
  /** Scrapes a complete window holds: targets x window / interval. */
  expected: number | null;
  /** Scrapes recorded with up == 1. */
  healthy: number | null;
  /** Missing or failed scrapes tolerated: the larger of 2 per target and 5 % of expected. */
  tolerance: number | null;
  /** True when the missing or failed scrapes stay within the tolerance. */
  complete: boolean;
  /** Why the window is not complete. */
  gap?: string;
}

/**
 * Scrape coverage of the window ending at `seconds`: a process that is dead or cannot be scraped for part of
 * the window records no errors at all in its own counters (the SLIs then read 100 %), but its job's `up`
 * series shows it, with 0 for a failed scrape and no sample at all while Prometheus itself was not scraping.
 * healthy = sum(sum_over_time(up[w])), targets = count(count_over_time(up[w])); the interval is the median
 * spacing of the raw samples over the window's last 5 minutes (a 30-day window is never fetched raw), so
 * expected = targets x w / interval. The tolerance, the larger of 2 scrapes per target and 5 % of expected,
 * absorbs the one sample a window's edges can gain or lose and an occasional slow scrape on a busy machine.
 */
export async function checkCoverage(
  client: PrometheusClient,
  up: string,
  seconds: number,
  windowMs: number,
): Promise<Coverage> {
  const range = formatDuration(windowMs);
  const recent = formatDuration(Math.min(windowMs, 300_000));
  // Aggregations without by, built here: each answers at most one series without labels.
  const sums = [`sum(sum_over_time(${up}[${range}]))`, `count(count_over_time(${up}[${range}]))`] as const;
  const [healthy, targets, raw] = await Promise.all([
    client.query(sums[0], seconds, 'aggregate'),
    client.query(sums[1], seconds, 'aggregate'),
    client.samples(`${up}[${recent}]`, seconds),
  ]);
  const unknown = { up, intervalSeconds: null, expected: null, healthy: null, tolerance: null, complete: false };
  for (const [i, outcome] of [healthy, targets].entries()) {
    if (outcome.kind === 'error') {
      return { ...unknown, gap: `scrape coverage unknown: ${outcome.message}; query: ${sums[i]}` };
    }
  }
  if ('kind' in raw) return { ...unknown, gap: `scrape coverage unknown: ${raw.message}` };
  const spacings: number[] = [];
  for (const series of raw) {
    for (let i = 1; i < series.samples.length; i++) spacings.push(series.samples[i]![0] - series.samples[i - 1]![0]);
  }
  if (healthy.kind !== 'value' || targets.kind !== 'value' || spacings.length === 0) {
    return { ...unknown, gap: `no scrapes of ${up} in the window` };
  }
  spacings.sort((a, b) => a - b);
  const interval = spacings[Math.floor(spacings.length / 2)]!;
  const expected = roundSig((targets.value * windowMs) / 1000 / interval, 6);
  const tolerance = roundSig(Math.max(2 * targets.value, 0.05 * expected), 6);
  const missing = roundSig(expected - healthy.value, 6);
  const coverage = { up, intervalSeconds: interval, expected, healthy: healthy.value, tolerance };
  if (missing <= tolerance) return { ...coverage, complete: true };
  const share = roundSig((100 * missing) / expected, 3);
  return {
    ...coverage,
    complete: false,
    gap: `scrape gaps: ${up} was missing or down for ${Math.round(missing)} of ${Math.round(expected)} expected scrapes (${share} %), more than the tolerance of ${Math.round(tolerance)}`,
  };
}

/** An SLO's result once the window's coverage is known: a gap is never a pass (see onGaps). */
export function withCoverage(slo: Slo, result: SloResult, coverage: Coverage): SloResult {
  if (coverage.complete) return { ...result, coverage };
  const gap = coverage.gap!;
  if (slo.onGaps === 'downtime') {
    const reason = `${gap}, counted as downtime (onGaps: downtime)`;
    return { ...result, coverage, status: 'fail', reason: result.reason ? `${result.reason}; ${reason}` : reason };
  }
  // Already a breach: the gap stays beside it (coverage.gap, shown under the table), the reason unchanged.
  if (result.status === 'fail') return { ...result, coverage };
  const reason = `${gap} (onGaps: inconclusive)`;
  return {
    ...result,
    coverage,
    status: 'inconclusive',
    reason: result.reason && result.status === 'inconclusive' ? `${result.reason}; ${reason}` : reason,
  };
}
