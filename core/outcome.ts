/**
 * Outcomes: the bottom of the tree. Every layer (stack/, slo/, load/, cli/) judges in {@link Verdict}s and raises
 * {@link HarnessError}s; only cli/ turns a verdict into a process exit code, through {@link exitCodeOf}. The
 * mapping verdict -> exit code -> word is written here and nowhere else (DESIGN.md's 0/1/2 contract, which CI
 * uses to gate merges). This module imports nothing from the project.
 */

/** How something ended: every judgement of the harness is one of these three. */
export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** The verdicts, best first. */
export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'inconclusive'];

/** Exit codes of every harness command: one contract, used by CI to gate merges. */
export const ExitCode = {
  /** Everything passed. */
  Pass: 0,
  /** A test failed, or a threshold or SLO was breached. */
  Fail: 1,
  /** Could not tell: bad config or usage, an unreachable service, a query error, an SLO without data. */
  Inconclusive: 2,
} as const;

/** 0, 1 or 2. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const EXIT_CODE: Record<Verdict, ExitCode> = { pass: ExitCode.Pass, fail: ExitCode.Fail, inconclusive: 2 };
const WORD: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' };

/** The exit code a verdict ends a command with. */
export function exitCodeOf(verdict: Verdict): ExitCode {
  return EXIT_CODE[verdict];
}

/** The verdict an exit code stands for (the inverse of {@link exitCodeOf}). */
export function verdictOf(code: ExitCode): Verdict {
  return code === ExitCode.Pass ? 'pass' : code === ExitCode.Fail ? 'fail' : 'inconclusive';
}

/** The verdict as a word for people: PASS, FAIL, INCONCLUSIVE. */
export function verdictWord(verdict: Verdict): string {
  return WORD[verdict];
}

/**
 * Worst of several verdicts: a definite breach outranks "could not tell", which outranks a pass, so the gate
 * never passes what it could not judge and never hides a breach behind an unknown. No verdicts is a pass.
 */
export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = 'pass';
  for (const verdict of verdicts) {
    if (verdict === 'fail') return 'fail';
    if (verdict === 'inconclusive') worst = 'inconclusive';
  }
  return worst;
}

/** Options of {@link HarnessError}. */
export interface HarnessErrorOptions extends ErrorOptions {
  /** What the error means for the run (default inconclusive: the harness could not judge). */
  verdict?: Exclude<Verdict, 'pass'>;
}

/**
 * An error whose outcome is known: bad input, an unreachable service, a config that cannot be used. The CLI
 * prints its message (no stack trace) and exits with the code of its verdict. Layers subclass it to say whose
 * error it is (SloConfigError, ...); none of them chooses an exit code.
 */
export class HarnessError extends Error {
  readonly verdict: Exclude<Verdict, 'pass'>;
  constructor(message: string, options: HarnessErrorOptions = {}) {
    const { verdict = 'inconclusive', ...errorOptions } = options;
    super(message, errorOptions);
    this.name = 'HarnessError';
    this.verdict = verdict;
  }
}
