// The load report's page: the per-endpoint table (figures from samples.jsonl, by the comparison's statistics),
// the saturation section, the command as a person reads it, and rounded axis labels in the charts it carries.
// The table and saturation fragment is a golden file: `UPDATE_GOLDEN=1 node --test report/load/html-report.test.ts`
// rewrites it; review the diff before committing. No services needed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertGolden } from '../../core/testing/golden.ts';
import { OVERALL, runFigures } from '../../load/compare.ts';
import { getProfile } from '../../load/profiles.ts';
import { type PeriodStats, type RunSummary, summarizePeriods } from '../../load/report.ts';
import { formatSample, SAMPLES_FILE, type Sample } from '../../load/samples.ts';
import { judgeSaturation, type SaturationPeriod } from '../../load/saturation.ts';
import { breakpointRunSummary } from '../../load/testing/breakpoint-run.ts';
import { makeRun } from '../../load/testing/fake-runs.ts';
import { sloSvg } from '../slo/charts.ts';
import {
  readableCommand,
  renderEndpointSection,
  renderLoadReportHtml,
  renderSaturationSection,
  writeLoadReportHtml,
} from './html-report.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');

/** Four endpoints, 45 s at 4 requests per second each, lognormal latencies from a seeded generator. */
const fixed = makeRun('fixed', {
  seconds: 45,
  rate: 4,
  seed: 11,
  endpoints: {
    '/api/market/overview': 12,
    '/api/market/quotes/:symbol': 8,
    '/api/portfolio/summary': 25,
    '/api/export/csv': 140,
  },
}).samples.map((s, i): Sample => (s.endpoint === '/api/export/csv' && i % 37 === 0 ? { ...s, status: 503 } : s));

/** Six periods of a run whose API process reaches its CPU limit at 30 s and stays there. */
function saturation() {
  const periods: SaturationPeriod[] = [0.4, 0.55, 0.7, 0.93, 0.97, 0.98].map((cpu, i) => ({
    atSeconds: i * 10,
    arrivalRate: 2 + i,
    apiCpu: cpu,
    apiCpuTotal: cpu,
    eventLoopLagP99Ms: 12 + i * 9,
    dbPoolWaiting: 0,
    cacheBreakerOpen: 0,
    generatorCpu: 0.42,
    generatorHottestThread: 0.31,
    postgresCpu: 0.12,
    postgresHottest: 0.08,
    machineCpu: 0.5 + i * 0.06,
  }));
  return judgeSaturation(periods, { cores: 2 });
}

