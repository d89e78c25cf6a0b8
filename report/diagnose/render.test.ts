// Golden tests of the diagnosis read-out (render.ts): a failed run's diagnosis, built by hand, rendered as the
// terminal text and as Markdown (diagnosis.md, and verify's Allure attachment) and compared with
// testdata/*.golden.*. `UPDATE_GOLDEN=1 node --test report/diagnose/render.test.ts` rewrites them; read the diff before
// committing. The same diagnosis attached to the failed SLOs' Allure results (allure.ts) is a golden file too.
// How a diagnosis is read from Prometheus, PostgreSQL and the spans file is tested apart
// (breakdown.int.test.ts, slow-queries.int.test.ts, slow-requests.stack.test.ts); this file holds only the words.
//
// The full diagnosis's breakdowns are the failing hour of testing/dataset.ts, worked out as breakdown.int.test.ts
// works them out against a real Prometheus (a quantile is histogram_quantile's interpolation inside its bucket);
// so its first latency row must read as that test reads it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertGolden } from '../../core/testing/golden.ts';
import type { BreakdownRow, SloBreakdown } from '../../diagnose/breakdown.ts';
import type { Diagnosis } from '../../diagnose/diagnose.ts';
import type { SlowQuerySection, StatementStats } from '../../diagnose/slow-queries.ts';
import { allureResultsText } from '../testing/normalise.ts';
import { GOLDEN_SLO_REPORT } from '../verify/testing/runs.ts';
import { writeAllureResultsWithDiagnosis } from './allure.ts';
import { renderDiagnosisMarkdown, renderDiagnosisTable, TEXT_ROWS } from './render.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');

const QUOTES = { endpoint: '/api/market/quotes', method: 'GET' };
const OVERVIEW = { endpoint: '/api/market/overview', method: 'GET' };
const LOGIN = { endpoint: '/api/auth/login', method: 'POST' };

/**
 * latency-p95 over the failing hour, bound 300 ms. Above the bound: quotes 1000 - 400 = 600, login
 * 1000 - 980 = 20, overview 0, so the shares of the 620 bad requests are 600/620 and 20/620. Quantiles from the
 * cumulative buckets (dataset.ts's header): quotes P50 rank 500 in (0.3, 0.5] holding 400..900 -> 0.34 s,
 * P95 0.75 s, P99 0.95 s; login P50 rank 500 in (0.05, 0.1] holding 0..900, P95 rank 950 in (0.1, 0.3] holding
 * 900..980 -> 0.225 s, P99 rank 990 in (0.3, 0.5] holding 980..1000 -> 0.4 s; overview (its 40 5xx answers all
 * under 5 ms) P50 rank 4000 in (0.005, 0.05] holding 40..7000, P95 rank 7600 in (0.05, 0.1] holding
 * 7000..8000 -> 0.08 s, P99 rank 7920 -> 0.096 s.
 */
const latency: SloBreakdown = {
  slo: 'latency-p95',
  focus: 'latency',
  window: '1h',
  by: ['endpoint', 'method'],
  bound: 0.3,
  rows: [
    {
      labels: QUOTES,
      count: 1000,
      p50: 0.34,
      p95: 0.75,
      p99: 0.95,
      errors: 0,
      errorShare: 0,
      slow: 600,
      aboveBound: 600,
      contribution: 600 / 620,
    },
    {
      labels: LOGIN,
      count: 1000,
      p50: 0.05 + (0.05 * 500) / 900,
      p95: 0.225,
      p99: 0.4,
      errors: 0,
      errorShare: 0,
      slow: 20,
      aboveBound: 20,
      contribution: 20 / 620,
    },
    {
      labels: OVERVIEW,
      count: 8000,
      p50: 0.005 + (0.045 * 3960) / 6960,
      p95: 0.08,
      p99: 0.096,
      errors: 40,
      errorShare: 40 / 8000,
      slow: 0,
      aboveBound: 0,
      contribution: 0,
    },
  ],
  culprits: ['GET /api/market/quotes: P95 750 ms is above the bound 300 ms'],
};

