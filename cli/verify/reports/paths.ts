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
// Each run writes its own files under runs/<run id>/ (allure-results, allure-report, e2e, slo, junit.xml,
// summary.md, verify.json, .verify), so a report never mixes runs and two runs at once in one checkout never
// write or delete each other's files; nothing of an earlier run is removed. When the run ends, the names above
// in the reports folder become links to this run's copies (stack/run-pointer.ts linkLatest: replaced
// atomically, never deleting another run's files). history.jsonl, baseline/ and load/<run>/ stay shared.

import { existsSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { renderJson, type SloReport } from '../../../slo/index.ts';
import { linkLatest } from '../../../stack/run-pointer.ts';

/** Where each file of a run lives, absolute. */
export interface ReportPaths {
  /** The shared reports folder (history, baseline, load runs, and the links to the latest run). */
  dir: string;
  /** This run's own folder: runs/<run id>/ in `dir`. */
  runDir: string;
  allureResults: string;
  allureReport: string;
  allureIndex: string;
  /** Allure's Dashboard plugin: pass rate, durations and statuses across the history's runs. */
  allureDashboard: string;
  history: string;
  sloHistory: string;
  junit: string;
  summary: string;
  json: string;
  baseline: string;
  sloJson: string;
  loadDir: string;
  /** Load's Allure results before verify adds their attachments. */
  loadStaging: string;
}

/** The paths of a run `runId` in a reports folder. */
export function reportPaths(dir: string, runId: string): ReportPaths {
  const runDir = join(dir, 'runs', runId);
  return {
    dir,
    runDir,
    allureResults: join(runDir, 'allure-results'),
    allureReport: join(runDir, 'allure-report'),
    // One file each (singleFile in allurerc.mjs): they open from file://.
    allureIndex: join(runDir, 'allure-report', 'awesome', 'index.html'),
    allureDashboard: join(runDir, 'allure-report', 'dashboard', 'index.html'),
    // The same file the project's allurerc.mjs names (reports/history.jsonl), so `npx allure generate` and
    // verify carry one history.
    history: join(dir, 'history.jsonl'),
    // Each verify run's SLIs, one line per run: the data of the SLI trend charts (Allure's history has no
    // figures). Shared between runs, like history.jsonl.
    sloHistory: join(dir, 'slo-history.jsonl'),
    junit: join(runDir, 'junit.xml'),
    summary: join(runDir, 'summary.md'),
    json: join(runDir, 'verify.json'),
    baseline: join(dir, 'baseline', 'slo.json'),
    sloJson: join(runDir, 'slo', 'slo.json'),
    loadDir: join(dir, 'load'),
    loadStaging: join(runDir, '.verify', 'load-allure'),
  };
}

/** Makes the run's own folder; an earlier run's files, and a concurrent run's, are left alone. */
export async function prepareRunDir(paths: ReportPaths): Promise<void> {
  await mkdir(paths.allureResults, { recursive: true });
}

/** Names in the reports folder that link to the latest finished run's copies. */
const LATEST_LINKS = ['allure-results', 'allure-report', 'e2e', 'slo', 'junit.xml', 'summary.md', 'verify.json'];

/** Points the shared names (reports/verify.json, reports/allure-report, ...) at this run's files. */
export function publishRun(paths: ReportPaths): void {
  for (const name of LATEST_LINKS) {
    if (existsSync(join(paths.runDir, name))) linkLatest(join(paths.dir, name), join(paths.runDir, name));
  }
}

/** Writes the SLO report's JSON (slo/slo.json). */
export async function writeSloJson(report: SloReport, paths: ReportPaths): Promise<void> {
  await mkdir(dirname(paths.sloJson), { recursive: true });
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
