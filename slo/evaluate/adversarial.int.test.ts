// The gate against answers a real Prometheus cannot be made to give, from a fake one (slo/testing/
// fake-prometheus.ts says why): impossible values, and answers that disagree with the question (a sample stamped
// at another instant, a scalar, a second series or a label where the harness's own aggregation gives one bare
// series), as a cache, a proxy or a backend in trouble can give. Each such answer must end inconclusive (or
// fail, for a definite breach), never pass, with the exact reason pinned in testdata/adversarial.golden.txt
// (UPDATE_GOLDEN=1 rewrites it). A few answers that must still be read (a scalar or a labelled series for a
// user's own query, VictoriaMetrics' extra fields) pass, pinned there too. Real Prometheus answers are
// tested in evaluate.int.test.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Verdict } from '../../core/outcome.ts';
import { toAllureResults } from '../../report/slo/allure.ts';
import { renderJson, renderJunit, renderMarkdown, renderTable } from '../../report/slo/render.ts';
import { parseSloConfig } from '../load.ts';
import type { SloModel } from '../model/model.ts';
import { type FakeAnswer, type FakePrometheus, startFakePrometheus, vectorOf } from '../testing/fake-prometheus.ts';
import { evaluateSlos } from './evaluate.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
/** The CLI's reports folder is this test's own: the checkout's reports/stack.json is another run's, never read here. */
const cliReports = mkdtempSync(join(tmpdir(), 'slo-adversarial-cli-reports-'));
after(() => rmSync(cliReports, { recursive: true, force: true }));
const goldenPath = join(import.meta.dirname, 'testdata', 'adversarial.golden.txt');

const CONFIG = `version: 1
service: fake
slos:
  - name: hit-rate
    window: 1h
    objective: 80
    sli:
      ratio:
        good: sum(increase(hits_total[{{window}}]))
        total: sum(increase(lookups_total[{{window}}]))
  - name: availability
    window: 1h
    objective: 99.9
    sli:
      ratio:
        bad: sum(increase(errors_total[{{window}}]))
        total: sum(increase(requests_total[{{window}}]))
  - name: latency
    window: 1h
    sli:
      threshold:
        query: histogram_quantile(0.95, sum by (le) (rate(latency_seconds_bucket[{{window}}])))
        operator: "<="
        bound: 0.3
        unit: seconds
  - name: latency-controlled
    window: 1h
    sli:
      threshold:
        query: histogram_quantile(0.95, sum by (le) (rate(api_seconds_bucket[{{window}}])))
        operator: "<="
        bound: 0.3
        unit: seconds
        control:
          label: /healthz P95
          query: histogram_quantile(0.95, sum by (le) (rate(healthz_seconds_bucket[{{window}}])))
          probe: /healthz
  - name: db-controlled
    window: 1h
    sli:
      threshold:
        query: histogram_quantile(0.95, sum by (le) (rate(statement_seconds_bucket[{{window}}])))
        operator: "<="
        bound: 0.1
        unit: seconds
        control:
          label: SELECT 1 P95
          query: histogram_quantile(0.95, sum by (le) (rate(ping_seconds_bucket[{{window}}])))
          multiple: 5
  - name: raw-ratio
    window: 1h
    objective: 99.9
    minEvents: 1
    sli:
      ratio:
        bad: sum(rate(errors_total[{{window}}])) / sum(rate(requests_total[{{window}}]))
        total: vector(1)
`;

/** The scrape-health check of one case (coverage.up), added by its edit. */
const COVERAGE = 'coverage:\n  up: up{job="fake"}\nslos:\n';

/** The rendered queries, by SLO and role. */
const Q = {
  good: 'sum(increase(hits_total[1h]))',
  lookups: 'sum(increase(lookups_total[1h]))',
  bad: 'sum(increase(errors_total[1h]))',
  requests: 'sum(increase(requests_total[1h]))',
  p95: 'histogram_quantile(0.95, sum by (le) (rate(latency_seconds_bucket[1h])))',
  count: 'sum(increase(latency_seconds_count[1h]))',
  api: 'histogram_quantile(0.95, sum by (le) (rate(api_seconds_bucket[1h])))',
  apiCount: 'sum(increase(api_seconds_count[1h]))',
  healthz: 'histogram_quantile(0.95, sum by (le) (rate(healthz_seconds_bucket[1h])))',
  statement: 'histogram_quantile(0.95, sum by (le) (rate(statement_seconds_bucket[1h])))',
  statementCount: 'sum(increase(statement_seconds_count[1h]))',
  ping: 'histogram_quantile(0.95, sum by (le) (rate(ping_seconds_bucket[1h])))',
  rawRatio: 'sum(rate(errors_total[1h])) / sum(rate(requests_total[1h]))',
  one: 'vector(1)',
  healthy: 'sum(sum_over_time(up{job="fake"}[1h]))',
  targets: 'count(count_over_time(up{job="fake"}[1h]))',
  scrapes: 'up{job="fake"}[5m]',
};

