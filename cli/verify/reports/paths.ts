// The files a verify run leaves in its reports folder (default reports/, HARNESS_REPORTS_DIR overrides):
//
//   allure-results/      Allure results of all three stages: E2E (allure-playwright), one test per load threshold
//                        and one per SLO, with their figures as parameters and their evidence as attachments
//   allure-report/       the Allure 3 HTML report generated from them (index.html), for stakeholders
//   history.jsonl        Allure's history, carried from run to run (the report's trend and per-test history)
//   junit.xml            the three stages as JUnit test suites (e2e, load, slo), for CI test panels
//   summary.md           the Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)
//   verify.json          the run as data: exit code, stages, breached SLOs and thresholds, paths
//   baseline/slo.json    the SLO report of the last passing run: the next run's baseline (--baseline)
//   e2e/ load/<run>/ slo/  each stage's own files
//
// Results of an earlier run are removed when a run starts (allure-results, e2e, slo and the summaries), so a
// report never mixes runs; history.jsonl and baseline/ are what carries over, on purpose.
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { renderJson, type SloReport } from '../../../slo/index.ts';

/** Where each file of a run lives, absolute. */
export interface ReportPaths {
  dir: string;
  allureResults: string;
  allureReport: string;
  allureIndex: string;
  history: string;
  junit: string;
  summary: string;
  json: string;
  baseline: string;
  sloJson: string;
  loadDir: string;
  /** Load's Allure results before verify adds their attachments. */
  loadStaging: string;
}

/** The paths of a reports folder. */
export function reportPaths(dir: string): ReportPaths {
  return {
    dir,
    allureResults: join(dir, 'allure-results'),
    allureReport: join(dir, 'allure-report'),
    allureIndex: join(dir, 'allure-report', 'index.html'),
    // The same file the project's allurerc.mjs names (reports/history.jsonl), so `npx allure generate` and
    // verify carry one history.
    history: join(dir, 'history.jsonl'),
    junit: join(dir, 'junit.xml'),
    summary: join(dir, 'summary.md'),
    json: join(dir, 'verify.json'),
    baseline: join(dir, 'baseline', 'slo.json'),
    sloJson: join(dir, 'slo', 'slo.json'),
    loadDir: join(dir, 'load'),
    loadStaging: join(dir, '.verify', 'load-allure'),
  };
}

/** Removes an earlier run's results (not the history or baseline), so this run's report holds this run only. */
export async function clearPreviousRun(paths: ReportPaths): Promise<void> {
  for (const path of [
    paths.allureResults,
    paths.allureReport,
    join(paths.dir, 'e2e'),
    join(paths.dir, 'slo'),
    join(paths.dir, '.verify'),
    paths.junit,
    paths.summary,
    paths.json,
  ]) {
    await rm(path, { recursive: true, force: true });
  }
  await mkdir(paths.allureResults, { recursive: true });
}

/** Writes the SLO report's JSON (slo/slo.json). */
export async function writeSloJson(report: SloReport, paths: ReportPaths): Promise<void> {
  await mkdir(join(paths.dir, 'slo'), { recursive: true });
  await writeFile(paths.sloJson, renderJson(report));
}

/** Keeps a passing run's SLO report as the next baseline; returns whether it was written. */
export async function saveBaseline(report: SloReport, paths: ReportPaths): Promise<boolean> {
  if (report.status !== 'pass') return false;
  await mkdir(join(paths.dir, 'baseline'), { recursive: true });
  await writeFile(paths.baseline, renderJson(report));
  return true;
}

/** Appends the summary to the GitHub Actions step summary file when there is one. */
export async function writeStepSummary(markdown: string, file = process.env.GITHUB_STEP_SUMMARY): Promise<boolean> {
  if (!file) return false;
  await appendFile(file, `${markdown}\n`);
  return true;
}

/** A path relative to `cwd` when it lies inside it, else as it is. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
