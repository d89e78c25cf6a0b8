// The PromQL helpers on unusual but valid forms: what the rate -> increase rewrite must and must not touch,
// located syntax errors, irate refused, and the rule that finds a bad query without a series on a healthy
// service. Every expected text is written out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { itEachCase } from '../testing/cases.ts';
import {
  bucketBound,
  bucketCounts,
  countedQuery,
  emptyBadQueryWarning,
  emptyWhenNothingFails,
  functionsCalled,
  goodOfDifference,
  matcherText,
  promqlSyntaxError,
  quantileParts,
  rangeReads,
  readSelectors,
  sliQueryProblem,
} from './promql.ts';

describe('countedQuery: rate over the window counted as increase', () => {
  const cases: [string, string, string][] = [
    [
      "Sloth's own style",
      'sum(rate(http_requests_total{job="a"}[{{.window}}]))',
      'sum(increase(http_requests_total{job="a"}[{{.window}}]))',
    ],
    ["the model's template", 'sum(rate(x[{{window}}]))', 'sum(increase(x[{{window}}]))'],
    ['a space before the parenthesis', 'rate (x[{{window}}])', 'increase (x[{{window}}])'],
    [
      'nested in an aggregation with by before the body, single quotes',
      "sum by (a)(rate(x{job='y'}[{{.window}}]))",
      "sum by (a)(increase(x{job='y'}[{{.window}}]))",
    ],
    [
      'a selector split over lines, a spaced template (offsets after it stay right)',
      'sum(\n  rate(\n    http_requests_total{\n      job="a",\n      status_code=~"5.."\n    }[{{ .window }}]\n  )\n) / sum(rate(y[{{ .window }}]))',
      'sum(\n  increase(\n    http_requests_total{\n      job="a",\n      status_code=~"5.."\n    }[{{ .window }}]\n  )\n) / sum(increase(y[{{ .window }}]))',
    ],
    [
      '"rate" as a label value and rate_total as the metric: only the function',
      'sum(rate(rate_total{name="rate"}[{{window}}]))',
      'sum(increase(rate_total{name="rate"}[{{window}}]))',
    ],
    [
      'a metric named rate',
      'rate(rate[{{window}}]) + increase(rate[{{window}}])',
      'increase(rate[{{window}}]) + increase(rate[{{window}}])',
    ],
    ['through an offset', 'rate(x[{{window}}] offset 1h)', 'increase(x[{{window}}] offset 1h)'],
    [
      'a label value "rate(" is a string, not a call',
      'sum(x{a="rate(y[{{window}}])"})',
      'sum(x{a="rate(y[{{window}}])"})',
    ],
    ['a rate over another range: per second on purpose', 'sum(rate(x[5m]))', 'sum(rate(x[5m]))'],
    [
      'a rate inside a subquery over the window: its range is 5m',
      'max_over_time(rate(x[5m])[{{window}}:1m])',
      'max_over_time(rate(x[5m])[{{window}}:1m])',
    ],
    [
      'the placeholder duration spelled in the query itself is not the window',
      'rate(x[98765432101s]) + rate(x[{{window}}])',
      'rate(x[98765432101s]) + increase(x[{{window}}])',
    ],
    [
      'increase and irate untouched',
      'increase(x[{{window}}]) + irate(x[{{window}}])',
      'increase(x[{{window}}]) + irate(x[{{window}}])',
    ],
    ['a query that does not parse is left to Prometheus', 'sum(rate(x[{{window}}])', 'sum(rate(x[{{window}}])'],
  ];
  itEachCase(cases, countedQuery);
});

