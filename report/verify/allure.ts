// The run's Allure results: load's results (written by runLoad) get their evidence attached and join the E2E
// results; each SLO becomes one test with its figures and queries; a stage that could not give results of its
// own is one broken test. Then Allure 3 builds the HTML report with the history of earlier runs.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Stage, Status, type TestResult } from 'allure-js-commons';
import { withoutCredentials } from '../../core/prometheus-access.ts';
import { type Comparison, OVERALL } from '../../load/compare.ts';
import type { LoadResult } from '../../load/run.ts';
import { describeResult as describeThreshold } from '../../load/thresholds.ts';
import type { SloReport } from '../../slo/index.ts';
import { ManagedProcess, waitForCompletion } from '../../stack/process.ts';
import { comparisonToAllure } from '../load/compare.ts';
import { toAllureResults } from '../slo/allure.ts';
import { formatBaseline } from '../slo/format.ts';
import { describeResult as describeSlo } from '../slo/render.ts';
import type { AllurePaths, ReportPaths, StageName, StageResult } from './model.ts';
import { describeNotRun, notRun } from './what-ran.ts';

const REPO_DIR = join(import.meta.dirname, '..', '..');

/**
 * Moves load's Allure results (which carry their summary, Artillery's report, charts and window) into
 * allure-results, each placed in the tree and given its threshold's line.
 */
export async function publishLoadAllure(load: LoadResult, paths: ReportPaths): Promise<void> {
  if (!existsSync(paths.loadStaging)) return;
  for (const name of await readdir(paths.loadStaging)) {
    const from = join(paths.loadStaging, name);
    if (!name.endsWith('-result.json')) {
      await copyFile(from, join(paths.allureResults, name));
      continue;
    }
    const result = JSON.parse(await readFile(from, 'utf8')) as TestResult;
    placeInTree(result);
    const threshold = load.thresholds.find((t) => result.name?.endsWith(`: ${t.name}`));
    if (threshold) {
      result.attachments.push(await attachText(paths.allureResults, 'threshold', describeThreshold(threshold)));
    }
    await writeFile(join(paths.allureResults, name), `${JSON.stringify(result, null, 2)}\n`);
  }
}

