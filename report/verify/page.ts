// The load run's page as `harness verify` leaves it: report/load/html-report.ts's page of the load run, with the
// gate's verdict, what was tested, the SLO table and the SLO gate's charts (cli/verify/pictures.ts draws them).
// Drawing never changes a verdict: a chart that could not be drawn is a note on the page.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Verdict } from '../../core/outcome.ts';
import type { RunSummary } from '../../load/report.ts';
import type { LoadResult } from '../../load/run.ts';
import type { SloReport } from '../../slo/index.ts';
import { type DrawnChart, writeLoadReportHtml } from '../load/html-report.ts';

/** Charts of the SLO gate over the judged window. */
export interface SloPictures {
  /** One per SLO, in the model's order. */
  slos: DrawnChart[];
  /** Cache hit rate by level, DB query P95. */
  service: DrawnChart[];
  notes: string[];
}

/** Rewrites the load run's report.html with the gate's verdict, context, SLO table and charts. */
export async function writeVerifyLoadReport(
  load: LoadResult,
  extras: {
    verdict: { status: Verdict; sentence: string };
    context: [string, string][];
    slo?: SloReport;
    pictures?: SloPictures;
    trends?: DrawnChart[];
  },
): Promise<void> {
  if (!existsSync(load.summaryJsonPath)) return;
  const summary = JSON.parse(await readFile(load.summaryJsonPath, 'utf8')) as RunSummary;
  await writeLoadReportHtml(load.htmlPath, summary, {
    verdict: extras.verdict,
    context: extras.context,
    ...(extras.slo ? { slo: extras.slo } : {}),
    sloCharts: extras.pictures?.slos ?? [],
    moreCharts: [...(extras.pictures?.service ?? []), ...(extras.trends ?? [])],
    notes: extras.pictures?.notes ?? [],
  });
}
