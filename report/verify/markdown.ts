// summary.md: the run for people in a pull request or CI step summary. Verdict, stages, what could not be
// judged, failed E2E tests, load thresholds, the SLO table and where the reports are.
import type { Verdict } from '../../core/outcome.ts';
import { displayPath, firstLine } from '../../core/text.ts';
import type { LoadResult } from '../../load/run.ts';
import type { SloReport } from '../../slo/index.ts';
import { formatSli } from '../slo/format.ts';
import { renderMarkdown } from '../slo/render.ts';
import type { BaselineLoadComparison, E2eResult, ReportPaths, StageName, StageResult } from './model.ts';
import { formatSeconds } from './terminal.ts';
import { headline } from './what-ran.ts';

/** Everything the Markdown summary says. */
export interface SummaryInput {
  verdict: Verdict;
  stackMode?: string;
  profile: string;
  stages: StageResult[];
  e2e?: E2eResult;
  load?: LoadResult;
  slo?: SloReport;
  /** This run's load against the baseline's (--baseline), when the compare stage ran. */
  comparison?: BaselineLoadComparison;
  /** Why the SLO check had the window it had, or none. */
  sloWindowNote?: string;
  paths: ReportPaths;
  /** Problems of inconclusive stages, in full. */
  problems: { stage: StageName; problem: string }[];
  /** The opening sentence: verdict and main reason (cli/verify/pictures.ts verdictSentence). */
  verdictSentence?: string;
  /** What was tested, as label/value pairs (cli/verify/pictures.ts contextLines). */
  context?: [string, string][];
  /** The previous passing run's SLO report (the baseline as it was before this run), for the SLI comparison. */
  previous?: SloReport;
  /** The load run's standalone HTML report. */
  loadReport?: string;
}

const ICON: Record<Verdict, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️' };

