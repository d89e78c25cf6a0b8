/**
 * The diagnosis of a failed run: where and why an SLO failed. It sits above slo/ (it reads an SloReport and
 * asks the same Prometheus, over the same window, at the same instant) and never changes the verdict.
 *
 * Typical use, after the SLO check:
 * ```ts
 * const diagnosis = report.status === 'fail' ? await diagnoseReport(report) : undefined;
 * process.stdout.write(renderWithDiagnosis('table', report, diagnosis));
 * ```
 */
import type { SloReport } from '../slo/evaluate/evaluate.ts';
import { renderJson, renderJunit, renderMarkdown, renderTable } from '../slo/report/render.ts';
import type { Diagnosis } from './diagnose.ts';
import { renderDiagnosisMarkdown, renderDiagnosisTable, withDiagnosis } from './render.ts';

export { writeAllureResultsWithDiagnosis } from './allure.ts';
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
export { renderDiagnosisMarkdown, renderDiagnosisTable, withDiagnosis } from './render.ts';
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
export { writeDiagnosisFiles } from './write.ts';

/** Report formats the diagnosis can join. */
export type ReportFormat = 'table' | 'json' | 'junit' | 'markdown';

/** The report in one format with the diagnosis after it (table, Markdown) or inside it (JSON); JUnit as is. */
export function renderWithDiagnosis(format: ReportFormat, report: SloReport, diagnosis: Diagnosis | undefined): string {
  switch (format) {
    case 'table':
      return diagnosis === undefined
        ? renderTable(report)
        : `${renderTable(report)}\n${renderDiagnosisTable(diagnosis)}`;
    case 'markdown':
      return diagnosis === undefined
        ? renderMarkdown(report)
        : `${renderMarkdown(report)}\n${renderDiagnosisMarkdown(diagnosis)}`;
    case 'json':
      return renderJson(withDiagnosis(report, diagnosis));
    case 'junit':
      return renderJunit(report);
  }
}
