// counterWindowed: OpenSLO's `counter: true` applied through the PromQL syntax tree, and each shape it refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterWindowed } from './promql.ts';

describe('counterWindowed: the window applied to every counter selector', () => {
  const applied = (query: string) => {
    const result = counterWindowed(query);
    assert.ok('query' in result, `refused: ${JSON.stringify(result)}`);
    assert.equal(result.applied, true);
    return result.query;
  };

  it("reads the OpenSLO SDK's bare counters over the window", () => {
    assert.equal(
      applied('http_requests_total{status_code="200"}'),
      'increase(http_requests_total{status_code="200"}[{{window}}])',
    );
    assert.equal(applied('http_requests_total{}'), 'increase(http_requests_total{}[{{window}}])');
  });

  it('passes through sum (with by), +, -, or vector(0), a product by a number, label functions, comments', () => {
    assert.equal(
      applied('sum by (route) (http_requests_total{code=~"5.."}) or vector(0)'),
      'sum by (route) (increase(http_requests_total{code=~"5.."}[{{window}}])) or vector(0)',
    );
    assert.equal(
      applied('sum(a_total) + sum(b_total)'),
      'sum(increase(a_total[{{window}}])) + sum(increase(b_total[{{window}}]))',
    );
    assert.equal(
      applied('(sum(a_total) - sum(b_total)) * 2'),
      '(sum(increase(a_total[{{window}}])) - sum(increase(b_total[{{window}}]))) * 2',
    );
    assert.equal(applied('sum(a_total) / 100'), 'sum(increase(a_total[{{window}}])) / 100');
    assert.equal(applied('-sum(a_total)'), '-sum(increase(a_total[{{window}}]))');
    assert.equal(
      applied('label_replace(a_total, "x", "$1", "y", "(.*)")'),
      'label_replace(increase(a_total[{{window}}]), "x", "$1", "y", "(.*)")',
    );
    // A selector split over lines, with a comment: only the selector's span is wrapped.
    assert.equal(
      applied('sum(\n  a_total{job="a"} # requests\n)'),
      'sum(\n  increase(a_total{job="a"}[{{window}}]) # requests\n)',
    );
  });

  it('leaves a query that already reads every counter over {{window}} (or {{.window}}) as written', () => {
    for (const query of [
      'sum(rate(a_total[{{window}}]))',
      'sum(increase(a_total[{{.window}}])) - sum(increase(b_total[{{ window }}]))',
    ])
      assert.deepEqual(counterWindowed(query), { query, applied: false });
  });

  it('refuses each shape it cannot apply the window to safely, saying what stands in the way', () => {
    const cases: [string, string][] = [
      [
        'sum(rate(a_total[5m]))',
        'reads a range already (rate(a_total[5m])), and the harness applies the window: give the counter alone, or read it over [{{window}}] without counter: true',
      ],
      [
        'sum(rate(a_total[{{window}}])) + sum(b_total)',
        'reads some counters over [{{window}}] and others (b_total) without; give every counter alone',
      ],
      [
        'sum(a_total offset 1h)',
        'moves a counter in time (a_total offset 1h), so its increase would not be over the window judged',
      ],
      [
        'sum(a_total @ 100)',
        'moves a counter in time (a_total @ 100), so its increase would not be over the window judged',
      ],
      ['max_over_time(a_total[1h:5m])', 'has a subquery (a_total[1h:5m]); the window cannot be applied through one'],
      [
        'max(a_total)',
        "takes max() of a counter's value (max(a_total)); the window passes only through sum, since max() of increases is not the increase of max()",
      ],
      [
        'abs(a_total)',
        "calls abs() on a counter's value (abs(a_total)); the window passes only through sum, +, -, and label functions",
      ],
      [
        'sum(a_total > 5)',
        `combines a counter's value in "a_total > 5", which is not the same once each counter is an increase; the window passes only through +, -, or, and, unless, and a product by a number`,
      ],
      [
        'sum(a_total) * sum(b_total)',
        `combines a counter's value in "sum(a_total) * sum(b_total)", which is not the same once each counter is an increase; the window passes only through +, -, or, and, unless, and a product by a number`,
      ],
      ['vector(1)', 'selects no series, so there is no counter to apply the window to'],
      [
        'sum(a_total',
        'does not parse as PromQL: it ends before the expression does (an unclosed bracket, or an operator without its right side?)',
      ],
    ];
    for (const [query, problem] of cases) assert.deepEqual(counterWindowed(query), { problem }, query);
  });
});
