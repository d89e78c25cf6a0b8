// Artillery's own division of a script among the local workers of one `artillery run` (its lib/dist.js
// divideWork), the installed module itself: a pure function, so unit tests hold the harness's phases to what
// Artillery does with them, and a test fails if an upgrade changes it. Test support: no production file imports it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A phase as divideWork hands it to a worker: the fields the tests read. */
export interface DividedPhase {
  name?: string;
  duration?: number;
  pause?: number;
  arrivalRate?: number;
  rampTo?: number;
  maxVusers?: number;
}

/** divideWork(script, workers): one script per worker it keeps (a worker whose every phase is idle is not kept). */
export type DivideWork = (
  script: { config: { phases: readonly object[] }; scenarios: unknown[] },
  workers: number,
) => { config: { phases: DividedPhase[] } }[];

const ARTILLERY_DIR = dirname(createRequire(import.meta.url).resolve('artillery/package.json'));

/**
 * Artillery's divideWork. Loading its module sets globalThis.artillery (lib/core's side effect), which is taken
 * away again when it was not there before: the unit tier runs every file in one process.
 */
export async function artilleryDivideWork(): Promise<DivideWork> {
  const hadGlobal = 'artillery' in globalThis;
  const module = (await import(pathToFileURL(join(ARTILLERY_DIR, 'dist', 'lib', 'dist.js')).href)) as {
    default: DivideWork;
  };
  if (!hadGlobal) delete (globalThis as { artillery?: unknown }).artillery;
  return module.default;
}
