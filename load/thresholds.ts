// Pass/fail lines of a load run. The limits are the SLOs themselves: they come from slo/slo-config.yaml through
// the SLO checker's model (see ./slo-limits.ts) and are never written here. This module turns them into
// Artillery `ensure` conditions (so Artillery prints ok/fail and exits 1) and evaluates the very same
// formulas on the JSON report, so the harness can report the measured value next to each limit.

import type { LoadThresholds } from '../slo/index.ts';

/** What a threshold measures; each kind has one formula, used both in `ensure` and on the report. */
export type ThresholdKind = 'latency-p95' | 'error-rate' | 'availability' | 'checks';

/** One pass/fail line of a run. Plain data: it travels to the Artillery process inside the load plan. */
export interface ThresholdSpec {
  /** Stable name, used in messages and as the Allure test name ("latency-p95"). */
  name: string;
  kind: ThresholdKind;
  /** The bound; for `checks` always 0 (no response may fail its status or shape check). */
  limit: number;
  unit: 'ms' | '%' | 'responses' | 'score';
  /** Direction of a pass: value <= limit or value >= limit. */
  comparison: '<=' | '>=';
  /** Where the limit came from ("slo-config.yaml: latency-p95 threshold 300 ms"). */
  source: string;
}

/** A threshold with its measured value. */
export interface ThresholdResult {
  name: string;
  limit: number;
  /** Measured value; null when the run produced nothing to measure (which fails the threshold). */
  value: number | null;
  ok: boolean;
  unit: ThresholdSpec['unit'];
  comparison: ThresholdSpec['comparison'];
  /** The `ensure` expression Artillery evaluated. */
  expression: string;
  source: string;
}

/**
 * Counters the processor emits on every response (with 0 when nothing is wrong, so the counter exists and the
 * ensure expressions always have a value). Plain Artillery metric names; publish-metrics turns them into
 * `mystocks_load_counters{metric="mystocks_server_errors"}`.
 */
export const METRIC = {
  serverErrors: 'mystocks.server_errors',
  checkFailures: 'mystocks.check_failures',
} as const;

/**
 * The page a browser metric is about, for Artillery's `$rewriteMetricName` (load/scenarios/browser.ts). The
 * Playwright engine names page metrics by full URL (`browser.page.LCP.http://127.0.0.1:40125/charts/600519`), so
 * each symbol's chart would be a page of its own, judged on one or two views, and every name would change with
 * the port. A page is its route instead: the path, a chart's symbol as `:symbol` (the pages' own route,
 * reference-api/web/src/main.ts), no query (`/login?next=...` is the login page).
 */
export function pageMetricName(name: string): string {
  const match = /^(browser\.page\.[A-Za-z]+\.)(https?:\/\/.+)$/.exec(name);
  if (!match) return name;
  const path = new URL(match[2]!).pathname.replace(/^\/charts\/[^/]+/, '/charts/:symbol');
  return `${match[1]}${path}`;
}

/**
 * The ensure expression of a threshold. Error rate, client side: requests that got no answer (timeouts,
 * refused connections) plus answers with a 5xx status, over requests sent; the service's own error-rate SLI
 * counts the 5xx part of the same thing.
 */
export function ensureExpression(spec: ThresholdSpec): string {
  const failed = `(http.requests - http.responses + ${METRIC.serverErrors})`;
  switch (spec.kind) {
    case 'latency-p95':
      return `http.response_time.p95 ${spec.comparison} ${spec.limit}`;
    case 'error-rate':
      return `${failed} / http.requests * 100 ${spec.comparison} ${spec.limit}`;
    case 'availability':
      return `(http.requests - ${failed}) / http.requests * 100 ${spec.comparison} ${spec.limit}`;
    case 'checks':
      return `${METRIC.checkFailures} ${spec.comparison} ${spec.limit}`;
  }
}

/**
 * The thresholds for the given SLO limits: one per limit present, plus the response-check threshold, which is
 * not an SLO but a correctness line (a fast wrong answer is not a pass).
 */