/** One Allure test per SLO (figures as parameters), with the SLO's figures and its queries as attachments. */
export async function publishSloAllure(
  report: SloReport,
  window: { start: Date; end: Date } | undefined,
  paths: ReportPaths,
  /** SVG charts per SLO name (cli/verify/pictures.ts), attached to its test: name -> [title, svg][]. */
  charts: ReadonlyMap<string, [string, string][]> = new Map(),
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
      for (const [title, svg] of charts.get(slo.name) ?? []) {
        result.attachments.push(await attachText(paths.allureResults, `chart: ${title}`, svg, 'svg'));
      }
      if (slo.baseline) {
        result.parameters.push({
          name: 'baseline',
          value: formatBaseline(slo),
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
 * The load comparison with the baseline (--baseline): one test per endpoint (report/load/compare.ts comparisonToAllure,
 * failed on a regression, broken when it cannot tell); the whole table is attached to the overall row's test.
 */
export async function publishComparisonAllure(
  comparison: Comparison,
  startMs: number,
  stopMs: number,
  table: string,
  paths: ReportPaths,
): Promise<void> {
  for (const result of comparisonToAllure(comparison, startMs, stopMs)) {
    if (result.fullName === `load.compare.${OVERALL}`) {
      result.attachments.push(await attachText(paths.allureResults, 'comparison with the baseline', table));
    }
    placeInTree(result);
    await writeFile(join(paths.allureResults, `${result.uuid}-result.json`), `${JSON.stringify(result, null, 2)}\n`);
  }
}

/**
 * A stage that could not give its own results (the stack did not start, load could not run, no SLO window) is
 * one broken test in the report, so the stakeholder's view says what went wrong instead of showing fewer tests.
 */
export async function publishStageProblem(stage: StageName, problem: string, paths: ReportPaths): Promise<void> {
  await writeStageResult(stageTest(stage, `verify stage ${stage}`, Status.BROKEN, problem), paths);
}

/**
 * A stage that did not run (`--skip e2e`, or skipped because the stack did not start) is one skipped test, its
 * reason as the message: "e2e skipped (--skip e2e): browser tests did not run". Without it the report shows
 * fewer tests and a full ring, as if what never ran had passed; with it the ring has a skipped slice and the
 * Categories tab lists it under "Not run". Allure's pass percentage leaves skipped tests out of its sum by
 * definition (passed / (passed + failed + broken)), so the figure itself does not drop.
 */
export async function publishSkippedStage(stage: StageResult, paths: ReportPaths): Promise<void> {
  const [skipped] = notRun([stage]);
  if (!skipped) return;
  await writeStageResult(
    stageTest(stage.stage, `verify stage ${stage.stage} (not run)`, Status.SKIPPED, describeNotRun(skipped)),
    paths,
  );
}

/** The Allure test that stands for one verify stage (a problem or a skip), placed under mystocks-harness > verify. */
function stageTest(stage: StageName, name: string, status: Status, message: string): TestResult {
  const now = Date.now();
  const fullName = `verify.${stage}`;
  return {
    uuid: randomUUID(),
    historyId: fullName,
    testCaseId: fullName,
    name,
    fullName,
    status,
    statusDetails: { message },
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
}

async function writeStageResult(result: TestResult, paths: ReportPaths): Promise<void> {
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
  const type = ext === 'json' ? 'application/json' : ext === 'svg' ? 'image/svg+xml' : 'text/plain';
  return { name, source, type };
}

function windowText(start: Date, end: Date): string {
  return `${start.toISOString()} .. ${end.toISOString()} (${((end.getTime() - start.getTime()) / 1000).toFixed(1)} s)`;
}

/** Options of {@link generateAllureReport}. */
export interface AllureOptions {
  /** The results to read, the report folder to make, and the history file to read. */
  paths: AllurePaths & Pick<ReportPaths, 'history'>;
  /**
   * Append this run to the history file. Only `harness verify`'s own report stage does: the history is the trend
   * of verify runs of one profile and scope (paths.ts historyFile), and a report made by hand (`harness report`)
   * or by a test reads it and leaves it as it was.
   */
  appendHistory?: boolean;
  /** Where the written Allure config and Allure's log go (default: the run folder's .verify/). */
  workDir?: string;
  /** Name on the report (default: the project's allurerc.mjs name, else "MyStocks harness verify"). */
  name?: string;
  log: (line: string) => void;
}

/** An Allure 3 category rule in its canonical form (allurerc `categories.rules`; strings are regular expressions). */
export interface CategoryRule {
  name: string;
  matchers: { statuses: string[]; labels?: Record<string, string>; message?: string };
}

/** The SLO results' suite label, as a category matcher (report/slo/allure.ts labels them so). */
const SLO_SUITE = { suite: '^SLO$' };

/** A category of broken results with these labels, and, when given, a message (the result's first line) matching. */
function brokenIn(name: string, labels: Record<string, string>, message?: string): CategoryRule {
  return { name, matchers: { statuses: ['broken'], labels, ...(message === undefined ? {} : { message }) } };
}

/**
 * Categories for what the harness could not judge, ahead of the project's own rules (Allure takes the first rule
 * that matches). Allure files every broken test under one default category ("Test problems" in allurerc.mjs), so
 * an SLO without enough evidence read as a broken test. Each SLO rule matches the reason the evaluator writes as
 * the result's first message line (slo/evaluate/evaluate.ts; Prometheus' own words from
 * slo/evaluate/prometheus.ts), so a reader sees why the run could not be judged before opening a test.
 */
export const VERIFY_CATEGORIES: readonly CategoryRule[] = [
  { name: 'Not run', matchers: { statuses: ['skipped'], labels: { suite: '^verify$' } } },
  brokenIn(
    'Prometheus unreachable',
    SLO_SUITE,
    "Prometheus at \\S+ (did not answer|refused the request|kept failing)|the check's deadline passed",
  ),
  // Prometheus answered, but not the one number the harness asked for.
  brokenIn(
    'Data disagrees with the question',
    SLO_SUITE,
    '^([\\w-]+ query returned (\\d+ series|[+-]Inf)|[\\w-]+ query: (asked |the series is not|the vector answer|the sample)|impossible|partial answer)',
  ),
  brokenIn(
    'Query error',
    SLO_SUITE,
    '^[\\w-]+ query: (query failed|HTTP \\d+|Prometheus at \\S+ answered|Prometheus answered|expected an)',
  ),
  brokenIn(
    'Not enough evidence',
    SLO_SUITE,
    '^(too little evidence|no requests in the window|no event count|[\\w-]+ query returned (no data|NaN))',
  ),
  brokenIn('Scrape gaps', SLO_SUITE, '^(scrape gaps|scrape coverage unknown|no scrapes of)'),
  brokenIn('Machine noise explains the breach', SLO_SUITE, '^machine saturated'),
  // Any other reason an SLO had no verdict: still not a broken test.
  brokenIn('SLO could not be judged', SLO_SUITE),
  brokenIn('Load comparison cannot tell', { suite: '^load$', subSuite: '^compare$' }),
  brokenIn('Load could not be judged', { suite: '^load$' }),
  brokenIn('Stage could not run', { suite: '^verify$' }),
];

/** The project's Allure config (categories, name, plugins), shared with a plain `npx allure generate`. */
const PROJECT_ALLURE_CONFIG = join(REPO_DIR, 'allurerc.mjs');

/**
 * Allure 3 (`allure generate`, Node, no Java): the Awesome report into allure-report/, reading the history file
 * (and, with appendHistory, then appending the run to it), so each run's report shows the trend of the ones
 * before it. The project's allurerc.mjs (categories, name, plugins) is the base when it exists; the config
 * written here sets this run's output and history, and whether it appends. The results folder is given by its
 * real path: Allure's search for results does not follow a symbolic link (reports/allure-results is one).
 * Throws when Allure fails.
 */
export async function generateAllureReport(options: AllureOptions): Promise<void> {
  const { paths } = options;
  const workDir = options.workDir ?? join(paths.runDir, '.verify');
  await mkdir(workDir, { recursive: true });
  if (options.appendHistory) await mkdir(dirname(paths.history), { recursive: true });
  // Allure moves its single plugin's report up into the output folder only when that folder starts empty.
  await rm(paths.allureReport, { recursive: true, force: true });
  const configPath = join(workDir, 'allurerc.mjs');
  const baseImport = existsSync(PROJECT_ALLURE_CONFIG)
    ? `import base from ${JSON.stringify(pathToFileURL(PROJECT_ALLURE_CONFIG).href)};`
    : 'const base = {};';
  const name = options.name;
  await writeFile(
    configPath,
    [
      "// Written by the harness for this report (report/verify/allure.ts): the project config, this run's folders.",
      baseImport,
      'export default {',
      '  ...base,',
      `  name: ${name ? JSON.stringify(name) : "base.name ?? 'MyStocks harness verify'"},`,
      `  output: ${JSON.stringify(paths.allureReport)},`,
      `  historyPath: ${JSON.stringify(paths.history)},`,
      `  appendHistory: ${options.appendHistory === true},`,
      '  historyLimit: base.historyLimit ?? 50,',
      "  // The harness's categories for what could not be judged (allure.ts VERIFY_CATEGORIES), then the project's.",
      `  categories: { ...base.categories, rules: [...${JSON.stringify(VERIFY_CATEGORIES)}, ...(base.categories?.rules ?? [])] },`,
      '  // Single files open from disk; the dashboard shows the trends across the history.',
      '  plugins: base.plugins ?? { awesome: { options: { singleFile: true } }, dashboard: { options: { singleFile: true } } },',
      '};',
      '',
    ].join('\n'),
  );
  const cli = join(dirname(createRequire(import.meta.url).resolve('allure')), '..', 'cli.js');
  const logFile = join(workDir, 'allure.log');
  const child = await ManagedProcess.start({
    name: 'allure generate',
    command: process.execPath,
    args: [cli, 'generate', '--config', configPath, await realpath(paths.allureResults)],
    cwd: paths.runDir,
    logFile,
    env: { ...withoutCredentials(), NO_COLOR: '1' },
  });
  const { exit } = await waitForCompletion(child, 120_000);
  if (exit.code !== 0 || !existsSync(paths.allureIndex)) {
    throw new Error(
      `allure generate ended with ${exit.code ?? exit.signal}; last lines of ${logFile}:\n${child.logTail(15)}`,
    );
  }
  for (const page of [paths.allureIndex, paths.allureDashboard]) {
    if (existsSync(page)) await writeFile(page, withEmbeddedDataFirst(withoutAnalytics(await readFile(page, 'utf8'))));
  }
}

/** The line of Allure's single-file template that creates the store of embedded data (after the app script). */
const EMBEDDED_DATA_STORE = 'window.allureReportData = window.allureReportData || {};';

/**
 * Allure 3's single-file page declares its store of embedded data (`window.allureReportData`) in a script
 * placed after the 3.5 MB app script. The app reads a data file from that store when it exists and otherwise
 * fetch()es it, which a file:// page may not do (CORS): the report then shows its spinner forever. Which comes
 * first is a race the parser decides; on a busy machine the app asked first (seen in one of five `harness
 * verify` runs: the widgets fetched, blocked, nothing drawn). Declaring the store in <head> settles it: the app
 * always takes the embedded path and waits for `allureReportDataReady`, which the template sets once every
 * file is in. Pages of other layouts are left as they are.
 */
export function withEmbeddedDataFirst(html: string): string {
  if (!html.includes(EMBEDDED_DATA_STORE) || !html.includes('</head>')) return html;
  const declare = `<script>window.allureReportDataReady = false; ${EMBEDDED_DATA_STORE}</script>`;
  return html.replace('</head>', `${declare}\n</head>`);
}

/**
 * Allure 3's page templates always load Google Analytics (gtag.js). A report opened from disk or a CI artifact
 * should not call out: on a closed network the pending script holds the page's load event, and a test report
 * is no place for tracking. The tag and its inline set-up are cut out; the report works the same without them.
 */
export function withoutAnalytics(html: string): string {
  return html
    .replace(/<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js[^"]*"><\/script>/g, '')
    .replace(/<script>\s*window\.dataLayer = window\.dataLayer \|\| \[\];[\s\S]*?<\/script>/g, '');
}