/** error-rate over the same hour: 40 5xx answers, all from the overview (0.5 % of its 8000 requests). */
const errors: SloBreakdown = {
  slo: 'error-rate',
  focus: 'errors',
  window: '1h',
  by: ['endpoint', 'method'],
  rows: [
    { ...latency.rows[2]!, contribution: 1 },
    { ...latency.rows[0]!, contribution: 0 },
    { ...latency.rows[1]!, contribution: 0 },
  ].map(({ aboveBound: _, ...row }) => row),
  culprits: ['GET /api/market/overview answered 40 5xx of 8000 requests'],
};

/**
 * db-query-p95, bound 100 ms, per operation: quotes.latest has 1000 - 500 = 500 queries above it, all of the bad
 * ones; P50 rank 500 is the top of (0.05, 0.1] -> 0.1 s, P95 rank 950 in (0.25, 0.5] holding 900..1000 -> 0.375 s,
 * P99 -> 0.475 s. market.overview: P50 rank 500 in (0, 0.005] holding 0..900, P95 0.0075 s, P99 0.0095 s.
 */
const db: SloBreakdown = {
  slo: 'db-query-p95',
  focus: 'db-latency',
  window: '1h',
  by: ['operation'],
  bound: 0.1,
  rows: [
    {
      labels: { operation: 'quotes.latest' },
      count: 1000,
      p50: 0.1,
      p95: 0.375,
      p99: 0.475,
      slow: 500,
      aboveBound: 500,
      contribution: 1,
    },
    {
      labels: { operation: 'market.overview' },
      count: 1000,
      p50: (0.005 * 500) / 900,
      p95: 0.0075,
      p99: 0.0095,
      slow: 0,
      aboveBound: 0,
      contribution: 0,
    },
  ],
  culprits: ['quotes.latest: P95 375 ms is above the bound 100 ms'],
};

/** The cache hit rate's series carry no endpoint: a breakdown that says why there is none. */
const cache: SloBreakdown = {
  slo: 'cache-hit-rate',
  focus: null,
  window: '1h',
  by: [],
  rows: [],
  culprits: [],
  problem: 'this SLO’s series carry no endpoint or operation labels to break down',
};

/**
 * pg_stat_statements over the hour: five statements, 1111.7 ms in all (812.4 + 140.3 + 95.2 + 61.7 + 2.1). Each
 * mean is total / calls and each share total / 1111.7, rounded as slow-queries.ts rounds them (2 and 4 places):
 * 0.7308 + 0.1262 + 0.0856 + 0.0555 + 0.0019 = 1.
 */
const statement = (
  operation: string | null,
  queryId: string,
  calls: number,
  rows: number,
  totalMs: number,
  query: string,
): StatementStats => ({
  queryId,
  operation,
  query,
  calls,
  rows,
  totalMs,
  meanMs: Math.round((totalMs / calls) * 100) / 100,
  shareOfDbTime: Math.round((totalMs / 1111.7) * 10_000) / 10_000,
});
const quotesLatest = statement(
  'quotes.latest',
  '7305928415820551021',
  1000,
  1000,
  812.4,
  'SELECT symbol, trade_date, close FROM quotes WHERE symbol = $1 AND trade_date >= $2',
);
const sessionsInsert = statement(
  'sessions.insert',
  '-2081375829017366250',
  1000,
  1000,
  140.3,
  'INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, $3)',
);
const marketOverview = statement(
  'market.overview',
  '4419867310556620117',
  1000,
  20000,
  95.2,
  'SELECT * FROM market_overview',
);
const findUser = statement(
  'auth.find-user',
  '1187465021433012954',
  1000,
  1000,
  61.7,
  'SELECT * FROM users WHERE username = $1',
);
const unnamed = statement(null, '-4212946915233611183', 3, 3, 2.1, 'SELECT count(*) FROM alert_rules');

