// The reference API's fault list, changed on a running stack through its admin route (docs/api.md, `PUT
// /admin/faults`): what tests and benches use to make a healthy run and a faulted one on one stack, instead of
// starting a second stack with MYSTOCKS_FAULTS.
import type { FaultSpec } from './types.ts';

/** Replaces the API's fault list ([] clears it); throws with the API's answer unless it says 200. */
export async function putFaults(apiUrl: string, token: string, faults: readonly FaultSpec[]): Promise<void> {
  const response = await fetch(`${apiUrl}/admin/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(faults),
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status !== 200) {
    throw new Error(`PUT /admin/faults answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
}
