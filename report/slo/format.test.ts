// How figures read in the reports: table tests named as sentences, each one figure and its exact text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SloResult } from '../../slo/evaluate/evaluate.ts';
import { latencyResult } from '../../slo/testing/results.ts';
import {
  formatBaseline,
  formatCondition,
  formatElapsed,
  formatSli,
  formatSliObjective,
  formatWindow,
} from './format.ts';

const latency = latencyResult({ status: 'fail', sli: 0.44303164504, window: '1m14s832ms' });

const errorRate: SloResult = {
  name: 'error-rate',
  description: '',
  kind: 'ratio',
  status: 'pass',
  sli: 99.98,
  objective: 99.9,
  operator: '>=',
  unit: 'percent',
  window: '1m',
  errorRatio: 0.0002,
  readAs: 'error-share',
  queries: [],
};

describe('figures for humans', () => {
  const cases: [string, string, string][] = [
    ['a window of 74 832 ms reads to the second', formatElapsed(74_832), '1 m 15 s'],
    ['a Prometheus duration reads the same way', formatWindow('1m14s832ms'), '1 m 15 s'],
    ['an SLO period reads in days', formatWindow('30d'), '30 d'],
    ['under a second keeps its fraction', formatElapsed(450), '0.45 s'],
    ['a breached latency reads in ms with the operator that holds', formatCondition(latency), '443 ms > 300 ms'],
    [
      'a met latency keeps its own operator',
      formatCondition({ ...latency, status: 'pass', sli: 0.0147 }),
      '14.7 ms <= 300 ms',
    ],
    ['the error-rate SLO reads as an error share', formatCondition(errorRate), '0.02 % <= 0.1 %'],
    ['its SLI column is the error share', formatSli(errorRate), '0.02 %'],
    ['its objective column is the allowed share', formatSliObjective(errorRate), '<= 0.1 %'],
    [
      'a breached error share reads with >',
      formatCondition({ ...errorRate, status: 'fail', errorRatio: 0.005 }),
      '0.5 % > 0.1 %',
    ],
    [
      'a regression against the baseline says how much and what was allowed',
      formatBaseline({
        ...latency,
        baseline: { value: 0.15, regressionPct: 33.3333333333, maxRegressionPct: 10, regressed: true },
      }),
      '150 ms, 33.33 % worse (allowed 10 %)',
    ],
    [
      'an improvement reads as better',
      formatBaseline({
        ...latency,
        baseline: { value: 0.5, regressionPct: -11.4, maxRegressionPct: 10, regressed: false },
      }),
      '500 ms, 11.4 % better',
    ],
    ['no baseline is a dash', formatBaseline(latency), '-'],
  ];
  for (const [name, actual, expected] of cases) {
    it(name, () => assert.equal(actual, expected));
  }
});