const slowQueries: SlowQuerySection = {
  status: 'read',
  since: '2026-11-30T07:00:00.000Z',
  totalDbMs: 1111.7,
  byTotal: [quotesLatest, sessionsInsert, marketOverview, findUser, unnamed],
  byMean: [quotesLatest, unnamed, sessionsInsert, marketOverview, findUser],
  explained: [
    {
      queryId: quotesLatest.queryId,
      operation: 'quotes.latest',
      plan: [
        'Seq Scan on quotes  (cost=0.00..5432.10 rows=120 width=22)',
        '  Filter: ((symbol = $1) AND (trade_date >= $2))',
      ],
      hints: [
        {
          relation: 'quotes',
          tableRows: 250_000,
          filter: '((symbol = $1) AND (trade_date >= $2))',
          text: 'Sequential scan of quotes (about 250000 rows), filtered by ((symbol = $1) AND (trade_date >= $2)): no index serves symbol, trade_date.',
          createIndex: 'CREATE INDEX ON quotes (symbol, trade_date);',
        },
      ],
    },
    {
      queryId: sessionsInsert.queryId,
      operation: 'sessions.insert',
      plan: [],
      hints: [],
      problem: 'not a SELECT: not explained',
    },
    {
      queryId: marketOverview.queryId,
      operation: 'market.overview',
      plan: ['Seq Scan on market_overview  (cost=0.00..412.00 rows=20000 width=48)'],
      hints: [],
    },
  ],
};

/**
 * The two slowest quotes requests of the hour (exemplars in its (0.5, 1] bucket). The first one's spans nest
 * inside each other: the handler 0.4 + 978.9 = 979.3 ms ends before the request's 982 ms, the pool wait
 * 2.9 + 310.4 = 313.3 ms before the statement starts at 313.5 ms, which ends at 978.3 ms. Its SQL holds `||`,
 * which the Markdown must escape. The second one's spans were not received.
 */
const full: Diagnosis = {
  time: '2026-11-30T08:00:00.000Z',
  breakdowns: [latency, errors, db, cache],
  slowQueries,
  slowRequests: {
    status: 'ok',
    slo: 'latency-p95',
    window: '1h',
    requests: [
      {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        endpoint: '/api/market/quotes',
        method: 'GET',
        statusCode: '200',
        seconds: 0.982,
        time: '2026-11-30T07:41:07.250Z',
        origin: 'load journey market-browsing',
        spans: [
          { name: 'handler - quotes', kind: 'handler', depth: 1, offsetMs: 0.4, durationMs: 978.9 },
          { name: 'cache quotes', kind: 'cache', depth: 2, offsetMs: 0.6, durationMs: 2.1, detail: 'L1 miss, L2 miss' },
          { name: 'get', kind: 'l2', depth: 3, offsetMs: 0.8, durationMs: 1.2, detail: 'get quotes:600519' },
          { name: 'pg-pool.connect', kind: 'pool', depth: 2, offsetMs: 2.9, durationMs: 310.4 },
          {
            name: 'pg.query:SELECT mystocks',
            kind: 'sql',
            depth: 2,
            offsetMs: 313.5,
            durationMs: 664.8,
            detail:
              "/* operation=quotes.latest */ SELECT symbol || ':' || name AS label, close FROM quotes WHERE symbol = $1",
          },
        ],
      },
      {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        endpoint: '/api/market/quotes',
        method: 'GET',
        statusCode: '200',
        seconds: 0.91,
        time: '2026-11-30T07:12:44.031Z',
        spans: [],
        problem: 'no spans of this trace were received',
      },
    ],
  },
};

/**
 * A diagnosis that could read less: one breakdown whose queries failed, one of twelve endpoints (more rows than
 * the text shows), an SLO whose series cannot be told apart; no PostgreSQL, and the exemplars query failed too.
 * Twelve endpoints of 500 requests with 60, 30, 30, 20, 20, 10, 10, 10, 5, 5, 0, 0 5xx answers: 200 in all, so
 * the shares of the bad ones are 0.3, 0.15, ... 0.025, 0, 0, and each 5xx share is errors / 500.
 */
const PROMETHEUS_FAILED =
  'Prometheus at http://127.0.0.1:9090 kept failing: HTTP 503: Service Unavailable (2 attempts)';
