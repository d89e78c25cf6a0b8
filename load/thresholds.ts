// Pass/fail lines of a load run. The limits are the SLOs themselves: they come from slo/slo-config.yaml through
// the SLO checker's model (see ./slo-limits.ts) and are never written here. This module is the run's one
// threshold judge: it measures each threshold on the judged window's samples (the warm-up cut off at its
// boundary) and compares it with its limit. Artillery itself judges nothing: it runs without `ensure`, and
// its output is never read for a verdict.

import type { LoadThresholds } from '../slo/index.ts';
import { nearestRank, type Sample } from './samples.ts';

/** What a threshold measures; each kind has one formula. */
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
  /** The formula measured, in Artillery's metric names (thresholdFormula). */
  expression: string;
  source: string;
}

/**
 * Counters the processor emits on every response (with 0 when nothing is wrong, so the counter exists and the
 * progress lines always have a value). Plain Artillery metric names; publish-metrics turns them into
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
 * A threshold's formula, written in Artillery's metric names (how the reports show what was measured). Error
 * rate, client side: requests that got no answer (timeouts, refused connections) plus answers with a 5xx
 * status, over requests sent; the service's own error-rate SLI counts the 5xx part of the same thing.
 */
export function thresholdFormula(spec: ThresholdSpec): string {
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

/** The part of Artillery's JSON report the browser scenario's thresholds read (its `aggregate`). */
export interface ReportAggregate {
  counters?: Record<string, number>;
  summaries?: Record<string, Record<string, number>>;
}

/** How a threshold's value is found: from the judged window's samples, or (browser) from Artillery's report. */
export type Measure = (spec: ThresholdSpec) => number | null;

/**
 * Measures on the samples of the judged window (one per request, load/samples.ts). Nothing here is Artillery's
 * approximation: the P95 is the nearest-rank 95th percentile of the window's waits (the smallest wait that at
 * least 95 % of requests did not exceed), a request that got no response counting with the time it waited;
 * failed = no response (status 0) or a 5xx answer, over every request of the window.
 */
export function measureSamples(samples: readonly Sample[]): Measure {
  const requests = samples.length;
  const failed = samples.filter((s) => s.status === 0 || s.status >= 500).length;
  const checkFailures = samples.filter((s) => s.checkFailed).length;
  const waits = samples.map((s) => s.ms).sort((a, b) => a - b);
  return (spec) => {
    if (requests === 0) return null;
    switch (spec.kind) {
      case 'latency-p95':
        return nearestRank(waits, 0.95)!;
      case 'error-rate':
        return round((failed / requests) * 100);
      case 'availability':
        return round(((requests - failed) / requests) * 100);
      case 'checks':
        return checkFailures;
    }
  };
}

/**
 * Measures on Artillery's own aggregate: the browser scenario, whose page loads leave no samples (its only
 * request threshold is `checks`, counted by its script).
 */
export function measureAggregate(aggregate: ReportAggregate): Measure {
  const counter = (name: string): number => aggregate.counters?.[name] ?? 0;
  const requests = counter('http.requests');
  const failed = requests - counter('http.responses') + counter(METRIC.serverErrors);
  return (spec) => {
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
  };
}

/**
 * The one threshold judge of a load run: every threshold with its value and verdict, in the order given. A
 * threshold with nothing to measure fails (the run as a whole is then inconclusive, load/run.ts).
 */
export function evaluateThresholds(specs: readonly ThresholdSpec[], measure: Measure): ThresholdResult[] {
  return specs.map((spec) => {
    const value = measure(spec);
    const ok = value !== null && (spec.comparison === '<=' ? value <= spec.limit : value >= spec.limit);
    return {
      name: spec.name,
      limit: spec.limit,
      value,
      ok,
      unit: spec.unit,
      comparison: spec.comparison,
      expression: thresholdFormula(spec),
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
