// Issue #28: a query written in an unusual but valid form keeps its job override (`--job`) and its
// evidence count (a quantile SLO's `_count` query). Both are read from the PromQL syntax tree; every
// expected text here is written out by hand. The tests use the model's public functions only
// (quantileEvidence, withJobLabel, modelWithJob, parseSloConfig, renderRules), so the same file run against
// the regex readers they replace shows what those got wrong.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSloConfig } from '../load.ts';
import { renderRules } from '../rules/rules.ts';
import { itEachCase } from '../testing/cases.ts';
import { quantileSloConfig } from '../testing/configs.ts';
import { modelWithJob, withJobLabel } from './job.ts';
import { loadThresholds, quantileEvidence, type ThresholdSli } from './model.ts';

const SEED_PATH = new URL('../slo-config.yaml', import.meta.url).pathname;

function thresholdOf(text: string): { sli: ThresholdSli; warnings: string[] } {
  const loaded = parseSloConfig(text, 'forms.yaml');
  const sli = loaded.model.slos[0]!.sli;
  assert.equal(sli.kind, 'threshold');
  return { sli: sli as ThresholdSli, warnings: loaded.warnings.map((w) => w.text) };
}

describe('the evidence count of a quantile SLO, from the syntax tree', () => {
  it("is byte-identical to the seed file's two counts as they were before the parser", async () => {
    const { loadSloConfig } = await import('../load.ts');
    const { model, warnings } = await loadSloConfig(SEED_PATH);
    assert.deepEqual(warnings, []);
    const events = Object.fromEntries(
      model.slos.flatMap((slo) => (slo.sli.kind === 'threshold' ? [[slo.name, slo.sli.events]] : [])),
    );
    assert.deepEqual(events, {
      'latency-p95':
        'sum(increase(http_request_duration_seconds_count{job="mystocks-api",endpoint!="/healthz"}[{{window}}]))',
      'db-query-p95':
        'sum(increase(db_query_duration_seconds_count{job="mystocks-api",operation!="health.ping"}[{{window}}]))',
    });
  });

  // [why, query, count]: each form keeps the count of the same series over the same range.
  const forms: [string, string, string][] = [
    [
      'matchers in another order: kept in their order',
      'histogram_quantile(0.95, sum by (le) (rate(x_bucket{endpoint!="/healthz",job="a"}[{{window}}])))',
      'sum(increase(x_count{endpoint!="/healthz",job="a"}[{{window}}]))',
    ],
    [
      "job='a' in single quotes",
      "histogram_quantile(0.95, sum by (le) (rate(x_bucket{job='a'}[{{window}}])))",
      "sum(increase(x_count{job='a'}[{{window}}]))",
    ],
    [
      'job=~"a", a regex matcher',
      'histogram_quantile(0.95, sum by (le) (rate(x_bucket{job=~"a"}[{{window}}])))',
      'sum(increase(x_count{job=~"a"}[{{window}}]))',
    ],
    [
      'a selector split over lines (the matchers joined by commas)',
      'histogram_quantile(\n  0.95,\n  sum by (le) (\n    rate(\n      x_bucket{\n        job="a",\n        route="/q"\n      }[{{window}}]\n    )\n  )\n)',
      'sum(increase(x_count{job="a",route="/q"}[{{window}}]))',
    ],
    [
      'increase instead of rate',
      'histogram_quantile(0.95, sum by (le) (increase(x_bucket{job="a"}[{{window}}])))',
      'sum(increase(x_count{job="a"}[{{window}}]))',
    ],
    [
      'by (le, route): judged per route, the evidence is every route',
      'histogram_quantile(0.95, sum by (le, route) (rate(x_bucket{job="a"}[{{window}}])))',
      'sum(increase(x_count{job="a"}[{{window}}]))',
    ],
    [
      'by after the body, and no matchers at all',
      'histogram_quantile(0.95, sum(rate(x_bucket[{{window}}])) by (le))',
      'sum(increase(x_count[{{window}}]))',
    ],
    [
      'a {__name__="x_bucket"} selector: only the name\'s value changes',
      'histogram_quantile(0.95, sum by (le) (rate({__name__="x_bucket",job="a"}[{{window}}])))',
      'sum(increase({__name__="x_count",job="a"}[{{window}}]))',
    ],
    [
      'an le matcher is left out (a _count series has no le)',
      'histogram_quantile(0.95, sum by (le) (rate(x_bucket{le!="+Inf",job="a"}[{{window}}])))',
      'sum(increase(x_count{job="a"}[{{window}}]))',
    ],
    [
      'an offset moves the count too',
      'histogram_quantile(0.95, sum by (le) (rate(x_bucket{job="a"}[{{window}}] offset 1h)))',
      'sum(increase(x_count{job="a"}[{{window}}] offset 1h))',
    ],
    [
      'a "}" and a "_bucket" inside label values are text, not syntax',
      'histogram_quantile(0.95, sum by (le) (rate(x_bucket{path="/a/{id}",kind="y_bucket"}[{{window}}])))',
      'sum(increase(x_count{path="/a/{id}",kind="y_bucket"}[{{window}}]))',
    ],
    [
      'parentheses around the whole query and around the buckets',
      '(histogram_quantile(0.95, (sum by (le) ((rate(x_bucket{job="a"}[{{window}}]))))))',
      'sum(increase(x_count{job="a"}[{{window}}]))',
    ],
  ];
  for (const [why, query, count] of forms) {
    it(why, () => {
      assert.equal(quantileEvidence(query).events, count);
      assert.equal(quantileEvidence(query).quantile, 0.95);
      // And through the loader: the model carries the count, with no warning.
      const { sli, warnings } = thresholdOf(quantileSloConfig(query));
      assert.equal(sli.events, count);
      assert.deepEqual(warnings, []);
    });
  }

  // [why, query, the problem]: no count rather than a wrong one, and the reason.
  const unread: [string, string, string][] = [
    [
      'another aggregation than sum',
      'histogram_quantile(0.95, max by (le) (rate(x_bucket{job="a"}[{{window}}])))',
      'the buckets are aggregated with max(), which does not add their counts up as sum does',
    ],
    [
      'a native histogram (no _bucket series)',
      'histogram_quantile(0.95, sum(rate(x{job="a"}[{{window}}])))',
      "x is not a classic histogram's _bucket series (a native histogram's count is histogram_count())",
    ],
    [
      'two histograms added',
      'histogram_quantile(0.95, sum by (le) (rate(a_bucket[{{window}}])) + sum by (le) (rate(b_bucket[{{window}}])))',
      'the buckets are "sum by (le) (rate(a_bucket[{{window}}])) + sum by (le) (r...", not one rate() or increase() of a bucket selector under sum',
    ],
    [
      'a regex on __name__',
      'histogram_quantile(0.95, sum by (le) (rate({__name__=~"x_bucket|y_bucket"}[{{window}}])))',
      'the buckets are selected by __name__=~"x_bucket|y_bucket"; only a metric name or __name__="..._bucket" names them',
    ],
    [
      'histogram_quantile inside a larger expression',
      'histogram_quantile(0.95, sum by (le) (rate(x_bucket[{{window}}]))) * 1000',
      'histogram_quantile() is part of a larger expression, not the whole query',
    ],
  ];
  for (const [why, query, problem] of unread) {
    it(`${why}: no count, and a located warning`, () => {
      assert.equal(quantileEvidence(query).events, undefined);
      assert.equal(quantileEvidence(query).problem, problem);
      const { sli, warnings } = thresholdOf(quantileSloConfig(query));
      assert.equal(sli.events, undefined);
      assert.deepEqual(warnings, [
        `slo "p95": sli.threshold.query: cannot count the events of its quantile, so no quiet window or minEvents can be told: ${problem}; state the count query as sli.threshold.events (forms.yaml:8:16)`,
      ]);
    });
  }

  it('warns that a quantile query that does not parse cannot be counted (the harness format checks no syntax)', () => {
    const { sli, warnings } = thresholdOf(
      quantileSloConfig('histogram_quantile(0.95, sum by (le) (rate(x_bucket[{{window}}]))'),
    );
    assert.equal(sli.events, undefined);
    assert.deepEqual(warnings, [
      'slo "p95": sli.threshold.query: does not parse as PromQL: it ends before the expression does (an unclosed bracket, or an operator without its right side?), so the events of its quantile cannot be counted (forms.yaml:8:16)',
    ]);
  });

  it('warns for an OpenSLO threshold metric too, at its query, naming the annotation that states a count', () => {
    const text = [
      'apiVersion: openslo/v1',
      'kind: SLO',
      'metadata:',
      '  name: p95',
      '  annotations:',
      '    mystocks-harness/unit: seconds',
      'spec:',
      '  service: shop',
      '  indicator:',
      '    metadata:',
      '      name: shop-p95',
      '    spec:',
      '      thresholdMetric:',
      '        metricSource:',
      '          type: Prometheus',
      '          spec:',
      '            query: histogram_quantile(0.95, max by (le) (rate(x_bucket[{{window}}])))',
      '  timeWindow:',
      '    - duration: 7d',
      '      isRolling: true',
      '  budgetingMethod: Occurrences',
      '  objectives:',
      '    - op: lte',
      '      value: 0.4',
      '      target: 1',
      '',
    ].join('\n');
    const loaded = parseSloConfig(text, 'openslo.yaml');
    assert.equal((loaded.model.slos[0]!.sli as ThresholdSli).events, undefined);
    assert.deepEqual(
      loaded.warnings.map((w) => w.text),
      [
        'slo "p95": spec.indicator.spec.thresholdMetric.metricSource.spec.query: cannot count the events of its quantile, so no quiet window or minEvents can be told: the buckets are aggregated with max(), which does not add their counts up as sum does; state the count query as the annotation mystocks-harness/events (openslo.yaml:17:20)',
      ],
    );
  });

  it('takes a stated count as it is, and does not warn', () => {
    const query = 'histogram_quantile(0.95, max by (le) (rate(x_bucket{job="a"}[{{window}}])))';
    const { sli, warnings } = thresholdOf(
      quantileSloConfig(query, '        events: sum(increase(x_count[{{window}}]))'),
    );
    assert.equal(sli.events, 'sum(increase(x_count[{{window}}]))');
    assert.deepEqual(warnings, []);
  });

  it('a threshold query without histogram_quantile has no count and no warning, as before', () => {
    const { sli, warnings } = thresholdOf(
      quantileSloConfig('max(max_over_time(process_resident_memory_bytes{job="a"}[{{window}}]))'),
    );
    assert.equal(sli.events, undefined);
    assert.equal(sli.quantile, undefined);
    assert.deepEqual(warnings, []);
  });
});

