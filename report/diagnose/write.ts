// Diagnosis -> files beside a run's SLO report: diagnosis.json (the object) and diagnosis.md (for people).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnosis } from '../../diagnose/diagnose.ts';
import { renderDiagnosisMarkdown } from './render.ts';

/** Writes <dir>/diagnosis.json and <dir>/diagnosis.md; returns their paths. */
export async function writeDiagnosisFiles(
  diagnosis: Diagnosis,
  dir: string,
): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'diagnosis.json');
  const markdown = join(dir, 'diagnosis.md');
  await writeFile(json, `${JSON.stringify(diagnosis, null, 2)}\n`);
  await writeFile(markdown, `### Where the run failed\n\n${renderDiagnosisMarkdown(diagnosis)}`);
  return { json, markdown };
}
