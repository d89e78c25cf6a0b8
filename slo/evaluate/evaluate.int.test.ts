// Against a real Prometheus filled by promtool with the data sets of slo/testing/datasets.ts, whose
// figures are written out there; each expected value below is computed by hand from them.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../stack/ports.ts';
import { loadSloConfig, parseSloConfig } from '../load.ts';
import type { SloModel } from '../model/model.ts';
import { type BackfilledPrometheus, startBackfilledPrometheus, toOpenMetrics } from '../testing/backfill.ts';
import { type CliRun, runHarness } from '../testing/cli.ts';
import { referenceServiceModel } from '../testing/configs.ts';
import { counter, HOUR, PHASES, type Phase, referenceFamilies, T0 } from '../testing/datasets.ts';
import { evaluateSlos, roundUpSeconds, type SloReport, tooLittleEvidence } from './evaluate.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
/** The CLI's reports folder is this test's own: the checkout's reports/stack.json is another run's, never read here. */
const cliReports = mkdtempSync(join(tmpdir(), 'slo-eval-cli-reports-'));
after(() => rmSync(cliReports, { recursive: true, force: true }));
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

// A saturated machine and a latency ratio (latency-noise.ts). Two hours after the data sets' phases, one series
// per endpoint of http_request_duration_seconds at the reference service's bucket bounds (cumulative
// increases over the hour, +Inf = _count):
//   saturated:        /api/market/overview 10000 requests: 0.05: 500, 0.1: 2000, 0.2: 6000, 0.3: 9700, 0.5: 9980,
//                     1 and up: 10000; /healthz 1000 requests, all in (0.1, 0.2]
//   saturated + fault: the same, and /api/market/quotes with a 400 ms fault: 1000 requests, all in (0.5, 1]
const SATURATED = T0 + 9 * HOUR;
const SATURATED_FAULT = T0 + 11 * HOUR;
const BOUNDS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.2', '0.3', '0.5', '1', '2.5', '5', '10', '+Inf'];

function saturatedSeries() {
  const series: { name: string; labels: Record<string, string>; samples: [number, number][] }[] = [];
  const endpoint = (end: number, path: string, within: Record<string, number>) => {
    const labels = { job: 'mystocks-api', instance: 'api:3000', endpoint: path, method: 'GET', status_code: '200' };
    // Each bound's count is the one of the largest bound given at or below it (0 below the first).
    const count = (le: string) =>
      Object.entries(within)
        .filter(([at]) => le === '+Inf' || Number(at) <= Number(le))
        .reduce((last, [, n]) => Math.max(last, n), 0);
    for (const le of BOUNDS)
      series.push({
        name: 'http_request_duration_seconds_bucket',
        labels: { ...labels, le },
        samples: counter(end, count(le)),
      });
    series.push({ name: 'http_request_duration_seconds_count', labels, samples: counter(end, count('+Inf')) });
    series.push({ name: 'http_request_duration_seconds_sum', labels, samples: counter(end, 0) });
  };
  for (const end of [SATURATED, SATURATED_FAULT]) {
    endpoint(end, '/api/market/overview', {
      '0.05': 500,
      '0.1': 2000,
      '0.2': 6000,
      '0.3': 9700,
      '0.5': 9980,
      '1': 10000,
    });
    endpoint(end, '/healthz', { '0.1': 0, '0.2': 1000 });
  }
  endpoint(SATURATED_FAULT, '/api/market/quotes', { '0.5': 0, '1': 1000 });
  return series;
}

let prometheus: BackfilledPrometheus;
let seed: SloModel;
let work: string;

before(async () => {
  // The saturated hours of the latency ratio's noise rule (below) beside the data sets' phases, in one TSDB.
  const families = referenceFamilies();
  families.find((family) => family.name === 'http_request_duration_seconds')!.series.push(...saturatedSeries());
  // Every scrape of those hours succeeded (coverage): the one up series goes on, in time order.
  const up = families.find((family) => family.name === 'up')!.series[0]!;
  for (const end of [SATURATED, SATURATED_FAULT]) up.samples.push(...counter(end, 0, 1));
  prometheus = await startBackfilledPrometheus(toOpenMetrics(families));
  seed = (await loadSloConfig(join(repoRoot, 'slo', 'slo-config.yaml'))).model;
  work = mkdtempSync(join(tmpdir(), 'slo-eval-test-'));
});