describe('the job override (--job), from the syntax tree', () => {
  // [why, query, moved to job "team-api"]
  const forms: [string, string, string][] = [
    ['matchers in another order', 'x{route="/q",job="a"}', 'x{route="/q",job="team-api"}'],
    ["job='a' in single quotes", "x{job='a'}", 'x{job="team-api"}'],
    ['job=`a` in backticks', 'x{job=`a`}', 'x{job="team-api"}'],
    ['job=~"a|b": the override pins one job', 'x{job=~"a|b"}', 'x{job="team-api"}'],
    ['a quoted label name', 'x{"job"="a"}', 'x{job="team-api"}'],
    [
      'a selector split over lines: only the matcher moves',
      'sum(\n  rate(x{\n    job = "a",\n    route="/q"\n  }[5m])\n)',
      'sum(\n  rate(x{\n    job="team-api",\n    route="/q"\n  }[5m])\n)',
    ],
    [
      'a label value and a label_replace argument that spell job are text',
      'sum by (job) (label_replace(x{note="job=\\"a\\"",job="a"}, "job", "$1", "a", "(.*)"))',
      'sum by (job) (label_replace(x{note="job=\\"a\\"",job="team-api"}, "job", "$1", "a", "(.*)"))',
    ],
    ['a selector without a job matcher stays as written (none is added)', 'sum(rate(x[5m]))', 'sum(rate(x[5m]))'],
  ];
  itEachCase(forms, (query) => withJobLabel(query, 'team-api'));

  it('moves a quantile SLO written in each form, and its derived count agrees with its query', () => {
    for (const query of [
      'histogram_quantile(0.95, sum by (le) (rate(x_bucket{route="/q",job="a"}[{{window}}])))',
      "histogram_quantile(0.95, sum by (le) (rate(x_bucket{job='a'}[{{window}}])))",
      'histogram_quantile(0.95, sum by (le) (rate(x_bucket{job=~"a"}[{{window}}])))',
      'histogram_quantile(0.95,\n  sum by (le) (\n    rate(x_bucket{\n      job="a"\n    }[{{window}}])))',
      'histogram_quantile(0.95, sum by (le, route) (increase({__name__="x_bucket",job="a"}[{{window}}])))',
    ]) {
      const loaded = parseSloConfig(quantileSloConfig(query), 'forms.yaml');
      const warnings: string[] = [];
      const sli = modelWithJob(loaded.model, 'team-api', (w) => warnings.push(w)).slos[0]!.sli as ThresholdSli;
      assert.ok(sli.query.includes('job="team-api"'), sli.query);
      assert.ok(sli.events?.includes('job="team-api"'), sli.events);
      assert.ok(!`${sli.query}${sli.events}`.includes('job="a"') && !sli.query.includes('job=~'), sli.query);
      // The evaluator asks the derived count for one aggregate series: it recognises it by this equality.
      assert.equal(sli.events, quantileEvidence(sli.query).events);
      assert.deepEqual(warnings, []);
    }
  });

  it('leaves a negative job matcher alone and warns, located at the SLO', () => {
    const text = quantileSloConfig('histogram_quantile(0.95, sum by (le) (rate(x_bucket{job!="batch"}[{{window}}])))');
    const warnings: string[] = [];
    const sli = modelWithJob(parseSloConfig(text, 'forms.yaml').model, 'team-api', (w) => warnings.push(w)).slos[0]!
      .sli as ThresholdSli;
    assert.equal(sli.query, 'histogram_quantile(0.95, sum by (le) (rate(x_bucket{job!="batch"}[{{window}}])))');
    // Once for the query; the count derived from it carries the same matcher and does not repeat it.
    assert.deepEqual(warnings, [
      'slo "p95": sli.threshold.query: job!="batch" is left as written: --job team-api sets job= and job=~ matchers only, and this one still reads every job it does not exclude (forms.yaml:4)',
    ]);
  });

  it('refuses a query that does not parse, naming the SLO, the field and the line, never passing it through', () => {
    const text = quantileSloConfig('histogram_quantile(0.95, sum by (le) (rate(x_bucket{job="a"}[{{window}}]))');
    const model = parseSloConfig(text, 'forms.yaml').model;
    assert.throws(() => modelWithJob(model, 'team-api'), {
      name: 'HarnessError',
      message:
        '--job team-api: cannot point a query that does not parse at the job:\n' +
        '  slo "p95": sli.threshold.query: does not parse as PromQL: it ends before the expression does (an unclosed bracket, or an operator without its right side?) (forms.yaml:4)',
    });
    assert.throws(() => withJobLabel('sum(x{job="a"}) )', 'team-api'), {
      message:
        'cannot point sum(x{job="a"}) ) at job "team-api": it does not parse as PromQL: unexpected ")" at character 17',
    });
  });

  it('the issue: the seed with job=~"mystocks-api" renders rules for team-api on every line that names a job', () => {
    const seed = readFileSync(SEED_PATH, 'utf8');
    const regex = seed.replaceAll('job="mystocks-api"', 'job=~"mystocks-api"');
    // 14 matchers (coverage 1, availability 2, latency-p95 query and control 2, latency-300ms's selector and
    // control 2, error-rate 2, cache-hit-rate 3, db-query-p95 query and control 2) and one comment that quotes
    // up{job="mystocks-api"}.
    assert.equal(regex.split('job=~"mystocks-api"').length - 1, 15);
    const warnings: string[] = [];
    const rendered = renderRules(
      modelWithJob(parseSloConfig(regex, 'slo/slo-config.yaml').model, 'team-api', (w) => warnings.push(w)),
    );
    const jobLines = rendered.split('\n').filter((line) => line.includes('job'));
    assert.ok(jobLines.length > 0);
    for (const line of jobLines) {
      assert.ok(line.includes('job="team-api"'), line);
      assert.ok(!line.includes('mystocks-api'), line);
    }
    assert.deepEqual(warnings, []);
    // Exactly the rules of the seed as written (job="mystocks-api") moved to team-api.
    const plain = renderRules(modelWithJob(parseSloConfig(seed, 'slo/slo-config.yaml').model, 'team-api'));
    assert.equal(rendered, plain);
  });
});

