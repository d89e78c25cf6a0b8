// A Prometheus that could not be reached: said once above the table (and in the Markdown), not under each SLO;
// the SLOs stay inconclusive and the JSON report keeps every reason. Reports made by hand in the shape the query
// client gives them (slo/evaluate/prometheus.ts hands its "did not answer" message to every later query); the CLI
// against a port nobody listens on is cli/harness.int.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SloReport, SloResult } from '../../slo/evaluate/evaluate.ts';
import { latencyResult } from '../../slo/testing/results.ts';
import { renderJson, renderMarkdown, renderTable, unreachableMessage } from './render.ts';

const DOWN = 'Prometheus at http://127.0.0.1:9 did not answer: connect ECONNREFUSED 127.0.0.1:9 (4 attempts)';

function slo(name: string, reason: string, status: SloResult['status'] = 'inconclusive'): SloResult {
  return latencyResult({ name, status, reason });
}

function report(slos: SloResult[]): SloReport {
  return {
    status: 'inconclusive',
    time: '2026-01-01T00:00:00.000Z',
    window: null,
    prometheusUrl: 'http://127.0.0.1:9',
    config: 'slo.yaml',
    service: 's',
    slos,
  };
}

const unreachable = report([
  slo(
    'availability',
    `bad query: ${DOWN}; query: x; scrape coverage unknown: ${DOWN}; query: up (onGaps: inconclusive)`,
  ),
  slo('latency-p95', `value query: ${DOWN}; query: y`),
]);

test('every SLO without an answer for the same reason: one line above the table, no note repeating it', () => {
  assert.equal(unreachableMessage(unreachable), DOWN);
  const table = renderTable(unreachable);
  assert.ok(table.startsWith(`${DOWN}; every SLO is inconclusive\n\nSTATUS `), table);
  assert.equal(table.split('did not answer').length - 1, 1, 'said once');
  assert.match(table, /^INCONCLUSIVE {2}availability /m);
  assert.match(table, /^INCONCLUSIVE {2}latency-p95 /m);
  const markdown = renderMarkdown(unreachable);
  assert.equal(markdown.split('did not answer').length - 1, 1);
  assert.match(
    markdown,
    /^\*\*Prometheus at http:\/\/127\.0\.0\.1:9 did not answer: .*; every SLO is inconclusive\.\*\*$/m,
  );
});

test('the JSON report keeps each reason whole, and names the harness version', () => {
  const json = JSON.parse(renderJson(unreachable)) as { slos: { reason: string }[]; harnessVersion: string };
  assert.deepEqual(
    json.slos.map((s) => s.reason),
    unreachable.slos.map((s) => s.reason),
  );
  assert.match(json.harnessVersion, /^\d+\.\d+\.\d+/);
});

test('no such line when one SLO had an answer or the reasons differ', () => {
  const oneAnswered = report([unreachable.slos[0]!, slo('latency-p95', 'p95 412 ms, over 300 ms', 'fail')]);
  assert.equal(unreachableMessage(oneAnswered), undefined);
  assert.match(renderTable(oneAnswered), /^STATUS /);
  assert.match(renderTable(oneAnswered), /availability: bad query: Prometheus at/);
  const other = report([unreachable.slos[0]!, slo('b', DOWN.replace('4 attempts', '2 attempts'))]);
  assert.equal(unreachableMessage(other), undefined);
  assert.equal(unreachableMessage(report([slo('a', 'no data')])), undefined);
});
