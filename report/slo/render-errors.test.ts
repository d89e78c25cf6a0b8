// A report that no string can hold (docs/security.md, "Prometheus answers of any size"): every renderer ends
// with a HarnessError (exit 2 and one line from the CLI), never a RangeError with a stack trace, which is how a
// 50 MB error string from Prometheus used to end `harness slo check --format json`. What Prometheus says is
// cut where it comes in now (slo/evaluate/prometheus.ts), so this report is made by hand: a reason of 2^28
// characters, in two SLOs, makes every format longer than V8's longest string (2^29 - 24 characters).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HarnessError } from '../../core/outcome.ts';
import type { SloReport, SloResult } from '../../slo/evaluate/evaluate.ts';
import { latencyResult } from '../../slo/testing/results.ts';
import { renderJson, renderJunit, renderMarkdown, renderTable } from './render.ts';

function report(reason: string, prometheusUrl = 'http://127.0.0.1:9090'): SloReport {
  const slo = (name: string): SloResult => latencyResult({ name, status: 'inconclusive', reason });
  return {
    status: 'inconclusive',
    time: '2026-01-01T00:00:00.000Z',
    window: null,
    prometheusUrl,
    config: 'slo.yaml',
    service: 'big',
    slos: [slo('a'), slo('b')],
  };
}

test('a report too large for one string: each renderer throws a HarnessError naming its format', () => {
  const huge = report('x'.repeat(2 ** 28));
  for (const [format, render] of [
    ['a table', renderTable],
    ['JSON', renderJson],
    ['Markdown', renderMarkdown],
    ['JUnit XML', renderJunit],
  ] as const) {
    assert.throws(
      () => render(huge),
      (error: unknown) =>
        error instanceof HarnessError &&
        error.verdict === 'inconclusive' &&
        error.message ===
          `the SLO report cannot be rendered as ${format}: Invalid string length (a text in it is longer than one string can hold)`,
      format,
    );
  }
});

test('the Prometheus URL is shown redacted in the table, JSON and Markdown', () => {
  const small = report('no data', 'https://team:pw-9@prom.example/api?tenant=a');
  for (const text of [renderTable(small), renderJson(small), renderMarkdown(small)]) {
    assert.ok(text.includes('https://[redacted]@prom.example/api?tenant=[redacted]'), text);
    assert.ok(!text.includes('pw-9'));
  }
});