describe('promqlSyntaxError and sliQueryProblem', () => {
  it('accepts valid queries with either template spelling', () => {
    for (const query of [
      'sum(rate(x[{{.window}}])) or vector(0)',
      'sum(increase(x[{{ window }}]))',
      'histogram_quantile(0.95, sum by (le) (rate(x_bucket[{{window}}])))',
      "x{'status.code'=~'5..'} or on() vector(0)",
    ]) {
      assert.equal(promqlSyntaxError(query), undefined, query);
    }
  });

  it('locates an unexpected character in the query as written (templates counted as written)', () => {
    // "sum(rate(x[" 11 + "{{.window}}" 11 + "]))" 3 + " " 1: the stray ")" is character 27.
    assert.equal(
      promqlSyntaxError('sum(rate(x[{{.window}}])) )'),
      'does not parse as PromQL: unexpected ")" at character 27',
    );
  });

  it('says when a query ends too early', () => {
    const message =
      'does not parse as PromQL: it ends before the expression does (an unclosed bracket, or an operator without its right side?)';
    assert.equal(promqlSyntaxError('sum(rate(x[{{.window}}])'), message);
    assert.equal(promqlSyntaxError('sum(x) /\n'), message);
  });

  it('refuses irate for an SLI, and names the functions a query calls (aggregations are not calls)', () => {
    assert.deepEqual(functionsCalled('sum(irate(x[5m])) / sum(rate(y[5m])) or vector(0)'), ['irate', 'rate', 'vector']);
    assert.equal(
      sliQueryProblem('sum(irate(x[{{.window}}]))'),
      'uses irate(), which reads only the last two samples of its range, not the events over the window; use rate() or increase()',
    );
    // A metric or a label value called irate is no call.
    assert.equal(sliQueryProblem('sum(increase(irate{a="irate"}[{{window}}]))'), undefined);
  });
});

describe('emptyWhenNothingFails: a bad query without a series on a healthy service', () => {
  const total = 'sum(rate(http_requests_total{job="a"}[{{.window}}]))';
  const bad = 'sum(rate(http_requests_total{job="a",status_code=~"5.."}[{{.window}}]))';

  it('finds the filtering matcher of an aggregation over a filtered counter (job is in the total too)', () => {
    assert.deepEqual(emptyWhenNothingFails(bad, total), ['status_code=~"5.."']);
    // Not aggregated, and split over lines: the same.
    assert.deepEqual(
      emptyWhenNothingFails('increase(\n  http_requests_total{job="a",\n    code="500"}[{{window}}])', total),
      ['code="500"'],
    );
  });

  it('passes one that always has a series: or vector(0), or on() vector(0), in parentheses, or no filter', () => {
    assert.equal(emptyWhenNothingFails(`${bad} or vector(0)`, total), undefined);
    assert.equal(emptyWhenNothingFails(`(${bad} or on() vector(0))`, total), undefined);
    assert.equal(
      emptyWhenNothingFails('sum(rate(jobs_failed_total[{{.window}}]))', 'sum(rate(jobs_total[{{.window}}]))'),
      undefined,
    );
    // A matcher the total has too selects the service, not the errors.
    assert.equal(
      emptyWhenNothingFails(
        'sum(rate(errors_total{job="a"}[{{.window}}]))',
        'sum(rate(requests_total{job="a"}[{{.window}}]))',
      ),
      undefined,
    );
  });

  it('follows the expression: a sum of two filtered terms, or with only one side filtered, unless', () => {
    assert.deepEqual(emptyWhenNothingFails('sum(x{code="500"}) + sum(x{code="503"})', 'sum(x)'), [
      'code="500"',
      'code="503"',
    ]);
    assert.equal(emptyWhenNothingFails('sum(x{code="500"}) or sum(x)', 'sum(x)'), undefined);
    assert.deepEqual(emptyWhenNothingFails('sum(x{code="500"}) unless sum(x)', 'sum(x)'), ['code="500"']);
    assert.deepEqual(emptyWhenNothingFails("-sum(x{'code'='500'})", 'sum(x)'), ["'code'='500'"]);
  });

  it('judges a raw error ratio (total vector(1)) against the matchers its own selectors share; le never filters', () => {
    assert.deepEqual(
      emptyWhenNothingFails(
        'sum(rate(x{job="a",code=~"5.."}[{{.window}}])) / sum(rate(x{job="a"}[{{.window}}]))',
        'vector(1)',
      ),
      ['code=~"5.."'],
    );
    // Sloth's latency ratio: a histogram's buckets are all exported from the first observation on.
    assert.equal(
      emptyWhenNothingFails(
        '1 - (\n  sum(rate(d_bucket{job="c",le="0.5"}[{{.window}}]))\n  /\n  sum(rate(d_count{job="c"}[{{.window}}]))\n)\n',
        'vector(1)',
      ),
      undefined,
    );
  });

  it('gives the warning with the fix, and none for a query that does not parse', () => {
    assert.equal(
      emptyBadQueryWarning(bad, total),
      'returns no data while nothing fails (status_code=~"5.." selects no series until the first error), and no data is inconclusive, not 0 errors: append `or vector(0)`',
    );
    assert.equal(emptyBadQueryWarning('sum(x{code="500"}', total), undefined);
  });
});

