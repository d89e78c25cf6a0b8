// The breakdown against a real Prometheus filled by promtool with diagnose/testing/dataset.ts (a failing hour
// of three endpoints) and the SLO tests' healthy hour; every expected number is computed by hand from the
// figures written out in those files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderDiagnosisMarkdown, renderDiagnosisTable } from '../report/diagnose/render.ts';
import { evaluateSlos, type SloReport } from '../slo/evaluate/evaluate.ts';
import { PrometheusClient } from '../slo/evaluate/prometheus.ts';
import { loadSloConfig, parseSloConfig } from '../slo/load.ts';
import type { SloModel } from '../slo/model/model.ts';
import { type BackfilledPrometheus, startBackfilledPrometheus, toOpenMetrics } from '../slo/testing/backfill.ts';
import { PHASES, referenceFamilies } from '../slo/testing/datasets.ts';
import { breakDown, countAtOrBelow, rowName } from './breakdown.ts';
import { diagnoseReport } from './diagnose.ts';
import { FAILING_END, failingHourFamilies } from './testing/dataset.ts';

let prometheus: BackfilledPrometheus;
let seed: SloModel;

before(async () => {
  // Two sets of families with the same names: merge them series by series into one OpenMetrics text.
  const families = referenceFamilies();
  for (const family of failingHourFamilies()) {
    const same = families.find((f) => f.name === family.name);
    if (same) same.series.push(...family.series);
    else families.push(family);
  }
  prometheus = await startBackfilledPrometheus(toOpenMetrics(families));
  seed = (await loadSloConfig(new URL('../slo/slo-config.yaml', import.meta.url).pathname)).model;
});

after(async () => {
  await prometheus?.stop();
});

function evaluateAt(seconds: number): Promise<SloReport> {
  return evaluateSlos(seed, { prometheusUrl: prometheus.url, window: '1h', time: new Date(seconds * 1000) });
}

