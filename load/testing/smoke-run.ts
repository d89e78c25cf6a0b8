// A smoke run made by hand for the tests and pages that render one (report/load/html-report.test.ts, the
// reports built from disk in e2e/run-reports.ts, verify's golden run in report/verify/reports.test.ts): Artillery's
// 10 s periods from a few figures each, the run's summary from them as load/run.ts sums it, and the SLO-derived
// thresholds judged by load/thresholds.ts itself.
import { getProfile } from '../profiles.ts';
import { type PeriodStats, type RunSummary, summarizePeriods } from '../report.ts';
import { evaluateThresholds, type ThresholdResult, thresholdsFromLimits } from '../thresholds.ts';

/** One period's figures: journeys started, requests, P50, P95 and P99 in ms, 5xx answers. */
export type PeriodRow = readonly [
  journeys: number,
  requests: number,
  p50: number,
  p95: number,
  p99: number,
  errors: number,
];

/** The periods as Artillery's progress plugin reports them, the first starting at `t0` (ms), 10 s apart. */
export function smokePeriods(t0: number, rows: readonly PeriodRow[]): PeriodStats[] {
  return rows.map(([created, requests, p50, p95, p99, errors], i) => ({
    period: t0 + i * 10_000,
    counters: { 'vusers.created': created, 'http.requests': requests, 'mystocks.server_errors': errors },
    summaries: { 'http.response_time': { p50, p95, p99 } },
  }));
}

/**
 * A smoke run's summary of `periods`: from the first period's start to 10 s after the last one's, its requests
 * their sum, the mix scenario, no thresholds; `over` (the run id and target at least) laid on top.
 */
export function smokeRunSummary(
  periods: PeriodStats[],
  over: Partial<RunSummary> & Pick<RunSummary, 'runId' | 'target' | 'verdict'>,
): RunSummary {
  const first = periods[0]?.period ?? 0;
  return {
    profile: 'smoke',
    scenario: 'mix',
    startedAt: new Date(first).toISOString(),
    endedAt: new Date(first + periods.length * 10_000).toISOString(),
    thresholds: [],
    requests: periods.reduce((sum, p) => sum + (p.counters?.['http.requests'] ?? 0), 0),
    journeyMix: {},
    periods: summarizePeriods(periods, getProfile('smoke')),
    command: 'harness load --profile smoke',
    ...over,
  };
}

/**
 * The seed SLOs' two thresholds (P95 <= 300 ms, errors <= 0.1 %) judged on a run's P95 and error share; the
 * checks threshold every run also has is left out, so a rendering shows just these two.
 */
export function smokeThresholds(p95Ms: number, errorPct: number): ThresholdResult[] {
  const specs = thresholdsFromLimits({ p95LatencyMs: 300, maxErrorRatePct: 0.1 }).filter((s) => s.kind !== 'checks');
  return evaluateThresholds(specs, (spec) => (spec.kind === 'latency-p95' ? p95Ms : errorPct));
}