/**
 * The instant every case is evaluated at (2026-01-01T00:00:00Z, sent as `time=`): Prometheus stamps every
 * sample of an instant query's answer with it, and so do these answers unless a case says otherwise.
 */
const T = 1_767_225_600;

/** One series of an instant vector: its labels (none, as sum() answers) and its sample [time, "value"]. */
const series = (value: string, metric: Record<string, string> = {}, time = T) => ({ metric, value: [time, value] });
/** An instant-vector answer of these series. */
const vector = (...result: unknown[]) => ({ status: 'success', data: { resultType: 'vector', result } });
const ok = (value: string): FakeAnswer => ({ body: vector(series(value)) });
const none: FakeAnswer = { body: vector() };
const withAnnotations = (value: string, annotations: { warnings?: string[]; infos?: string[] }): FakeAnswer => ({
  body: { ...vector(series(value)), ...annotations },
});
/**
 * The answers to a controlled SLO's three queries: its P95, 500 observations (evidence enough, so that only the
 * P95 against the bound and the control decide), and its control's P95.
 */
const apiLatency = (p95: string, healthz: FakeAnswer) => ({
  [Q.api]: ok(p95),
  [Q.apiCount]: ok('500'),
  [Q.healthz]: healthz,
});
const statementLatency = (p95: string, ping: string) => ({
  [Q.statement]: ok(p95),
  [Q.statementCount]: ok('500'),
  [Q.ping]: ok(ping),
});
/** up{job="fake"} scraped every 15 s over the window's last 5 minutes, as a range selector answers it. */
const scrapes: FakeAnswer = {
  body: {
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [{ metric: { job: 'fake' }, values: Array.from({ length: 20 }, (_, i) => [T - 285 + 15 * i, '1']) }],
    },
  },
};

interface Case {
  name: string;
  slo: 'hit-rate' | 'availability' | 'latency' | 'latency-controlled' | 'db-controlled' | 'raw-ratio';
  answers: Record<string, FakeAnswer>;
  status: Verdict;
  /** A config edit for this case. */
  edit?: (config: string) => string;
  /** The harness's own client-side probes of the window (EvaluateOptions.probes), as a load gives them. */
  probes?: Record<string, number>;
  /** The size cap of one answer (--prometheus-max-body); the default 16 MiB otherwise. */
  maxBodyBytes?: number;
}

/** A hit rate of 90 % that Prometheus says is partial (a store did not answer): judged only when onWarnings says so. */
const PARTIAL_HIT_RATE: Record<string, FakeAnswer> = {
  [Q.good]: withAnnotations('90', { warnings: ['store 10.0.0.7:10901 unavailable'] }),
  [Q.lookups]: ok('100'),
};

