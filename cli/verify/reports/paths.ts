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
//   baseline/load/       that run's per-request load samples (samples.jsonl) and summary.json, which
//                        `--baseline` compares this run's load with (load/compare.ts)
//   e2e/ load/<run>/ slo/  each stage's own files
//
// Each run writes its own files under runs/<run id>/ (allure-results, allure-report, e2e, slo, junit.xml,
// summary.md, verify.json, compare, .verify), so a report never mixes runs and two runs at once in one checkout never
// write or delete each other's files; nothing of an earlier run is removed. When the run ends, the names above
// in the reports folder become links to this run's copies (stack/run-pointer.ts linkLatest: replaced
// atomically, never deleting another run's files). history.jsonl, baseline/ and load/<run>/ stay shared.
// Finished verify runs beyond the newest KEEP_RUNS (HARNESS_KEEP_RUNS) are removed when a run ends (pruneRuns).

import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { HarnessError } from '../../../core/outcome.ts';
import type { LoadResult } from '../../../load/run.ts';
import { SAMPLES_FILE } from '../../../load/samples.ts';
import { renderJson, type SloReport } from '../../../slo/index.ts';
import { linkLatest, writeAtomically } from '../../../stack/run-pointer.ts';

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
  /** The baseline run's load samples and summary.json, beside baseline/slo.json. */
  baselineLoad: string;
  sloJson: string;
  /** The load comparison with the baseline (--baseline): compare.json and compare.txt. */
  compareJson: string;
  compareTxt: string;
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
    baselineLoad: baselineLoadDir(join(dir, 'baseline', 'slo.json')),
    sloJson: join(runDir, 'slo', 'slo.json'),
    compareJson: join(runDir, 'compare', 'compare.json'),
    compareTxt: join(runDir, 'compare', 'compare.txt'),
    loadDir: join(dir, 'load'),
    loadStaging: join(runDir, '.verify', 'load-allure'),
  };
}

/** Makes the run's own folder; an earlier run's files, and a concurrent run's, are left alone. */
export async function prepareRunDir(paths: ReportPaths): Promise<void> {
  await mkdir(paths.allureResults, { recursive: true });
}

/** Names in the reports folder that link to the latest finished run's copies. */
const LATEST_LINKS = [
  'allure-results',
  'allure-report',
  'e2e',
  'slo',
  'compare',
  'junit.xml',
  'summary.md',
  'verify.json',
];

/** Points the shared names (reports/verify.json, reports/allure-report, ...) at this run's files. */
export function publishRun(paths: ReportPaths): void {
  for (const name of LATEST_LINKS) {
    if (existsSync(join(paths.runDir, name))) linkLatest(join(paths.dir, name), join(paths.runDir, name));
  }
}

/** Finished verify runs kept in runs/ by default: a run's folder holds its Allure report and traces (~30 MB). */
export const KEEP_RUNS = 20;

/** HARNESS_KEEP_RUNS as a count (0 keeps every run); anything else is an error naming the variable. */
export function keepRunsFrom(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return KEEP_RUNS;
  const keep = Number(value);
  if (!Number.isInteger(keep) || keep < 0) {
    throw new HarnessError(
      `HARNESS_KEEP_RUNS must be a whole number (0 keeps every run), got ${JSON.stringify(value)}`,
    );
  }
  return keep;
}

/**
 * Removes the oldest finished verify runs (runs/verify-<id>/ holding a verify.json, by that file's time) beyond
 * the newest `keep`. A run still going on has no verify.json yet, and other commands' folders (e2e-, up-) are not
 * verify runs: neither is touched, so two runs at once never remove each other's files. Returns what it removed.
 */
export function pruneRuns(dir: string, keep: number): string[] {
  if (keep === 0) return [];
  const runs = join(dir, 'runs');
  let names: string[];
  try {
    names = readdirSync(runs);
  } catch {
    return [];
  }
  const finished = names
    .filter((name) => name.startsWith('verify-'))
    .flatMap((name) => {
      try {
        return [{ name, time: statSync(join(runs, name, 'verify.json')).mtimeMs }];
      } catch {
        return []; // not finished (or not a run): left alone
      }
    })
    .sort((a, b) => b.time - a.time || b.name.localeCompare(a.name));
  const removed = finished.slice(keep).map((run) => join(runs, run.name));
  for (const path of removed) rmSync(path, { recursive: true, force: true });
  return removed;
}

/** Writes the SLO report's JSON (slo/slo.json). */
export async function writeSloJson(report: SloReport, paths: ReportPaths): Promise<void> {
  await mkdir(dirname(paths.sloJson), { recursive: true });
  await writeFile(paths.sloJson, renderJson(report));
}

/** Where a baseline's load samples live: the `load/` folder beside its slo.json (`--baseline F` names slo.json). */
export function baselineLoadDir(baselineSloJson: string): string {
  return join(dirname(baselineSloJson), 'load');
}

/** The folder of a load run (samples.jsonl and summary.json are in it). */
export function loadRunDir(load: LoadResult): string {
  return dirname(load.summaryJsonPath);
}

/**
 * Keeps a passing run's SLO report as the next baseline, and with it the run's load samples and summary.json
 * (baseline/load/), so the next `--baseline` run can compare its load with this one (load/compare.ts); returns
 * whether it was written.
 *
 * The samples are copied, not pointed at: a baseline must stand on its own. CI jobs cache and restore
 * reports/baseline/ alone between pipelines, and reports/load/<run> is cleared or pruned by whoever tidies
 * reports; a pointer into it would dangle, and the comparison would turn inconclusive for a reason nobody sees.
 * A copy costs about 40 bytes a request (a minute of smoke load is about 60 kB).
 *
 * Every file is written atomically (a temp file renamed over the old one), so a run reading the baseline sees
 * whole files. The samples go first and slo.json last; a run without load samples (--skip load, or none
 * recorded) removes the old ones, so a later comparison never pairs this run's SLO report with another run's
 * load and instead says the baseline has no samples. Returns undefined when nothing was written (not a pass).
 */
export async function saveBaseline(
  report: SloReport,
  paths: ReportPaths,
  load?: LoadResult,
): Promise<{ loadSamples: boolean } | undefined> {
  if (report.status !== 'pass') return undefined;
  const from = load ? loadRunDir(load) : undefined;
  const loadSamples = from !== undefined && existsSync(join(from, SAMPLES_FILE));
  if (from && loadSamples) {
    await mkdir(paths.baselineLoad, { recursive: true });
    for (const name of [SAMPLES_FILE, 'summary.json']) {
      if (existsSync(join(from, name))) copyAtomically(join(from, name), join(paths.baselineLoad, name));
      else rmSync(join(paths.baselineLoad, name), { force: true });
    }
  } else {
    rmSync(paths.baselineLoad, { recursive: true, force: true });
  }
  writeAtomically(paths.baseline, renderJson(report));
  return { loadSamples };
}

/** Copies a file so that a reader of `to` sees the old file or the new one, never half of the new one. */
function copyAtomically(from: string, to: string): void {
  const temp = `${to}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  copyFileSync(from, temp);
  renameSync(temp, to);
}

/** Writes the load comparison with the baseline: compare.json (the data) and compare.txt (the table). */
export async function writeComparison(json: string, table: string, paths: ReportPaths): Promise<void> {
  await mkdir(dirname(paths.compareJson), { recursive: true });
  await writeFile(paths.compareJson, json);
  await writeFile(paths.compareTxt, table);
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