describe('breaking a failed run down per endpoint', () => {
  it('names the slow endpoint of a failing latency-p95, ranked by its share of requests above the bound', async () => {
    const report = await evaluateAt(FAILING_END);
    const latency = report.slos.find((slo) => slo.name === 'latency-p95')!;
    // Overall cumulative buckets: 0.3: 400 + 7960 + 40 + 980 = 9380, 0.5: 9900; rank 9500 lies in (0.3, 0.5]:
    // 0.3 + 0.2 x 120/520 = 0.34615... s > 0.3 s, so the SLO fails.
    assert.equal(latency.status, 'fail');
    const diagnosis = await diagnoseReport(report);
    const breakdown = diagnosis.breakdowns.find((b) => b.slo === 'latency-p95')!;
    assert.equal(breakdown.focus, 'latency');
    assert.equal(breakdown.bound, 0.3);
    // Above 300 ms: quotes 1000 - 400 = 600, login 1000 - 980 = 20, overview 0: shares 600/620 and 20/620.
    assert.deepEqual(
      breakdown.rows.map((row) => [rowName(row.labels), row.count, row.aboveBound, row.slow]),
      [
        ['GET /api/market/quotes', 1000, 600, 600],
        ['POST /api/auth/login', 1000, 20, 20],
        ['GET /api/market/overview', 8000, 0, 0],
      ],
    );
    assert.deepEqual(
      breakdown.rows.map((row) => row.contribution),
      [Number((600 / 620).toPrecision(12)), Number((20 / 620).toPrecision(12)), 0],
    );
    const quotes = breakdown.rows[0]!;
    // quotes: P50 rank 500 in (0.3, 0.5] holding 400..900: 0.3 + 0.2 x 100/500 = 0.34; P95 rank 950 in
    // (0.5, 1] holding 900..1000: 0.5 + 0.5 x 50/100 = 0.75; P99 rank 990: 0.5 + 0.5 x 90/100 = 0.95.
    assert.deepEqual([quotes.p50, quotes.p95, quotes.p99, quotes.errors, quotes.errorShare], [0.34, 0.75, 0.95, 0, 0]);
    // login P95: rank 950 in (0.1, 0.3] holding 900..980: 0.1 + 0.2 x 50/80 = 0.225 s, under the bound;
    // overview P95: rank 7600 in (0.05, 0.1] holding 7000..8000: 0.05 + 0.05 x 600/1000 = 0.08 s.
    assert.equal(breakdown.rows[1]!.p95, 0.225);
    assert.equal(breakdown.rows[2]!.p95, 0.08);
    // Only the endpoint whose own P95 is above the bound is named.
    assert.deepEqual(breakdown.culprits, ['GET /api/market/quotes: P95 750 ms is above the bound 300 ms']);
    const table = renderDiagnosisTable(diagnosis);
    assert.match(table, /Slow statements \(pg_stat_statements\)\n\n {2}Skipped: no PostgreSQL URL/);
    assert.match(table, /Where latency-p95 failed \(over 1h, bound 300 ms\)/);
    assert.match(table, /GET \/api\/market\/quotes\s+1000\s+340 ms\s+750 ms\s+950 ms\s+0\s+0 %\s+600\s+600\s+96\.77 %/);
    assert.match(renderDiagnosisMarkdown(diagnosis), /\| GET \/api\/market\/quotes \| 1000 \| 340 ms \| 750 ms \|/);
  });

  it('breaks a failing latency-300ms (a share within the le="0.3" bucket) down as latency-p95, at its bucket', async () => {
    const report = await evaluateAt(FAILING_END);
    const within = report.slos.find((slo) => slo.name === 'latency-300ms')!;
    // 9380 of 10000 requests within 300 ms (the le="0.3" bucket above): 93.8 % < 99 %; the error ratio 0.062
    // over the 1 % budget is burn rate 6.2.
    assert.deepEqual([within.status, within.sli, within.burnRate], ['fail', 93.8, 6.2]);
    const diagnosis = await diagnoseReport(report);
    const ratio = diagnosis.breakdowns.find((b) => b.slo === 'latency-300ms')!;
    // The bound is the bucket's 0.3 s, not the 99 % objective: the same rows, shares and culprit as latency-p95's
    // (quotes 600 and login 20 of the 620 requests above 300 ms).
    assert.deepEqual([ratio.focus, ratio.bound, ratio.problem], ['latency', 0.3, undefined]);
    assert.deepEqual(
      ratio.rows.map((row) => [rowName(row.labels), row.aboveBound, row.contribution]),
      [
        ['GET /api/market/quotes', 600, Number((600 / 620).toPrecision(12))],
        ['POST /api/auth/login', 20, Number((20 / 620).toPrecision(12))],
        ['GET /api/market/overview', 0, 0],
      ],
    );
    const quantile = diagnosis.breakdowns.find((b) => b.slo === 'latency-p95')!;
    assert.deepEqual({ ...ratio, slo: 'latency-p95' }, quantile);
  });

  it('names the endpoint that answered 5xx for a failing error-rate and availability', async () => {
    const report = await evaluateAt(FAILING_END);
    // 40 of 10000 requests were 5xx: 99.6 % < 99.9 %.
    assert.equal(report.slos.find((slo) => slo.name === 'error-rate')!.sli, 99.6);
    const diagnosis = await diagnoseReport(report);
    for (const name of ['error-rate', 'availability']) {
      const breakdown = diagnosis.breakdowns.find((b) => b.slo === name)!;
      assert.equal(breakdown.focus, 'errors');
      assert.deepEqual(breakdown.culprits, ['GET /api/market/overview answered 40 5xx of 8000 requests']);
      const overview = breakdown.rows[0]!;
      // 40 / 8000 = 0.5 % of the endpoint's requests, all of the window's 5xx.
      assert.deepEqual(
        [rowName(overview.labels), overview.errors, overview.errorShare, overview.contribution],
        ['GET /api/market/overview', 40, 0.005, 1],
      );
      assert.deepEqual(
        breakdown.rows.slice(1).map((row) => row.contribution),
        [0, 0],
      );
    }
  });

  it('breaks a failing db-query-p95 down per operation', async () => {
    const report = await evaluateAt(FAILING_END);
    // All 2000 queries: cumulative 0.1: 1500, 0.25: 1900; rank 1900 is the top of (0.1, 0.25]: 0.25 s.
    assert.equal(report.slos.find((slo) => slo.name === 'db-query-p95')!.sli, 0.25);
    const diagnosis = await diagnoseReport(report);
    const breakdown = diagnosis.breakdowns.find((b) => b.slo === 'db-query-p95')!;
    assert.equal(breakdown.focus, 'db-latency');
    // quotes.latest: 1000 - 500 = 500 above 100 ms, all of them; P95 rank 950 in (0.25, 0.5] holding
    // 900..1000: 0.25 + 0.25 x 50/100 = 0.375 s. market.overview: none above, P95 in (0.005, 0.01]:
    // 0.005 + 0.005 x 50/100 = 0.0075 s.
    assert.deepEqual(
      breakdown.rows.map((row) => [
        rowName(row.labels),
        row.count,
        row.aboveBound,
        row.slow,
        row.p95,
        row.contribution,
      ]),
      [
        ['quotes.latest', 1000, 500, 500, 0.375, 1],
        ['market.overview', 1000, 0, 0, 0.0075, 0],
      ],
    );
    assert.deepEqual(breakdown.culprits, ['quotes.latest: P95 375 ms is above the bound 100 ms']);
  });

  it('breaks the seed down the same when its queries are written in unusual but valid forms', async () => {
    // Issue #28: the focus and the job of a breakdown are read from the PromQL syntax tree. The seed's failing
    // SLOs rewritten: latency-p95 with its matchers swapped, job=~ and increase(); error-rate with rate(),
    // single quotes and status_code first; availability's bad query split over lines with spaced matchers;
    // db-query-p95 in single quotes (focus.test.ts holds each form to its text; this asks the real Prometheus).
    const seedText = readFileSync(new URL('../slo/slo-config.yaml', import.meta.url), 'utf8');
    const once = (text: string, from: string, to: string) => {
      assert.equal(text.split(from).length, 2, `the seed holds ${from} once`);
      return text.replace(from, to);
    };
    const ratioBad =
      'bad: sum(increase(http_requests_total{job="mystocks-api",status_code=~"5.."}[{{window}}])) or vector(0)';
    let text = once(
      seedText,
      'rate(http_request_duration_seconds_bucket{job="mystocks-api",endpoint!="/healthz"}',
      'increase(http_request_duration_seconds_bucket{endpoint!="/healthz",job=~"mystocks-api"}',
    );
    // availability comes first in the file, error-rate second; both have the same bad query.
    text = text.replace(
      ratioBad,
      [
        'bad: |-',
        '          sum(',
        '            increase(',
        '              http_requests_total{',
        '                status_code =~ "5..",',
        '                job = "mystocks-api"',
        '              }[{{window}}]',
        '            )',
        '          ) or vector(0)',
      ].join('\n'),
    );
    text = once(
      text,
      ratioBad,
      "bad: sum(rate(http_requests_total{status_code=~'5..',job='mystocks-api'}[{{window}}])) or vector(0)",
    );
    text = once(
      text,
      'db_query_duration_seconds_bucket{job="mystocks-api",operation!="health.ping"}',
      "db_query_duration_seconds_bucket{job='mystocks-api',operation!='health.ping'}",
    );
    const forms = parseSloConfig(text, 'forms.yaml').model;
    const options = { prometheusUrl: prometheus.url, window: '1h', time: new Date(FAILING_END * 1000) };
    const [plain, written] = await Promise.all([evaluateSlos(seed, options), evaluateSlos(forms, options)]);
    // The same verdicts and SLIs: the forms ask for the same series.
    const verdicts = (report: SloReport) => report.slos.map((slo) => [slo.name, slo.status, slo.sli]);
    assert.deepEqual(verdicts(written), verdicts(plain));
    const [a, b] = await Promise.all([diagnoseReport(plain), diagnoseReport(written)]);
    assert.deepEqual(
      b.breakdowns.map((breakdown) => [breakdown.slo, breakdown.focus, breakdown.problem]),
      [
        ['availability', 'errors', undefined],
        ['latency-p95', 'latency', undefined],
        ['latency-300ms', 'latency', undefined],
        ['error-rate', 'errors', undefined],
        ['db-query-p95', 'db-latency', undefined],
      ],
    );
    // Row for row the seed's breakdown (the numbers are the ones the tests above compute by hand).
    assert.deepEqual(b.breakdowns, a.breakdowns);
  });

  it('names no endpoint on a healthy hour', async () => {
    const report = await evaluateAt(PHASES.healthy);
    assert.equal(report.status, 'pass');
    assert.deepEqual((await diagnoseReport(report)).breakdowns, []);
    // Broken down anyway, the healthy latency SLO blames nothing: P95 0.2 s is under the bound.
    const client = new PrometheusClient({ url: prometheus.url });
    const breakdown = await breakDown(client, report.slos.find((slo) => slo.name === 'latency-p95')!, PHASES.healthy);
    assert.deepEqual(breakdown.culprits, []);
    assert.equal(breakdown.rows[0]!.p95, 0.2);
  });

  it('says so instead of throwing when Prometheus cannot answer', async () => {
    const report = await evaluateAt(FAILING_END);
    const diagnosis = await diagnoseReport({ ...report, prometheusUrl: 'http://127.0.0.1:1' }, { retries: 0 });
    // latency-p95, latency-300ms, error-rate, availability and db-query-p95 failed; each breakdown says why it is
    // empty.
    assert.equal(diagnosis.breakdowns.length, 5);
    for (const breakdown of diagnosis.breakdowns) {
      assert.deepEqual(breakdown.rows, []);
      assert.match(breakdown.problem ?? '', /did not answer/);
    }
  });
});

