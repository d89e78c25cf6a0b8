// The vocabulary of a verify run, shared by the pipeline (verify.ts, stages.ts) and its reports (reports/).
import { type Verdict, worstVerdict } from '../../core/outcome.ts';
import type { StageName } from './progress.ts';

export type { StageName } from './progress.ts';

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

/** The first line of a message (details follow on the next lines); the reports and the pipeline take it from here. */
export { firstLine } from '../../core/text.ts';