const CASES: Case[] = [
  {
    name: 'more hits than lookups (110 %)',
    slo: 'hit-rate',
    answers: { [Q.good]: ok('110'), [Q.lookups]: ok('100') },
    status: 'inconclusive',
  },
  {
    name: 'a negative bad count',
    slo: 'availability',
    answers: { [Q.bad]: ok('-5'), [Q.requests]: ok('2000') },
    status: 'inconclusive',
  },
  {
    name: 'a negative total (a counter increase below zero)',
    slo: 'availability',
    answers: { [Q.bad]: ok('0'), [Q.requests]: ok('-2000') },
    status: 'inconclusive',
  },
  {
    name: 'a total of +Inf',
    slo: 'hit-rate',
    answers: { [Q.good]: ok('90'), [Q.lookups]: ok('+Inf') },
    status: 'inconclusive',
  },
  {
    name: 'a good term of -Inf',
    slo: 'hit-rate',
    answers: { [Q.good]: ok('-Inf'), [Q.lookups]: ok('100') },
    status: 'inconclusive',
  },
  {
    name: 'a bad term of NaN',
    slo: 'availability',
    answers: { [Q.bad]: ok('NaN'), [Q.requests]: ok('2000') },
    status: 'inconclusive',
  },
  {
    name: 'a latency quantile of -Inf',
    slo: 'latency',
    answers: { [Q.p95]: ok('-Inf'), [Q.count]: ok('500') },
    status: 'inconclusive',
  },
  {
    name: 'a latency quantile of +Inf',
    slo: 'latency',
    answers: { [Q.p95]: ok('+Inf'), [Q.count]: ok('500') },
    status: 'inconclusive',
  },
  {
    name: 'a negative latency',
    slo: 'latency',
    answers: { [Q.p95]: ok('-0.2'), [Q.count]: ok('500') },
    status: 'inconclusive',
  },
  {
    name: 'two series for the total',
    slo: 'hit-rate',
    answers: { [Q.good]: ok('90'), [Q.lookups]: { body: vector(series('50', { i: '0' }), series('50', { i: '1' })) } },
    status: 'inconclusive',
  },
  {
    name: 'a matrix instead of a vector',
    slo: 'latency',
    answers: {
      [Q.p95]: { body: { status: 'success', data: { resultType: 'matrix', result: [] } } },
      [Q.count]: ok('500'),
    },
    status: 'inconclusive',
  },
  {
    name: 'a string result',
    slo: 'availability',
    answers: {
      [Q.bad]: { body: { status: 'success', data: { resultType: 'string', result: [1, '0'] } } },
      [Q.requests]: ok('2000'),
    },
    status: 'inconclusive',
  },
  {
    name: 'an HTML page from a proxy (HTTP 200, not JSON)',
    slo: 'availability',
    answers: {
      [Q.bad]: { body: '<html><body>Sign in to continue</body></html>\n<p>more</p>', contentType: 'text/html' },
      [Q.requests]: ok('2000'),
    },
    status: 'inconclusive',
  },
  {
    name: 'status error with Prometheus error text (HTTP 422)',
    slo: 'latency',
    answers: {
      [Q.p95]: {
        status: 422,
        body: { status: 'error', errorType: 'execution', error: 'query processing would load too many samples' },
      },
      [Q.count]: ok('500'),
    },
    status: 'inconclusive',
  },
  {
    name: 'HTTP 503 every time, quoting Prometheus',
    slo: 'availability',
    answers: {
      [Q.bad]: { status: 503, body: { status: 'error', errorType: 'unavailable', error: 'store gateway not ready' } },
      [Q.requests]: ok('2000'),
    },
    status: 'inconclusive',
  },
  {
    name: 'HTTP 404 with a plain-text body',
    slo: 'hit-rate',
    answers: {
      [Q.good]: { status: 404, body: '404 page not found\n', contentType: 'text/plain' },
      [Q.lookups]: ok('1'),
    },
    status: 'inconclusive',
  },
  {
    name: 'a status that is neither success nor error',
    slo: 'hit-rate',
    answers: { [Q.good]: { body: { status: 'partial', data: {} } }, [Q.lookups]: ok('100') },
    status: 'inconclusive',
  },
  {
    name: 'a sample value that is not a number',
    slo: 'latency',
    answers: { [Q.p95]: ok('fast'), [Q.count]: ok('500') },
    status: 'inconclusive',
  },
  {
    name: 'a sample without a value',
    slo: 'latency',
    answers: {
      [Q.p95]: { body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {} }] } } },
      [Q.count]: ok('500'),
    },
    status: 'inconclusive',
  },
  {
    name: 'a partial answer (warnings), inconclusive by default',
    slo: 'hit-rate',
    answers: PARTIAL_HIT_RATE,
    status: 'inconclusive',
  },
  {
    name: 'a partial answer judged because onWarnings says so',
    slo: 'hit-rate',
    answers: PARTIAL_HIT_RATE,
    edit: (config) => config.replace('    objective: 80\n', '    objective: 80\n    onWarnings: judge\n'),
    status: 'pass',
  },
  {
    name: 'infos only: judged, and shown',
    slo: 'latency',
    answers: {
      [Q.p95]: withAnnotations('0.2', { infos: ['PromQL info: metric might not be a counter'] }),
      [Q.count]: ok('500'),
    },
    status: 'pass',
  },
  {
    name: 'a quiet window (0 requests)',
    slo: 'availability',
    answers: { [Q.bad]: ok('0'), [Q.requests]: ok('0') },
    status: 'inconclusive',
  },
  {
    name: 'a quiet window for a quantile (NaN over 0 observations)',
    slo: 'latency',
    answers: { [Q.p95]: ok('NaN'), [Q.count]: ok('0') },
    status: 'inconclusive',
  },
  {
    name: 'too few requests for 99.9 %',
    slo: 'availability',
    answers: { [Q.bad]: ok('0'), [Q.requests]: ok('400') },
    status: 'inconclusive',
  },
  {
    name: 'too few requests, but the bad ones already breach',
    slo: 'availability',
    answers: { [Q.bad]: ok('3'), [Q.requests]: ok('400') },
    status: 'fail',
  },
  {
    name: 'too few observations for a p95',
    slo: 'latency',
    answers: { [Q.p95]: ok('0.1'), [Q.count]: ok('12') },
    status: 'inconclusive',
  },
  {
    name: 'a latency breach that the machine noise explains (a fake: real noise is tested in load/saturation)',
    slo: 'latency-controlled',
    answers: apiLatency('0.45', ok('0.24')),
    status: 'inconclusive',
  },
  {
    name: 'a latency fault clearly above the machine noise',
    slo: 'latency-controlled',
    answers: apiLatency('0.75', ok('0.24')),
    status: 'fail',
  },
  // The figures of a real false failure (docs/slo.md, "When the noise explains a breach"): a healthy run on a
  // machine crowded by a second browser suite and its stack. The histogram's /healthz saw 32 ms, the load's own
  // probes 242 ms; statements 721 ms at P95 against a SELECT 1 of 186 ms.
  {
    name: "a latency breach that the harness's probes explain and the histogram's control alone does not",
    slo: 'latency-controlled',
    answers: apiLatency('0.521', ok('0.032')),
    probes: { '/healthz': 0.242 },
    status: 'inconclusive',
  },
  {
    name: 'a latency fault clearly above the probed noise',
    slo: 'latency-controlled',
    answers: apiLatency('0.75', ok('0.032')),
    probes: { '/healthz': 0.242 },
    status: 'fail',
  },
  {
    name: 'probes without a histogram control: the probe alone is the noise',
    slo: 'latency-controlled',
    answers: apiLatency('0.45', none),
    probes: { '/healthz': 0.2 },
    status: 'inconclusive',
  },
  {
    name: 'a statement breach within 5 x the ping (a starved PostgreSQL)',
    slo: 'db-controlled',
    answers: statementLatency('0.721', '0.186'),
    status: 'inconclusive',
  },
  {
    name: 'a slow statement far beyond 5 x the ping',
    slo: 'db-controlled',
    answers: statementLatency('0.721', '0.02'),
    status: 'fail',
  },
  {
    name: 'a control without data: the breach stands',
    slo: 'latency-controlled',
    answers: apiLatency('0.45', none),
    status: 'fail',
  },
  {
    name: 'no data for the total',
    slo: 'hit-rate',
    answers: { [Q.good]: ok('90'), [Q.lookups]: none },
    status: 'inconclusive',
  },
  // Answers that disagree with the question. Timestamps: Prometheus stamps an instant query's samples with
  // the `time` asked; a sample stamped elsewhere answers another instant (a cache's, a proxy's).
  {
    name: 'a sample stamped 5 minutes before the time asked (a cached answer)',
    slo: 'availability',
    answers: { [Q.bad]: ok('0'), [Q.requests]: { body: vector(series('2000', {}, T - 300)) } },
    status: 'inconclusive',
  },
  {
    name: 'a scalar stamped a minute after the time asked',
    slo: 'latency',
    answers: {
      [Q.p95]: { body: { status: 'success', data: { resultType: 'scalar', result: [T + 60, '0.2'] } } },
      [Q.count]: ok('500'),
    },
    status: 'inconclusive',
  },
  {
    name: 'a sample time written as a string',
    slo: 'latency',
    answers: { [Q.p95]: { body: vector({ metric: {}, value: [String(T), '0.2'] }) }, [Q.count]: ok('500') },
    status: 'inconclusive',
  },
  // Type, series and labels of the harness's own aggregations: the events count model.ts derives from a
  // quantile, sum(increase(<name>_count[w])), the vector(1) total of a raw error ratio, and the coverage sums.
  {
    name: "a scalar for the harness's own sum() (derived events count)",
    slo: 'latency',
    answers: {
      [Q.p95]: ok('0.2'),
      [Q.count]: { body: { status: 'success', data: { resultType: 'scalar', result: [T, '500'] } } },
    },
    status: 'inconclusive',
  },
  {
    name: "two series for the harness's own sum() (derived events count)",
    slo: 'latency',
    answers: {
      [Q.p95]: ok('0.2'),
      [Q.count]: { body: vector(series('250', { job: 'a' }), series('250', { job: 'b' })) },
    },
    status: 'inconclusive',
  },
  {
    name: "a label on the harness's own sum(), which removes them all (derived events count)",
    slo: 'latency',
    answers: {
      [Q.p95]: ok('0.2'),
      [Q.count]: { body: vector(series('500', { __name__: 'latency_seconds_count', job: 'api' })) },
    },
    status: 'inconclusive',
  },
  {
    name: 'a label on vector(1), the total of a raw error ratio',
    slo: 'raw-ratio',
    answers: { [Q.rawRatio]: ok('0'), [Q.one]: { body: vector(series('1', { tenant: 'b' })) } },
    status: 'inconclusive',
  },
  {
    name: "a label on the coverage check's sum(): coverage unknown, so not a pass",
    slo: 'availability',
    edit: (config) => config.replace('slos:\n', COVERAGE),
    answers: {
      [Q.bad]: ok('0'),
      [Q.requests]: ok('2000'),
      [Q.healthy]: { body: vector(series('240', { job: 'fake' })) },
      [Q.targets]: ok('1'),
      [Q.scrapes]: scrapes,
    },
    status: 'inconclusive',
  },
  {
    name: 'a native histogram sample where a number was asked',
    slo: 'latency',
    answers: {
      [Q.p95]: ok('0.2'),
      [Q.count]: {
        body: vector({ metric: {}, histogram: [T, { count: '500', sum: '40', buckets: [[0, '0.1', '0.2', '500']] }] }),
      },
    },
    status: 'inconclusive',
  },
  {
    name: 'a series that is not an object',
    slo: 'availability',
    answers: { [Q.bad]: ok('0'), [Q.requests]: { body: vector(2000) } },
    status: 'inconclusive',
  },
  {
    name: 'a vector without a result list',
    slo: 'availability',
    answers: { [Q.bad]: ok('0'), [Q.requests]: { body: { status: 'success', data: { resultType: 'vector' } } } },
    status: 'inconclusive',
  },
  {
    name: 'a JSON body that is not an API response',
    slo: 'availability',
    answers: { [Q.bad]: ok('0'), [Q.requests]: { body: { total: 2000 } } },
    status: 'inconclusive',
  },
  {
    name: 'a VictoriaMetrics cluster answering without some storage nodes (isPartial: true)',
    slo: 'availability',
    answers: { [Q.bad]: ok('0'), [Q.requests]: { body: { ...vector(series('2000')), isPartial: true } } },
    status: 'inconclusive',
  },
  // What must still be read: a user's query may answer a scalar or a labelled series (the harness cannot
  // know its shape without parsing PromQL); VictoriaMetrics adds `isPartial: false` and `stats`, writes whole
  // seconds as integers and may stamp 1 ms below the time asked (it truncates seconds x 1000).
  {
    name: "a scalar for a user's own query: read",
    slo: 'latency',
    answers: {
      [Q.p95]: { body: { status: 'success', data: { resultType: 'scalar', result: [T, '0.2'] } } },
      [Q.count]: ok('500'),
    },
    status: 'pass',
  },
  {
    name: "a labelled series for a user's own ratio terms: read",
    slo: 'availability',
    answers: { [Q.bad]: { body: vector(series('0', { job: 'api' })) }, [Q.requests]: ok('2000') },
    status: 'pass',
  },
  {
    name: 'a VictoriaMetrics answer: isPartial false, stats, a sample 1 ms below the time asked',
    slo: 'latency',
    answers: {
      [Q.p95]: {
        body: { ...vector(series('0.2', {}, T - 0.001)), isPartial: false, stats: { seriesFetched: '3' } },
      },
      [Q.count]: { body: { ...vector(series('500')), isPartial: false, stats: { seriesFetched: '1' } } },
    },
    status: 'pass',
  },
  // Answers too large to carry whole (docs/security.md, "Prometheus answers of any size"): what Prometheus says
  // is cut to 500 characters a text and 10 warnings an answer, and an answer above the size cap is not read.
  {
    name: 'an error text of 100,000 characters: cut to 500, the rest counted',
    slo: 'latency',
    answers: {
      [Q.p95]: {
        status: 422,
        body: { status: 'error', errorType: 'execution', error: `${'0123456789'.repeat(10_000)}` },
      },
      [Q.count]: ok('500'),
    },
    status: 'inconclusive',
  },
  {
    name: 'a 503 quoting 2,000 characters of error, every attempt',
    slo: 'availability',
    answers: {
      [Q.bad]: { status: 503, body: { status: 'error', errorType: 'unavailable', error: 'e'.repeat(2000) } },
      [Q.requests]: ok('2000'),
    },
    status: 'inconclusive',
  },
  {
    name: '12 warnings, the first of 600 characters: 10 kept, each at most 500 characters',
    slo: 'hit-rate',
    answers: {
      [Q.good]: withAnnotations('90', {
        warnings: ['w'.repeat(600), ...Array.from({ length: 11 }, (_, i) => `store ${i + 1} unavailable`)],
      }),
      [Q.lookups]: ok('100'),
    },
    status: 'inconclusive',
  },
  {
    name: 'an answer above the size cap (--prometheus-max-body 1KiB): not read on',
    slo: 'availability',
    maxBodyBytes: 1024,
    answers: {
      [Q.bad]: ok('0'),
      [Q.requests]: {
        body: vector(...Array.from({ length: 40 }, (_, i) => series('50', { instance: `10.0.0.${i}:9100` }))),
      },
    },
    status: 'inconclusive',
  },
];