const twelve = [60, 30, 30, 20, 20, 10, 10, 10, 5, 5, 0, 0].map(
  (bad, i): BreakdownRow => ({
    labels: { endpoint: `/api/route-${String(i + 1).padStart(2, '0')}`, method: i % 3 === 0 ? 'POST' : 'GET' },
    count: 500,
    p50: 0.012 + i * 0.001,
    p95: 0.04 + i * 0.005,
    p99: 0.09 + i * 0.01,
    errors: bad,
    errorShare: bad / 500,
    slow: i < 2 ? 3 : 0,
    contribution: bad / 200,
  }),
);
const partial: Diagnosis = {
  time: '2026-11-30T08:00:00.000Z',
  breakdowns: [
    {
      slo: 'latency-p95',
      focus: 'latency',
      window: '30m',
      by: ['endpoint', 'method'],
      bound: 0.3,
      rows: [],
      culprits: [],
      problem: PROMETHEUS_FAILED,
    },
    {
      slo: 'error-rate',
      focus: 'errors',
      window: '30m',
      by: ['endpoint', 'method'],
      rows: twelve,
      culprits: twelve
        .filter((row) => (row.errors ?? 0) > 0)
        .map((row) => `${row.labels.method} ${row.labels.endpoint} answered ${row.errors} 5xx of 500 requests`),
    },
    {
      slo: 'checkout-latency',
      focus: null,
      window: '30m',
      by: [],
      rows: [],
      culprits: [],
      problem:
        'cannot tell which series to break down: its value query reads both http_request_duration_seconds_bucket and db_query_duration_seconds_bucket',
    },
  ],
  slowQueries: {
    status: 'skipped',
    reason:
      'no PostgreSQL URL: give one whose role may read pg_stat_statements (pg_read_all_stats) to see slow statements',
  },
  slowRequests: { status: 'error', slo: 'latency-p95', window: '30m', reason: PROMETHEUS_FAILED, requests: [] },
};

describe('the diagnosis read-out', () => {
  it('reads as its golden files when every source answered', () => {
    const text = renderDiagnosisTable(full);
    assertGolden(TESTDATA, 'diagnosis-full.golden.txt', text);
    assertGolden(TESTDATA, 'diagnosis-full.golden.md', renderDiagnosisMarkdown(full));
    // The row breakdown.int.test.ts reads off the same hour in a real Prometheus: 600 of the 620 bad requests.
    assert.match(text, /GET \/api\/market\/quotes\s+1000\s+340 ms\s+750 ms\s+950 ms\s+0\s+0 %\s+600\s+600\s+96\.77 %/);
  });

  it('reads as its golden files when sources failed, and says what it left out', () => {
    const text = renderDiagnosisTable(partial);
    const markdown = renderDiagnosisMarkdown(partial);
    assertGolden(TESTDATA, 'diagnosis-partial.golden.txt', text);
    assertGolden(TESTDATA, 'diagnosis-partial.golden.md', markdown);
    // Ten of the twelve rows are shown; both forms say where the other two are (the Markdown after a blank
    // line, or it would read as a row of the table).
    assert.equal(TEXT_ROWS, 10);
    assert.match(text, /\n {2}\.\.\. 2 more in the JSON report\n/);
    assert.match(markdown, /\| 2\.5 % \|\n\n_\.\.\. 2 more in the JSON report_\n/);
  });

  it("rides on each diagnosed SLO's Allure result, as an attachment and under its description, as its golden file", async (t) => {
    // The golden run's SLO report: latency-p95 breached and cache-hit-rate without data, each with a breakdown
    // in the full diagnosis; availability met, with none. A result ends when it is written: the clock stands
    // still at the report's time.
    const stop = Date.parse(GOLDEN_SLO_REPORT.time);
    t.mock.timers.enable({ apis: ['Date'], now: stop });
    const dir = mkdtempSync(join(tmpdir(), 'diagnosis-allure-'));
    try {
      await writeAllureResultsWithDiagnosis(GOLDEN_SLO_REPORT, full, dir, stop - 30_000);
      const text = allureResultsText(dir);
      assertGolden(TESTDATA, 'diagnosis-allure.golden.json', text);
      const results = JSON.parse(text).results as { name: string; attachments: { name: string }[] }[];
      assert.deepEqual(
        results.map((r) => [r.name, r.attachments.map((a) => a.name)]),
        [
          ['SLO availability', []],
          ['SLO cache-hit-rate', ['Diagnosis']],
          ['SLO latency-p95', ['Diagnosis']],
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