export function thresholdsFromLimits(limits: LoadThresholds, sourceFile = 'slo/slo-config.yaml'): ThresholdSpec[] {
  const specs: ThresholdSpec[] = [];
  if (limits.p95LatencyMs !== undefined) {
    specs.push({
      name: 'latency-p95',
      kind: 'latency-p95',
      limit: limits.p95LatencyMs,
      unit: 'ms',
      comparison: '<=',
      source: `${sourceFile}: P95 latency <= ${limits.p95LatencyMs} ms`,
    });
  }
  if (limits.maxErrorRatePct !== undefined) {
    specs.push({
      name: 'error-rate',
      kind: 'error-rate',
      limit: limits.maxErrorRatePct,
      unit: '%',
      comparison: '<=',
      source: `${sourceFile}: error rate <= ${limits.maxErrorRatePct} %`,
    });
  }
  if (limits.availabilityPct !== undefined) {
    specs.push({
      name: 'availability',
      kind: 'availability',
      limit: limits.availabilityPct,
      unit: '%',
      comparison: '>=',
      source: `${sourceFile}: availability >= ${limits.availabilityPct} %`,
    });
  }
  specs.push({
    name: 'checks',
    kind: 'checks',
    limit: 0,
    unit: 'responses',
    comparison: '<=',
    source: 'load/processor.ts: every non-5xx response has the expected status and shape',
  });
  return specs;
}

/** Artillery's `ensure` section for these thresholds (all strict: any failure makes Artillery exit 1). */
export function toEnsure(specs: readonly ThresholdSpec[]): { conditions: { expression: string; strict: boolean }[] } {
  return { conditions: specs.map((spec) => ({ expression: ensureExpression(spec), strict: true })) };
}

/** The part of Artillery's JSON report the thresholds read (its `aggregate`). */
export interface ReportAggregate {
  counters?: Record<string, number>;
  summaries?: Record<string, Record<string, number>>;
}

/** The measured value of one threshold in a report, or null when there is nothing to measure. */
export function measure(spec: ThresholdSpec, aggregate: ReportAggregate): number | null {
  const counter = (name: string): number => aggregate.counters?.[name] ?? 0;
  const requests = counter('http.requests');
  const failed = requests - counter('http.responses') + counter(METRIC.serverErrors);
  switch (spec.kind) {
    case 'latency-p95': {
      const p95 = aggregate.summaries?.['http.response_time']?.p95;
      return typeof p95 === 'number' ? p95 : null;
    }
    case 'error-rate':
      return requests > 0 ? round((failed / requests) * 100) : null;
    case 'availability':
      return requests > 0 ? round(((requests - failed) / requests) * 100) : null;
    case 'checks':
      return aggregate.counters?.[METRIC.checkFailures] === undefined && requests === 0
        ? null
        : counter(METRIC.checkFailures);
  }
}

/** Every threshold with its value and verdict, in the order given. */
export function evaluateThresholds(specs: readonly ThresholdSpec[], aggregate: ReportAggregate): ThresholdResult[] {
  return specs.map((spec) => {
    const value = measure(spec, aggregate);
    const ok = value !== null && (spec.comparison === '<=' ? value <= spec.limit : value >= spec.limit);
    return {
      name: spec.name,
      limit: spec.limit,
      value,
      ok,
      unit: spec.unit,
      comparison: spec.comparison,
      expression: ensureExpression(spec),
      source: spec.source,
    };
  });
}

/** "latency-p95: 412 ms > 300 ms (FAIL)" */
export function describeResult(result: ThresholdResult): string {
  const unit = result.unit === 'responses' ? ' failed responses' : ` ${result.unit}`;
  if (result.value === null) return `${result.name}: no data (limit ${result.comparison} ${result.limit}${unit}) FAIL`;
  const relation = result.ok ? result.comparison : result.comparison === '<=' ? '>' : '<';
  return `${result.name}: ${result.value}${unit} ${relation} ${result.limit}${unit} ${result.ok ? 'ok' : 'FAIL'}`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
