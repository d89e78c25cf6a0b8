// Golden tests of `harness load compare`'s table (renderComparisonTable, also compare.txt and verify's compare
// stage): three seeded pairs of runs (testing/compared-runs.ts) rendered and compared with
// testdata/compare-*.golden.txt. `UPDATE_GOLDEN=1 node --test report/load/compare.test.ts` rewrites them; read the
// diff before committing. The figures are the seeded bootstrap's, so a change to the statistics shows here too;
// whether the statistics are right is compare.test.ts's business, this file holds the words and the layout.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertGolden } from '../../core/testing/golden.ts';
import { type Cell, type Comparison, OVERALL } from '../../load/compare.ts';
import { comparedRuns } from '../../load/testing/compared-runs.ts';
import { comparisonToAllure, renderComparisonTable } from './compare.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');

function cell(c: Comparison, endpoint: string, metric: Cell['metric']): Cell {
  const found = c.rows.find((row) => row.endpoint === endpoint)?.cells.find((x) => x.metric === metric);
  assert.ok(found, `${endpoint} ${metric}`);
  return found;
}

describe('the load comparison table', () => {
  it("gives one Allure result per endpoint, as its golden file (each result's random uuid left out)", () => {
    const c = comparedRuns('regression');
    const results = comparisonToAllure(c, Date.UTC(2026, 10, 30, 7), Date.UTC(2026, 10, 30, 7, 1));
    const stable = results.map((result) => ({ ...result, uuid: '(random)' }));
    assertGolden(TESTDATA, 'compare-allure-regression.golden.json', `${JSON.stringify(stable, null, 2)}\n`);
    assert.equal(results.length, c.rows.length);
  });

  it('reads as its golden file for a regression, beside a figure it cannot tell and thin ones it lists', () => {
    const c = comparedRuns('regression');
    const table = renderComparisonTable(c);
    assertGolden(TESTDATA, 'compare-regression.golden.txt', table);
    // What the golden shows, checked against the cells: B − A is B's figure less A's, and each verdict is where
    // the interval lies against the margin (all of it beyond +margin: a regression; straddling it: cannot tell).
    const quotes = cell(c, '/api/market/quotes/:symbol', 'p50');
    assert.equal(quotes.difference, Math.round((quotes.b! - quotes.a!) * 100) / 100);
    assert.ok(quotes.interval![0] > quotes.margin!, 'the whole interval lies beyond the margin');
    assert.equal(quotes.verdict, 'regression');
    const portfolio = cell(c, '/api/portfolio/summary', 'p50');
    assert.ok(portfolio.interval![0] < portfolio.margin! && portfolio.interval![1] > portfolio.margin!);
    assert.equal(portfolio.verdict, 'inconclusive');
    assert.match(table, /^\/api\/portfolio\/summary \(360\/360 req\) +p50 .* cannot tell$/m);
    // The rare endpoint's 60 requests judge its P50 (20 needed) but not its P95 (200 needed).
    assert.equal(cell(c, '/api/export/csv', 'p95').verdict, 'not-enough-data');
    assert.equal(c.rows[0]!.endpoint, OVERALL);
  });

  it('reads as its golden file when the pair cannot tell, naming the figure', () => {
    const table = renderComparisonTable(comparedRuns('inconclusive'));
    assertGolden(TESTDATA, 'compare-inconclusive.golden.txt', table);
    assert.match(table, /\nverdict: INCONCLUSIVE\n {2}- cannot tell: \/api\/portfolio\/summary p50 /);
  });

  it('reads as its golden file for a healthy pair, saying which margins it answered and what did not decide', () => {
    const table = renderComparisonTable(comparedRuns('healthy'));
    assertGolden(TESTDATA, 'compare-healthy.golden.txt', table);
    assert.match(table, /\nverdict: no significant difference\n {2}- no regression larger than the margins used: /);
    // Six figures not judged (the rare endpoint's P95, P99 and error share, the busy ones' P99: 1000 requests
    // needed, 360 each) and ten listed only: every per-endpoint throughput (4), the busy endpoints' P95 (2000
    // needed to decide), the rare one's P50 (200), and the overall P95 and P99 (2000 and 10000, of 1140): these
    // two are not per-endpoint figures, which the reason once said they all were.
    assert.match(table, /\(6 figures had too few samples to judge and are listed as such; 10 figures \(every /);
  });
});