after(async () => {
  await prometheus?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The seed SLOs over one phase's hour: evaluated at its end with the run window 1h. */
function evaluatePhase(phase: Phase, model: SloModel = seed): Promise<SloReport> {
  return evaluateSlos(model, { prometheusUrl: prometheus.url, window: '1h', time: new Date(PHASES[phase] * 1000) });
}

function byName(report: SloReport) {
  return Object.fromEntries(report.slos.map((slo) => [slo.name, slo]));
}

/** Name, status and reason of the named SLOs, in that order. */
function report(slos: ReturnType<typeof byName>, names: string[]) {
  return names.map((name) => [name, slos[name]?.status, slos[name]?.reason]);
}

describe('the load length a too-little-evidence reason suggests', () => {
  it('is minEvents x 1.25 at the run rate, rounded up to whole seconds, minutes or hours', () => {
    // The CI quickstart's former --duration 30: 798 events in 30 s = 26.6/s; 1000 x 1.25 / 26.6 = 46.99 s.
    assert.equal(
      tooLittleEvidence(798, 1000, 30_000),
      "too little evidence: 798 events in the window, at least 1000 needed (minEvents); at this run's rate (26.6 events/s) a load of at least 47 s would reach it",
    );
    // 19.12 events (increase() on a fresh service) in 5 min, 20 needed: 0.06373/s; 20 x 1.25 x 300 / 19.12
    // = 392.26 s, up to 393 s = 6 m 33 s; shown as 19 events.
    assert.equal(
      tooLittleEvidence(19.12, 20, 300_000),
      "too little evidence: 19 events in the window, at least 20 needed (minEvents); at this run's rate (0.06373 events/s) a load of at least 6 m 33 s would reach it",
    );
    // 400 events in 1 h: 1000 x 1.25 x 3600 / 400 = 11250 s = 3 h 7 m 30 s, up to the minute: 3 h 8 m.
    assert.match(tooLittleEvidence(400, 1000, 3_600_000), /a load of at least 3 h 8 m would reach it$/);
  });

  it('says what would help instead when the window saw no events at all', () => {
    assert.equal(
      tooLittleEvidence(0, 1000, 30_000),
      'too little evidence: 0 events in the window, at least 1000 needed (minEvents); no traffic reached the service in the window, so no longer load at this rate would reach it: check that the load targets this service and that the window covers the load',
    );
  });

  it('rounds up, never down, and cuts float noise first', () => {
    assert.deepEqual(
      [37.6, 59.5, 75.2, 3599.2, 3725, 11_250, 86_399, 90_061, 9000.000000001, 0.2].map(roundUpSeconds),
      [38, 60, 76, 3600, 3780, 11_280, 86_400, 93_600, 9000, 1],
    );
  });
});

describe('evaluating the seed SLOs against known data', () => {
  it('passes every SLO on the healthy hour, with the hand-computed values', async () => {
    const report = await evaluatePhase('healthy');
    const slos = byName(report);
    assert.equal(report.status, 'pass');
    assert.equal(report.window, '1h');
    // availability: 5 of 10000 requests were 5xx: 9995 / 10000 = 99.95 %.
    assert.deepEqual([slos.availability!.status, slos.availability!.sli], ['pass', 99.95]);
    // latency-p95: rank 0.95 x 10000 = 9500 lies in (0.1, 0.3] holding 9000..10000: 0.1 + 0.2 x 500/1000 = 0.2 s.
    assert.deepEqual([slos['latency-p95']!.status, slos['latency-p95']!.sli], ['pass', 0.2]);
    // latency-300ms: all 10000 requests (none on /healthz) are in the le="0.3" bucket: 100 %, burn rate 0.
    const within = slos['latency-300ms']!;
    assert.deepEqual(
      [within.status, within.sli, within.errorBudget, within.burnRate, within.events],
      ['pass', 100, 0.01, 0, 10000],
    );
    // error-rate: 5 of 10000 requests were 5xx: 99.95 %; ratio 0.0005 over a 0.001 budget = burn rate 0.5;
    // one hour of a 30-day period at burn rate 0.5 spends 0.5 / 720 of the budget.
    const errorRate = slos['error-rate']!;
    assert.deepEqual(
      [errorRate.status, errorRate.sli, errorRate.errorRatio, errorRate.errorBudget, errorRate.burnRate],
      ['pass', 99.95, 0.0005, 0.001, 0.5],
    );
    assert.equal(errorRate.budgetConsumed, Number((0.5 / 720).toPrecision(12)));
    // cache-hit-rate: (700 + 150) / (700 + 300) = 85 %; error ratio 0.15 over a 0.2 budget = 0.75.
    assert.deepEqual(
      [slos['cache-hit-rate']!.status, slos['cache-hit-rate']!.sli, slos['cache-hit-rate']!.burnRate],
      ['pass', 85, 0.75],
    );
    // db-query-p95: rank 950 lies in (0.05, 0.1] holding 900..1000: 0.05 + 0.05 x 50/100 = 0.075 s.
    assert.deepEqual([slos['db-query-p95']!.status, slos['db-query-p95']!.sli], ['pass', 0.075]);
  });

  it('fails every SLO on the unhealthy hour, with the hand-computed values', async () => {
    const report = await evaluatePhase('unhealthy');
    const slos = byName(report);
    assert.equal(report.status, 'fail');
    // availability: 100 of 10000 requests were 5xx: 99 %; error ratio 0.01 over a 0.001 budget = burn rate 10.
    assert.deepEqual([slos.availability!.status, slos.availability!.sli], ['fail', 99]);
    assert.equal(slos.availability!.burnRate, 10);
    // latency-p95: rank 9500 lies in (0.3, 0.5] holding 9000..9800: 0.3 + 0.2 x 500/800 = 0.425 s.
    assert.deepEqual([slos['latency-p95']!.status, slos['latency-p95']!.sli], ['fail', 0.425]);
    // latency-300ms: 9000 of 10000 within 300 ms: 90 %; error ratio 0.1 over a 0.01 budget = burn rate 10, and
    // one hour of a 30-day period at burn rate 10 spends 10 / 720 of the budget.
    const within = slos['latency-300ms']!;
    assert.deepEqual(
      [within.status, within.sli, within.burnRate, within.budgetConsumed],
      ['fail', 90, 10, Number((10 / 720).toPrecision(12))],
    );
    assert.equal(within.reason, '90 % < 99 % (burn rate 10x)');
    // error-rate: 100 of 10000 were 5xx: 99 %, burn rate 0.01 / 0.001 = 10.
    assert.deepEqual(
      [slos['error-rate']!.status, slos['error-rate']!.sli, slos['error-rate']!.burnRate],
      ['fail', 99, 10],
    );
    // cache-hit-rate: (500 + 200) / (500 + 500) = 70 %, burn rate 0.3 / 0.2 = 1.5.
    assert.deepEqual(
      [slos['cache-hit-rate']!.status, slos['cache-hit-rate']!.sli, slos['cache-hit-rate']!.burnRate],
      ['fail', 70, 1.5],
    );
    // db-query-p95: rank 950 lies in (0.1, 0.25] holding 800..1000: 0.1 + 0.15 x 150/200 = 0.2125 s.
    assert.deepEqual([slos['db-query-p95']!.status, slos['db-query-p95']!.sli], ['fail', 0.2125]);
    // Reasons in the SLO's own unit; the error-rate SLO as the error share it states.
    assert.match(slos['latency-p95']!.reason!, /^425 ms > 300 ms$/);
    assert.equal(slos['db-query-p95']!.reason, '212.5 ms > 100 ms');
    assert.equal(slos['error-rate']!.reason, 'error share 1 % > 0.1 % (burn rate 10x)');
    assert.equal(slos['cache-hit-rate']!.reason, '70 % < 80 % (burn rate 1.5x)');
  });

  it('states latency as a share of requests under the 300 ms bucket too, with the same verdicts', async () => {
    const model = referenceServiceModel([
      '  - name: latency-under-300ms',
      '    window: 30d',
      '    objective: 95',
      '    loadThreshold: p95LatencyMs',
      '    sli:',
      '      ratio:',
      '        good: sum(increase(http_request_duration_seconds_bucket{job="mystocks-api",le="0.3"}[{{window}}]))',
      '        total: sum(increase(http_request_duration_seconds_count{job="mystocks-api"}[{{window}}]))',
    ]);
    // healthy: 10000 of 10000 under 300 ms; unhealthy: 9000 of 10000 = 90 % < 95 %.
    assert.deepEqual(
      (await evaluatePhase('healthy', model)).slos.map((slo) => [slo.status, slo.sli]),
      [['pass', 100]],
    );
    assert.deepEqual(
      (await evaluatePhase('unhealthy', model)).slos.map((slo) => [slo.status, slo.sli]),
      [['fail', 90]],
    );
  });

  it('judges a latency SLI (sli.latency, slo/spec/testdata/latency-ratio.yaml) as the budgeted ratio it states', async () => {
    const { model } = await loadSloConfig(join(repoRoot, 'slo', 'spec', 'testdata', 'latency-ratio.yaml'));
    // Objective 99 %, budget 1 %. healthy: 10000 of 10000 requests within 300 ms, 100 %, burn rate 0;
    // unhealthy: 9000 of 10000 = 90 %, an error ratio of 0.1 = burn rate 10 over one hour of 30 days.
    const judged = async (phase: Phase) =>
      (await evaluatePhase(phase, model)).slos.map((slo) => [slo.name, slo.status, slo.sli, slo.burnRate, slo.reason]);
    assert.deepEqual(await judged('healthy'), [['latency-under-300ms', 'pass', 100, 0, undefined]]);
    assert.deepEqual(await judged('unhealthy'), [
      ['latency-under-300ms', 'fail', 90, 10, '90 % < 99 % (burn rate 10x)'],
    ]);
  });

  it("holds real answers to the question: stamped at the millisecond asked, the harness's sums without labels", async () => {
    // At 123 ms past the hour: Prometheus stamps each sample with the time asked, to the millisecond, and the
    // derived events counts and the coverage sums come back as one series without labels (vector(1) too: the
    // raw error ratio test below). Any disagreement would make an SLO inconclusive, naming what was asked.
    const report = await evaluateSlos(seed, {
      prometheusUrl: prometheus.url,
      window: '1h',
      time: new Date(PHASES.healthy * 1000 + 123),
    });
    assert.deepEqual(
      report.slos.map((slo) => [slo.name, slo.status, slo.reason]),
      report.slos.map((slo) => [slo.name, 'pass', undefined]),
    );
    assert.ok(report.slos.every((slo) => slo.coverage?.complete === true));
  });

  it('evaluates a fixed range at its end over end - start, as harness verify does for the load window', async () => {
    const report = await evaluateSlos(seed, {
      prometheusUrl: prometheus.url,
      start: new Date((PHASES.unhealthy - 3600) * 1000),
      end: new Date(PHASES.unhealthy * 1000),
    });
    assert.equal(report.window, '1h');
    assert.equal(report.time, iso(PHASES.unhealthy));
    assert.deepEqual(
      report.slos.map((slo) => slo.sli),
      [99, 0.425, 90, 99, 70, 0.2125],
    );
  });
});

describe('what the checker cannot tell is inconclusive', () => {
  it('calls an hour without data inconclusive, SLO by SLO', async () => {
    const report = await evaluatePhase('empty');
    assert.equal(report.status, 'inconclusive');
    for (const slo of report.slos) {
      assert.equal(slo.status, 'inconclusive', slo.name);
      assert.equal(slo.sli, null);
      assert.match(slo.reason!, /no data/);
    }
  });

  it('calls a window without requests inconclusive, saying so (not "NaN"), for quantiles and ratios', async () => {
    const slos = byName(await evaluatePhase('flat'));
    // The quantile's own histogram counts 0 observations (its _count over the same window).
    for (const name of ['latency-p95', 'latency-300ms', 'db-query-p95', 'error-rate']) {
      assert.deepEqual(
        [slos[name]!.status, slos[name]!.reason, slos[name]!.events],
        [
          'inconclusive',
          'no requests in the window (0 events): no traffic reached the service in the window; check that the load targets this service and that the window covers the load',
          0,
        ],
        name,
      );
    }
  });

  it("says how long a load would give enough events, at the hour's own rate with a 25 % margin", async () => {
    const text = readFileSync(join(repoRoot, 'slo', 'slo-config.yaml'), 'utf8').replace(
      'defaults:\n',
      'defaults:\n  minEvents: 20000\n',
    );
    const slos = byName(await evaluatePhase('healthy', parseSloConfig(text, 'min-events.yaml').model));
    // availability, error-rate, latency-p95 and latency-300ms stand on the hour's 10000 requests: 10000 / 3600 s = 2.778/s;
    // 20000 x 1.25 / (10000 / 3600) = 9000 s = 2 h 30 m. cache-hit-rate (1000 lookups) and db-query-p95
    // (1000 statements): 20000 x 1.25 x 3600 / 1000 = 90000 s = 25 h, "1 d 1 h".
    const hours = (events: number, rate: string, load: string) =>
      `too little evidence: ${events} events in the window, at least 20000 needed (minEvents); at this run's rate (${rate} events/s) a load of at least ${load} would reach it`;
    const names = ['availability', 'error-rate', 'latency-p95', 'latency-300ms', 'cache-hit-rate', 'db-query-p95'];
    assert.deepEqual(report(slos, names), [
      ['availability', 'inconclusive', hours(10000, '2.778', '2 h 30 m')],
      ['error-rate', 'inconclusive', hours(10000, '2.778', '2 h 30 m')],
      ['latency-p95', 'inconclusive', hours(10000, '2.778', '2 h 30 m')],
      ['latency-300ms', 'inconclusive', hours(10000, '2.778', '2 h 30 m')],
      ['cache-hit-rate', 'inconclusive', hours(1000, '0.2778', '1 d 1 h')],
      ['db-query-p95', 'inconclusive', hours(1000, '0.2778', '1 d 1 h')],
    ]);
  });

  it('holds a raw error ratio, which gives no event count, to no minEvents but 1: inconclusive, then judged', async () => {
    // Sloth's raw SLI: the unhealthy hour's 5xx share, 100 / 10000 = 0.01, as one query.
    const ratio =
      'sum(rate(http_requests_total{job="mystocks-api",status_code=~"5.."}[{{.window}}])) / sum(rate(http_requests_total{job="mystocks-api"}[{{.window}}]))';
    const sloth = [
      'version: "prometheus/v1"',
      'service: mystocks-api',
      'slos:',
      '  - name: availability-raw',
      '    objective: 99.9',
      '    sli:',
      '      raw:',
      `        error_ratio_query: '${ratio}'`,
      '    alerting:',
      '      page_alert: { disable: true }',
      '      ticket_alert: { disable: true }',
      '',
    ].join('\n');
    const fromSloth = parseSloConfig(sloth, 'raw.sloth.yaml').model;
    // The default minEvents of 99.9 % is 1000; the ratio cannot show them, and 1 % errors do not outrank that.
    const unhealthy = byName(await evaluatePhase('unhealthy', fromSloth))['availability-raw']!;
    assert.deepEqual([unhealthy.status, unhealthy.events, unhealthy.minEvents], ['inconclusive', null, 1000]);
    assert.match(unhealthy.reason!, /^no event count: a raw error ratio .* cannot be held to minEvents \(1000\)/);
    // The figures are still shown: 99 %, burn rate 0.01 / 0.001 = 10.
    assert.deepEqual([unhealthy.sli, unhealthy.burnRate], [99, 10]);

    // The same SLO in the harness's format, where minEvents 1 says the ratio alone is to be judged.
    const judged = referenceServiceModel([
      '  - name: availability-raw',
      '    window: 30d',
      '    objective: 99.9',
      '    minEvents: 1',
      '    sli:',
      '      ratio:',
      `        bad: '${ratio.replaceAll('{{.window}}', '{{window}}')}'`,
      '        total: vector(1)',
      '',
    ]);
    const breach = byName(await evaluatePhase('unhealthy', judged))['availability-raw']!;
    assert.deepEqual(
      [breach.status, breach.sli, breach.events, breach.reason],
      ['fail', 99, null, '99 % < 99.9 % (burn rate 10x)'],
    );
    // The healthy hour: 5 / 10000 = 0.05 % errors, 99.95 %.
    const healthy = byName(await evaluatePhase('healthy', judged))['availability-raw']!;
    assert.deepEqual([healthy.status, healthy.sli, healthy.events], ['pass', 99.95, null]);
  });

  it('follows an SLO whose noData policy says pass or fail', async () => {
    const text = readFileSync(join(repoRoot, 'slo', 'slo-config.yaml'), 'utf8').replace(
      'noData: inconclusive',
      'noData: fail',
    );
    const report = await evaluatePhase('empty', parseSloConfig(text, 'nodata-fail.yaml').model);
    assert.equal(report.status, 'fail');
    assert.ok(report.slos.every((slo) => slo.status === 'fail' && /\(noData: fail\)$/.test(slo.reason!)));
  });

  it('calls more series than expected, a PromQL syntax error and an unreachable Prometheus inconclusive', async () => {
    const model = referenceServiceModel([
      '  - name: not-aggregated',
      '    window: 1h',
      '    sli: { threshold: { query: "rate(http_requests_total[{{window}}])", operator: "<", bound: 1, unit: none } }',
      '  - name: syntax-error',
      '    window: 1h',
      '    sli: { threshold: { query: "sum(rate(http_requests_total[{{window}}])", operator: "<", bound: 1, unit: none } }',
    ]);
    const slos = byName(await evaluatePhase('healthy', model));
    assert.equal(slos['not-aggregated']!.status, 'inconclusive');
    assert.match(slos['not-aggregated']!.reason!, /returned 3 series, expected 1/);
    assert.equal(slos['syntax-error']!.status, 'inconclusive');
    assert.match(slos['syntax-error']!.reason!, /bad_data/);

    const closed = `http://127.0.0.1:${await freePort()}`;
    const report = await evaluateSlos(seed, { prometheusUrl: closed, retries: 1, retryDelayMs: 10, timeoutMs: 5000 });
    assert.equal(report.status, 'inconclusive');
    for (const slo of report.slos)
      assert.ok(slo.reason!.includes(`Prometheus at ${closed} did not answer`), slo.reason);
  });
});

/** Runs the real CLI; resolves with its exit code and output. */
function harness(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runHarness(['slo', ...args], { reportsDir: cliReports, env });
}

describe('harness slo check', () => {
  const range = (phase: Phase) => ['--start', iso(PHASES[phase] - 3600), '--end', iso(PHASES[phase])];
  /** `harness slo check` against the test Prometheus over one phase's hour, with `args` after. */
  const check = (phase: Phase, args: string[] = [], env?: Record<string, string>) =>
    harness(['check', '--prometheus', prometheus.url, ...range(phase), ...args], env);

  it('exits 0 on the healthy hour and prints the JSON report', async () => {
    const { code, stdout } = await check('healthy', ['--format', 'json']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as SloReport;
    assert.equal(report.status, 'pass');
    assert.deepEqual(
      report.slos.map((slo) => [slo.name, slo.status, slo.sli, slo.objective]),
      [
        ['availability', 'pass', 99.95, 99.9],
        ['latency-p95', 'pass', 0.2, 0.3],
        ['latency-300ms', 'pass', 100, 99],
        ['error-rate', 'pass', 99.95, 99.9],
        ['cache-hit-rate', 'pass', 85, 80],
        ['db-query-p95', 'pass', 0.075, 0.1],
      ],
    );
  });

  it('exits 1 on the unhealthy hour and writes JUnit (one case per SLO), Allure results and, in GitHub Actions, annotations', async () => {
    const junit = join(work, 'slo.xml');
    const allureDir = join(work, 'allure-results');
    const { code, stdout, stderr } = await check(
      'unhealthy',
      ['--format', 'junit', '--out', junit, '--allure-dir', allureDir],
      { GITHUB_ACTIONS: 'true' },
    );
    assert.equal(code, 1);
    assert.match(stdout, /SLO check FAIL/);
    // One workflow command per failed SLO, on stderr (cli/github-annotations.ts).
    const annotations = stderr.split('\n').filter((line) => line.startsWith('::error '));
    assert.equal(annotations.length, 6, stderr);
    for (const line of annotations) assert.match(line, /^::error title=SLO [\w-]+ failed::\S/);
    const xml = readFileSync(junit, 'utf8');
    assert.equal(xml.match(/<testcase /g)?.length, 6);
    assert.equal(xml.match(/<failure /g)?.length, 6);
    const results = readdirSync(allureDir).filter((name) => name.endsWith('-result.json'));
    assert.equal(results.length, 6);
    const first = JSON.parse(readFileSync(join(allureDir, results[0]!), 'utf8')) as {
      status: string;
      parameters: unknown[];
    };
    assert.equal(first.status, 'failed');
    assert.ok(first.parameters.length >= 3);
  });

  it('exits 2 on the empty hour and when Prometheus is unreachable, naming the URL', async () => {
    const empty = await check('empty');
    assert.equal(empty.code, 2);
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await harness(['check', '--prometheus', closed, '--retries', '0', '--format', 'markdown']);
    assert.equal(unreachable.code, 2);
    assert.ok(unreachable.stdout.includes(`Prometheus at ${closed} did not answer`));
  });

  it('exits 2 on a PromQL syntax error', async () => {
    const config = join(work, 'syntax.yaml');
    writeFileSync(
      config,
      'version: 1\nservice: s\nslos:\n  - name: broken\n    window: 1h\n    sli: { threshold: { query: "sum(rate(up[{{window}}])", operator: "<", bound: 1, unit: none } }\n',
    );
    const { code, stdout } = await check('healthy', ['--config', config]);
    assert.equal(code, 2);
    assert.match(stdout, /bad_data/);
  });

  it('fails a passing run whose P95 regressed more than 10 % against a baseline', async () => {
    const baselinePath = join(work, 'baseline.json');
    const { stdout } = await check('healthy', ['--format', 'json']);
    const baseline = JSON.parse(stdout) as SloReport;
    // Same run as baseline: no regression.
    writeFileSync(baselinePath, JSON.stringify(baseline));
    const same = await check('healthy', ['--baseline', baselinePath]);
    assert.equal(same.code, 0);
    // The comparison shows in the table, not only in JSON: the baseline's SLI and the change.
    assert.match(same.stdout, /BASELINE/);
    assert.match(same.stdout, /latency-p95 .* 200 ms, unchanged/);
    // An earlier run with P95 at 0.15 s: 0.2 is (0.2 - 0.15) / 0.15 = 33.3 % worse, over the 10 % allowed.
    for (const slo of baseline.slos) if (slo.name === 'latency-p95') slo.sli = 0.15;
    writeFileSync(baselinePath, JSON.stringify(baseline));
    const worse = await check('healthy', ['--baseline', baselinePath, '--format', 'json']);
    assert.equal(worse.code, 1);
    const latency = (JSON.parse(worse.stdout) as SloReport).slos.find((slo) => slo.name === 'latency-p95')!;
    assert.equal(latency.status, 'fail');
    assert.deepEqual(latency.baseline, {
      value: 0.15,
      regressionPct: 33.3333333333,
      maxRegressionPct: 10,
      regressed: true,
    });
    assert.equal(latency.reason, '33.33 % worse than the baseline 150 ms (allowed 10 %)');
    const markdown = await check('healthy', ['--baseline', baselinePath, '--format', 'markdown']);
    assert.match(markdown.stdout, /\| Baseline \|/);
    assert.match(markdown.stdout, /`latency-p95` \| 200 ms \| .* \| 150 ms, 33\.33 % worse \(allowed 10 %\) \|/);
  });
});

describe("a saturated machine and a latency ratio (the seed's latency-300ms and its /healthz control)", () => {
  /** latency-300ms of the seed over the hour ending at `end`, with the load's probes when given. */
  const latency300 = async (end: number, probes?: Record<string, number>) => {
    const report = await evaluateSlos(seed, {
      prometheusUrl: prometheus.url,
      window: '1h',
      time: new Date(end * 1000),
      ...(probes ? { probes } : {}),
    });
    return byName(report)['latency-300ms']!;
  };

  it('calls a breach the noise explains inconclusive, never a pass, with the budget figures as measured', async () => {
    const slo = await latency300(SATURATED);
    // 9700 of 10000 within 300 ms: 97 % < 99 %, error ratio 0.03 = burn rate 3. The control: /healthz's 1000
    // requests in (0.1, 0.2], P95 at rank 950: 0.1 + 0.1 x 950 / 1000 = 0.195 s. Bound + noise = 0.495 s, read
    // between 0.3 (9700) and 0.5 (9980): 9700 + 280 x 0.195 / 0.2 = 9973 of 10000 = 99.73 % >= 99 %.
    assert.deepEqual(
      [slo.status, slo.sli, slo.burnRate, slo.events, slo.control],
      ['inconclusive', 97, 3, 10000, { label: '/healthz P95', value: 0.195, unit: 'seconds' }],
    );
    assert.equal(
      slo.reason,
      'machine saturated: /healthz P95 195 ms; 99.73 % of requests within 495 ms (300 ms + the noise, read between the buckets 300 ms and 500 ms), so the noise explains the breach',
    );
    // The buckets as asked, and the count within 0.495 s the verdict stood on.
    assert.deepEqual(slo.queries.at(-1), {
      role: 'buckets',
      query:
        'sum by (le) (increase(http_request_duration_seconds_bucket{job="mystocks-api",endpoint!="/healthz"}[1h]))',
      value: 9973,
    });
  });

  it('fails a real 400 ms fault on one route in the same saturated hour, naming the noise it is above', async () => {
    const slo = await latency300(SATURATED_FAULT);
    // /api/market/quotes adds 1000 requests in (0.5, 1]: 9700 of 11000 within 300 ms = 88.18 %, burn rate
    // (1300 / 11000) / 0.01 = 11.82. Within 0.495 s still 9973 (quotes has none within 0.5): 90.66 % < 99 %.
    assert.deepEqual([slo.status, slo.sli, slo.burnRate], ['fail', 88.1818181818, 11.8181818182]);
    assert.equal(
      slo.reason,
      "88.18 % < 99 % (burn rate 11.82x); 90.66 % of requests within 495 ms (300 ms + the noise, read between the buckets 300 ms and 500 ms) is still below 99 %, so the breach is above the machine's noise (/healthz P95 195 ms)",
    );
    // The load's own /healthz probe at 250 ms is the larger noise: 0.55 s, between 0.5 (9980) and 1 (11000):
    // 9980 + 1020 x 0.05 / 0.5 = 10082 of 11000 = 91.65 %, still a failure.
    const probed = await latency300(SATURATED_FAULT, { '/healthz': 0.25 });
    assert.deepEqual(
      [probed.status, probed.control],
      ['fail', { label: '/healthz P95', value: 0.195, unit: 'seconds', probed: 0.25 }],
    );
    assert.equal(
      probed.reason,
      "88.18 % < 99 % (burn rate 11.82x); 91.65 % of requests within 550 ms (300 ms + the noise, read between the buckets 500 ms and 1 s) is still below 99 %, so the breach is above the machine's noise (/healthz P95 250 ms as the harness probed it, 195 ms in the service's histogram)",
    );
  });
});
