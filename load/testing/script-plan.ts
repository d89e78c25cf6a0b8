// The plan a test hands a bundled load script to load it, not to run it (load/run-script.int.test.ts in the
// checkout, scripts/build-package.int.test.ts from a built package): the script builds its config from
// MYSTOCKS_LOAD_PLAN as it loads, in the main Artillery process and in every worker. Test support only.
import type { LoadPlan } from '../plan.ts';

/** A smoke plan of one 1 s phase against port 9 (discard), which no test sends a request to. */
export function scriptLoadPlan(runId: string): LoadPlan {
  return {
    runId,
    profile: 'smoke',
    target: 'http://127.0.0.1:9',
    phases: [{ name: 'load', duration: 1, arrivalRate: 1 }],
    scenarios: [],
    occasionalPct: 10,
    progressPlugin: false,
    chromiumPath: '/usr/bin/chromium',
  };
}
