// A judged load run (load/run.ts judgeLoadRun) -> its files: summary.md, summary.json, report.html and the Allure
// results (one test per threshold, with the summary, Artillery's report and the charts attached); then the
// outcome's log lines, which name those files.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { JudgedLoadRun } from '../../load/run.ts';
import { describeResult } from '../../load/thresholds.ts';
import { loadCharts, writeLoadReportHtml } from './html-report.ts';
import { type Evidence, renderSummary, toAllureResults, writeAllureResults } from './summary.ts';

/** Writes the run's summary (Markdown, JSON, HTML) and Allure results, and logs the outcome. */
export async function publishLoadRun({ result, summary, allureResultsDir, log }: JudgedLoadRun): Promise<void> {
  await writeFile(result.summaryPath, renderSummary(summary));
  await writeFile(result.summaryJsonPath, `${JSON.stringify(summary, null, 2)}\n`);
  await writeLoadReportHtml(result.htmlPath, summary);
  const evidence: Evidence[] = [
    { name: 'load summary (summary.md)', path: result.summaryPath, type: 'text/markdown' },
    ...(existsSync(result.reportPath)
      ? [{ name: 'Artillery report (artillery.json)', path: result.reportPath, type: 'application/json' }]
      : []),
    ...loadCharts(summary).map((c) => ({ name: `chart: ${c.id}`, text: c.svg, ext: 'svg', type: 'image/svg+xml' })),
  ];
  const allure = toAllureResults(summary, result.startedAt.getTime(), result.endedAt.getTime());
  const shown = `${summary.startedAt} .. ${summary.endedAt}`;
  for (const test of allure) test.parameters.push({ name: 'window', value: shown, excluded: true });
  await writeAllureResults(allure, allureResultsDir, evidence);
  for (const r of result.thresholds) log(`  ${describeResult(r)}`);
  const { breakpoint, problem, verdict } = result;
  if (breakpoint?.broke) {
    log(
      `  breakpoint: ${breakpoint.threshold} broke at ${breakpoint.arrivalRate} journeys/s (${breakpoint.requestsPerSecond} req/s)`,
    );
  }
  if (problem) log(`  ${problem}`);
  const failed = result.thresholds.filter((r) => !r.ok).map((r) => r.name);
  const verdictText = verdict === 'fail' ? `FAIL (${failed.join(', ')})` : verdict;
  log(`load ${result.runId}: ${verdictText}; summary ${result.summaryPath}; report ${result.htmlPath}`);
}
