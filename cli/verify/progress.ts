// Progress of a verify run: every line carries its stage and the seconds since that stage began
// (`[load 12s] 0:10 2 journeys/s, 14 req/s, p95 9 ms, errors 0 %`), and a stage that has said nothing for a while
// says that it is still running, and what it is waiting for, so a long stage never sits silent in a CI log.

import type { StageName } from '../../report/verify/model.ts';

/** Writes progress lines for one stage. */
export interface StageLog {
  /** A progress line; leading blanks of the source (runLoad indents its period lines) are dropped. */
  (line: string): void;
  /** What the heartbeat line says while the stage is silent ("8/22 tests done"); "still running" without it. */
  status(describe: () => string): void;
  /** Seconds since the stage began. */
  elapsedSeconds(): number;
  /** Ends the stage: no more heartbeats. */
  end(): void;
}

/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** Where lines go (default stderr, so stdout carries only the final summary). */
  write?: (line: string) => void;
  /** A silent stage prints a heartbeat after this long (default 15 s). */
  heartbeatMs?: number;
}

/** Hands out one {@link StageLog} per stage. */
export class Progress {
  readonly #write: (line: string) => void;
  readonly #heartbeatMs: number;

  constructor(options: ProgressOptions = {}) {
    this.#write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.#heartbeatMs = options.heartbeatMs ?? 15_000;
  }

  /** Starts a stage's clock (and its heartbeat). */
  stage(name: StageName): StageLog {
    const startedAt = performance.now();
    let lastLineAt = startedAt;
    let statusText: (() => string) | undefined;
    const elapsedSeconds = () => Math.round((performance.now() - startedAt) / 1000);
    const emit = (text: string) => {
      lastLineAt = performance.now();
      this.#write(`[${name} ${elapsedSeconds()}s] ${text}`);
    };
    const timer = setInterval(
      () => {
        if (performance.now() - lastLineAt < this.#heartbeatMs) return;
        let text = 'still running';
        try {
          text = statusText?.() ?? text;
        } catch {
          // A status that cannot be told is not worth failing the run over.
        }
        emit(text);
      },
      Math.min(1_000, this.#heartbeatMs),
    );
    // The heartbeat must never be what keeps a finished run alive.
    timer.unref();
    const log = ((line: string) => {
      for (const part of line.split('\n')) if (part.trim() !== '') emit(part.replace(/^\s+/, ''));
    }) as StageLog;
    log.status = (fn) => {
      statusText = fn;
    };
    log.elapsedSeconds = elapsedSeconds;
    log.end = () => clearInterval(timer);
    return log;
  }
}
