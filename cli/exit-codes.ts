/** Exit codes of every harness command (DESIGN.md): one contract, used by CI to gate merges. */
export const ExitCode = {
  /** Everything passed. */
  Pass: 0,
  /** A test failed, or a threshold or SLO was breached. */
  Fail: 1,
  /** Could not tell: bad config or usage, an unreachable service, a query error, an SLO without data. */
  Inconclusive: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error whose outcome is known: the CLI prints its message (no stack trace) and exits with its code. */
export class HarnessError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode = ExitCode.Inconclusive, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HarnessError';
    this.exitCode = exitCode;
  }
}

/** Worst of several outcomes: fail beats inconclusive beats pass. */
export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = ExitCode.Pass;
  for (const code of codes) {
    if (code === ExitCode.Fail) return ExitCode.Fail;
    if (code === ExitCode.Inconclusive) worst = ExitCode.Inconclusive;
  }
  return worst;
}
