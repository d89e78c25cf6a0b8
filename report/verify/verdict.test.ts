// The words of a verify run: the verdict sentence's main reason, and the comparison with the previous passing
// run. No services needed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadResult } from '../../load/run.ts';
import type { SloResult } from '../../slo/evaluate/evaluate.ts';
import { latencyResult } from '../../slo/testing/results.ts';
import { renderPreviousComparison } from './markdown.ts';
import { sloReportOf as report } from './testing/runs.ts';
import { verdictSentence } from './verdict.ts';

const slo = (over: Partial<SloResult>): SloResult => latencyResult({ sli: 0.0147, window: '1m', ...over });

const load = (broken: boolean): LoadResult =>
  ({
    thresholds: [
      {
        name: 'latency-p95',
        limit: 300,
        value: broken ? 432.7 : 12,
        ok: !broken,
        unit: 'ms',
        comparison: '<=',
        expression: '',
        source: '',
      },
    ],
  }) as unknown as LoadResult; // only the thresholds are read

describe('the verdict sentence', () => {
  it('names the breached SLO and its reading first', () => {
    const sentence = verdictSentence({
      verdict: 'fail',
      slo: report([slo({ status: 'fail', sli: 0.4437, reason: '443.7 ms > 300 ms' })]),
      load: load(true),
      problems: [],
    });
    assert.equal(sentence, 'FAIL: latency-p95 443.7 ms > 300 ms; load thresholds broken: latency-p95.');
  });

  it('names the endpoint that drove the breach, from the diagnosis, with its share of the bad events', () => {
    const row = (endpoint: string, count: number, aboveBound: number, contribution: number) => ({
      labels: { endpoint, method: 'GET' },
      count,
      p50: null,
      p95: null,
      p99: null,
      slow: 0,
      aboveBound,
      contribution,
    });
    const sentence = verdictSentence({
      verdict: 'fail',
      slo: report([slo({ status: 'fail', sli: 0.4437, reason: '443.7 ms > 300 ms' })]),
      problems: [],
      breakdowns: [
        {
          slo: 'latency-p95',
          focus: 'latency',
          window: '1m',
          by: ['endpoint', 'method'],
          bound: 0.3,
          // 96 of the 100 requests over the bound were quotes requests.
          rows: [row('/api/market/quotes', 120, 96, 0.96), row('/api/market/overview', 300, 4, 0.04)],
          culprits: [],
        },
      ],
    });
    assert.equal(
      sentence,
      'FAIL: latency-p95 443.7 ms > 300 ms, driven by GET /api/market/quotes, 96 % of the requests over 300 ms.',
    );
  });

  it('says no driver when the diagnosis could not break the SLO down', () => {
    const sentence = verdictSentence({
      verdict: 'fail',
      slo: report([slo({ status: 'fail', sli: 0.4437, reason: '443.7 ms > 300 ms' })]),
      problems: [],
      breakdowns: [
        { slo: 'latency-p95', focus: 'latency', window: '1m', by: [], rows: [], culprits: [], problem: 'timeout' },
      ],
    });
    assert.equal(sentence, 'FAIL: latency-p95 443.7 ms > 300 ms.');
  });

  it('names a broken load threshold when every SLO held', () => {
    const sentence = verdictSentence({ verdict: 'fail', slo: report([slo({})]), load: load(true), problems: [] });
    assert.equal(sentence, 'FAIL: load threshold latency-p95: 432.7 ms > 300 ms.');
  });

  it('names what could not be judged when inconclusive', () => {
    const sentence = verdictSentence({
      verdict: 'inconclusive',
      problems: [{ stage: 'slo', problem: 'the stack has no Prometheus to query\nmore' }],
    });
    assert.equal(sentence, 'INCONCLUSIVE: slo: the stack has no Prometheus to query.');
  });

  it('counts what held when it passes', () => {
    const sentence = verdictSentence({ verdict: 'pass', slo: report([slo({})]), load: load(false), problems: [] });
    assert.equal(sentence, 'PASS: 1 SLOs met, 1 load thresholds held.');
  });
});

describe('against the previous passing run', () => {
  it('puts each SLI beside the previous one with the change in its own terms', () => {
    const now = report([
      slo({ sli: 0.0165 }),
      slo({
        name: 'error-rate',
        kind: 'ratio',
        unit: 'percent',
        operator: '>=',
        objective: 99.9,
        sli: 99.98,
        errorRatio: 0.0002,
        readAs: 'error-share',
      }),
    ]);
    const before = report(
      [
        slo({ sli: 0.015 }),
        slo({ name: 'error-rate', kind: 'ratio', unit: 'percent', operator: '>=', sli: 99.99, errorRatio: 0.0001 }),
      ],
      '2026-11-29T07:00:00.000Z',
    );
    assert.deepEqual(renderPreviousComparison(now, before).slice(2), [
      '| SLO | This run | Previous | Change |',
      '|---|---|---|---|',
      '| latency-p95 | 16.5 ms | 15 ms | +10 % |',
      '| error-rate | 0.02 % | 0.01 % | +0.01 points |',
    ]);
  });
});