describe('counting observations at or below a bound', () => {
  it('interpolates linearly inside a bucket, as histogram_quantile does', () => {
    const edges: [number, number][] = [
      [0.1, 100],
      [0.5, 500],
      [Number.POSITIVE_INFINITY, 600],
    ];
    assert.equal(countAtOrBelow(edges, 0.1), 100);
    // 0.3 is halfway through (0.1, 0.5]: 100 + 400 x 0.5 = 300.
    assert.equal(countAtOrBelow(edges, 0.3), 300);
    // Inside (0, 0.1] from 0: 100 x 0.05/0.1 = 50; above the last finite edge nothing is known: 500.
    assert.equal(countAtOrBelow(edges, 0.05), 50);
    assert.equal(countAtOrBelow(edges, 2), 500);
  });
});

/** The CLI's reports folder is this test's own: the checkout's reports/stack.json is another run's, never read here. */
const cliReports = mkdtempSync(join(tmpdir(), 'diagnose-cli-reports-'));
after(() => rmSync(cliReports, { recursive: true, force: true }));

/** Runs the real CLI; resolves with its exit code and output. */
function harness(args: string[]): Promise<{ code: number; stdout: string }> {
  const repoRoot = join(import.meta.dirname, '..');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'cli', 'harness.ts'), 'slo', 'check', '--prometheus', prometheus.url, ...args],
      { cwd: repoRoot, timeout: 60_000, env: { ...process.env, HARNESS_REPORTS_DIR: cliReports } },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 99) : 0, stdout }),
    );
  });
}

