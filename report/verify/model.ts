// The data a verify report is rendered from: how each stage of a run ended, the E2E suite's outcome, the load
// compared with the baseline's, where the run's files live, and the run as a whole. cli/verify/ produces these
// (the pipeline, its stages, cli/verify/reports/paths.ts) and report/verify/ renders them; both import them from
// here, so the renderers need nothing of the CLI above them (core/layers.test.ts).
import { type Verdict, worstVerdict } from '../../core/outcome.ts';
import { type Comparison, OVERALL } from '../../load/compare.ts';
import type { LoadResult } from '../../load/run.ts';
import type { SloReport } from '../../slo/index.ts';

/** The stages of a run, in order. */
export const STAGES = ['stack', 'e2e', 'load', 'compare', 'settle', 'slo', 'report', 'down'] as const;
/** One of {@link STAGES}. */
export type StageName = (typeof STAGES)[number];

/** How one stage ended. */
export interface StageResult {
  stage: StageName;
  /** pass | fail | inconclusive | skipped */
  result: Verdict | 'skipped';
  /**
   * Whether the result counts towards the run's verdict ({@link stageVerdict}). False for a skipped stage and for
   * an outcome that says nothing about the service (the Allure report not generated, the stack stopped).
   */
  decides: boolean;
  durationMs: number;
  /** The stage's own report, absolute. */
  reportPath?: string;
  /** One line: what happened ("22 passed, 6 skipped", "breached: latency-p95"). */
  detail: string;
}

/** A stage's problem, and whether the stage's own results already show it (else a broken test stands for it). */
export interface StageProblem {
  stage: StageName;
  problem: string;
  ownResults: boolean;
}

/**
 * The stage's say in the run's verdict: its result when it {@link StageResult.decides}, else null. verify.json gives
 * each as an exit code.
 */
export function stageVerdict(stage: StageResult): Verdict | null {
  return stage.decides && stage.result !== 'skipped' ? stage.result : null;
}

/**
 * The run's verdict: the worst of the stages that decide (core/outcome.ts worstVerdict: a fail outranks an
 * inconclusive, which outranks a pass). `harness verify` exits with its code (cli/dispatch.ts).
 */
export function runVerdict(stages: readonly StageResult[]): Verdict {
  return worstVerdict(stages.flatMap((s) => stageVerdict(s) ?? []));
}

/** Tests by their final outcome; `tests` counts each test once, whatever its retries. */
export interface E2eCounts {
  tests: number;
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
}

/** The outcome of the E2E stage. */
export interface E2eResult {
  verdict: Verdict;
  /** When Playwright was started and when it ended (the SLO window when load is skipped). */
  startedAt: Date;
  endedAt: Date;
  /** Playwright's own exit code, or the signal that ended it. */
  playwrightExit: number | string | null;
  counts?: E2eCounts;
  /** Titles of the failed tests (project › file › title), after their retries. */
  failed: string[];
  junitPath: string;
  htmlReportPath: string;
  logPath: string;
  /** Why the stage is inconclusive. */
  problem?: string;
}

/** How the load comparison with the baseline ended (cli/verify/baseline-load.ts compareLoadWithBaseline). */
export interface BaselineLoadComparison {
  verdict: Verdict;
  /** The baseline SLO report named by --baseline. */
  baselinePath: string;
  /** The comparison, when both runs had samples. */
  comparison?: Comparison;
  /** Why there is no comparison (verdict inconclusive). */
  reason?: string;
}

/**
 * The regressions of a comparison, each "endpoint metric a -> b unit (difference d [lo, hi], margin m)". The
 * endpoints' own come first: a slower route also slows every request taken together, and the route is the
 * finding, the overall row its echo.
 */
export function regressionsOf(outcome: BaselineLoadComparison | undefined): string[] {
  const comparison = outcome?.comparison;
  if (comparison?.verdict !== 'regression') return [];
  const found = comparison.reasons
    .filter((r) => r.startsWith('regression: '))
    .map((r) => r.slice('regression: '.length));
  const overall = (r: string) => r.startsWith(`${OVERALL} `);
  return [...found.filter((r) => !overall(r)), ...found.filter(overall)];
}

/** Where each file of a run lives, absolute (cli/verify/reports/paths.ts reportPaths lays them out). */
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
  /** The Allure history of the run's scope: history/<profile>-<scope>.jsonl (historyFile). */
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

/** The Allure files of a run folder. */
export type AllurePaths = Pick<
  ReportPaths,
  'runDir' | 'allureResults' | 'allureReport' | 'allureIndex' | 'allureDashboard'
>;

/** The window the SLOs are judged over, and whose traffic filled it. */
export interface SloWindow {
  start: Date;
  end: Date;
  source: 'load' | 'e2e';
}

/** What a run tested, for summary.md and verify.json (cli/verify/pictures.ts runContext). */
export interface RunContext {
  stackMode?: string;
  targets?: { api: string; prometheus?: string };
  profile: string;
  /** The profile's length as run (after --duration), seconds of arrivals. */
  profileSeconds?: number;
  window?: { start: string; end: string; durationMs: number; source: string };
  commit?: string;
}

/** The outcome of a run. */
export interface VerifyResult {
  /** The worst of the stages that decide ({@link runVerdict}); `harness verify` exits with its code. */
  verdict: Verdict;
  stages: StageResult[];
  /** Names of the SLOs that failed. */
  breachedSlos: string[];
  /** Names of the SLOs that were inconclusive. */
  inconclusiveSlos: string[];
  /** Names of the load thresholds that broke. */
  breachedThresholds: string[];
  slo?: SloReport;
  load?: LoadResult;
  /** This run's load against the baseline's (--baseline), when the compare stage ran. */
  comparison?: BaselineLoadComparison;
  e2e?: E2eResult;
  /** The window the SLOs were evaluated over. */
  sloWindow?: SloWindow;
  /** The verdict and its main reason in one sentence (summary.md's first line). */
  verdictSentence?: string;
  /** What was tested: stack mode, target URLs, profile and length, judged window, commit. */
  context?: RunContext;
  paths: ReportPaths;
  /** Wall time of the whole run, ms. */
  wallMs: number;
  /**
   * Time spent inside the stages' own tools, ms: Playwright's process, Artillery's process (runLoad's
   * startedAt..endedAt) and the SLO queries. bench/verify compares it with wallMs.
   */
  toolMs: { e2e: number; load: number; slo: number };
}
