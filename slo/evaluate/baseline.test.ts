// An SLO's value against the baseline's (maxRegressionPct): it decides the SLO's status on its own, unless verify's
// load comparison judged "did it get slower" for the run; then the regression is reported and does not decide.
// The figures are the two healthy smoke runs that made verify --baseline fail on this machine (docs/operations.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSloConfig } from '../load.ts';
import { latencyResult } from '../testing/results.ts';
import { compareWithBaseline } from './baseline.ts';
import type { SloReport, SloResult } from './evaluate.ts';

const latency = (sli: number): SloResult => latencyResult({ sli, window: '1m11s' });
const report = (sli: number): SloReport => ({
  status: 'pass',
  time: '2026-12-06T16:46:04.294Z',
  window: null,
  prometheusUrl: 'http://127.0.0.1:9090',
  config: 'slo/slo-config.yaml',
  service: 'mystocks-api',
  slos: [latency(sli)],
});

test('a regression beyond maxRegressionPct fails the SLO when nothing else judged the run', async () => {
  const { model } = await loadSloConfig();
  const compared = compareWithBaseline(report(0.03292), report(0.01586), model);
  const slo = compared.slos[0]!;
  assert.equal(compared.status, 'fail');
  assert.equal(slo.status, 'fail');
  // (32.92 - 15.86) / 15.86 = 107.6 %, over the 10 % the seed file allows.
  assert.equal(slo.reason, '107.6 % worse than the baseline 15.86 ms (allowed 10 %)');
  assert.equal(slo.baseline?.regressed, true);
  assert.equal(slo.baseline?.judgedBy, undefined);
});

test('where the load comparison judged the run, the regression is reported and the SLO keeps its status', async () => {
  const { model } = await loadSloConfig();
  const judgedBy =
    "the load comparison of both runs' requests decides whether this run got slower (no significant difference)";
  const compared = compareWithBaseline(report(0.03292), report(0.01586), model, { judgedBy });
  const slo = compared.slos[0]!;
  assert.equal(compared.status, 'pass');
  assert.equal(slo.status, 'pass');
  assert.equal(slo.baseline?.regressed, true);
  assert.equal(slo.baseline?.judgedBy, judgedBy);
  assert.equal(
    slo.reason,
    `107.6 % worse than the baseline 15.86 ms (allowed 10 %); not judged on two single values: ${judgedBy}`,
  );
  // A breach of the SLO's own bound still fails: only the baseline half defers.
  const breached = compareWithBaseline(
    { ...report(0.44), slos: [{ ...latency(0.44), status: 'fail' }] },
    report(0.01586),
    model,
    {
      judgedBy,
    },
  );
  assert.equal(breached.slos[0]!.status, 'fail');
});
