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
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, extname, isAbsolute, join, relative } from 'node:path';
import { Stage, Status, type TestResult } from 'allure-js-commons';

const REPO_DIR = join(import.meta.dirname, '..', '..');

import { pathToFileURL } from 'node:url';
import { type ExitCode, type Verdict, verdictOf, verdictWord } from '../../core/outcome.ts';
import type { LoadResult } from '../../load/run.ts';
import { describeResult as describeThreshold } from '../../load/thresholds.ts';
import { renderJson, renderJunit, renderMarkdown, type SloReport, toAllureResults } from '../../slo/index.ts';
import { describeResult as describeSlo } from '../../slo/report/render.ts';
import { ManagedProcess } from '../../stack/process.ts';
import type { E2eResult } from './e2e.ts';
import type { StageName } from './progress.ts';

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

/** How one stage ended. */
export interface StageResult {
  stage: StageName;
  /** pass | fail | inconclusive | skipped */
  result: 'pass' | 'fail' | 'inconclusive' | 'skipped';
  exitCode: ExitCode | null;
  durationMs: number;
  /** The stage's own report, absolute. */
  reportPath?: string;
  /** One line: what happened ("22 passed, 6 skipped", "breached: latency-p95"). */
  detail: string;
}

/** Adds attachments to load's Allure results (its summary and Artillery's JSON) and moves them into allure-results. */
export async function publishLoadAllure(load: LoadResult, paths: ReportPaths): Promise<void> {
  if (!existsSync(paths.loadStaging)) return;
  const evidence = [
    { name: 'load summary', path: load.summaryPath, type: 'text/markdown' },
    { name: 'Artillery report', path: load.reportPath, type: 'application/json' },
  ].filter((file) => existsSync(file.path));
  for (const name of await readdir(paths.loadStaging)) {
    const from = join(paths.loadStaging, name);
    if (!name.endsWith('-result.json')) {
      await copyFile(from, join(paths.allureResults, name));
      continue;
    }
    const result = JSON.parse(await readFile(from, 'utf8')) as TestResult;
    placeInTree(result);
    for (const file of evidence) {
      result.attachments.push(await attachFile(paths.allureResults, file.name, file.path, file.type));
    }
    const threshold = load.thresholds.find((t) => result.name?.endsWith(`: ${t.name}`));
    if (threshold) {
      result.attachments.push(await attachText(paths.allureResults, 'threshold', describeThreshold(threshold)));
      result.parameters.push({ name: 'window', value: windowText(load.startedAt, load.endedAt), excluded: true });
    }
    await writeFile(join(paths.allureResults, name), `${JSON.stringify(result, null, 2)}\n`);
  }
}

/** One Allure test per SLO (figures as parameters), with the SLO's figures and its queries as attachments. */
export async function publishSloAllure(
  report: SloReport,
  window: { start: Date; end: Date } | undefined,
  paths: ReportPaths,
): Promise<void> {
  const start = window?.start.getTime();
  const stop = window?.end.getTime() ?? Date.now();
  for (const result of toAllureResults(report, start, stop)) {
    const slo = report.slos.find((s) => result.fullName === `slo.${report.service}.${s.name}`);
    if (slo) {
      result.attachments.push(await attachText(paths.allureResults, 'figures', describeSlo(slo)));
      result.attachments.push(
        await attachText(paths.allureResults, 'PromQL queries', JSON.stringify(slo.queries, null, 2), 'json'),
      );
      if (slo.baseline) {
        result.parameters.push({
          name: 'baseline',
          value: `${slo.baseline.value} (${slo.baseline.regressionPct} % worse, allowed ${slo.baseline.maxRegressionPct} %)`,
          excluded: true,
        });
      }
    }
    if (window)
      result.parameters.push({ name: 'run window', value: windowText(window.start, window.end), excluded: true });
    placeInTree(result);
    await writeFile(join(paths.allureResults, `${result.uuid}-result.json`), `${JSON.stringify(result, null, 2)}\n`);
  }
}

