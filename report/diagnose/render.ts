// Diagnosis -> text: the terminal table and Markdown beside the SLO report's own (report/slo/render.ts),
// with the same figure formats. JSON is the Diagnosis object itself (see withDiagnosis).

import { type BreakdownRow, type Focus, rowName, type SloBreakdown } from '../../diagnose/breakdown.ts';
import type { Diagnosis } from '../../diagnose/diagnose.ts';
import type { SlowQuerySection, StatementStats } from '../../diagnose/slow-queries.ts';
import type { SlowRequestSection } from '../../diagnose/slow-requests.ts';
import type { SloReport } from '../../slo/evaluate/evaluate.ts';
import { formatShare, formatValue } from '../slo/format.ts';
import { renderJson, renderJunit, renderMarkdown, renderTable } from '../slo/render.ts';

/** Rows shown per breakdown in text; JSON keeps them all. */
export const TEXT_ROWS = 10;

const WHAT: Record<Focus, string> = {
  latency: 'requests slower than the bound, per endpoint',
  errors: '5xx answers, per endpoint',
  'db-latency': 'queries slower than the bound, per operation',
};

function heading(breakdown: SloBreakdown): string {
  if (breakdown.focus === null) return `Where ${breakdown.slo} failed (over ${breakdown.window}): no breakdown`;
  const bound = breakdown.bound === undefined ? '' : `, bound ${formatValue(breakdown.bound, 'seconds')}`;
  return `Where ${breakdown.slo} failed (over ${breakdown.window}${bound}): ${WHAT[breakdown.focus]}`;
}

function columns(breakdown: SloBreakdown): { header: string[]; cells: (row: BreakdownRow) => string[] } {
  const http = breakdown.by.includes('endpoint');
  const hasErrors = breakdown.rows.some((row) => row.errors !== undefined);
  const hasBound = breakdown.bound !== undefined;
  const header = [
    http ? 'ENDPOINT' : 'OPERATION',
    http ? 'REQUESTS' : 'QUERIES',
    'P50',
    'P95',
    'P99',
    ...(hasErrors ? ['5XX', '5XX SHARE'] : []),
    'SLOW',
    ...(hasBound ? ['ABOVE BOUND'] : []),
    'SHARE OF BAD',
  ];
  const cells = (row: BreakdownRow) => [
    rowName(row.labels),
    String(row.count),
    formatValue(row.p50, 'seconds'),
    formatValue(row.p95, 'seconds'),
    formatValue(row.p99, 'seconds'),
    ...(hasErrors ? [String(row.errors ?? 0), formatShare(row.errorShare)] : []),
    String(row.slow),
    ...(hasBound ? [String(row.aboveBound ?? 0)] : []),
    formatShare(row.contribution),
  ];
  return { header, cells };
}

/** The diagnosis as plain text for a terminal, after the SLO table. */
export function renderDiagnosisTable(diagnosis: Diagnosis): string {
  const out: string[] = [];
  for (const breakdown of diagnosis.breakdowns) {
    out.push(heading(breakdown));
    for (const culprit of breakdown.culprits) out.push(`  ${culprit}`);
    if (breakdown.problem) out.push(`  (${breakdown.problem})`);
    if (breakdown.rows.length > 0) {
      const { header, cells } = columns(breakdown);
      const rows = breakdown.rows.slice(0, TEXT_ROWS).map(cells);
      const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
      const line = (row: string[]) =>
        `  ${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}`;
      out.push(line(header), ...rows.map(line));
      if (breakdown.rows.length > TEXT_ROWS)
        out.push(`  ... ${breakdown.rows.length - TEXT_ROWS} more in the JSON report`);
    }
    out.push('');
  }
  out.push(...slowQueryLines(diagnosis.slowQueries, 'text'));
  out.push(...slowRequestLines(diagnosis.slowRequests, 'text'));
  return out.join('\n');
}

function statementName(statement: StatementStats): string {
  return statement.operation ?? `query ${statement.queryId}`;
}

