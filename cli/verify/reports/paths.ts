// The files in a reports folder (default reports/, HARNESS_REPORTS_DIR overrides):
//
//   runs/<run id>/       one folder per run, written by that run alone and never written again once it ended
//                        (but for `harness report` adding allure-report/ to a run that has none):
//     verify-<id>/         a `harness verify` run: allure-results/, allure-report/, e2e/, slo/, compare/,
//                          junit.xml, summary.md, verify.json, .verify/ (Allure's config and log)
//     e2e-<id>/            a Playwright run, by `harness e2e` or by hand (`npx playwright test`,
//                          cli/playwright-output.ts): playwright-report/, e2e-junit.xml, allure-results/,
//                          test-results/, e2e-progress.jsonl
//     compare-<id>/        a `harness load compare`: compare/ (compare.json, compare.txt) and allure-results/
//     report-<id>/         a `harness report` whose source was not a run folder, or a run that already had its
//                          report: allure-report/ and .report/
//   allure-results/  allure-report/  e2e/  slo/  compare/  junit.xml  summary.md  verify.json
//   playwright-report/  e2e-junit.xml
//                        links to the latest run's copies (stack/run-pointer.ts linkLatest), each replaced
//                        atomically when a run ends, and never written through: a command that writes makes a
//                        run folder of its own first, and a folder a user names through one is refused
//                        (refuseLatestLink). verify links all of its names; a Playwright run playwright-report,
//                        e2e-junit.xml and allure-results; `harness load compare` compare and allure-results;
//                        `harness report` allure-report. allure-results: the Allure results of the stages (E2E
//                        from allure-playwright, one test per load threshold and per SLO); allure-report: the
//                        Allure 3 HTML report (awesome/index.html, dashboard/index.html); junit.xml: the stages
//                        as JUnit suites; summary.md: the Markdown summary; verify.json: the run as data.
//   history/<profile>-<scope>.jsonl   Allure's history, one file per load profile and scope (the stages that
//                        were asked for, e.g. e2e+load+slo or load+slo, and +faults with injected faults), so
//                        that a trend compares like with like. Only a `harness verify` run appends to it;
//                        `harness report` and a plain `npx allure generate` read it.
//   slo-history.jsonl    each verify run's SLIs (the SLI trend charts)
//   baseline/slo.json    the SLO report of the last passing run: the next run's baseline (--baseline)
//   baseline/load/       that run's per-request load samples (samples.jsonl) and summary.json, which
//                        `--baseline` compares this run's load with (load/compare.ts)
//   load/<run>/          each load run's own files (harness load, and verify's load stage)
//
// So a report never mixes runs, and two runs at once in one checkout never write or delete each other's files;
// nothing of an earlier run is removed but by pruneRuns: finished verify runs beyond the newest KEEP_RUNS
// (HARNESS_KEEP_RUNS) when a run ends. history/, slo-history.jsonl, baseline/ and load/<run>/ are shared.

import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HarnessError } from '../../../core/outcome.ts';
import { checkRunId } from '../../../core/run-id.ts';
import type { LoadResult } from '../../../load/run.ts';
import { SAMPLES_FILE } from '../../../load/samples.ts';
import { renderJson } from '../../../report/slo/render.ts';
import type { AllurePaths, ReportPaths } from '../../../report/verify/model.ts';
import type { SloReport } from '../../../slo/index.ts';
import { linkLatest, writeAtomically } from '../../../stack/run-pointer.ts';

/** Where a run folder keeps its Allure results and report. */
export function allurePaths(runDir: string): AllurePaths {
  return {
    runDir,
    allureResults: join(runDir, 'allure-results'),
    allureReport: join(runDir, 'allure-report'),
    // One file each (singleFile in allurerc.mjs): they open from file://.
    allureIndex: join(runDir, 'allure-report', 'awesome', 'index.html'),
    allureDashboard: join(runDir, 'allure-report', 'dashboard', 'index.html'),
  };
}

/**
 * Which runs share an Allure history: the load profile and the stages asked for. A trend across a run with E2E
 * and one without, or across a smoke and a stress run, or across a healthy run and one with injected faults,
 * would compare unlike things (tests appear and vanish, pass rates move for reasons that are no regression).
 */
export interface HistoryScope {
  profile: string;
  /** The stages with results of their own that the run asked for, in the order they run (e2e, load, compare, slo). */
  stages: readonly string[];
  /** Faults were injected into the service (MYSTOCKS_FAULTS). */
  faults: boolean;
}

/** What `harness verify` with no flags runs: its history is the one a plain `npx allure generate` reads. */
export const DEFAULT_HISTORY_SCOPE: HistoryScope = { profile: 'smoke', stages: ['e2e', 'load', 'slo'], faults: false };

/** The scope of a verify run from its settings: the stages `--skip` left, compare with `--baseline` and load. */
export function historyScopeOf(settings: {
  profile: string;
  skip: ReadonlySet<string>;
  baselinePath?: string | undefined;
  faults: readonly unknown[];
}): HistoryScope {
  const asked = (stage: string) => !settings.skip.has(stage);
  const stages = [
    ...(asked('e2e') ? ['e2e'] : []),
    ...(asked('load') ? ['load'] : []),
    // The compare stage runs with --baseline and needs this run's load (cli/verify/stages.ts).
    ...(settings.baselinePath !== undefined && asked('load') ? ['compare'] : []),
    ...(asked('slo') ? ['slo'] : []),
  ];
  return { profile: settings.profile, stages, faults: settings.faults.length > 0 };
}

/** `<reports>/history/<profile>-<stages joined by +>[+faults].jsonl`, e.g. history/smoke-e2e+load+slo.jsonl. */
export function historyFile(dir: string, scope: HistoryScope): string {
  // The profile is one of load/profiles.ts; checked anyway, since it becomes part of a file name.
  const profile = checkRunId(scope.profile, 'profile');
  const stages = scope.stages.length > 0 ? scope.stages.join('+') : 'none';
  return join(dir, 'history', `${profile}-${stages}${scope.faults ? '+faults' : ''}.jsonl`);
}

/**
 * The paths of a run `runId` in a reports folder. `scope` chooses the Allure history the run's report reads (and,
 * for a verify run, appends to: generateAllureReport's appendHistory); without it, the default verify run's.
 */
export function reportPaths(dir: string, runId: string, scope: HistoryScope = DEFAULT_HISTORY_SCOPE): ReportPaths {
  const runDir = join(dir, 'runs', runId);
  return {
    dir,
    ...allurePaths(runDir),
    history: historyFile(dir, scope),
    // Each verify run's SLIs, one line per run: the data of the SLI trend charts (Allure's history has no
    // figures). Shared between runs, like the Allure history.
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
