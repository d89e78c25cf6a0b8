// summary.md: the run for people in a pull request or CI step summary. Verdict, stages, what could not be
// judged, failed E2E tests, load thresholds, the SLO table and where the reports are.
import { type ExitCode, type Verdict, verdictOf, verdictWord } from '../../../core/outcome.ts';
import type { LoadResult } from '../../../load/run.ts';
import { renderMarkdown, type SloReport } from '../../../slo/index.ts';
import type { E2eResult } from '../e2e.ts';
import { firstLine, type StageName, type StageResult } from '../stage.ts';
import { displayPath, type ReportPaths } from './paths.ts';
import { formatSeconds } from './terminal.ts';

/** Everything the Markdown summary says. */
export interface SummaryInput {
  exitCode: ExitCode;
  stackMode?: string;
  profile: string;
  stages: StageResult[];
  e2e?: E2eResult;
  load?: LoadResult;
  slo?: SloReport;
  /** Why the SLO check had the window it had, or none. */
  sloWindowNote?: string;
  paths: ReportPaths;
  /** Problems of inconclusive stages, in full. */
  problems: { stage: StageName; problem: string }[];
}

const ICON: Record<Verdict, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️' };

/** The Markdown summary: verdict, stages, E2E failures, load thresholds, the SLO table, where the reports are. */
export function renderSummaryMarkdown(input: SummaryInput): string {
  const rel = (path: string | undefined) => (path ? `\`${displayPath(path)}\`` : '');
  const lines = [
    `## harness verify: ${ICON[verdictOf(input.exitCode)]} ${verdictWord(verdictOf(input.exitCode))} (exit ${input.exitCode})`,
    '',
    `Stack ${input.stackMode ?? 'not started'}, load profile ${input.profile}.`,
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
  if (input.slo) {
    lines.push('', renderMarkdown(input.slo).replace(/^### /, '### ').trimEnd());
    if (input.sloWindowNote) lines.push('', input.sloWindowNote);
  } else if (input.sloWindowNote) {
    lines.push('', '### SLO check', '', input.sloWindowNote);
  }
  lines.push(
    '',
    '### Reports',
    '',
    `- Allure report: ${rel(input.paths.allureIndex)} (history in ${rel(input.paths.history)})`,
    `- JUnit: ${rel(input.paths.junit)}; this summary: ${rel(input.paths.summary)}; as data: ${rel(input.paths.json)}`,
    '',
  );
  return lines.join('\n');
}
