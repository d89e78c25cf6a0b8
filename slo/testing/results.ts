// One SLO's result made by hand, for tests of what reads reports (renderers, baselines, annotations, pictures):
// the seed file's latency-p95 (a threshold SLI, P95 <= 0.3 s) with nothing measured. Each test overrides what
// it is about.
import type { SloResult } from '../evaluate/evaluate.ts';

/**
 * A latency-p95 result, `over` laid on top. The keys keep one fixed order whatever `over` holds (`reason`, when
 * given, before `queries`), so a report rendered from it reads the same in every test.
 */
export function latencyResult(over: Partial<SloResult> = {}): SloResult {
  const { reason, ...rest } = over;
  return {
    name: 'latency-p95',
    description: '',
    kind: 'threshold',
    status: 'pass',
    sli: null,
    objective: 0.3,
    operator: '<=',
    unit: 'seconds',
    window: '1h',
    ...(reason === undefined ? {} : { reason }),
    queries: [],
    ...rest,
  };
}