describe('harness slo check with a failed SLO', () => {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  const range = (end: number) => ['--start', iso(end - 3600), '--end', iso(end)];

  it('prints the breakdown under the table, puts it in the JSON and in the failed SLO’s Allure result', async () => {
    const work = mkdtempSync(join(tmpdir(), 'diagnose-cli-'));
    try {
      const table = await harness(range(FAILING_END));
      assert.equal(table.code, 1);
      assert.match(table.stdout, /SLO check FAIL/);
      assert.match(table.stdout, /GET \/api\/market\/quotes: P95 750 ms is above the bound 300 ms/);
      assert.match(table.stdout, /GET \/api\/market\/overview answered 40 5xx of 8000 requests/);

      const allureDir = join(work, 'allure');
      const json = await harness([...range(FAILING_END), '--format', 'json', '--allure-dir', allureDir]);
      assert.equal(json.code, 1);
      const parsed = JSON.parse(json.stdout) as { diagnosis: { breakdowns: { slo: string; culprits: string[] }[] } };
      assert.deepEqual(
        parsed.diagnosis.breakdowns.map((b) => b.slo),
        ['availability', 'latency-p95', 'latency-300ms', 'error-rate', 'db-query-p95'],
      );
      const results = readdirSync(allureDir)
        .filter((name) => name.endsWith('-result.json'))
        .map((name) => JSON.parse(readFileSync(join(allureDir, name), 'utf8')) as Record<string, unknown>);
      const latency = results.find((r) => r.name === 'SLO latency-p95') as {
        description: string;
        attachments: { source: string; type: string }[];
      };
      assert.match(latency.description, /P95 750 ms is above the bound 300 ms/);
      assert.equal(latency.attachments[0]!.type, 'text/markdown');
      assert.match(
        readFileSync(join(allureDir, latency.attachments[0]!.source), 'utf8'),
        /\| GET \/api\/market\/quotes \|/,
      );
      // The passing cache-hit-rate carries no diagnosis.
      const cache = results.find((r) => r.name === 'SLO cache-hit-rate') as { attachments: unknown[] };
      assert.deepEqual(cache.attachments, []);

      // A passing run prints no diagnosis at all.
      const healthy = await harness([...range(PHASES.healthy), '--format', 'json']);
      assert.equal(healthy.code, 0);
      assert.equal((JSON.parse(healthy.stdout) as { diagnosis?: unknown }).diagnosis, undefined);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