describe('goodOfDifference: a good query written as (total) - (good)', () => {
  const total = 'sum(increase(x[{{window}}]))';
  it('finds the good query, parentheses inside it included', () => {
    assert.equal(
      goodOfDifference(`(${total}) - (sum(increase(x{ok="1"}[{{window}}])))`, total),
      'sum(increase(x{ok="1"}[{{window}}]))',
    );
    assert.equal(goodOfDifference(`(${total}) - ((a) - (b))`, total), '(a) - (b)');
  });

  it('finds none in any other shape', () => {
    assert.equal(goodOfDifference(`(${total}) - (a) - (b)`, total), undefined);
    assert.equal(goodOfDifference('(sum(y)) - (a)', total), undefined);
    assert.equal(goodOfDifference(`${total} - a`, total), undefined);
    assert.equal(goodOfDifference(`(${total}) + (a)`, total), undefined);
  });
});

describe('readSelectors: the vector selectors of a query, from the syntax tree', () => {
  it('reads the metric from a name, a quoted name or __name__, and every other matcher in order', () => {
    const read = readSelectors(
      'sum(rate(x_bucket{job="a",le="0.3"}[{{window}}])) / sum(rate({"y_total", job!~"b|c"}[5m])) + on() z{__name__="w"}',
    );
    assert.deepEqual(read, {
      selectors: [
        {
          metric: 'x_bucket',
          matchers: [
            { label: 'job', op: '=', value: 'a' },
            { label: 'le', op: '=', value: '0.3' },
          ],
        },
        { metric: 'y_total', matchers: [{ label: 'job', op: '!~', value: 'b|c' }] },
        // A name and __name__ both: the name is the metric, __name__ stays a matcher.
        { metric: 'z', matchers: [{ label: '__name__', op: '=', value: 'w' }] },
      ],
    });
  });

  it("decodes a value as Prometheus does: quotes of any kind, Go's escapes, bytes read as UTF-8", () => {
    const read = readSelectors(
      'x{a="\\xc3\\xa9", b=\'q\\\'s\', c=`r\\n`, d="\\u00e9\\n\\"", e="\\303\\251", "f.g"="h"}',
    );
    assert.ok('selectors' in read);
    assert.deepEqual(
      read.selectors[0]!.matchers.map((m) => [m.label, m.value]),
      [
        ['a', 'é'],
        ['b', "q's"],
        ['c', 'r\\n'],
        ['d', 'é\n"'],
        ['e', 'é'],
        ['f.g', 'h'],
      ],
    );
    // Written back as PromQL: JSON's escapes, a label name that is not an identifier quoted.
    assert.deepEqual(read.selectors[0]!.matchers.slice(3).map(matcherText), ['d="é\\n\\""', 'e="é"', '"f.g"="h"']);
  });

  it('a label value or a by() clause that spells a matcher is not one; a query that does not parse says why', () => {
    assert.deepEqual(readSelectors('sum by (job) (x{note="job=\\"b\\""})'), {
      selectors: [{ metric: 'x', matchers: [{ label: 'note', op: '=', value: 'job="b"' }] }],
    });
    assert.deepEqual(readSelectors('sum(x{job="a"}'), {
      syntaxError:
        'does not parse as PromQL: it ends before the expression does (an unclosed bracket, or an operator without its right side?)',
    });
  });

  it('bucketBound reads one le="N" as a number, in any spelling of the number', () => {
    assert.deepEqual(bucketBound('sum(increase(x_bucket{le="1e+00"}[1h]))'), { bound: 1 });
    assert.deepEqual(bucketBound('x_bucket{le=\'0.25\'} / x_bucket{le="0.25"}'), { bound: 0.25 });
    assert.deepEqual(bucketBound('x_bucket{le="le"}'), {
      problem: 'reads le="le", which is not a finite bucket bound',
    });
  });
});