/** The slow-statement section as text or Markdown lines. */
function slowQueryLines(section: SlowQuerySection, style: 'text' | 'markdown'): string[] {
  const md = style === 'markdown';
  const title = 'Slow statements (pg_stat_statements)';
  if (section.status === 'skipped')
    return [md ? `#### ${title}` : title, '', `${md ? '' : '  '}Skipped: ${section.reason}.`, ''];
  const header = ['STATEMENT', 'CALLS', 'ROWS', 'MEAN', 'TOTAL', 'SHARE OF DB TIME'];
  const cells = (s: StatementStats) => [
    statementName(s),
    String(s.calls),
    String(s.rows),
    `${s.meanMs} ms`,
    `${s.totalMs} ms`,
    formatShare(s.shareOfDbTime),
  ];
  const table = (rows: StatementStats[]) => {
    if (md) {
      return [
        `| ${header.map((c) => c.charAt(0) + c.slice(1).toLowerCase()).join(' | ')} |`,
        `|${header.map(() => '---').join('|')}|`,
        ...rows.map((s) => `| ${cells(s).join(' | ')} |`),
      ];
    }
    const all = rows.map(cells);
    const widths = header.map((cell, i) => Math.max(cell.length, ...all.map((row) => row[i]!.length)));
    return [header, ...all].map(
      (row) =>
        `  ${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}`,
    );
  };
  const since = section.since ? ` since ${section.since}` : '';
  const out = [
    md ? `#### ${title}` : title,
    '',
    `Database execution time${since}: ${section.totalDbMs} ms. By total time:`,
    '',
    ...table(section.byTotal),
    '',
    'By mean time:',
    '',
    ...table(section.byMean),
    '',
  ];
  for (const explained of section.explained) {
    const name = explained.operation ?? `query ${explained.queryId}`;
    if (explained.hints.length === 0 && !md) continue;
    out.push(md ? `##### Plan of ${name}` : `Plan of ${name}:`, '');
    for (const hint of explained.hints) {
      out.push(`${md ? '- ' : '  '}${hint.text}`);
      if (hint.createIndex)
        out.push(md ? `  Suggested: \`${hint.createIndex}\`` : `    suggested: ${hint.createIndex}`);
    }
    if (explained.problem) out.push(`${md ? '- ' : '  '}${explained.problem}`);
    if (md && explained.plan.length > 0) out.push('', '```', ...explained.plan, '```');
    out.push('');
  }
  return out;
}

/** The slow-request section (exemplars + spans) as text or Markdown lines; nothing when it does not apply. */
function slowRequestLines(section: SlowRequestSection | undefined, style: 'text' | 'markdown'): string[] {
  if (section === undefined || (section.status === 'skipped' && section.slo === undefined)) return [];
  const md = style === 'markdown';
  const title = `Slowest requests of ${section.slo} (over ${section.window}, picked by exemplars)`;
  const out = [md ? `#### ${title}` : title, ''];
  if (section.status !== 'ok') return [...out, `${md ? '' : '  '}${section.status}: ${section.reason}.`, ''];
  for (const request of section.requests) {
    const origin = request.origin === undefined ? '' : `, sent by ${request.origin}`;
    const what = `${request.method} ${request.endpoint} ${request.statusCode} in ${formatValue(request.seconds, 'seconds')}`;
    out.push(
      md ? `- **${what}**, trace \`${request.traceId}\`${origin}` : `  ${what}  trace ${request.traceId}${origin}`,
    );
    if (request.problem) out.push(md ? `  - _${request.problem}_` : `    (${request.problem})`);
    for (const span of request.spans) {
      const detail = span.detail === undefined ? '' : ` - ${span.detail}`;
      const line = `${span.name} [${span.kind}] ${span.durationMs} ms at +${span.offsetMs} ms${detail}`;
      out.push(
        md ? `${'  '.repeat(span.depth)}- ${line.replace(/\|/g, '\\|')}` : `${'  '.repeat(span.depth + 1)}${line}`,
      );
    }
  }
  out.push('');
  return out;
}

/** The diagnosis as Markdown, after the SLO report's own. */
export function renderDiagnosisMarkdown(diagnosis: Diagnosis): string {
  const out: string[] = [];
  const escapeCell = (text: string) => text.replace(/\|/g, '\\|');
  for (const breakdown of diagnosis.breakdowns) {
    out.push(`#### ${heading(breakdown)}`, '');
    for (const culprit of breakdown.culprits) out.push(`- ${culprit}`);
    if (breakdown.problem) out.push(`- _${breakdown.problem}_`);
    if (breakdown.culprits.length > 0 || breakdown.problem) out.push('');
    if (breakdown.rows.length > 0) {
      const { header, cells } = columns(breakdown);
      out.push(
        `| ${header.map((cell) => cell.charAt(0) + cell.slice(1).toLowerCase()).join(' | ')} |`,
        `|${header.map(() => '---').join('|')}|`,
        ...breakdown.rows.slice(0, TEXT_ROWS).map((row) => `| ${cells(row).map(escapeCell).join(' | ')} |`),
        '',
      );
      // After the blank line: a line right under a table would be read as one more row of it.
      if (breakdown.rows.length > TEXT_ROWS)
        out.push(`_... ${breakdown.rows.length - TEXT_ROWS} more in the JSON report_`, '');
    }
  }
  out.push(...slowQueryLines(diagnosis.slowQueries, 'markdown'));
  out.push(...slowRequestLines(diagnosis.slowRequests, 'markdown'));
  return out.join('\n');
}

/** The report's JSON with the diagnosis beside the SLOs: {"status", ..., "slos": [...], "diagnosis": {...}}. */
export function withDiagnosis(
  report: SloReport,
  diagnosis: Diagnosis | undefined,
): SloReport & { diagnosis?: Diagnosis } {
  return diagnosis === undefined ? report : { ...report, diagnosis };
}

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
