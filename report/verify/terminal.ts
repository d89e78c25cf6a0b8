// What a verify run prints on the terminal at its end: the stage table and the verdict line.
import { exitCodeOf, verdictWord } from '../../core/outcome.ts';
import { displayPath } from '../../core/text.ts';
import { formatBaseline } from '../slo/format.ts';
import { regressionsOf, type StageResult, type VerifyResult } from './model.ts';
import { runClauses } from './what-ran.ts';

/** The stage table as rows of cells (header first): stage, result, duration, report. */
export function stageRows(stages: StageResult[], cwd = process.cwd()): string[][] {
  return [
    ['STAGE', 'RESULT', 'DURATION', 'REPORT'],
    ...stages.map((s) => [
      s.stage,
      // Words that need a look are in capitals.
      s.result === 'pass' || s.result === 'skipped' ? s.result : verdictWord(s.result),
      formatSeconds(s.durationMs),
      s.reportPath ? displayPath(s.reportPath, cwd) : '-',
    ]),
  ];
}

/** The stage table, columns aligned (durations to the right). */
export function renderStageTable(stages: StageResult[], cwd = process.cwd()): string {
  const [header, ...rows] = stageRows(stages, cwd) as [string[], ...string[][]];
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Why the run ended as it did, in one list: breached SLOs, SLOs without a verdict, thresholds, E2E failures. */
export function verdictReasons(result: VerifyResult): string[] {
  return [
    result.breachedSlos.length > 0 ? `SLOs breached: ${result.breachedSlos.join(', ')}` : '',
    result.inconclusiveSlos.length > 0 ? `SLOs without a verdict: ${result.inconclusiveSlos.join(', ')}` : '',
    result.breachedThresholds.length > 0 ? `load thresholds broken: ${result.breachedThresholds.join(', ')}` : '',
    result.e2e && result.e2e.failed.length > 0 ? `E2E tests failed: ${result.e2e.failed.length}` : '',
    result.comparison?.comparison?.verdict === 'regression'
      ? `load regression against the baseline: ${[...new Set(regressionsOf(result.comparison).map((r) => r.split(' ')[0]))].join(', ')}`
      : '',
    result.comparison?.verdict === 'inconclusive' ? 'load comparison with the baseline inconclusive' : '',
  ].filter(Boolean);
}

/** The end of `harness verify` on the terminal: the stage table, the verdict line, where the summary is. */
export function renderFinalTable(result: VerifyResult, cwd = process.cwd()): string {
  const word = verdictWord(result.verdict);
  const why = verdictReasons(result);
  // What did not run and what could not be judged come right after the verdict (what-ran.ts).
  const clauses = runClauses(result.stages);
  return [
    '',
    renderStageTable(result.stages, cwd),
    '',
    `harness verify: ${word} (exit ${exitCodeOf(result.verdict)}) in ${formatSeconds(result.wallMs)}${clauses.length > 0 ? ` — ${clauses.join('; ')}` : ''}${why.length > 0 ? `; ${why.join('; ')}` : ''}`,
    ...(result.verdictSentence ? [result.verdictSentence] : []),
    `summary: ${displayPath(result.paths.summary, cwd)}`,
    ...(result.load ? [`load report: ${displayPath(result.load.htmlPath, cwd)}`] : []),
    ...(result.slo?.slos.some((s) => s.baseline)
      ? [
          `baseline: ${result.slo.slos
            .filter((s) => s.baseline)
            .map((s) => `${s.name} ${formatBaseline(s)}`)
            .join('; ')}`,
        ]
      : []),
    '',
  ].join('\n');
}
