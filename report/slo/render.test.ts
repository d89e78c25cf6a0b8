// Golden tests of the SLO report's text forms (render.ts) for the reports' golden run (one SLO met, one breached,
// one without data): the terminal table and the JSON report (`harness slo check --json`, verify's slo/slo.json
// and its baseline). `UPDATE_GOLDEN=1 node --test report/slo/render.test.ts` rewrites them; read the diff before
// committing. JUnit and Markdown are read inside verify's golden files (report/verify/reports.test.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertGolden } from '../../core/testing/golden.ts';
import { harnessVersion } from '../../core/version.ts';
import { GOLDEN_SLO_REPORT } from '../verify/testing/runs.ts';
import { renderJson, renderTable } from './render.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');

test('the SLO table reads as its golden file', () => {
  assertGolden(TESTDATA, 'slo-table.golden.txt', renderTable(GOLDEN_SLO_REPORT));
});

test('the JSON report reads as its golden file, the harness version last', () => {
  const json = renderJson({ ...GOLDEN_SLO_REPORT, prometheusUrl: 'http://admin:secret@127.0.0.1:9090' });
  // The version is package.json's, which every release changes while the rendering stays: the golden file holds
  // a placeholder for that one field, and the field is checked against package.json here.
  const version = /\n {2}"harnessVersion": "([^"]*)"\n\}\n$/.exec(json);
  assert.equal(version?.[1], harnessVersion());
  assertGolden(
    TESTDATA,
    'slo-report.golden.json',
    json.replace(/"harnessVersion": "[^"]*"/, '"harnessVersion": "(package.json version)"'),
  );
  // The URL as written is redacted (a credential never reaches a report), and the report reads back as it was.
  assert.equal(JSON.parse(json).prometheusUrl, 'http://[redacted]@127.0.0.1:9090/');
  const { harnessVersion: _, prometheusUrl: __, ...rest } = JSON.parse(json);
  const { prometheusUrl: ___, ...given } = GOLDEN_SLO_REPORT;
  assert.deepEqual(rest, given);
});
