// The gate's GitHub annotations: the exact workflow-command lines, escaped as GitHub's runner reads them (its
// rules, as actions/toolkit writes them: in a message % -> %25, CR -> %0D, LF -> %0A; in a property also
// : -> %3A and , -> %2C), and written only inside a GitHub Actions job.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SloReport, SloResult } from '../slo/index.ts';
import { latencyResult } from '../slo/testing/results.ts';
import {
  annotate,
  errorCommand,
  escapeData,
  escapeProperty,
  inGitHubActions,
  sloAnnotations,
  thresholdAnnotations,
} from './github-annotations.ts';

test('a message escapes %, CR and LF, % first so an escape is not escaped twice', () => {
  assert.equal(escapeData('99.9 % of 5xx\r\nnext line'), '99.9 %25 of 5xx%0D%0Anext line');
  assert.equal(escapeData('already %0A'), 'already %250A', 'a literal %0A stays literal');
  assert.equal(escapeData('a: b, c'), 'a: b, c', 'colons and commas are fine in a message');
});

test('a property also escapes : and , which would end it', () => {
  assert.equal(escapeProperty('SLO a:b, c % d\n'), 'SLO a%3Ab%2C c %25 d%0A');
});

test('errorCommand is ::error title=...::message', () => {
  assert.equal(
    errorCommand('SLO latency-p95 failed', 'p95 412 ms > 300 ms\nsee slo.md'),
    '::error title=SLO latency-p95 failed::p95 412 ms > 300 ms%0Asee slo.md',
  );
});

function slo(name: string, status: SloResult['status'], reason?: string): SloResult {
  return latencyResult({ name, status, reason });
}

test('one annotation per failed SLO, none for passed or inconclusive ones', () => {
  const report: SloReport = {
    status: 'fail',
    time: '2026-01-01T00:00:00.000Z',
    window: null,
    prometheusUrl: 'http://127.0.0.1:9090',
    config: 'slo.yaml',
    service: 's',
    slos: [
      slo('availability', 'pass'),
      slo('latency-p95', 'fail', 'p95 412 ms, over 300 ms'),
      slo('cache-hit-rate', 'inconclusive', 'no data'),
      slo('error-rate', 'fail', '1.2 % errors, over 0.1 %'),
    ],
  };
  assert.deepEqual(sloAnnotations(report), [
    '::error title=SLO latency-p95 failed::p95 412 ms, over 300 ms',
    '::error title=SLO error-rate failed::1.2 %25 errors, over 0.1 %25',
  ]);
});

test('one annotation per broken load threshold, the value against the limit', () => {
  const common = { unit: 'ms', comparison: '<=', limit: 300 };
  assert.deepEqual(
    thresholdAnnotations([
      { name: 'latency-p95', ok: false, value: 412.5, ...common },
      { name: 'latency-p99', ok: true, value: 200, ...common },
      { name: 'error-rate', ok: false, value: null, unit: '%', comparison: '<=', limit: 0.1 },
    ]),
    [
      '::error title=load threshold latency-p95 broken::412.5 ms, limit <= 300 ms',
      '::error title=load threshold error-rate broken::nothing measured, limit <= 0.1 %25',
    ],
  );
});

test('annotations are written only when GITHUB_ACTIONS is true', (t) => {
  assert.equal(inGitHubActions({ GITHUB_ACTIONS: 'true' }), true);
  assert.equal(inGitHubActions({}), false);
  const written: string[] = [];
  t.mock.method(process.stderr, 'write', (chunk: string) => {
    written.push(chunk);
    return true;
  });
  annotate(['::error title=a::b'], {});
  annotate([], { GITHUB_ACTIONS: 'true' });
  annotate(['::error title=a::b', '::error title=c::d'], { GITHUB_ACTIONS: 'true' });
  t.mock.restoreAll();
  assert.deepEqual(written, ['::error title=a::b\n::error title=c::d\n']);
});
