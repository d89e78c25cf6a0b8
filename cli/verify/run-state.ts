// The typed state of one verify run: what the options resolved to, what each stage has produced so far, and
// what it could not judge. Stages read it and add their artefacts; only the pipeline (verify.ts) records stages.

import type { PrometheusAccess, PrometheusAccessSettings } from '../../core/prometheus-access.ts';
import type { SloBreakdown } from '../../diagnose/index.ts';
import type { Margins } from '../../load/compare.ts';
import type { LoadResult } from '../../load/run.ts';
import type { DrawnChart } from '../../report/load/html-report.ts';
import type {
  BaselineLoadComparison,
  E2eResult,
  ReportPaths,
  RunContext,
  SloWindow,
  StageProblem,
  StageResult,
} from '../../report/verify/model.ts';
import type { SloPictures } from '../../report/verify/page.ts';
import type { LoadedSloConfig, SloReport } from '../../slo/index.ts';
import type { FaultSpec, RequestedStackMode, Stack } from '../../stack/index.ts';

/** Stages that `--skip` accepts. */
export const SKIPPABLE = ['e2e', 'load', 'slo'] as const;
/** One of {@link SKIPPABLE}. */
export type SkippableStage = (typeof SKIPPABLE)[number];

/** The options of a run with every default filled in. */
export interface RunSettings {
  /** --stack; HARNESS_STACK, else auto, when absent (resolved once, by the stack stage). */
  requestedStack?: RequestedStackMode;
  profile: string;
  skip: ReadonlySet<SkippableStage>;
  scenario?: string;
  durationSeconds?: number;
  /** Warm-up before the judged load, seconds (default the profile's; 0 skips it). */
  warmupSeconds?: number;
  baselinePath?: string;
  /** Margins of the compare stage (--latency-margin-pct ...); the defaults for those not given. */
  compareMargins?: Partial<Margins>;
  faults: FaultSpec[];
  apiEnv?: Record<string, string>;
  sloConfigPath: string;
  /** The API's scrape job (--job): every SLO query, the coverage selector, settle and the charts use it. */
  job?: string;
  /** Headers, credentials and CA of a secured Prometheus, and what of them stack.json may record. */
  prometheusAccess?: { access?: PrometheusAccess; settings?: PrometheusAccessSettings };
  /** True when the SLO file is the repository's own (thresholds then name slo/slo-config.yaml). */
  sloConfigGiven: boolean;
  e2eArgs?: string[];
  settleMarginSeconds: number;
  allureReport: boolean;
  onLoadStarted?: (stack: Stack) => void | Promise<void>;
}

/** Everything a run has so far. */
export interface RunState {
  readonly settings: RunSettings;
  readonly paths: ReportPaths;
  /** The SLO file, read once by whichever stage needs it first (load for its thresholds, or slo). */
  sloConfig(log: (line: string) => void): Promise<LoadedSloConfig>;
  /** Where the stack's own lines go: the stage that is running (stack while starting, down while stopping). */
  stackLog: (line: string) => void;
  stack?: Stack;
  e2e?: E2eResult;
  load?: LoadResult;
  /** This run's load against the baseline's (--baseline), when the compare stage ran. */
  comparison?: BaselineLoadComparison;
  slo?: SloReport;
  /** Where the failed SLOs' bad events came from (diagnose/), when the gate failed. */
  breakdowns?: SloBreakdown[];
  sloWindow?: SloWindow;
  /** Why the SLOs had the window they had, or none, for the summary. */
  sloWindowNote?: string;
  /** The API job's scrape interval, seconds (the charts' resolution), found by settle. */
  scrapeSeconds?: number;
  /** The SLO gate's charts over the window, and each SLI across the last runs. */
  pictures?: SloPictures;
  trends?: DrawnChart[];
  commit?: string;
  /** The verdict and its main reason in one sentence (summary.md's first line). */
  sentence?: string;
  /** What was tested: stack mode, targets, profile length, judged window, commit. */
  context?: RunContext;
  /** The stages recorded so far, in order. */
  readonly stages: StageResult[];
  readonly problems: StageProblem[];
  /** Time spent inside the stages' own tools, ms (bench/verify compares it with the wall time). */
  readonly toolMs: { e2e: number; load: number; slo: number };
}
