// The load report's page: the per-endpoint table (figures from samples.jsonl, by the comparison's statistics),
// the saturation section and the command as a person reads it.
// The whole page is a golden file: `UPDATE_GOLDEN=1 node --test report/load/html-report.test.ts` rewrites it;
// review the diff before committing. The saturation read-out's words for each resource are saturation.test.ts's.
// No services needed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertGolden } from '../../core/testing/golden.ts';
import { OVERALL, runFigures } from '../../load/compare.ts';
import type { RunSummary } from '../../load/report.ts';
import { formatSample, SAMPLES_FILE, type Sample } from '../../load/samples.ts';
import { breakpointRunSummary, breakpointSaturation } from '../../load/testing/breakpoint-run.ts';
import { makeRun } from '../../load/testing/fake-runs.ts';
import { smokePeriods, smokeRunSummary } from '../../load/testing/smoke-run.ts';
import { renumberEcharts } from '../testing/normalise.ts';
import { readableCommand, renderLoadReportHtml, writeLoadReportHtml } from './html-report.ts';

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

describe('load report page', () => {
  it('reads, whole, as its golden file for the breakpoint run (verdict, charts, tables, saturation, breakpoint)', () => {
    // ECharts' per-process ids and style classes are the only part of the page the input cannot fix: renumbered.
    const page = renumberEcharts(renderLoadReportHtml(breakpointRunSummary(), { endpoints: runFigures(fixed) }));
    assertGolden(TESTDATA, 'load-report-page.golden.html', page);
    assert.match(page, /<title>Load run load-7b2d91e0: FAIL<\/title>/);
    // The export endpoint answers 5 of its 180 requests with a 503 (2.78 %, beyond the 0.1 % error-rate limit):
    // its row is marked, as is the overall one (0.69 %); the others are under both limits.
    assert.match(page, /<tr class="fail"><td>\/api\/export\/csv<\/td><td>180<\/td>.*<td>2\.78<\/td><\/tr>/);
    assert.match(page, /<tr><td>\/api\/market\/overview<\/td>/);
    // The event-loop lag P99 over 100 ms from 50 s on, held in the next period: the row of 50 s is marked.
    assert.match(page, /<tr class="fail"><td>50<\/td>/);
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
});

/** Five 10 s periods of 120 requests (P95 30 ms, no errors), with the breakpoint run's saturation read-out. */
function runSummary(): RunSummary {
  return smokeRunSummary(smokePeriods(1_800_000_000_000, Array(5).fill([20, 120, 10, 30, 45, 0])), {
    runId: 'fixed',
    target: 'http://127.0.0.1:35953',
    verdict: 'pass',
    saturation: breakpointSaturation(),
  });
}
