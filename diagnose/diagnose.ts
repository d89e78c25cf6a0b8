// Report -> diagnosis: when the gate fails, where and why. For each failed SLO, its series broken down per
// endpoint (or database operation) over the judged window (breakdown.ts); the sections on slow statements and
// slow requests join it when their sources are given. A diagnosis never changes the verdict: whatever it
// cannot read, it says so in its own text.
import type { PrometheusAccess } from '../core/prometheus-access.ts';
import type { SloReport } from '../slo/evaluate/evaluate.ts';
import { PrometheusClient } from '../slo/evaluate/prometheus.ts';
import { breakDown, type SloBreakdown } from './breakdown.ts';
import { readSlowStatements, type SlowQuerySection } from './slow-queries.ts';
import { readSlowRequests, type SlowRequestSection } from './slow-requests.ts';

/** What a failed run's report adds: where the bad events came from. */
export interface Diagnosis {
  /** The instant the SLOs were judged at (the report's), ISO 8601. */
  time: string;
  /** One per failed SLO, in the report's order. */
  breakdowns: SloBreakdown[];
  /** The window's slowest statements with plans and index hints, or why they could not be read. */
  slowQueries: SlowQuerySection;
  /** A failed latency SLO's slowest requests, picked by exemplars, with their spans (absent in old reports). */
  slowRequests?: SlowRequestSection;
}

/** Where the diagnosis reads from. */
export interface DiagnoseOptions {
  /** Per query (default 15 s). */
  timeoutMs?: number;
  /** Extra attempts after a transient failure (default 1: a diagnosis should not hold up the verdict long). */
  retries?: number;
  /**
   * PostgreSQL whose pg_stat_statements was reset at the window's start (resetStatementStats); the role must
   * read pg_stat_statements. Without it the slow-statement section says it was skipped.
   */
  postgresUrl?: string;
  /** The run's spans (stack/otlp/receiver.ts); without it slow requests show trace ids without spans. */
  spansFile?: string;
  /** Headers, credentials and CA of the report's Prometheus when it is secured. */
  prometheusAccess?: PrometheusAccess;
}

/** Diagnoses every failed SLO of a report, against the report's own Prometheus, window and instant. */
export async function diagnoseReport(report: SloReport, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  const client = new PrometheusClient({
    url: report.prometheusUrl,
    ...(options.prometheusAccess ? { access: options.prometheusAccess } : {}),
    timeoutMs: options.timeoutMs ?? 15_000,
    retries: options.retries ?? 1,
    concurrency: 4,
  });
  const seconds = new Date(report.time).getTime() / 1000;
  const failed = report.slos.filter((slo) => slo.status === 'fail');
  const [breakdowns, slowQueries, slowRequests] = await Promise.all([
    Promise.all(failed.map((slo) => breakDown(client, slo, seconds))),
    readSlowStatements(options.postgresUrl),
    readSlowRequests(client, report, options.spansFile),
  ]);
  return { time: report.time, breakdowns, slowQueries, slowRequests };
}