describe('the load P95 threshold of a "share under a bucket" SLO, from the syntax tree (loadThresholds)', () => {
  /** A harness file with one ratio SLO (the SLO on line 4) stating the load's P95 from its bucket. */
  function ratio(good: string, total = 'sum(increase(x_count{job="a"}[{{window}}]))'): string {
    return [
      'version: 1',
      'service: shop',
      'slos:',
      '  - name: under-300ms',
      '    window: 1h',
      '    objective: 95',
      '    loadThreshold: p95LatencyMs',
      '    sli:',
      '      ratio:',
      `        good: ${JSON.stringify(good)}`,
      `        total: ${JSON.stringify(total)}`,
      '',
    ].join('\n');
  }
  const thresholds = (text: string) => loadThresholds(parseSloConfig(text, 'forms.yaml').model);

  // [why, good query]: every form is the bucket le = 0.3 s, so the threshold is 300 ms.
  const forms: [string, string][] = [
    ['as docs/slo.md writes it', 'sum(increase(x_bucket{job="a",le="0.3"}[{{window}}]))'],
    ['le first, in another order', 'sum(increase(x_bucket{le="0.3",job="a"}[{{window}}]))'],
    ["le='0.3' in single quotes", "sum(increase(x_bucket{job='a',le='0.3'}[{{window}}]))"],
    ['spaces around the operator, rate instead of increase', 'sum(rate(x_bucket{job="a", le = "0.3"}[{{window}}]))'],
    [
      'a selector split over lines',
      'sum(\n  increase(\n    x_bucket{\n      job="a",\n      le="0.3"\n    }[{{window}}]\n  )\n)',
    ],
    ['the bound in exponent form', 'sum(increase(x_bucket{job="a",le="3e-1"}[{{window}}]))'],
    [
      'a label value that spells le="0.5" is text, not the bucket',
      'sum(increase(x_bucket{note="le=\\"0.5\\"",le="0.3"}[{{window}}]))',
    ],
  ];
  for (const [why, good] of forms) {
    it(why, () => assert.deepEqual(thresholds(ratio(good)), { p95LatencyMs: 300 }));
  }

  it('reads the bucket of a bad query written as (total) - (good), as slo convert writes one for Sloth', () => {
    const text = ratio('x', 'y')
      .replace(
        '        good: "x"',
        '        bad: "(sum(increase(x_count[{{window}}]))) - (sum(increase(x_bucket{le=\'0.25\'}[{{window}}])))"',
      )
      .replace('"y"', '"sum(increase(x_count[{{window}}]))"');
    assert.deepEqual(thresholds(text), { p95LatencyMs: 250 });
  });

  // [why, good query, the problem]: no threshold guessed, and no load run without one: a located error.
  const unread: [string, string, string][] = [
    ['no le matcher', 'sum(increase(x_count{job="a"}[{{window}}]))', 'names no bucket (it has no le="..." matcher)'],
    [
      'a regex on le',
      'sum(increase(x_bucket{le=~"0.3|0.5"}[{{window}}]))',
      'reads le=~"0.3|0.5", which is not one bucket (write le="BOUND")',
    ],
    [
      'two different buckets',
      'sum(increase(x_bucket{le="0.3"}[{{window}}])) + sum(increase(x_bucket{le="0.5"}[{{window}}]))',
      'names 2 buckets (le="0.3", le="0.5"), not one',
    ],
    [
      'the +Inf bucket',
      'sum(increase(x_bucket{le="+Inf"}[{{window}}]))',
      'reads le="+Inf", which is not a finite bucket bound',
    ],
    [
      'a query that does not parse',
      'sum(increase(x_bucket{le="0.3"}[{{window}}])',
      'does not parse as PromQL: it ends before the expression does (an unclosed bracket, or an operator without its right side?)',
    ],
  ];
  for (const [why, good, problem] of unread) {
    it(`${why}: an error naming the SLO, the field and the line`, () => {
      assert.throws(() => thresholds(ratio(good)), {
        name: 'HarnessError',
        message: `slo "under-300ms": sli.ratio.good: loadThreshold p95LatencyMs reads the P95 bound from the bucket of this query, but it ${problem} (forms.yaml:4)`,
      });
    });
  }
});
