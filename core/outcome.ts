/**
 * Outcomes: the bottom of the tree. Every layer (stack/, slo/, load/, diagnose/, cli/) judges in {@link Verdict}s
 * and raises {@link HarnessError}s; none of them holds an exit code. The one place a verdict becomes a process exit
 * code is {@link exitCodeOf}, called once by the dispatcher (cli/dispatch.ts) on the verdict a command returned or
 * the verdict of the HarnessError it threw:
 *
 *   pass -> 0, fail -> 1, inconclusive -> 2
 *
 * A run judged several ways (verify's stages, the SLOs of one check) is first reduced to one verdict by
 * {@link worstVerdict}: a definite breach outranks "could not tell", which outranks a pass, so a fail is never
 * reported as 2 because something else was unknown. This contract (README.md, docs/operations.md "Exit codes") gates
 * merges in CI. This module imports nothing from the project.
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

const EXIT_CODE: Record<Verdict, ExitCode> = {
  pass: ExitCode.Pass,
  fail: ExitCode.Fail,
  inconclusive: ExitCode.Inconclusive,
};
const WORD: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' };

/**
 * The exit code a verdict ends the process with: pass 0, fail 1, inconclusive 2. The only verdict-to-number
 * mapping of the harness; cli/dispatch.ts calls it on a command's verdict, and verify's reports call it only to
 * print the number next to the word ("FAIL (exit 1)") and to write verify.json's `exitCode`.
 */
export function exitCodeOf(verdict: Verdict): ExitCode {
  return EXIT_CODE[verdict];
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
