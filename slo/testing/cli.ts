// The real `harness` CLI in a child process, for the integration tests of `harness slo`.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

/** How a CLI run ended: its exit code (99 when it ended without one, e.g. killed at the timeout) and output. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `harness <args>` from the repository root. Its reports go to `reportsDir`, so no stack.json of a
 * developer's running stack leaks in; `env` is laid over this process's environment.
 */
export function runHarness(
  args: string[],
  options: { reportsDir: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'cli', 'harness.ts'), ...args],
      {
        cwd: repoRoot,
        timeout: options.timeoutMs ?? 60_000,
        env: { ...process.env, HARNESS_REPORTS_DIR: options.reportsDir, ...options.env },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 99) : 0, stdout, stderr }),
    );
  });
}
