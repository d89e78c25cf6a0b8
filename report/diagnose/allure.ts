// Diagnosis -> Allure: each failed SLO's Allure result (report/slo/allure.ts) carries its breakdown, as a
// Markdown attachment and at the end of its description, so the Allure report shows where the SLO failed
// next to the verdict.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnosis } from '../../diagnose/diagnose.ts';
import type { SloReport } from '../../slo/evaluate/evaluate.ts';
import { toAllureResults } from '../slo/allure.ts';
import { renderDiagnosisMarkdown, renderDiagnosisTable } from './render.ts';

/** Writes the report's Allure results (one per SLO) with the diagnosis attached to the failed ones. */
export async function writeAllureResultsWithDiagnosis(
  report: SloReport,
  diagnosis: Diagnosis | undefined,
  dir: string,
  startedAt?: number,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const result of toAllureResults(report, startedAt)) {
    const name = result.name?.replace(/^SLO /, '');
    const own = { ...diagnosis, breakdowns: diagnosis?.breakdowns.filter((b) => b.slo === name) ?? [] };
    if (diagnosis !== undefined && own.breakdowns.length > 0) {
      const source = `${randomUUID()}-attachment.md`;
      await writeFile(join(dir, source), renderDiagnosisMarkdown(own as Diagnosis));
      paths.push(join(dir, source));
      result.attachments = [...(result.attachments ?? []), { name: 'Diagnosis', source, type: 'text/markdown' }];
      result.description = `${result.description ?? ''}\n\n${renderDiagnosisTable(own as Diagnosis)}`;
    }
    const path = join(dir, `${result.uuid}-result.json`);
    await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
    paths.push(path);
  }
  return paths;
}