/** The Markdown summary: verdict, stages, E2E failures, load thresholds, the SLO table, where the reports are. */
export function renderSummaryMarkdown(input: SummaryInput): string {
  const rel = (path: string | undefined) => (path ? `\`${displayPath(path)}\`` : '');
  const lines = [
    ...(input.verdictSentence ? [`**${input.verdictSentence}**`, ''] : []),
    // The heading says what did not run and what could not be judged beside the verdict, so a PASS with the
    // browser tests skipped never reads as a full pass.
    `## harness verify: ${ICON[input.verdict]} ${headline(input.verdict, input.stages, { exitCode: true })}`,
    '',
    ...(input.context
      ? [...input.context.map(([k, v]) => `- ${k}: ${v}`)]
      : [`Stack ${input.stackMode ?? 'not started'}, load profile ${input.profile}.`]),
    ...(input.loadReport ? [`- load report (charts): ${rel(input.loadReport)}`] : []),
    '',
    '| Stage | Result | Duration | Details | Report |',
    '|---|---|---|---|---|',
    ...input.stages.map(
      (s) =>
        `| ${s.stage} | ${s.result} | ${formatSeconds(s.durationMs)} | ${s.detail.replace(/\|/g, '\\|')} | ${rel(s.reportPath)} |`,
    ),
  ];
  if (input.problems.length > 0) {
    lines.push('', '### Could not judge', '');
    for (const p of input.problems) lines.push(`- **${p.stage}**: ${firstLine(p.problem)}`);
  }
  if (input.e2e && input.e2e.failed.length > 0) {
    lines.push('', '### Failed E2E tests', '', ...input.e2e.failed.map((title) => `- ${title}`));
  }
  if (input.load) {
    lines.push('', '### Load thresholds (client side, from the SLOs)', '', '| Threshold | Limit | Value | Verdict |');
    lines.push('|---|---|---|---|');
    for (const t of input.load.thresholds) {
      const unit = t.unit === 'responses' ? '' : ` ${t.unit}`;
      lines.push(
        `| ${t.name} | ${t.comparison} ${t.limit}${unit} | ${t.value === null ? 'no data' : `${t.value}${unit}`} | ${t.ok ? 'ok' : '**FAIL**'} |`,
      );
    }
  }
  if (input.comparison) lines.push('', ...renderBaselineComparison(input.comparison, input.paths));
  if (input.slo) {
    lines.push('', renderMarkdown(input.slo).replace(/^### /, '### ').trimEnd());
    if (input.sloWindowNote) lines.push('', input.sloWindowNote);
    if (input.previous) lines.push('', ...renderPreviousComparison(input.slo, input.previous));
  } else if (input.sloWindowNote) {
    lines.push('', '### SLO check', '', input.sloWindowNote);
  }
  lines.push(
    '',
    '### Reports',
    '',
    `- Allure report: ${rel(input.paths.allureIndex)}; trends across runs: ${rel(input.paths.allureDashboard)} (history in ${rel(input.paths.history)}); both open from disk`,
    `- JUnit: ${rel(input.paths.junit)}; this summary: ${rel(input.paths.summary)}; as data: ${rel(input.paths.json)}`,
    '',
  );
  return lines.join('\n');
}

/**
 * The load against the baseline's (--baseline): the verdict, its reasons, and per endpoint the P95 of both runs
 * with the interval of the difference and the worst verdict of the endpoint's figures. The full table (P50, P99,
 * throughput and error share too) is compare.txt.
 */
export function renderBaselineComparison(outcome: BaselineLoadComparison, paths: ReportPaths): string[] {
  const c = outcome.comparison;
  const title = '### Load against the baseline';
  if (!c) return [title, '', `${ICON.inconclusive} Not compared (inconclusive): ${outcome.reason ?? 'no comparison'}`];
  const word = {
    regression: '**regression**',
    'no-significant-difference': 'no significant difference',
    inconclusive: '**cannot tell**',
  }[c.verdict];
  const lines = [
    title,
    '',
    `${ICON[outcome.verdict]} ${word}: this run (${c.runB.samples} requests in ${c.runB.seconds} s) against the baseline run ${c.runA.runId} (${c.runA.samples} requests in ${c.runA.seconds} s); block bootstrap, ${Math.round(c.confidence * 100)} % intervals of this − baseline. Full table: \`${displayPath(paths.compareTxt)}\`.`,
    '',
    ...c.reasons.map((r) => `- ${r}`),
    '',
    '| Endpoint | Requests (baseline / this) | P95 baseline → this | Difference [interval] | Margin | Verdict |',
    '|---|---|---|---|---|---|',
  ];
  // The worst verdict among an endpoint's figures, so a regression in P99 or errors shows beside its P95.
  const rank = ['regression', 'inconclusive', 'not-enough-data', 'improvement', 'no-regression', 'within-margin'];
  for (const row of c.rows) {
    const p95 = row.cells.find((cell) => cell.metric === 'p95');
    const worst = [...row.cells].sort((x, y) => rank.indexOf(x.verdict) - rank.indexOf(y.verdict))[0];
    const ms = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${v} ms`);
    const interval = p95?.interval ? ` [${p95.interval[0]}, ${p95.interval[1]}]` : '';
    lines.push(
      `| ${row.endpoint} | ${row.requestsA} / ${row.requestsB} | ${ms(p95?.a)} → ${ms(p95?.b)} | ${p95?.difference ?? '-'}${interval} | ${p95?.margin ?? '-'} | ${worst ? `${worst.metric}: ${worst.verdict}` : '-'} |`,
    );
  }
  return lines;
}

/**
 * Each SLO's SLI next to the previous passing run's, with the change. The change is in the SLI's own terms:
 * points of percent for ratio SLIs (and error shares), percent of the earlier value for latencies.
 */
export function renderPreviousComparison(report: SloReport, previous: SloReport): string[] {
  const lines = [
    `### Against the previous passing run (${previous.time})`,
    '',
    '| SLO | This run | Previous | Change |',
    '|---|---|---|---|',
  ];
  for (const slo of report.slos) {
    const before = previous.slos.find((s) => s.name === slo.name);
    const shown = (r: typeof slo | undefined) => (r ? formatSli({ ...r, readAs: slo.readAs }) : '-');
    let change = '-';
    if (before && slo.sli !== null && before.sli !== null) {
      if (slo.unit === 'percent') {
        // Error shares move opposite to the success share they come from.
        const points = slo.readAs === 'error-share' ? before.sli - slo.sli : slo.sli - before.sli;
        change = `${points >= 0 ? '+' : ''}${Number(points.toPrecision(3))} points`;
      } else if (before.sli !== 0) {
        const pct = ((slo.sli - before.sli) / Math.abs(before.sli)) * 100;
        change = `${pct >= 0 ? '+' : ''}${Number(pct.toPrecision(3))} %`;
      }
    }
    lines.push(`| ${slo.name} | ${shown(slo)} | ${shown(before)} | ${change} |`);
  }
  return lines;
}
