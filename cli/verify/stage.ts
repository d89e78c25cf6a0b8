// The vocabulary of a verify run, shared by the pipeline (verify.ts, stages.ts) and its reports (reports/).
import type { ExitCode, Verdict } from '../../core/outcome.ts';
import type { StageName } from './progress.ts';

export type { StageName } from './progress.ts';

/** How one stage ended. */
export interface StageResult {
  stage: StageName;
  /** pass | fail | inconclusive | skipped */
  result: Verdict | 'skipped';
  /** The stage's say in the run's exit code; null for stages that judge nothing about the service. */
  exitCode: ExitCode | null;
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

/** The first line of a message (details follow on the next lines). */
export function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