let fake: FakePrometheus;

before(async () => {
  fake = await startFakePrometheus();
});

after(async () => {
  await fake?.stop();
});

function modelFor(testCase: Case): SloModel {
  const { model } = parseSloConfig(testCase.edit ? testCase.edit(CONFIG) : CONFIG, 'adversarial.yaml');
  return { ...model, slos: model.slos.filter((slo) => slo.name === testCase.slo) };
}

describe('answers the gate cannot believe', () => {
  it('has at least 20 adversarial answers', () => {
    assert.ok(CASES.length >= 20, `only ${CASES.length}`);
  });

  it('never passes them, and gives the golden reason of each (UPDATE_GOLDEN=1 rewrites it)', async () => {
    const lines: string[] = [];
    for (const testCase of CASES) {
      fake.answers = new Map(Object.entries(testCase.answers));
      const report = await evaluateSlos(modelFor(testCase), {
        prometheusUrl: fake.url,
        time: new Date(T * 1000),
        retries: 1,
        retryDelayMs: 1,
        timeoutMs: 5000,
        ...(testCase.probes ? { probes: testCase.probes } : {}),
        ...(testCase.maxBodyBytes ? { prometheusAccess: { maxBodyBytes: testCase.maxBodyBytes } } : {}),
      });
      const [slo] = report.slos;
      assert.equal(slo!.status, testCase.status, `${testCase.name}: ${slo!.reason}`);
      const notes = [slo!.reason, ...(slo!.warnings ?? []).map((w) => `warning: ${w}`)];
      notes.push(...(slo!.infos ?? []).map((i) => `info: ${i}`));
      // A pass with nothing to note shows the SLI it read, so the golden file says the answer was used.
      if (notes.filter(Boolean).length === 0) notes.push(`SLI ${slo!.sli}`);
      lines.push(`== ${testCase.name}`, `${slo!.status}: ${notes.filter(Boolean).join(' | ')}`, '');
    }
    const actual = lines.join('\n').replaceAll(fake.url, 'http://FAKE');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, actual);
    assert.equal(actual, readFileSync(goldenPath, 'utf8'));
  });

  it('shows reasons, warnings and infos in the table, JSON, JUnit, Markdown and Allure', async () => {
    const warning = 'store 10.0.0.7:10901 unavailable';
    const info = 'PromQL info: metric might not be a counter';
    fake.answers = new Map([
      [Q.good, withAnnotations('90', { warnings: [warning] })],
      [Q.lookups, ok('100')],
      [Q.bad, ok('0')],
      [Q.requests, ok('2000')],
      [Q.p95, withAnnotations('0.2', { infos: [info] })],
      [Q.count, ok('500')],
      [Q.api, ok('0.2')],
      [Q.apiCount, ok('500')],
      [Q.healthz, ok('0.01')],
      [Q.rawRatio, ok('0')],
      [Q.one, ok('1')],
    ]);
    const { model } = parseSloConfig(CONFIG, 'adversarial.yaml');
    const report = await evaluateSlos(model, { prometheusUrl: fake.url, time: new Date(T * 1000), retries: 0 });
    assert.equal(report.status, 'inconclusive');
    const reason = report.slos[0]!.reason!;
    assert.match(reason, /^partial answer/);
    const allure = toAllureResults(report).map((result) => JSON.stringify(result));
    for (const [format, text] of [
      ['table', renderTable(report)],
      ['json', renderJson(report)],
      ['junit', renderJunit(report)],
      ['markdown', renderMarkdown(report)],
      ['allure', allure.join('\n')],
    ] as const) {
      assert.ok(text.includes(warning), `${format} lacks the warning`);
      assert.ok(text.includes(info), `${format} lacks the info`);
    }
    // JUnit marks the partial SLO as an error (inconclusive), never as passed.
    assert.match(renderJunit(report), /<testcase classname="slo.fake" name="hit-rate" time="0">\n {6}<error /);
  });
});

