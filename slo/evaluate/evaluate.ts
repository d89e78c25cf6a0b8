// Model -> report: each SLO's queries evaluated at one instant over its window (or the run's), then the
// verdict. The rule of this layer: never call an SLO healthy when the numbers could not be read.

import { formatDuration, parseDuration } from '../../core/duration.ts';
import { HarnessError } from '../../core/outcome.ts';
import {
  compare,
  errorBudget,
  type Operator,
  renderQuery,
  roundSig,
  type SliUnit,
  type Slo,
  type SloModel,
} from '../model/model.ts';
import { PrometheusClient, type QueryOutcome } from './prometheus.ts';

/** Outcome of one SLO, or of a whole run. */
export type SloStatus = 'pass' | 'fail' | 'inconclusive';

/** One query as it was sent, and what it gave. */
export interface QueryRecord {
  role: 'good' | 'bad' | 'total' | 'value';
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
}

/** The result of one SLO. */
export interface SloResult {
  name: string;
  description: string;
  kind: 'ratio' | 'threshold';
  status: SloStatus;
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
  queries: QueryRecord[];
  baseline?: BaselineComparison;
}

/** The result of a run. */
export interface SloReport {
  status: SloStatus;
  /** Evaluation instant, ISO 8601. */
  time: string;
  /** The run's window when it overrode the SLOs' own, else null. */
  window: string | null;
  prometheusUrl: string;
  config: string;
  service: string;
  slos: SloResult[];
}

/** Options of a run. `window`, or `start` and `end`, override every SLO's own window. */
export interface EvaluateOptions {
  prometheusUrl: string;
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
}

/** Overall status: fail if any SLO failed, else inconclusive if any was, else pass. */
export function overallStatus(statuses: Iterable<SloStatus>): SloStatus {
  let overall: SloStatus = 'pass';
  for (const status of statuses) {
    if (status === 'fail') return 'fail';
    if (status === 'inconclusive') overall = 'inconclusive';
  }
  return overall;
}

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
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    concurrency: options.concurrency ?? 4,
  });
  const seconds = time.getTime() / 1000;
  // All SLOs start at once; the client's limiter bounds the queries actually in flight.
  const slos = await Promise.all(model.slos.map((slo) => evaluateSlo(client, slo, seconds, windowMs)));
  return {
    status: overallStatus(slos.map((slo) => slo.status)),
    time: time.toISOString(),
    window: windowMs === undefined ? null : formatDuration(windowMs),
    prometheusUrl: client.url,
    config: model.file,
    service: model.service,
    slos,
  };
}

