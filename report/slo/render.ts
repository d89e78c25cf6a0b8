// Report -> text: a terminal table, JSON, JUnit XML (one test case per SLO) and Markdown for a CI step
// summary. Pure functions of the report; the CLI decides where the text goes. A report too large for one
// string is a HarnessError (exit 2, one line), never a RangeError's stack trace; the Prometheus URL is shown
// redacted. A Prometheus that could not be reached at all is said once, above the table, not under every SLO.
import { HarnessError, verdictWord } from '../../core/outcome.ts';
import { redactUrl } from '../../core/prometheus-access.ts';
import { alignColumns } from '../../core/text.ts';
import { harnessVersion } from '../../core/version.ts';
import type { SloReport, SloResult } from '../../slo/evaluate/evaluate.ts';
import {
  formatBaseline,
  formatBurnRate,
  formatEvents,
  formatObjective,
  formatShare,
  formatSli,
  formatSliObjective,
  formatValue,
  formatWindow,
} from './format.ts';

/**
 * Runs a renderer. The texts of a report are bounded where they come in (slo/evaluate/prometheus.ts cuts what
 * Prometheus says), so this is the last line: should a text still outgrow V8's longest string (2^29 - 24
 * characters), the check ends inconclusive with a message instead of a stack trace.
 */
function guarded(format: string, render: () => string): string {
  try {
    return render();
  } catch (error) {
    if (error instanceof RangeError) {
      throw new HarnessError(
        `the SLO report cannot be rendered as ${format}: ${error.message} (a text in it is longer than one string can hold)`,
      );
    }
    throw error;
  }
}

/**
 * The one problem every SLO shares when Prometheus could not be reached: the query client gives up on a Prometheus
 * that did not answer (no connection, a reset, a timeout on every attempt) and hands that same message to every
 * query after (slo/evaluate/prometheus.ts), so each SLO's reason carries it, once per query. When every SLO is
 * inconclusive and each reason holds the same such message, that message is the run's story: said once, and the
 * SLOs' repetitions of it are left out of the notes (the JSON report keeps every reason as it was).
 */
export function unreachableMessage(report: SloReport): string | undefined {
  const pattern = /Prometheus at \S+ did not answer: .*? \(\d+ attempts?\)/;
  let shared: string | undefined;
  for (const slo of report.slos) {
    const found = slo.status === 'inconclusive' ? pattern.exec(slo.reason ?? '')?.[0] : undefined;
    if (found === undefined || (shared !== undefined && found !== shared)) return undefined;
    shared = found;
  }
  return shared;
}

/** The line above the table when Prometheus could not be reached, or none. */
function unreachableLines(report: SloReport): string[] {
  const message = unreachableMessage(report);
  return message === undefined ? [] : [`${message}; every SLO is inconclusive`, ''];
}

/** notesOf an SLO, less a reason that only repeats the unreachable Prometheus said above the table. */
function notesBelow(report: SloReport, slo: SloResult): string[] {
  const unreachable = unreachableMessage(report);
  return notesOf(slo).filter((note) => unreachable === undefined || note !== slo.reason);
}

/** A plain-text table for a terminal, with the overall status and the reasons under it. */
export function renderTable(report: SloReport): string {
  return guarded('a table', () => table(report));
}

function table(report: SloReport): string {
  // The baseline column shows only when a baseline was compared (--baseline).
  const compared = report.slos.some((slo) => slo.baseline !== undefined);
  const header = [
    'STATUS',
    'SLO',
    'SLI',
    'OBJECTIVE',
    'WINDOW',
    'BUDGET USED',
    'BURN RATE',
    'EVENTS',
    ...(compared ? ['BASELINE'] : []),
  ];
  const rows = report.slos.map((slo) => [
    verdictWord(slo.status),
    slo.name,
    formatSli(slo),
    formatSliObjective(slo),
    formatWindow(slo.window),
    formatShare(slo.budgetConsumed),
    formatBurnRate(slo.burnRate),
    formatEvents(slo),
    ...(compared ? [formatBaseline(slo)] : []),
  ]);
  const { line } = alignColumns([header, ...rows]);
  const notes = report.slos.flatMap((slo) => notesBelow(report, slo).map((note) => `  ${slo.name}: ${note}`));
  return [
    ...unreachableLines(report),
    line(header),
    ...rows.map(line),
    '',
    `SLO check ${verdictWord(report.status)} at ${report.time}${report.window ? ` over ${formatWindow(report.window)}` : ''} (${redactUrl(report.prometheusUrl)})`,
    ...windowLines(report),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
  ].join('\n');
}