describe('load report page', () => {
  it('reads, whole, as its golden file for the breakpoint run (verdict, charts, tables, saturation, breakpoint)', () => {
    // ECharts numbers its server-side renderings and their style classes in the process (zr0, zr1, ...;
    // zr-cls-0, zr-cls-1, ...), so a chart's ids and class names depend on the charts drawn before it, in this
    // file or, in the unit tier's one process, in another: the only part of the page the input cannot fix. Here
    // the renderings lose their number and the classes are numbered in the order they first appear.
    const classes = new Map<string, number>();
    const page = renderLoadReportHtml(breakpointRunSummary(), { endpoints: runFigures(fixed) })
      .replace(/\bzr\d+-/g, 'zr-')
      .replace(/\bzr-cls-\d+\b/g, (name) => `zr-cls-${classes.get(name) ?? classes.set(name, classes.size).size - 1}`);
    assertGolden(TESTDATA, 'load-report-page.golden.html', page);
    assert.match(page, /<title>Load run load-7b2d91e0: FAIL<\/title>/);
  });

  it('the per-endpoint table and the saturation section read as their golden file', () => {
    const fragment = [
      renderEndpointSection(runFigures(fixed), { p95Ms: 300, errorPct: 0.1 }),
      renderSaturationSection(saturation()),
      '',
    ].join('\n');
    assertGolden(TESTDATA, 'load-report-sections.golden.html', fragment);
    // The export endpoint answers 5 of its 180 requests with a 503 (2.78 %, beyond the 0.1 % error-rate limit):
    // its row is marked, as is the overall one (0.69 %); the others are under both limits.
    assert.match(fragment, /<tr class="fail"><td>\/api\/export\/csv<\/td><td>180<\/td>.*<td>2\.78<\/td><\/tr>/);
    assert.match(fragment, /<tr><td>\/api\/market\/overview<\/td>/);
    // API CPU at 93 % of a core from 30 s on, held in the next period: the row of 30 s is marked.
    assert.match(fragment, /API process CPU saturated \(93 % of one core/);
    assert.match(fragment, /<tr class="fail"><td>30<\/td>/);
  });

  it('reads quantiles as the ⌈p·n⌉-th fastest response, to within one 1 % bucket, and errors as 5xx or none', () => {
    // Twenty responses of 1..20 ms: P50 is the 10th (10 ms), P95 the 19th (19 ms), P99 the 20th (20 ms).
    const samples: Sample[] = Array.from({ length: 20 }, (_, i) => ({
      t: 1_800_000_000_000 + i * 100,
      endpoint: '/x',
      ms: i + 1,
      status: i === 3 ? 500 : i === 7 ? 0 : 200,
    }));
    const [overall, x] = runFigures(samples);
    assert.equal(overall?.endpoint, OVERALL);
    assert.equal(x?.endpoint, '/x');
    assert.equal(x?.requests, 20);
    for (const [name, exact] of [
      ['p50', 10],
      ['p95', 19],
      ['p99', 20],
    ] as const) {
      const value = x![name]!;
      // A bucket's upper edge: never below the exact value, at most 1 % above it (and 0.01 ms of rounding).
      assert.ok(value >= exact && value <= exact * 1.01 + 0.01, `${name}: ${value} against ${exact}`);
    }
    // One 500 and one response without an answer (status 0) in 20.
    assert.equal(x?.errorShare, 10);
  });

  it('reads samples.jsonl beside the page, and says so when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'load-page-'));
    try {
      const summary = runSummary();
      writeFileSync(join(dir, SAMPLES_FILE), fixed.map(formatSample).join(''));
      await writeLoadReportHtml(join(dir, 'report.html'), summary);
      const page = readFileSync(join(dir, 'report.html'), 'utf8');
      assert.match(page, /<h2>Per endpoint/);
      const requests = fixed.filter((s) => s.endpoint === '/api/portfolio/summary').length;
      assert.match(page, new RegExp(`<td>/api/portfolio/summary</td><td>${requests}</td>`));
      assert.match(page, /<h2>What saturated<\/h2>/);
      rmSync(join(dir, SAMPLES_FILE));
      await writeLoadReportHtml(join(dir, 'report.html'), summary);
      assert.match(
        readFileSync(join(dir, 'report.html'), 'utf8'),
        /No per-endpoint figures: .*samples\.jsonl does not exist/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the command as typed: no `\\:` escapes outside quotes, quoted words left alone', () => {
    assert.equal(
      readableCommand('harness load --target http\\://127.0.0.1\\:35953 --symbols AAPL\\,MSFT'),
      'harness load --target http://127.0.0.1:35953 --symbols AAPL,MSFT',
    );
    assert.equal(
      readableCommand("harness load --slo-config 'my\\:slo.yaml'"),
      "harness load --slo-config 'my\\:slo.yaml'",
    );
    const page = renderLoadReportHtml({ ...runSummary(), command: 'harness load --target http\\://127.0.0.1\\:35953' });
    assert.match(page, /<dd>harness load --target http:\/\/127\.0\.0\.1:35953<\/dd>/);
  });

  it("labels an SLO chart's axis 99.85, not 99.85000000000001", () => {
    // A ratio SLI at 100 % against 99.9 %: the axis starts at 99.9 - 0.05, which floating point makes 99.85000000000001.
    const t0 = 1_800_000_000;
    const svg = sloSvg(
      {
        name: 'availability',
        kind: 'ratio',
        unit: 'percent',
        operator: '>=',
        objective: 99.9,
        sli: Array.from({ length: 30 }, (_, k): [number, number] => [t0 + k, 100]),
        budgetConsumed: Array.from({ length: 30 }, (_, k): [number, number] => [t0 + k, 0]),
        queries: ['bad', 'total'],
      },
      new Date(t0 * 1000),
    );
    const labels = [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    assert.ok(labels.includes('99.85'), labels.join(' | '));
    assert.deepEqual(
      labels.filter((t) => /\d\.\d{5,}/.test(t)),
      [],
    );
  });
});

function runSummary(): RunSummary {
  const t0 = 1_800_000_000_000;
  const periods: PeriodStats[] = Array.from({ length: 5 }, (_, i) => ({
    period: t0 + i * 10_000,
    counters: { 'vusers.created': 20, 'http.requests': 120, 'mystocks.server_errors': 0 },
    summaries: { 'http.response_time': { p50: 10, p95: 30, p99: 45 } },
  }));
  return {
    runId: 'fixed',
    profile: 'smoke',
    scenario: 'mix',
    target: 'http://127.0.0.1:35953',
    startedAt: new Date(t0).toISOString(),
    endedAt: new Date(t0 + 50_000).toISOString(),
    verdict: 'pass',
    thresholds: [],
    requests: 600,
    journeyMix: {},
    periods: summarizePeriods(periods, getProfile('smoke')),
    saturation: saturation(),
    command: 'harness load --profile smoke',
  };
}