describe('quantileParts and rangeReads (the rules renderer records buckets, and its tests read ranges)', () => {
  it('splits a histogram_quantile at its buckets argument, as written, {{window}} kept', () => {
    assert.deepEqual(quantileParts('histogram_quantile(0.95, sum by (le) (rate(x_bucket{job="a"}[{{window}}])))'), {
      quantile: '0.95',
      buckets: 'sum by (le) (rate(x_bucket{job="a"}[{{window}}]))',
    });
    assert.deepEqual(quantileParts('(histogram_quantile(0.5, sum(increase(x_bucket[{{ window }}])) by (le)))'), {
      quantile: '0.5',
      buckets: 'sum(increase(x_bucket[{{ window }}])) by (le)',
    });
  });

  it('says why a query cannot be recorded by its buckets', () => {
    assert.deepEqual(quantileParts('max_over_time(x[{{window}}])'), {
      problem: 'the query is not one histogram_quantile() call',
    });
    assert.deepEqual(quantileParts('histogram_quantile(0.9, sum by (le) (rate(x_bucket[1h])))'), {
      problem: 'the buckets are not read over [{{window}}]',
    });
    assert.deepEqual(quantileParts('histogram_quantile(0.9, max by (le) (rate(x_bucket[{{window}}])))'), {
      problem: 'the buckets are aggregated with max(), which does not add their counts up as sum does',
    });
  });

  it('reads every range of a query with its metric, recorded or raw', () => {
    assert.deepEqual(
      rangeReads('sum_over_time(slo:sli_buckets:5m{a="b"}[30d]) / sum(rate({__name__="x_total"}[5m] offset 1h))'),
      {
        reads: [
          { metric: 'slo:sli_buckets:5m', range: '30d' },
          { metric: 'x_total', range: '5m' },
        ],
      },
    );
    assert.deepEqual(rangeReads('vector(1)'), { reads: [] });
  });
});

describe('bucketCounts: every bucket of the histogram a latency ratio reads (its noise rule)', () => {
  it('drops the le matcher, counts by le over the same range, and keeps every other matcher and modifier as written', () => {
    // What sli.latency writes for the seed's latency-300ms.
    assert.deepEqual(
      bucketCounts(
        'sum(increase(http_request_duration_seconds_bucket{job="mystocks-api",endpoint!="/healthz",le="0.3"}[{{window}}]))',
      ),
      {
        bound: 0.3,
        histogram: 'http_request_duration_seconds',
        query:
          'sum by (le) (increase(http_request_duration_seconds_bucket{job="mystocks-api",endpoint!="/healthz"}[{{window}}]))',
      },
    );
    // le first, single quotes, an offset: the rest stays as written; rate() becomes increase(), counts.
    assert.deepEqual(bucketCounts("sum(rate(x_seconds_bucket{le='0.5', job='a'}[{{window}}] offset 1h))"), {
      bound: 0.5,
      histogram: 'x_seconds',
      query: "sum by (le) (increase(x_seconds_bucket{job='a'}[{{window}}] offset 1h))",
    });
    // The name as __name__ or a quoted string stays a matcher.
    assert.deepEqual(bucketCounts('sum(increase({__name__="x_bucket", le="1"}[5m]))'), {
      bound: 1,
      histogram: 'x',
      query: 'sum by (le) (increase({__name__="x_bucket"}[5m]))',
    });
  });

  it('says why when the query does not read one bucket of a classic histogram under sum', () => {
    assert.deepEqual(
      [
        'sum(increase(x_bucket[5m]))',
        'sum(increase(x_bucket{le=~"0.3|0.5"}[5m]))',
        'max(increase(x_bucket{le="0.5"}[5m]))',
        'sum(increase(x_count{le="0.5"}[5m]))',
        'sum(increase(x_bucket{le="0.5"}[5m])) / 2',
      ].map((query) => bucketCounts(query)),
      [
        { problem: 'it names no bucket (it has no le="..." matcher)' },
        { problem: 'it reads le=~"0.3|0.5", which is not one bucket (write le="BOUND")' },
        { problem: 'the buckets are aggregated with max(), which does not add their counts up as sum does' },
        { problem: "x_count is not a classic histogram's _bucket series" },
        {
          problem:
            'the buckets are "sum(increase(x_bucket{le="0.5"}[5m])) / 2", not one rate() or increase() of a bucket selector under sum',
        },
      ],
    );
  });
});
