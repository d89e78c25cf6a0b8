// Issue #28: an SLO whose query is written in an unusual but valid form keeps, all three at once, its job
// override (`--job`: modelWithJob, what `harness slo rules --job X` and `harness verify --job X` apply), its
// evidence count (a quantile's derived `_count` query, a ratio's rate() counted as increase()) and its
// diagnosis focus (which series the breakdown reads, and for which job). All three are read from the PromQL
// syntax tree; every expected text is written out by hand. Unit tier: no Prometheus is asked here (the
// breakdown's answers for such forms are diagnose/breakdown.int.test.ts's), so the results focusOf reads are
// built from the model as slo/evaluate/evaluate.ts asks them: renderQuery of the threshold query, renderQuery
// of countedQuery of a ratio's bad query.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QueryRecord } from '../slo/evaluate/evaluate.ts';
import { parseSloConfig } from '../slo/load.ts';
import { modelWithJob } from '../slo/model/job.ts';
import { renderQuery, type Slo } from '../slo/model/model.ts';
import { countedQuery } from '../slo/model/promql.ts';
import { breakDown, type FocusInput, focusOf, readFocus } from './breakdown.ts';

/** A harness file with one SLO: a threshold SLI (p95 <= 0.3 s) or a ratio SLI (bad over total, 99.9 %). */
function config(sli: { query: string } | { bad: string; total: string }): string {
  // A JSON string is a YAML double-quoted scalar: the query arrives exactly as written, line breaks included.
  const lines =
    'query' in sli
      ? [
          '      threshold:',
          `        query: ${JSON.stringify(sli.query)}`,
          '        operator: "<="',
          '        bound: 0.3',
          '        unit: seconds',
        ]
      : [
          '    objective: 99.9',
          '    sli:',
          '      ratio:',
          `        bad: ${JSON.stringify(sli.bad)}`,
          `        total: ${JSON.stringify(sli.total)}`,
        ];
  const head = ['version: 1', 'service: shop', 'slos:', '  - name: s', '    window: 1h'];
  return [...head, ...('query' in sli ? ['    sli:', ...lines] : lines), ''].join('\n');
}

function sloOf(text: string): Slo {
  const { model } = parseSloConfig(text, 'forms.yaml');
  return model.slos[0]!;
}

/** The queries of the SLO's result, as evaluate.ts sends them (the window rendered, a ratio's rate counted). */
function asEvaluated(slo: Slo): FocusInput {
  const record = (role: QueryRecord['role'], query: string): QueryRecord => ({
    role,
    query: renderQuery(query, slo.windowMs),
    value: null,
  });
  if (slo.sli.kind === 'threshold') {
    return {
      kind: 'threshold',
      queries: [
        record('value', slo.sli.query),
        ...(slo.sli.events === undefined ? [] : [record('events', slo.sli.events)]),
      ],
    };
  }
  return {
    kind: 'ratio',
    queries: [record('bad', countedQuery(slo.sli.bad!)), record('total', countedQuery(slo.sli.total))],
  };
}

/** Focus and the breakdown's selector, or undefined. */
function focusAndJob(slo: Slo): [string, string] | undefined {
  const found = focusOf(asEvaluated(slo));
  return found === undefined ? undefined : [found.focus, found.spec.selector];
}

interface Form {
  why: string;
  sli: { query: string } | { bad: string; total: string };
  /** The derived count of a quantile SLO, or the counted bad query of a ratio SLO, before --job. */
  count: string;
  /** The focus and the breakdown's job matchers, before --job. */
  focus: [string, string];
  /** After `--job team-api`: the threshold query or the bad query, and its count. */
  moved: { query: string; count: string };
}

