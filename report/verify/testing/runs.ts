// The SLO reports verify's renderers are tested on: the golden run's (one SLO met, one breached, one without
// data), shared by the golden tests of the formats (reports.test.ts, allure.test.ts, report/slo/allure.test.ts) and
// the Allure report made by Allure itself (allure.int.test.ts); and a report of hand-made results
// (slo/testing/results.ts) for the tests of the verdict sentence and the SLI history.
import type { SloReport, SloResult } from '../../../slo/index.ts';

/** A report of `slos` at `time`: failed when one of them failed, else passed. */
export function sloReportOf(slos: SloResult[], time = '2026-11-30T07:00:00.000Z'): SloReport {
  return {
    status: slos.some((s) => s.status === 'fail') ? 'fail' : 'pass',
    time,
    window: '1m',
    prometheusUrl: 'http://127.0.0.1:9090',
    config: 'slo-config.yaml',
    service: 'mystocks-api',
    slos,
  };
}

export const GOLDEN_SLO_REPORT: SloReport = {
  status: 'fail',
  time: '2026-11-30T08:00:30.000Z',
  window: '30s',
  prometheusUrl: 'http://127.0.0.1:9090',
  config: 'slo/slo-config.yaml',
  service: 'mystocks',
  slos: [
    {
      name: 'availability',
      description: 'answers without a 5xx',
      kind: 'ratio',
      status: 'pass',
      sli: 99.95,
      objective: 99.9,
      operator: '>=',
      unit: 'percent',
      window: '30s',
      errorRatio: 0.0005,
      errorBudget: 0.001,
      burnRate: 0.5,
      budgetConsumed: 0.0000058,
      queries: [{ role: 'bad', query: 'sum(rate(x[30s]))', value: 0.0005 }],
    },
    {
      name: 'latency-p95',
      description: 'P95 under 300 ms',
      kind: 'threshold',
      status: 'fail',
      sli: 412,
      objective: 300,
      operator: '<=',
      unit: 'ms',
      window: '30s',
      reason: 'P95 412 ms > 300 ms',
      queries: [{ role: 'value', query: 'histogram_quantile(0.95, ...)', value: 412 }],
    },
    {
      name: 'cache-hit-rate',
      description: 'cache hits <&> misses',
      kind: 'ratio',
      status: 'inconclusive',
      sli: null,
      objective: 80,
      operator: '>=',
      unit: 'percent',
      window: '30s',
      reason: 'no data',
      errorRatio: null,
      errorBudget: 0.2,
      burnRate: null,
      budgetConsumed: null,
      queries: [{ role: 'good', query: 'cache_hits_total', value: null }],
    },
  ],
} as SloReport;
