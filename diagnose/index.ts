/**
 * The diagnosis of a failed run: where and why an SLO failed. It sits above slo/ (it reads an SloReport and
 * asks the same Prometheus, over the same window, at the same instant) and never changes the verdict. A diagnosis
 * is data: report/diagnose/ renders it (terminal table, Markdown, JSON, Allure) and writes its files.
 *
 * Typical use, after the SLO check:
 * ```ts
 * const diagnosis = report.status === 'fail' ? await diagnoseReport(report) : undefined;
 * process.stdout.write(renderWithDiagnosis('table', report, diagnosis)); // report/diagnose/render.ts
 * ```
 */
export {
  type BreakdownRow,
  breakDown,
  drivingRow,
  type Focus,
  focusOf,
  rowName,
  type SloBreakdown,
} from './breakdown.ts';
export { type DiagnoseOptions, type Diagnosis, diagnoseReport } from './diagnose.ts';
export {
  type ExplainedStatement,
  type PlanHint,
  readSlowStatements,
  resetStatementStats,
  type SlowQuerySection,
  type StatementStats,
} from './slow-queries.ts';
export {
  type RequestSpan,
  readSlowRequests,
  requestSpans,
  type SlowRequest,
  type SlowRequestSection,
} from './slow-requests.ts';