/**
 * A stage that could not give its own results (the stack did not start, load could not run, no SLO window) is
 * one broken test in the report, so the stakeholder's view says what went wrong instead of showing fewer tests.
 */
export async function publishStageProblem(stage: StageName, problem: string, paths: ReportPaths): Promise<void> {
  const now = Date.now();
  const fullName = `verify.${stage}`;
  const result: TestResult = {
    uuid: randomUUID(),
    historyId: fullName,
    testCaseId: fullName,
    name: `verify stage ${stage}`,
    fullName,
    status: Status.BROKEN,
    statusDetails: { message: problem },
    stage: Stage.FINISHED,
    steps: [],
    attachments: [],
    parameters: [],
    labels: [
      { name: 'parentSuite', value: 'mystocks-harness' },
      { name: 'suite', value: 'verify' },
      { name: 'feature', value: 'harness verify' },
      { name: 'story', value: stage },
    ],
    links: [],
    start: now,
    stop: now,
  };
  placeInTree(result);
  await writeFile(join(paths.allureResults, `${result.uuid}-result.json`), `${JSON.stringify(result, null, 2)}\n`);
}

/**
 * Allure 3's tree groups a result by its titlePath when it has one (allure-playwright's E2E results do:
 * [project, spec file]) and by its suite labels otherwise; mixing both splits the tree. Load, SLO and stage
 * results get a titlePath from their labels, so the report shows one tree: mystocks-harness > (spec files, load,
 * SLO, verify).
 */
function placeInTree(result: TestResult): void {
  const label = (name: string) => result.labels.find((l) => l.name === name)?.value;
  result.titlePath = [label('parentSuite'), label('suite'), label('subSuite')].filter(
    (part): part is string => part !== undefined && part !== '',
  );
}

async function attachText(dir: string, name: string, text: string, ext = 'txt') {
  const source = `${randomUUID()}-attachment.${ext}`;
  await writeFile(join(dir, source), text);
  return { name, source, type: ext === 'json' ? 'application/json' : 'text/plain' };
}

async function attachFile(dir: string, name: string, path: string, type: string) {
  const source = `${randomUUID()}-attachment${extname(path)}`;
  await copyFile(path, join(dir, source));
  return { name: `${name} (${basename(path)})`, source, type };
}

