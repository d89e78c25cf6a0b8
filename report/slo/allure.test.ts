// Golden test of the SLO report's Allure results (one per SLO: status, figures as parameters, labels), for the
// reports' golden run: one SLO met, one breached, one without data. `UPDATE_GOLDEN=1 node --test
// report/slo/allure.test.ts` rewrites the file; read the diff before committing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertGolden } from '../../core/testing/golden.ts';
import { GOLDEN_SLO_REPORT } from '../verify/testing/runs.ts';
import { toAllureResults } from './allure.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');

test("an SLO report's Allure results read as their golden file (each result's random uuid left out)", () => {
  const stop = Date.parse(GOLDEN_SLO_REPORT.time);
  const results = toAllureResults(GOLDEN_SLO_REPORT, stop - 30_000, stop);
  const stable = results.map((result) => ({ ...result, uuid: '(random)' }));
  assertGolden(TESTDATA, 'slo-allure.golden.json', `${JSON.stringify(stable, null, 2)}\n`);
  // Allure's statuses: met -> passed, breached -> failed, without data (inconclusive) -> broken.
  assert.deepEqual(
    results.map((r) => [r.name, r.status]),
    GOLDEN_SLO_REPORT.slos.map((s) => [
      `SLO ${s.name}`,
      { pass: 'passed', fail: 'failed', inconclusive: 'broken' }[s.status],
    ]),
  );
});