const FORMS: Form[] = [
  {
    why: 'latency: matchers in another order',
    sli: {
      query:
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{endpoint!="/healthz",job="mystocks-api"}[{{window}}])))',
    },
    count: 'sum(increase(http_request_duration_seconds_count{endpoint!="/healthz",job="mystocks-api"}[{{window}}]))',
    focus: ['latency', 'job="mystocks-api"'],
    moved: {
      query:
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{endpoint!="/healthz",job="team-api"}[{{window}}])))',
      count: 'sum(increase(http_request_duration_seconds_count{endpoint!="/healthz",job="team-api"}[{{window}}]))',
    },
  },
  {
    why: "latency: job='mystocks-api' in single quotes (the breakdown reads the same job, written plainly)",
    sli: {
      query:
        "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job='mystocks-api'}[{{window}}])))",
    },
    count: "sum(increase(http_request_duration_seconds_count{job='mystocks-api'}[{{window}}]))",
    focus: ['latency', 'job="mystocks-api"'],
    moved: {
      query:
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="team-api"}[{{window}}])))',
      count: 'sum(increase(http_request_duration_seconds_count{job="team-api"}[{{window}}]))',
    },
  },
  {
    why: 'latency: job=~"mystocks-api", a regex (the breakdown keeps the regex; --job pins one job)',
    sli: {
      query:
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job=~"mystocks-api"}[{{window}}])))',
    },
    count: 'sum(increase(http_request_duration_seconds_count{job=~"mystocks-api"}[{{window}}]))',
    focus: ['latency', 'job=~"mystocks-api"'],
    moved: {
      query:
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="team-api"}[{{window}}])))',
      count: 'sum(increase(http_request_duration_seconds_count{job="team-api"}[{{window}}]))',
    },
  },
  {
    why: 'db latency: a selector split over lines, increase instead of rate',
    sli: {
      query:
        'histogram_quantile(\n  0.95,\n  sum by (le) (\n    increase(\n      db_query_duration_seconds_bucket{\n        operation!="health.ping",\n        job="mystocks-api"\n      }[{{window}}]\n    )\n  )\n)',
    },
    count: 'sum(increase(db_query_duration_seconds_count{operation!="health.ping",job="mystocks-api"}[{{window}}]))',
    focus: ['db-latency', 'job="mystocks-api"'],
    moved: {
      query:
        'histogram_quantile(\n  0.95,\n  sum by (le) (\n    increase(\n      db_query_duration_seconds_bucket{\n        operation!="health.ping",\n        job="team-api"\n      }[{{window}}]\n    )\n  )\n)',
      count: 'sum(increase(db_query_duration_seconds_count{operation!="health.ping",job="team-api"}[{{window}}]))',
    },
  },
  {
    why: 'errors: rate instead of increase, status_code before job',
    sli: {
      bad: 'sum(rate(http_requests_total{status_code=~"5..",job="mystocks-api"}[{{window}}])) or vector(0)',
      total: 'sum(rate(http_requests_total{job="mystocks-api"}[{{window}}]))',
    },
    count: 'sum(increase(http_requests_total{status_code=~"5..",job="mystocks-api"}[1h])) or vector(0)',
    focus: ['errors', 'job="mystocks-api"'],
    moved: {
      query: 'sum(rate(http_requests_total{status_code=~"5..",job="team-api"}[{{window}}])) or vector(0)',
      count: 'sum(increase(http_requests_total{status_code=~"5..",job="team-api"}[1h])) or vector(0)',
    },
  },
  {
    why: 'errors: split over lines, spaced matchers in single quotes',
    sli: {
      bad: "sum(\n  rate(\n    http_requests_total{\n      job = 'mystocks-api',\n      status_code =~ '5..'\n    }[{{window}}]\n  )\n) or vector(0)",
      total: "sum(rate(http_requests_total{job='mystocks-api'}[{{window}}]))",
    },
    count:
      "sum(\n  increase(\n    http_requests_total{\n      job = 'mystocks-api',\n      status_code =~ '5..'\n    }[1h]\n  )\n) or vector(0)",
    focus: ['errors', 'job="mystocks-api"'],
    moved: {
      query:
        'sum(\n  rate(\n    http_requests_total{\n      job="team-api",\n      status_code =~ \'5..\'\n    }[{{window}}]\n  )\n) or vector(0)',
      count:
        'sum(\n  increase(\n    http_requests_total{\n      job="team-api",\n      status_code =~ \'5..\'\n    }[1h]\n  )\n) or vector(0)',
    },
  },
];

/** The query the form moves and its count, read from a model's only SLO. */
function queryAndCount(slo: Slo): { query: string; count: string } {
  if (slo.sli.kind === 'threshold') return { query: slo.sli.query, count: slo.sli.events ?? '(none)' };
  return { query: slo.sli.bad!, count: asEvaluated(slo).queries.find((q) => q.role === 'bad')!.query };
}