function windowText(start: Date, end: Date): string {
  return `${start.toISOString()} .. ${end.toISOString()} (${((end.getTime() - start.getTime()) / 1000).toFixed(1)} s)`;
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

/** What the combined JUnit file is made of. */
export interface JunitParts {
  e2e?: E2eResult;
  load?: LoadResult;
  slo?: SloReport;
  /** Stages that ended inconclusive without results of their own, as <error> cases. */
  problems: { stage: StageName; problem: string }[];
}

/** One JUnit file with a test suite per stage: Playwright's suites as they are, load thresholds, SLOs. */
export async function renderCombinedJunit(parts: JunitParts): Promise<string> {
  const suites: string[] = [];
  if (parts.e2e && existsSync(parts.e2e.junitPath)) {
    const text = await readFile(parts.e2e.junitPath, 'utf8');
    suites.push(...(text.match(/<testsuite\b[\s\S]*?<\/testsuite>/g) ?? []).map((suite) => suite.replace(/^/gm, '  ')));
  }
  if (parts.load) {
    const load = parts.load;
    const failures = load.thresholds.filter((t) => !t.ok).length;
    const seconds = ((load.endedAt.getTime() - load.startedAt.getTime()) / 1000).toFixed(3);
    const cases = load.thresholds.map((t) => {
      const text = xml(describeThreshold(t));
      const verdict =
        load.verdict === 'inconclusive'
          ? `      <error message="${xml(load.problem ?? 'load run could not be judged')}" type="load-inconclusive">${text}</error>\n`
          : t.ok
            ? ''
            : `      <failure message="${xml(describeThreshold(t))}" type="threshold-breach">${text}</failure>\n`;
      return `    <testcase classname="load.${xml(load.runId)}" name="${xml(t.name)}" time="${seconds}">\n${verdict}      <system-out>${text}</system-out>\n    </testcase>`;
    });
    const errors = load.verdict === 'inconclusive' ? load.thresholds.length : 0;
    suites.push(
      `  <testsuite name="load thresholds" tests="${load.thresholds.length}" failures="${errors ? 0 : failures}" errors="${errors}" timestamp="${load.startedAt.toISOString()}" time="${seconds}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  if (parts.slo) {
    const suite = /<testsuite\b[\s\S]*?<\/testsuite>/.exec(renderJunit(parts.slo))?.[0];
    if (suite) suites.push(`  ${suite}`);
  }
  if (parts.problems.length > 0) {
    const cases = parts.problems.map(
      (p) =>
        `    <testcase classname="verify" name="${p.stage}" time="0">\n      <error message="${xml(firstLine(p.problem))}" type="stage-inconclusive">${xml(p.problem)}</error>\n    </testcase>`,
    );
    suites.push(
      `  <testsuite name="verify stages" tests="${cases.length}" failures="0" errors="${cases.length}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  const count = (name: string) =>
    suites.reduce(
      (sum, suite) => sum + Number(new RegExp(`<testsuite\\b[^>]*\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0),
      0,
    );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="harness verify" tests="${count('tests')}" failures="${count('failures')}" errors="${count('errors')}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** Everything the Markdown summary says. */
export interface SummaryInput {
  exitCode: ExitCode;
  stackMode?: string;
  profile: string;
  stages: StageResult[];
  e2e?: E2eResult;
  load?: LoadResult;
  slo?: SloReport;
  /** Why the SLO check had the window it had, or none. */
  sloWindowNote?: string;
  paths: ReportPaths;
  /** Problems of inconclusive stages, in full. */
  problems: { stage: StageName; problem: string }[];
}

const ICON: Record<Verdict, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️' };

/** The Markdown summary: verdict, stages, E2E failures, load thresholds, the SLO table, where the reports are. */
export function renderSummaryMarkdown(input: SummaryInput): string {
  const rel = (path: string | undefined) => (path ? `\`${displayPath(path)}\`` : '');
  const lines = [
    `## harness verify: ${ICON[verdictOf(input.exitCode)]} ${verdictWord(verdictOf(input.exitCode))} (exit ${input.exitCode})`,
    '',
    `Stack ${input.stackMode ?? 'not started'}, load profile ${input.profile}.`,
    '',
    '| Stage | Result | Duration | Details | Report |',
    '|---|---|---|---|---|',
    ...input.stages.map(
      (s) =>
        `| ${s.stage} | ${s.result} | ${formatSeconds(s.durationMs)} | ${s.detail.replace(/\|/g, '\\|')} | ${rel(s.reportPath)} |`,
    ),
  ];
  if (input.problems.length > 0) {
    lines.push('', '### Could not judge', '');
    for (const p of input.problems) lines.push(`- **${p.stage}**: ${firstLine(p.problem)}`);
  }
  if (input.e2e && input.e2e.failed.length > 0) {
    lines.push('', '### Failed E2E tests', '', ...input.e2e.failed.map((title) => `- ${title}`));
  }
  if (input.load) {
    lines.push('', '### Load thresholds (client side, from the SLOs)', '', '| Threshold | Limit | Value | Verdict |');
    lines.push('|---|---|---|---|');
    for (const t of input.load.thresholds) {
      const unit = t.unit === 'responses' ? '' : ` ${t.unit}`;
      lines.push(
        `| ${t.name} | ${t.comparison} ${t.limit}${unit} | ${t.value === null ? 'no data' : `${t.value}${unit}`} | ${t.ok ? 'ok' : '**FAIL**'} |`,
      );
    }
  }
  if (input.slo) {
    lines.push('', renderMarkdown(input.slo).replace(/^### /, '### ').trimEnd());
    if (input.sloWindowNote) lines.push('', input.sloWindowNote);
  } else if (input.sloWindowNote) {
    lines.push('', '### SLO check', '', input.sloWindowNote);
  }
  lines.push(
    '',
    '### Reports',
    '',
    `- Allure report: ${rel(input.paths.allureIndex)} (history in ${rel(input.paths.history)})`,
    `- JUnit: ${rel(input.paths.junit)}; this summary: ${rel(input.paths.summary)}; as data: ${rel(input.paths.json)}`,
    '',
  );
  return lines.join('\n');
}

/** Appends the summary to the GitHub Actions step summary file when there is one. */
export async function writeStepSummary(markdown: string, file = process.env.GITHUB_STEP_SUMMARY): Promise<boolean> {
  if (!file) return false;
  await appendFile(file, `${markdown}\n`);
  return true;
}

/** The final table on the terminal: stage, result, duration, report. */
export function renderStageTable(stages: StageResult[], cwd = process.cwd()): string {
  const header = ['STAGE', 'RESULT', 'DURATION', 'REPORT'];
  const rows = stages.map((s) => [
    s.stage,
    s.result === 'pass' ? 'pass' : s.result === 'skipped' ? 'skipped' : s.result.toUpperCase(),
    formatSeconds(s.durationMs),
    s.reportPath ? displayPath(s.reportPath, cwd) : '-',
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A path relative to `cwd` when it lies inside it, else as it is. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Options of {@link generateAllureReport}. */
export interface AllureOptions {
  paths: ReportPaths;
  /** Name on the report (default: the project's allurerc.mjs name, else "MyStocks harness verify"). */
  name?: string;
  log: (line: string) => void;
}

/** The project's Allure config (categories, name, history file), shared with a plain `npx allure generate`. */
const PROJECT_ALLURE_CONFIG = join(REPO_DIR, 'allurerc.mjs');

/**
 * Allure 3 (`allure generate`, Node, no Java): the Awesome report into allure-report/, reading and then
 * appending the run to the history file, so each run's report shows the trend of the ones before it. The
 * project's allurerc.mjs (categories, name, history file) is the base when it exists; the config written here
 * only moves its output and history under this run's reports folder. Throws when Allure fails.
 */
export async function generateAllureReport(options: AllureOptions): Promise<void> {
  const { paths } = options;
  const verifyDir = join(paths.dir, '.verify');
  await mkdir(verifyDir, { recursive: true });
  await mkdir(dirname(paths.history), { recursive: true });
  // Allure moves its single plugin's report up into the output folder only when that folder starts empty.
  await rm(paths.allureReport, { recursive: true, force: true });
  const configPath = join(verifyDir, 'allurerc.mjs');
  const baseImport = existsSync(PROJECT_ALLURE_CONFIG)
    ? `import base from ${JSON.stringify(pathToFileURL(PROJECT_ALLURE_CONFIG).href)};`
    : 'const base = {};';
  const name = options.name;
  await writeFile(
    configPath,
    [
      "// Written by harness verify for this run (cli/verify/reports.ts): the project config, this run's folders.",
      baseImport,
      'export default {',
      '  ...base,',
      `  name: ${name ? JSON.stringify(name) : "base.name ?? 'MyStocks harness verify'"},`,
      `  output: ${JSON.stringify(paths.allureReport)},`,
      `  historyPath: ${JSON.stringify(paths.history)},`,
      '  historyLimit: base.historyLimit ?? 50,',
      '};',
      '',
    ].join('\n'),
  );
  const cli = join(dirname(createRequire(import.meta.url).resolve('allure')), '..', 'cli.js');
  const logFile = join(verifyDir, 'allure.log');
  const child = await ManagedProcess.start({
    name: 'allure generate',
    command: process.execPath,
    args: [cli, 'generate', '--config', configPath, paths.allureResults],
    cwd: paths.dir,
    logFile,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const timer = setTimeout(() => void child.stop(), 120_000);
  const exit = await child.exited;
  clearTimeout(timer);
  await child.stop();
  if (exit.code !== 0 || !existsSync(paths.allureIndex)) {
    throw new Error(
      `allure generate ended with ${exit.code ?? exit.signal}; last lines of ${logFile}:\n${child.logTail(15)}`,
    );
  }
}
