/**
 * `harness report [RUN]`: the Allure 3 report of a run's results (report/verify/allure.ts
 * generateAllureReport, as `harness verify` makes its own). RUN is a run id (a folder in reports/runs/), a run
 * folder, or a folder of Allure results; without it, the run that reports/allure-results links to (the latest
 * Playwright run, load comparison or verify run), resolved to its real folder: Allure does not follow the link.
 *
 * Where the report goes: into the run's own folder (runs/<id>/allure-report) when the results are a run's and the
 * run has no report yet (a Playwright run, `harness load compare`, `harness verify --no-report`); else into a new
 * run folder, reports/runs/report-<id>/, so a finished run's report is never written again. Then
 * reports/allure-report links to it. The report reads an Allure history for its trends (the run's own verify
 * history, reports/history/<profile>-<scope>.jsonl, or the default verify run's) and never appends to it: only
 * `harness verify` adds its runs to the history.
 * Exit codes: 0 the report was written, 2 it could not be (no such run or results, Allure failed).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import { isSafeRunId } from '../../core/run-id.ts';
import { displayPath } from '../../core/text.ts';
import { generateAllureReport } from '../../report/verify/allure.ts';
import { linkLatest, newRunFolder } from '../../stack/run-pointer.ts';
import { reportsDir } from '../../stack/state.ts';
import { type CommandSpec, parseCommandArgs, usageError } from '../args.ts';
import { allurePaths, DEFAULT_HISTORY_SCOPE, historyFile } from '../verify/reports/paths.ts';

const USAGE = `usage: harness report [RUN] [--history FILE]

  RUN             the results to report on (default: the run reports/allure-results links to, the latest):
                  a run id (a folder in reports/runs/), a run folder (holding allure-results/), or a folder
                  of Allure results
  --history FILE  the Allure history the trends come from (default: the run's own verify history,
                  reports/history/<profile>-<stages>.jsonl, else the default verify run's); read, never appended

Writes the run's allure-report/ (awesome/index.html and dashboard/index.html, single files that open from disk)
and links reports/allure-report to it. A run that has its report already, and results outside a run folder, get a
new folder, reports/runs/report-<id>/: a finished run's files are never written again.
Exit codes: 0 the report was written, 2 it could not be (no such run or results, Allure failed).`;

/** The flags of `harness report` (also read by `harness completion`). */
export const REPORT_ARGS = {
  usage: USAGE,
  options: { history: { type: 'string' } },
  allowPositionals: true,
} as const satisfies CommandSpec;

/** What a report is made from, and where it goes. */
export interface ReportSource {
  /** The results folder, by its real path. */
  results: string;
  /** The run folder the results belong to (runs/<id>/allure-results), by its real path; else undefined. */
  runDir?: string;
}

/**
 * Finds the results that `run` names (see the usage), following reports/allure-results to its real folder. A run
 * folder is the parent of results named allure-results when that parent sits in a folder named runs (the layout of
 * every harness command, in reports/ or in a CI artifact of it).
 */
export function resolveSource(run: string | undefined, reports: string): ReportSource {
  let results: string;
  if (run === undefined) {
    results = join(reports, 'allure-results');
    if (!existsSync(results)) {
      throw new HarnessError(
        `no results to report on: ${results} does not exist (harness verify, harness e2e, npx playwright test and harness load compare make it), or name a run`,
      );
    }
  } else if (isSafeRunId(run) && existsSync(join(reports, 'runs', run))) {
    results = join(reports, 'runs', run, 'allure-results');
    if (!existsSync(results)) throw new HarnessError(`run ${run} has no Allure results: ${results} does not exist`);
  } else if (existsSync(run) && statSync(run).isDirectory()) {
    results = existsSync(join(run, 'allure-results')) ? join(run, 'allure-results') : run;
  } else {
    throw usageError(USAGE, `RUN: '${run}' is neither a run in ${join(reports, 'runs')} nor a folder`);
  }
  results = realpathSync(results);
  if (readdirSync(results).length === 0) throw new HarnessError(`no Allure results in ${results}: the folder is empty`);
  const parent = dirname(results);
  const inRuns = basename(results) === 'allure-results' && basename(dirname(parent)) === 'runs';
  return inRuns ? { results, runDir: parent } : { results };
}

/**
 * The history a report of `source` reads: a verify run's own (verify.json names it; looked up by its name in this
 * reports folder's history/ when the run was moved, e.g. from a CI artifact), else the default verify run's.
 */
export function historyFor(source: ReportSource, reports: string): string {
  const verifyJson = source.runDir && join(source.runDir, 'verify.json');
  if (verifyJson && existsSync(verifyJson)) {
    try {
      const named = (JSON.parse(readFileSync(verifyJson, 'utf8')) as { paths?: { history?: unknown } }).paths?.history;
      if (typeof named === 'string') {
        if (existsSync(named)) return named;
        return join(reports, 'history', basename(named));
      }
    } catch {
      // An unreadable verify.json: the default history below.
    }
  }
  return historyFile(reports, DEFAULT_HISTORY_SCOPE);
}

/**
 * Takes a run's allure-report/ for this report when there is none: a plain mkdir, which fails when the folder is
 * there (the run's own report, or another `harness report` that took it a moment earlier) or cannot be made (a
 * read-only copy of a run), and then the report goes to a new run folder.
 */
function claimReportFolder(runDir: string): boolean {
  try {
    mkdirSync(join(runDir, 'allure-report'));
    return true;
  } catch {
    return false;
  }
}

/** True when `path` lies inside `dir`. */
function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export async function run(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, REPORT_ARGS);
  if (parsed.help) return 'pass';
  const { positionals, values } = parsed;
  if (positionals.length > 1) throw usageError(USAGE, `give at most one run`);
  if (values.history !== undefined && !existsSync(values.history)) {
    throw new HarnessError(`--history: ${values.history} does not exist`);
  }
  const reports = reportsDir();
  const source = resolveSource(positionals[0], reports);
  const history = values.history === undefined ? historyFor(source, reports) : resolve(values.history);
  const log = (line: string) => console.error(`harness report: ${line}`);

  // The run's own folder when it has no report yet; else a new one (the run's report stays as it was).
  const outDir =
    source.runDir !== undefined && claimReportFolder(source.runDir)
      ? source.runDir
      : newRunFolder(reports, 'report').dir;
  if (source.runDir !== undefined && outDir !== source.runDir) {
    log(`${displayPath(source.runDir)} has its report already; this one goes to a new run folder`);
  }
  const paths = { ...allurePaths(outDir), allureResults: source.results, history };
  log(
    `Allure report of ${displayPath(source.results)}; history ${existsSync(history) ? `from ${displayPath(history)} (read, not appended)` : `none yet (${displayPath(history)})`}`,
  );
  try {
    await generateAllureReport({ paths, workDir: join(outDir, '.report'), appendHistory: false, log });
  } catch (error) {
    throw new HarnessError(error instanceof Error ? error.message : String(error));
  }
  // reports/allure-report shows it, when the report is in this reports folder (not in a moved artifact's).
  const reportsReal = existsSync(reports) ? realpathSync(reports) : reports;
  if (inside(outDir, join(reportsReal, 'runs')) || inside(outDir, join(reports, 'runs'))) {
    linkLatest(join(reports, 'allure-report'), paths.allureReport);
  }
  console.log(`Allure report: ${displayPath(paths.allureIndex)}`);
  if (existsSync(paths.allureDashboard)) console.log(`trends:        ${displayPath(paths.allureDashboard)}`);
  return 'pass';
}