/**
 * Node's own figure for the process's peak resident memory (resourceUsage().maxRSS, KiB), written to stderr as
 * `maxRSS <KiB>` when the process exits: preloaded with --import into the CLI's own process, so the figure is the
 * harness's and not a wrapper's.
 */
const REPORT_MAX_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxRSS '+process.resourceUsage().maxRSS+'\\n'))`;

/**
 * Runs the real CLI; resolves with its exit code and output. `bound` kills it if the deadline does not hold.
 * `nodeArgs` go before the script (REPORT_MAX_RSS); stdout may be up to 256 MB, so an output that size is seen
 * and measured rather than cut by execFile's 1 MB default.
 */
function harness(
  args: string[],
  bound = 60_000,
  options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.nodeArgs ?? []), join(repoRoot, 'cli', 'harness.ts'), 'slo', ...args],
      {
        cwd: repoRoot,
        timeout: bound,
        maxBuffer: 256 * 1024 * 1024,
        env: { ...(options.env ?? process.env), HARNESS_REPORTS_DIR: cliReports },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 99) : 0, stdout, stderr }),
    );
  });
}

/** The `maxRSS <KiB>` line REPORT_MAX_RSS wrote, in MiB. */
function maxRssMiB(stderr: string): number {
  const match = /^maxRSS (\d+)$/m.exec(stderr);
  assert.ok(match, `no maxRSS line in stderr: ${stderr.slice(-2000)}`);
  return Number(match[1]) / 1024;
}