/**
 * The report as JSON: {"status", "time", ..., "slos": [{"name", "status", "sli", "objective", ...}],
 * "harnessVersion"}: the version of the harness that judged it (package.json) last, after the report's own fields.
 */
export function renderJson(report: SloReport): string {
  return guarded(
    'JSON',
    () =>
      `${JSON.stringify({ ...report, prometheusUrl: redactUrl(report.prometheusUrl), harnessVersion: harnessVersion() }, null, 2)}\n`,
  );
}

const ICON = { pass: '✅', fail: '❌', inconclusive: '⚠️' } as const;

/** Markdown for a CI step summary or a PR comment. */
export function renderMarkdown(report: SloReport): string {
  return guarded('Markdown', () => markdown(report));
}

function markdown(report: SloReport): string {
  const escapeCell = (text: string) => text.replace(/\|/g, '\\|');
  const compared = report.slos.some((slo) => slo.baseline !== undefined);
  const rows = report.slos.map(
    (slo) =>
      `| ${ICON[slo.status]} ${slo.status} | \`${slo.name}\` | ${formatSli(slo)} | ${escapeCell(formatSliObjective(slo))} | ${formatWindow(slo.window)} | ${formatShare(slo.budgetConsumed)} | ${formatBurnRate(slo.burnRate)} | ${formatEvents(slo)} |${compared ? ` ${formatBaseline(slo)} |` : ''}`,
  );
  const notes = report.slos.flatMap((slo) => notesBelow(report, slo).map((note) => `- \`${slo.name}\`: ${note}`));
  return [
    `### ${ICON[report.status]} SLO check: ${report.status}`,
    '',
    `Evaluated at ${report.time}${report.window ? ` over ${formatWindow(report.window)}` : ' over each SLO’s own window'} against ${redactUrl(report.prometheusUrl)} (${report.config}).`,
    ...windowLines(report).map((line) => `${line}.`),
    '',
    ...unreachableLines(report).map((line) => (line === '' ? '' : `**${line}.**`)),
    `| Status | SLO | SLI | Objective | Window | Budget used | Burn rate | Events |${compared ? ' Baseline |' : ''}`,
    `|---|---|---|---|---|---|---|---|${compared ? '---|' : ''}`,
    ...rows,
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
  ].join('\n');
}

/** JUnit XML: one test case per SLO; fail -> <failure>, inconclusive -> <error>. */
export function renderJunit(report: SloReport): string {
  return guarded('JUnit XML', () => junit(report));
}