describe('an SLO in an unusual but valid form keeps its job override, evidence count and diagnosis focus', () => {
  for (const form of FORMS) {
    it(form.why, () => {
      const slo = sloOf(config(form.sli));
      assert.equal(queryAndCount(slo).count, form.count);
      assert.deepEqual(focusAndJob(slo), form.focus);

      const model = parseSloConfig(config(form.sli), 'forms.yaml').model;
      const warnings: string[] = [];
      const moved = modelWithJob(model, 'team-api', (w) => warnings.push(w)).slos[0]!;
      assert.deepEqual(queryAndCount(moved), form.moved);
      assert.deepEqual(warnings, []);
      // Judged for team-api, the breakdown reads team-api's series too, with the same focus.
      assert.deepEqual(focusAndJob(moved), [form.focus[0], 'job="team-api"']);
    });
  }

  it('a metric name inside a label value is text: another histogram is not the HTTP latency', () => {
    const slo = sloOf(
      config({
        query:
          'histogram_quantile(0.95, sum by (le) (rate(queue_wait_seconds_bucket{job="worker",source="http_request_duration_seconds_bucket"}[{{window}}])))',
      }),
    );
    assert.equal(focusOf(asEvaluated(slo)), undefined);
    assert.equal(readFocus(asEvaluated(slo)), undefined);
  });

  it('a negative job matcher is kept as the breakdown selector: it reads what the SLO reads', () => {
    const slo = sloOf(
      config({
        query:
          'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job!="batch"}[{{window}}])))',
      }),
    );
    assert.deepEqual(focusAndJob(slo), ['latency', 'job!="batch"']);
  });

  it('a 5xx matcher on another metric than http_requests_total is no error focus', () => {
    const slo = sloOf(
      config({
        bad: 'sum(increase(http_requests_total{job="a"}[{{window}}])) - sum(increase(upstream_total{status_code=~"5.."}[{{window}}]))',
        total: 'sum(increase(http_requests_total{job="a"}[{{window}}]))',
      }),
    );
    assert.equal(focusOf(asEvaluated(slo)), undefined);
  });

  it('selectors that read different jobs are a problem, said in the breakdown, never one job guessed', async () => {
    const bad =
      'sum(increase(http_requests_total{job="a",status_code=~"5.."}[{{window}}])) + sum(increase(http_requests_total{job="b",status_code=~"5.."}[{{window}}]))';
    const slo = sloOf(config({ bad, total: 'sum(increase(http_requests_total[{{window}}]))' }));
    const problem =
      'its http_requests_total selectors read different jobs (job="a"; job="b"), so no one job is broken down';
    assert.deepEqual(readFocus(asEvaluated(slo)), { problem });
    assert.equal(focusOf(asEvaluated(slo)), undefined);
    // breakDown asks Prometheus nothing for it: the client is never called (a real one is the int test's).
    const never = new Proxy(
      {},
      {
        get: () => {
          throw new Error('breakDown asked Prometheus for an SLO it cannot focus');
        },
      },
    ) as Parameters<typeof breakDown>[0];
    const result = { ...asEvaluated(slo), name: 's', window: '1h', objective: 99.9 } as Parameters<typeof breakDown>[1];
    const breakdown = await breakDown(never, result, 0);
    assert.equal(breakdown.focus, null);
    assert.equal(breakdown.problem, `cannot tell which series to break down: ${problem}`);
  });

  it('a value query that does not parse is a problem with its position, not a focus read from its text', () => {
    const input: FocusInput = {
      kind: 'threshold',
      queries: [
        {
          role: 'value',
          query: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="a"}[1h]))',
          value: null,
        },
      ],
    };
    assert.deepEqual(readFocus(input), {
      problem:
        'its value query does not parse as PromQL: it ends before the expression does (an unclosed bracket, or an operator without its right side?)',
    });
  });
});

describe('a latency SLI (the share of requests within a bucket) is a latency focus at its bucket bound', () => {
  /** A ratio result as evaluate.ts records it, its queries over 1h. */
  const ratio = (queries: [QueryRecord['role'], string][]): FocusInput => ({
    kind: 'ratio',
    queries: queries.map(([role, query]) => ({ role, query, value: null })),
  });
  const total = 'sum(increase(http_request_duration_seconds_count{job="mystocks-api",endpoint!="/healthz"}[1h]))';
  const good =
    'sum(increase(http_request_duration_seconds_bucket{job="mystocks-api",endpoint!="/healthz",le="0.3"}[1h]))';
  const expected = {
    focus: 'latency',
    spec: {
      by: ['endpoint', 'method'],
      selector: 'job="mystocks-api"',
      slowCounter: 'slow_http_requests_total',
      histogram: 'http_request_duration_seconds',
      statusCounter: 'http_requests_total',
    },
    bound: 0.3,
  };

  it('written with good, as the seed file writes latency-300ms', () => {
    assert.deepEqual(
      readFocus(
        ratio([
          ['good', good],
          ['total', total],
        ]),
      ),
      expected,
    );
  });

  it('written with bad as (total) - (good), as slo convert writes it for Sloth', () => {
    assert.deepEqual(
      readFocus(
        ratio([
          ['bad', `(${total}) - (${good})`],
          ['total', total],
        ]),
      ),
      expected,
    );
  });

  it('two buckets are a problem, never one guessed', () => {
    const two = `${good} + sum(increase(http_request_duration_seconds_bucket{job="mystocks-api",le="0.5"}[1h]))`;
    assert.deepEqual(
      readFocus(
        ratio([
          ['good', two],
          ['total', total],
        ]),
      ),
      { problem: 'its good query names 2 buckets (le="0.3", le="0.5"), not one' },
    );
  });
});