/**
 * 50 MB answers (docs/security.md, "Prometheus answers of any size"): one JSON error whose text is 50 million
 * characters, and an instant vector of 520,000 series. A fake answers them: a real Prometheus cannot be made to
 * answer these queries with 50 MB. Built when the test runs, not when the file loads.
 */
const FIFTY_MEGABYTE_ANSWERS: [string, () => string][] = [
  [
    'one error string of 50 million characters',
    () => `{"status":"error","errorType":"execution","error":"${'x'.repeat(50_000_000)}"}`,
  ],
  [
    '520,000 series, 50.5 MB',
    () => {
      // About 97 bytes a series: {"metric":{"__name__":"up","job":"node","instance":"10.a.b.c:9100"},"value":[T,"1"]}
      const one = (i: number) =>
        `{"metric":{"__name__":"up","job":"node","instance":"10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:9100"},"value":[${T},"1"]}`;
      const series = Array.from({ length: 520_000 }, (_, i) => one(i)).join(',');
      return `{"status":"success","data":{"resultType":"vector","result":[${series}]}}`;
    },
  ],
];

describe('harness slo check against odd answers', () => {
  let work: string;
  let configPath: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'slo-adversarial-'));
    configPath = join(work, 'slo.yaml');
    writeFileSync(configPath, CONFIG);
  });
  after(() => rmSync(work, { recursive: true, force: true }));
  const check = (...extra: string[]) =>
    harness(['check', '--config', configPath, '--prometheus', fake.url, '--at', String(T), '--retries', '0', ...extra]);
  /** Every query answered as a healthy hour: each SLO passes (hit rate 90 %, no errors, P95 200 ms). */
  const HEALTHY: Record<string, FakeAnswer> = {
    [Q.good]: ok('90'),
    [Q.lookups]: ok('100'),
    [Q.bad]: ok('0'),
    [Q.requests]: ok('2000'),
    [Q.p95]: ok('0.2'),
    [Q.count]: ok('500'),
    [Q.api]: ok('0.2'),
    [Q.apiCount]: ok('500'),
    [Q.healthz]: ok('0.01'),
    [Q.rawRatio]: ok('0'),
    [Q.one]: ok('1'),
  };

  for (const name of [
    'more hits than lookups (110 %)',
    'a latency quantile of -Inf',
    'a partial answer (warnings), inconclusive by default',
  ]) {
    it(`exits 2, never 0, on ${name}, saying why`, async () => {
      const testCase = CASES.find((c) => c.name === name)!;
      // The other SLOs answer healthily, so only this answer can make the run not pass.
      fake.answers = new Map(Object.entries({ ...HEALTHY, ...testCase.answers }));
      const { code, stdout } = await check();
      assert.equal(code, 2, stdout);
      assert.match(stdout, new RegExp(`INCONCLUSIVE\\s+${testCase.slo}\\s`));
      assert.match(stdout, /SLO check INCONCLUSIVE/);
    });
  }

  it('exits 1 when one SLO breaches and another is inconclusive: a definite breach outranks', async () => {
    // 110 hits of 100 lookups (inconclusive), and 50 of 2000 requests bad: availability 97.5 %, a breach.
    fake.answers = new Map(Object.entries({ ...HEALTHY, [Q.good]: ok('110'), [Q.bad]: ok('50') }));
    const { code, stdout } = await check();
    assert.equal(code, 1, stdout);
    assert.match(stdout, /FAIL\s+availability\s+97\.5 %/);
    assert.match(stdout, /INCONCLUSIVE\s+hit-rate/);
  });

  it('rejects --timeout 0 and a negative --timeout as bad usage (exit 2)', async () => {
    for (const value of ['0', '-5']) {
      const { code, stderr } = await check(`--timeout=${value}`);
      assert.equal(code, 2);
      assert.match(stderr, /--timeout/);
    }
  });

  it('ends a check against an endpoint trickling one byte a second: inconclusive, cut at the timeout', async () => {
    fake.answers = new Map();
    fake.fallback = { body: vectorOf('1'), trickleMs: 1000 };
    const before = fake.received.length;
    try {
      // --timeout 2000 with 1 retry: each query gets 2 attempts of 2 s. The contract is timeout x attempts
      // plus a few seconds for the whole check. Without the per-attempt signal this waited for the whole
      // trickle (over a minute per answer). The process is killed (and this fails) at 4 s + 30 s: the margin
      // is for starting Node and the CLI on a loaded machine (about 15 s here), not for the check.
      const { code, stdout } = await harness(
        ['check', '--config', configPath, '--prometheus', fake.url, '--timeout', '2000', '--retries', '1'],
        4000 + 30_000,
      );
      assert.equal(code, 2, stdout);
      assert.match(stdout, /no complete answer within 2000 ms \(2 attempts\)/);
      // Queries behind the first stalled one do not each wait out their own attempts.
      assert.ok(fake.received.length - before <= 2 * 4, `sent ${fake.received.length - before} requests`);
    } finally {
      fake.fallback = undefined;
    }
  });

  for (const [kind, answer] of FIFTY_MEGABYTE_ANSWERS) {
    it(`ends on a 50 MB answer (${kind}) inconclusive within the timeout, in under 300 MB, with a bounded report`, async (t) => {
      const body = answer();
      assert.ok(body.length >= 50_000_000, `${body.length} bytes`);
      fake.answers = new Map();
      fake.fallback = { body };
      const out = join(work, 'large.json');
      try {
        // Before the size cap: the error string took 1.6 GB and ended in a RangeError stack trace, the series
        // 778 MB and 26 s. Now each answer is cut at 16 MiB: one attempt each (no retry gets a smaller one).
        // --format json --out: the JSON report goes to the file and the table to stdout, both measured.
        const { code, stdout, stderr } = await harness(
          [
            ...['check', '--config', configPath, '--prometheus', fake.url, '--at', String(T)],
            ...['--timeout', '10000', '--format', 'json', '--out', out],
          ],
          10_000 + 30_000,
          { nodeArgs: ['--import', REPORT_MAX_RSS] },
        );
        assert.equal(code, 2, stdout.slice(0, 2000));
        assert.match(
          stdout,
          /answered HTTP 200 with more than 16 MiB, more than any query of the harness needs; the rest was not read \(the limit is --prometheus-max-body or HARNESS_PROMETHEUS_MAX_BODY, default 16 MiB\)/,
        );
        const rss = maxRssMiB(stderr);
        t.diagnostic(`peak RSS of harness slo check: ${rss.toFixed(0)} MiB`);
        assert.ok(rss < 300, `peak RSS ${rss.toFixed(0)} MiB`);
        assert.ok(stdout.length < 100_000, `stdout is ${stdout.length} characters`);
        const report = readFileSync(out, 'utf8');
        assert.ok(report.length < 100_000, `the JSON report is ${report.length} characters`);
        assert.equal((JSON.parse(report) as { status: string }).status, 'inconclusive');
      } finally {
        fake.fallback = undefined;
      }
    });
  }

  it('takes the size cap from HARNESS_PROMETHEUS_MAX_BODY', async () => {
    // Every query gets the same 40-series answer (about 3 KB): above a 1 KiB cap, far below the default.
    fake.answers = new Map();
    fake.fallback = {
      body: vector(...Array.from({ length: 40 }, (_, i) => series('50', { instance: `10.0.0.${i}:9100` }))),
    };
    try {
      const { code, stdout } = await harness(
        ['check', '--config', configPath, '--prometheus', fake.url, '--at', String(T), '--retries', '0'],
        60_000,
        { env: { ...process.env, HARNESS_PROMETHEUS_MAX_BODY: '1KiB' } },
      );
      assert.equal(code, 2, stdout);
      assert.match(stdout, /answered HTTP 200 with more than 1 KiB,/);
    } finally {
      fake.fallback = undefined;
    }
  });

  it('ends at --deadline even when each attempt may take longer', async () => {
    fake.answers = new Map();
    fake.fallback = { body: vectorOf('1'), trickleMs: 1000 };
    try {
      const { code, stdout } = await harness(
        ['check', '--config', configPath, '--prometheus', fake.url, '--timeout', '60000', '--deadline', '2s'],
        2000 + 30_000,
      );
      assert.equal(code, 2, stdout);
      assert.match(stdout, /the check's deadline passed before an answer/);
    } finally {
      fake.fallback = undefined;
    }
  });
});