function junit(report: SloReport): string {
  const failures = report.slos.filter((slo) => slo.status === 'fail').length;
  const errors = report.slos.filter((slo) => slo.status === 'inconclusive').length;
  const cases = report.slos.map((slo) => {
    const open = `    <testcase classname="slo.${xml(report.service)}" name="${xml(slo.name)}" time="0">`;
    const details = xml(describeResult(slo));
    const verdict =
      slo.status === 'fail'
        ? `      <failure message="${xml(slo.reason ?? 'objective not met')}" type="slo-breach">${details}</failure>`
        : slo.status === 'inconclusive'
          ? `      <error message="${xml(slo.reason ?? 'inconclusive')}" type="slo-inconclusive">${details}</error>`
          : undefined;
    return [open, ...(verdict ? [verdict] : []), `      <system-out>${details}</system-out>`, '    </testcase>'].join(
      '\n',
    );
  });
  const properties = [
    ...(report.judged
      ? [
          ['judged.start', report.judged.start],
          ['judged.end', report.judged.end],
        ]
      : []),
    ...(report.warmup
      ? [
          ['warmup.start', report.warmup.start],
          ['warmup.end', report.warmup.end],
        ]
      : []),
  ].map(([name, value]) => `      <property name="${name}" value="${xml(value!)}"/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="slo" tests="${report.slos.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="slo check" tests="${report.slos.length}" failures="${failures}" errors="${errors}" timestamp="${xml(report.time)}">`,
    ...(properties.length > 0 ? ['    <properties>', ...properties, '    </properties>'] : []),
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The judged window and the warm-up before it, when the report has them. */
export function windowLines(report: SloReport): string[] {
  const span = (range: { start: string; end: string }) =>
    `${range.start} .. ${range.end} (${((Date.parse(range.end) - Date.parse(range.start)) / 1000).toFixed(1)} s)`;
  return [
    ...(report.warmup ? [`warm-up (not judged): ${span(report.warmup)}`] : []),
    ...(report.judged ? [`judged window: ${span(report.judged)}`] : []),
  ];
}

/**
 * What a reader must see under an SLO's row: the reason, then every warning and info Prometheus attached to
 * its answers (a warning means the answer was partial, whether or not the policy let it be judged).
 */
export function notesOf(slo: SloResult): string[] {
  return [
    ...(slo.reason === undefined ? [] : [slo.reason]),
    ...(slo.coverage?.gap && !slo.reason?.includes(slo.coverage.gap) ? [slo.coverage.gap] : []),
    ...(slo.control &&
    (slo.control.value !== null || slo.control.probed !== undefined) &&
    !slo.reason?.includes(slo.control.label)
      ? [noiseNote(slo.control, slo.unit)]
      : []),
    ...(slo.warnings ?? []).map((warning) => `Prometheus warning: ${warning}`),
    ...(slo.infos ?? []).map((info) => `Prometheus info: ${info}`),
  ];
}

/** "machine noise: /healthz P95 4.8 ms in the same window (25 ms as the harness probed it)". */
function noiseNote(control: NonNullable<SloResult['control']>, sliUnit: SloResult['unit']): string {
  // A latency ratio's SLI is a percentage, its control in the histogram's unit.
  const unit = control.unit ?? sliUnit;
  const histogram = control.value === null ? 'no data' : formatValue(control.value, unit);
  const probed = control.probed === undefined ? '' : ` (${formatValue(control.probed, unit)} as the harness probed it)`;
  return `machine noise: ${control.label} ${histogram} in the same window${probed}`;
}

/** The figures of one SLO as lines of text, for JUnit output and Allure descriptions. */
export function describeResult(slo: SloResult): string {
  const lines = [
    `status: ${slo.status}`,
    `sli: ${formatValue(slo.sli, slo.unit)}`,
    ...(slo.readAs === 'error-share' ? [`error share: ${formatSli(slo)} (${formatSliObjective(slo)})`] : []),
    `objective: ${formatObjective(slo)}`,
    `window: ${formatWindow(slo.window)}`,
  ];
  if (slo.kind === 'ratio') {
    lines.push(
      `error budget: ${formatShare(slo.errorBudget)}`,
      `error ratio: ${formatShare(slo.errorRatio)}`,
      `burn rate: ${formatBurnRate(slo.burnRate)}`,
      `budget consumed: ${formatShare(slo.budgetConsumed)}`,
    );
  }
  if (slo.baseline) {
    lines.push(
      `baseline: ${formatValue(slo.baseline.value, slo.unit)} (regression ${slo.baseline.regressionPct} %, allowed ${slo.baseline.maxRegressionPct} %)`,
    );
  }
  if (slo.events !== undefined) {
    lines.push(
      `events: ${slo.events ?? '-'}${slo.minEvents === undefined ? '' : ` (at least ${slo.minEvents} needed)`}`,
    );
  }
  if (slo.reason) lines.push(`reason: ${slo.reason}`);
  for (const warning of slo.warnings ?? []) lines.push(`Prometheus warning: ${warning}`);
  for (const info of slo.infos ?? []) lines.push(`Prometheus info: ${info}`);
  for (const query of slo.queries) lines.push(`${query.role} query: ${query.query} = ${query.value ?? '-'}`);
  return lines.join('\n');
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
