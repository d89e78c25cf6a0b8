// The words of a verify run: the verdict sentence's main reason, the comparison with the previous passing run,
// the SLI history and its trend charts, and the analytics tag cut from Allure's pages. No services needed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LoadResult } from '../../load/run.ts';
import type { SloReport, SloResult } from '../../slo/evaluate/evaluate.ts';
import { latencyResult } from '../../slo/testing/results.ts';
import { readSvgSeries, seriesPoints } from '../../slo/testing/svg-series.ts';
import { appendSloHistory, drawSloTrends, runContext, verdictSentence } from './pictures.ts';
import { withEmbeddedDataFirst, withoutAnalytics } from './reports/allure.ts';
import { renderPreviousComparison } from './reports/markdown.ts';

const slo = (over: Partial<SloResult>): SloResult => latencyResult({ sli: 0.0147, window: '1m', ...over });

const report = (slos: SloResult[], time = '2026-11-30T07:00:00.000Z'): SloReport => ({
  status: slos.some((s) => s.status === 'fail') ? 'fail' : 'pass',
  time,
  window: '1m',
  prometheusUrl: 'http://127.0.0.1:9090',
  config: 'slo-config.yaml',
  service: 'mystocks-api',
  slos,
});

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

describe('SLI history', () => {
  it('keeps one line per run and draws each SLO across the runs, oldest first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-history-'));
    try {
      const path = join(dir, 'slo-history.jsonl');
      for (const sli of [0.012, 0.02, 0.0453]) await appendSloHistory(path, report([slo({ sli })]), 'abc');
      const [trend] = await drawSloTrends(path, report([slo({})]));
      const points = seriesPoints(readSvgSeries(trend!.svg), 0);
      assert.deepEqual(
        points.map((p) => Math.round(p.y * 100) / 100),
        [12, 20, 45.3],
      );
      const limited = await drawSloTrends(path, report([slo({})]), 2);
      assert.equal(seriesPoints(readSvgSeries(limited[0]!.svg), 0).length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what was tested', () => {
  it('gives the profile length as run, the window and the stack', () => {
    const start = new Date('2026-11-30T07:00:00.000Z');
    const context = runContext({
      profile: 'spike',
      window: { start, end: new Date(start.getTime() + 75_000), source: 'load' },
      commit: 'abc',
    });
    assert.equal(context.profileSeconds, 170);
    assert.equal(context.window?.durationMs, 75_000);
    assert.equal(runContext({ profile: 'smoke', durationSeconds: 20 }).profileSeconds, 20);
  });
});

it("cuts Allure's analytics tag and its set-up out of a page, leaving the rest", () => {
  const page =
    '<body><div id="app"></div>\n<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>\n<script>\n  window.dataLayer = window.dataLayer || [];\n  gtag("js", new Date());\n</script>\n<script>window.allure = {};</script></body>';
  assert.equal(withoutAnalytics(page), '<body><div id="app"></div>\n\n\n<script>window.allure = {};</script></body>');
});

it("declares Allure's embedded-data store in <head>, before the app script can ask for data", () => {
  // The shape of Allure 3's single-file page: the app script, then the store and the data that fill it.
  const page = [
    '<html><head><title>r</title></head><body><div id="app"></div>',
    '<script src="data:text/javascript;base64,QVBQ"></script>',
    '<script async>',
    '  window.allureReportDataReady = false;',
    '  window.allureReportData = window.allureReportData || {};',
    '</script>',
    '<script defer>Promise.allSettled([d("widgets/statistic.json", "e30=")]).then(() => { window.allureReportDataReady = true; })</script>',
    '</body></html>',
  ].join('\n');
  const fixed = withEmbeddedDataFirst(page);
  const declared = fixed.indexOf('<script>window.allureReportDataReady = false; window.allureReportData');
  assert.ok(declared > 0 && declared < fixed.indexOf('</head>'), fixed);
  assert.ok(declared < fixed.indexOf('<script src="data:'), 'the store exists before the app runs');
  // The template's own lines stay: they keep the store (|| {}) and then mark it ready.
  assert.equal(fixed.replace(/<script>window\.allureReportDataReady = false; [^<]*<\/script>\n/, ''), page);
  // A page of another layout (no embedded data) is left alone.
  assert.equal(
    withEmbeddedDataFirst('<html><head></head><body></body></html>'),
    '<html><head></head><body></body></html>',
  );
});
