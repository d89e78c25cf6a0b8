// What the load benchmarks that set faults share: a local stack without Prometheus whose faults they set through
// the admin route, with a state folder and a reports folder of their own unless the caller gives them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putFaults } from '../../stack/admin-faults.ts';
import { startStack } from '../../stack/index.ts';
import type { FaultSpec, Stack } from '../../stack/types.ts';

/**
 * Starts the stack. `reportPrefix` names the temp reports folder made when BENCH_REPORT_DIR is not set; the
 * runs stay there, for `harness load compare` or a look afterwards.
 */
export async function startFaultStack(reportPrefix: string): Promise<{
  stack: Stack;
  reportDir: string;
  setFaults: (faults: readonly FaultSpec[]) => Promise<void>;
}> {
  const token = randomBytes(24).toString('hex');
  // A state folder of its own, apart from that of a `harness up` in this checkout.
  process.env.HARNESS_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'harness-bench-state-'));
  const reportDir = process.env.BENCH_REPORT_DIR ?? mkdtempSync(join(tmpdir(), reportPrefix));
  const stack = await startStack('local', { faultsAdminToken: token, withPrometheus: false });
  return { stack, reportDir, setFaults: (faults) => putFaults(stack.info.apiUrl, token, faults) };
}
