// Report -> Allure result files (`<uuid>-result.json`), so SLO results sit in the same Allure report as
// the E2E and load results. Each SLO is one test; its figures are parameters, so Allure's history can chart
// them between runs (historyId is stable per service and SLO).
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Stage, Status, type TestResult } from 'allure-js-commons';
import type { SloReport, SloResult } from '../../slo/evaluate/evaluate.ts';
import { formatBurnRate, formatObjective, formatShare, formatValue } from './format.ts';
import { describeResult, notesOf, windowLines } from './render.ts';

const STATUS: Record<SloResult['status'], Status> = {
  pass: Status.PASSED,
  fail: Status.FAILED,
  // Allure's "broken": the test could not tell, which is what inconclusive means.
  inconclusive: Status.BROKEN,
};

/** Allure test results of a report (one per SLO), without writing them. */
export function toAllureResults(report: SloReport, startedAt?: number, stop = Date.now()): TestResult[] {
  return report.slos.map((slo): TestResult => {
    const fullName = `slo.${report.service}.${slo.name}`;
    const id = createHash('md5').update(fullName).digest('hex');
    const parameters = [
      // Figures vary per run; `excluded` keeps them out of Allure's history key so runs line up.
      { name: 'SLI', value: formatValue(slo.sli, slo.unit), excluded: true },
      { name: 'objective', value: formatObjective(slo), excluded: true },
      { name: 'window', value: slo.window, excluded: true },
    ];
    if (slo.kind === 'ratio') {
      parameters.push(
        { name: 'error budget', value: formatShare(slo.errorBudget), excluded: true },
        { name: 'burn rate', value: formatBurnRate(slo.burnRate), excluded: true },
        { name: 'budget consumed', value: formatShare(slo.budgetConsumed), excluded: true },
      );
    }
    for (const line of windowLines(report)) {
      const [name, value] = line.split(/: (.*)/s) as [string, string];
      parameters.push({ name, value, excluded: true });
    }
    if (slo.events !== undefined) {
      parameters.push({ name: 'events', value: String(slo.events ?? '-'), excluded: true });
    }
    // Warnings and infos reach the result's status message too, so they show without opening the description.
    const notes = notesOf(slo);
    return {
      uuid: randomUUID(),
      historyId: id,
      testCaseId: id,
      name: `SLO ${slo.name}`,
      fullName,
      description: `${slo.description}\n\n${describeResult(slo)}`,
      status: STATUS[slo.status],
      statusDetails: notes.length === 0 ? {} : { message: notes.join('\n') },
      stage: Stage.FINISHED,
      steps: [],
      attachments: [],
      parameters,
      labels: [
        { name: 'parentSuite', value: 'mystocks-harness' },
        { name: 'suite', value: 'SLO' },
        { name: 'subSuite', value: report.service },
        { name: 'feature', value: 'SLO gate' },
        { name: 'story', value: slo.name },
        { name: 'tag', value: slo.kind },
        { name: 'severity', value: 'critical' },
      ],
      links: [],
      start: Math.min(startedAt ?? stop, stop),
      stop,
    };
  });
}

/** Writes one `<uuid>-result.json` per SLO into `dir` (created if missing); returns the file paths. */
export async function writeAllureResults(report: SloReport, dir: string, startedAt?: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const result of toAllureResults(report, startedAt)) {
    const path = join(dir, `${result.uuid}-result.json`);
    await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
    paths.push(path);
  }
  return paths;
}