/** Evaluates one SLO at `seconds` over `overrideMs` or its own window. */
export async function evaluateSlo(
  client: PrometheusClient,
  slo: Slo,
  seconds: number,
  overrideMs?: number,
): Promise<SloResult> {
  const windowMs = overrideMs ?? slo.windowMs;
  const window = formatDuration(windowMs);
  if (slo.sli.kind === 'threshold') {
    const sli = slo.sli;
    const query = renderQuery(sli.query, windowMs);
    const outcome = await client.query(query, seconds);
    const base = {
      name: slo.name,
      description: slo.description,
      kind: 'threshold' as const,
      objective: sli.bound,
      operator: sli.operator,
      unit: sli.unit,
      window,
    };
    const value = outcome.kind === 'value' ? outcome.value : null;
    const queries: QueryRecord[] = [
      { role: 'value', query, value: value === null || Number.isNaN(value) ? null : value },
    ];
    const problem = readProblem('value', outcome);
    if (problem) return { ...base, ...unreadable(slo, problem), sli: null, queries };
    const reading = roundSig(value!);
    const ok = compare(reading, sli.operator, sli.bound);
    return {
      ...base,
      status: ok ? 'pass' : 'fail',
      sli: reading,
      ...(ok
        ? {}
        : { reason: `${reading}${unitSuffix(sli.unit)} is not ${sli.operator} ${sli.bound}${unitSuffix(sli.unit)}` }),
      queries,
    };
  }

  const sli = slo.sli;
  const objective = slo.objective!;
  const budget = errorBudget(slo)!;
  const eventRole: 'good' | 'bad' = sli.good !== undefined ? 'good' : 'bad';
  const eventQuery = renderQuery((sli.good ?? sli.bad)!, windowMs);
  const totalQuery = renderQuery(sli.total, windowMs);
  const [events, total] = await Promise.all([client.query(eventQuery, seconds), client.query(totalQuery, seconds)]);
  const numberOf = (outcome: QueryOutcome) =>
    outcome.kind === 'value' && !Number.isNaN(outcome.value) ? roundSig(outcome.value) : null;
  const good = eventRole === 'good' ? numberOf(events) : null;
  const bad = eventRole === 'bad' ? numberOf(events) : null;
  const queries: QueryRecord[] = [
    { role: eventRole, query: eventQuery, value: numberOf(events) },
    { role: 'total', query: totalQuery, value: numberOf(total) },
  ];
  const base = {
    name: slo.name,
    description: slo.description,
    kind: 'ratio' as const,
    objective,
    operator: '>=' as const,
    unit: 'percent' as const,
    window,
    errorBudget: budget,
  };
  const problem = readProblem(eventRole, events) ?? readProblem('total', total);
  if (problem) {
    return {
      ...base,
      ...unreadable(slo, problem),
      sli: null,
      errorRatio: null,
      burnRate: null,
      budgetConsumed: null,
      queries,
    };
  }
  const totalValue = numberOf(total)!;
  if (totalValue <= 0) {
    const problem: Problem = { noData: true, text: `no events in the window (total is ${totalValue})` };
    return {
      ...base,
      ...unreadable(slo, problem),
      sli: null,
      errorRatio: null,
      burnRate: null,
      budgetConsumed: null,
      queries,
    };
  }
  const badValue = bad ?? totalValue - good!;
  // The error ratio, then everything else from it: SLI = 1 - ratio (in percent); burn rate = ratio / budget
  // (1 spends exactly the budget over the period); budget consumed = burn rate x window / period (a 1 h run
  // at burn rate 14.4 spends 14.4 / 720 = 2 % of a 30-day budget).
  const errorRatio = roundSig(badValue / totalValue);
  const sliValue = roundSig(100 * (1 - badValue / totalValue));
  const burnRate = roundSig(errorRatio / budget);
  const budgetConsumed = roundSig((burnRate * windowMs) / slo.windowMs);
  const ok = sliValue >= objective;
  return {
    ...base,
    status: ok ? 'pass' : 'fail',
    sli: sliValue,
    ...(ok ? {} : { reason: `${sliValue} % is below the objective ${objective} % (burn rate ${burnRate})` }),
    errorRatio,
    burnRate,
    budgetConsumed,
    queries,
  };
}

interface Problem {
  /** True for "nothing to judge" (no data, NaN), which the noData policy may turn into pass or fail. */
  noData: boolean;
  text: string;
}

function readProblem(role: string, outcome: QueryOutcome): Problem | undefined {
  switch (outcome.kind) {
    case 'no-data':
      return { noData: true, text: `${role} query returned no data` };
    case 'too-many-series':
      return {
        noData: false,
        text: `${role} query returned ${outcome.count} series, expected 1 (aggregate it, e.g. with sum())`,
      };
    case 'error':
      return { noData: false, text: `${role} query: ${outcome.message}` };
    case 'value':
      return Number.isNaN(outcome.value) ? { noData: true, text: `${role} query returned NaN` } : undefined;
  }
}

/** Status and reason of an SLO whose numbers could not be read. Query errors stay inconclusive whatever the policy. */
function unreadable(slo: Slo, problem: Problem): { status: SloStatus; reason: string } {
  if (problem.noData && slo.noData !== 'inconclusive') {
    return { status: slo.noData, reason: `${problem.text} (noData: ${slo.noData})` };
  }
  return { status: 'inconclusive', reason: problem.text };
}

function unitSuffix(unit: SliUnit): string {
  return unit === 'seconds' ? ' s' : unit === 'percent' ? ' %' : '';
}
