import type { ManagedProcess } from '../process.ts';

/**
 * Adds a service's log tail to a start-up error that does not carry it yet (a readiness timeout), so the
 * message says what the service itself said. `tail` is read before the work directory is removed.
 */
export function withLogTail(error: unknown, serviceProcess: ManagedProcess, tail: string): Error {
  const base = error instanceof Error ? error : new Error(String(error));
  if (base.message.includes('last lines of') || tail === '') return base;
  return new Error(`${base.message}; last lines of ${serviceProcess.logFile}:\n${tail}`, { cause: base });
}
