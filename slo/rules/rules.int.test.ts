import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, parseDocument } from 'yaml';
import { parseDuration } from '../../core/duration.ts';
import { writePartial } from '../formats/write.ts';
import { DEFAULT_CONFIG_PATH, parseSloConfig } from '../load.ts';
import type { SloModel } from '../model/model.ts';
import { rangeReads } from '../model/promql.ts';
import { BURN_CASES, burnCaseTests } from '../testing/burn-cases.ts';
import { harnessConfig, ratioSloConfig } from '../testing/configs.ts';
import { alertingRules, expectedAlerts, promtoolCheckRules, promtoolTestRules } from '../testing/promtool.ts';
import { BURN_RATE_WINDOWS, burnRateFactor, LONGEST_RAW_WINDOW, renderRules } from './rules.ts';

const testdata = join(import.meta.dirname, 'testdata');
const work = mkdtempSync(join(tmpdir(), 'slo-rules-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

function render(text: string, file: string): string {
  return renderRules(parseSloConfig(text, file).model);
}

/** The shipped SLO file (slo/slo-config.yaml), and its conversion to Sloth (slo convert --to sloth) read back. */
const shipped = parseSloConfig(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'), 'slo-config.yaml').model;
const shippedAsSloth = (): SloModel =>
  parseSloConfig(writePartial(shipped, 'sloth').written.text, 'slo-config.sloth.yaml').model;

/** One SLO of the shipped file, as its generated rules name and label it. */
interface ShippedSlo {
  name: string;
  alertname: string;
}

/** The labels the shipped SLO's recorded series carry, and so its alerts. */
const sloLabelsOf = ({ name }: ShippedSlo) => ({
  team: 'mystocks',
  sloth_id: `mystocks-api-${name}`,
  sloth_service: 'mystocks-api',
  sloth_slo: name,
});

/** A promtool check of the shipped SLO's recorded 5-minute SLI (its share of bad events) at the end of the data. */
const recordedOf =
  ({ name }: ShippedSlo) =>
  (value: number) => ({
    expr: `round(max(slo:sli_error:ratio_rate5m{sloth_slo="${name}"}), 0.0001)`,
    eval_time: '420m',
    exp_samples: [{ labels: '{}', value }],
  });

/**
 * Runs the shipped SLO's promtool cases, `tests` of the alert expected at each severity, on the rules of `model`:
 * the harness file's (labelled `severity`) or, with `sloth`, its Sloth conversion's (`sloth_severity`), whose
 * recordings carry the file's labels, the coverage query among them, and whose annotations are templates.
 */
async function passesPromtool(
  slo: ShippedSlo,
  model: SloModel,
  tests: (expected: (severity: 'page' | 'ticket') => object) => object,
  sloth = false,
): Promise<void> {
  const rules = renderRules(model);
  const alerts = alertingRules(rules).filter((alert) => alert.alert === slo.alertname);
  const expected = sloth
    ? expectedAlerts(
        alerts,
        'sloth_severity',
        { ...sloLabelsOf(slo), harness_coverage_up: 'up{job="mystocks-api"}' },
        (written) =>
          Object.fromEntries(
            Object.entries(written).map(([key, value]) => [
              key,
              value.replace('{{$labels.sloth_service}}', 'mystocks-api').replace('{{$labels.sloth_slo}}', slo.name),
            ]),
          ),
      )
    : expectedAlerts(alerts, 'severity', sloLabelsOf(slo));
  const stdout = await promtoolTestRules(work, `shipped-${slo.name}${sloth ? '-sloth' : ''}`, rules, tests(expected));
  assert.match(stdout, /SUCCESS/);
}

describe('rules renderer', () => {
  const inputs = readdirSync(testdata).filter((name) => /^in-.*\.yaml$/.test(name));

  for (const input of inputs) {
    const output = input.replace(/^in-/, 'out-');
    it(`renders ${input} exactly as ${output} (UPDATE_GOLDEN=1 rewrites it), and promtool accepts it`, async () => {
      const actual = render(readFileSync(join(testdata, input), 'utf8'), `testdata/${input}`);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(join(testdata, output), actual);
      assert.equal(actual, readFileSync(join(testdata, output), 'utf8'));
      assert.match(await promtoolCheckRules(work, output, actual), /SUCCESS/);
    });
  }

  it('names every alert of the seed file in one casing, BudgetBurn only where there is a budget, and writes no YAML aliases', () => {
    const { model } = parseSloConfig(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'), 'slo-config.yaml');
    const rules = renderRules(model);
    // An anchor or alias would read `&a1` / `*a1`; parsing with aliases forbidden proves there are none.
    const doc = parseDocument(rules);
    assert.doesNotThrow(() => doc.toJS({ maxAliasCount: 0 }));
    assert.doesNotMatch(rules, /[&*]a\d+\b/);
    const alerts = (parse(rules) as { groups: { rules: { alert?: string }[] }[] }).groups
      .flatMap((group) => group.rules)
      .flatMap((rule) => (rule.alert ? [rule.alert] : []));
    assert.deepEqual(
      [...new Set(alerts)],
      [
        'MystocksApiAvailabilityBudgetBurn',
        'MystocksApiLatencyP95BoundBreach',
        'MystocksApiLatency300msBudgetBurn',
        'MystocksApiErrorRateBudgetBurn',
        'MystocksApiCacheHitRateBudgetBurn',
        'MystocksApiDbQueryP95BoundBreach',
      ],
    );
  });

  it('scales burn-rate factors with the period so each alert keeps its share of the budget', () => {
    const day = 86_400_000;
    assert.deepEqual(
      BURN_RATE_WINDOWS.map((window) => burnRateFactor(window, 30 * day)),
      [14.4, 6, 3, 1],
    );
    assert.deepEqual(
      BURN_RATE_WINDOWS.map((window) => burnRateFactor(window, 15 * day)),
      [7.2, 3, 1.5, 0.5],
    );
  });
});

// promtool test rules: a 30-day SLO with objective 99 % (budget 1 %) at known burn rates (slo/testing/burn-cases.ts);
// each case names the alerts that must fire at the end, an empty list means silence.
describe('generated alerts under promtool test rules', () => {
  const config = ratioSloConfig('sum(rate(errors_total[{{window}}]))', 'sum(rate(requests_total[{{window}}]))');
  const rules = render(config, 'shop.yaml');
  const alerts = alertingRules(rules);
  const expected = expectedAlerts(alerts, 'severity', {
    sloth_id: 'shop-requests',
    sloth_service: 'shop',
    sloth_slo: 'requests',
  });

  it(`fires each alert at its burn rate and stays silent below it (${BURN_CASES.length} cases in one promtool run)`, async () => {
    const alertname = alerts[0]!.alert!;
    const stdout = await promtoolTestRules(work, 'shop', rules, burnCaseTests(alertname, expected));
    assert.match(stdout, /SUCCESS/);
  });
});

// The rules' cost: the period's quantile of a threshold SLO comes from recorded 5-minute buckets, never from a
// raw range over the period, and is the raw range's quantile on a day whose latency changes half-way.
describe('threshold rules read no raw series over the period', () => {
  const config = harnessConfig('shop', [
    '  - name: latency',
    '    window: 1d',
    '    sli:',
    '      threshold:',
    '        query: histogram_quantile(0.95, sum by (le) (rate(latency_seconds_bucket{job="shop"}[{{window}}])))',
    '        operator: "<="',
    '        bound: 0.5',
    '        unit: seconds',
  ]);

  it('records the buckets over 5m and adds them up over the period: the same P95 as the raw 1d range (promtool)', async () => {
    const rules = render(config, 'shop-latency.yaml');
    assert.match(rules, /sum_over_time\(slo:sli_buckets:5m\{[^}]*\}\[1d\]\)/);
    // 100 requests a minute for a day. The first 12 h: 90 under 0.1 s, 10 in (0.1, 0.3]; the next 12 h: 50 under
    // 0.1 s, 30 in (0.1, 0.3], 20 in (0.3, 0.5]. Over the day the buckets hold 100800, 129600, 144000 of 144000,
    // so the 95th percentile (rank 136800) is in (0.3, 0.5]: 0.3 + 0.2 x (136800 - 129600) / (144000 - 129600)
    // = 0.4. The last hour alone gives 0.3 + 0.2 x 15/20 = 0.45, the first half alone 0.2: a recording that
    // read only recent windows, or only old ones, could not give 0.4.
    const series = (le: string, values: string) => ({
      series: `latency_seconds_bucket{job="shop",le="${le}"}`,
      values,
    });
    const labels = '{sloth_id="shop-latency", sloth_service="shop", sloth_slo="latency", sloth_window="1d"}';
    const tests = {
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            series('0.1', '0+90x720 64850+50x719'),
            series('0.3', '0+100x720 72080+80x719'),
            series('0.5', '0+100x1440'),
            series('+Inf', '0+100x1440'),
          ],
          promql_expr_test: [
            // Both to the millisecond: the recording and the raw range differ only by the range's edges.
            { expr: 'round(slo:sli_value:1d, 0.001)', eval_time: '1440m', exp_samples: [{ labels, value: 0.4 }] },
            {
              expr: 'round(histogram_quantile(0.95, sum by (le) (rate(latency_seconds_bucket{job="shop"}[1d]))), 0.001)',
              eval_time: '1440m',
              exp_samples: [{ labels: '{}', value: 0.4 }],
            },
            {
              expr: 'round(slo:sli_value:1h, 0.001)',
              eval_time: '1440m',
              exp_samples: [{ labels: labels.replace('"1d"', '"1h"'), value: 0.45 }],
            },
          ],
        },
      ],
    };
    const stdout = await promtoolTestRules(work, 'latency', rules, tests);
    assert.match(stdout, /SUCCESS/);
  });

  it(`reads no raw series over a range longer than ${LONGEST_RAW_WINDOW} in any rule of the shipped and test configs`, () => {
    const files = [
      DEFAULT_CONFIG_PATH,
      ...readdirSync(testdata)
        .filter((name) => /^in-.*\.yaml$/.test(name))
        .map((name) => join(testdata, name)),
    ];
    const longest = parseDuration(LONGEST_RAW_WINDOW)!;
    const found: string[] = [];
    for (const file of [...files, 'inline']) {
      const text = file === 'inline' ? config : readFileSync(file, 'utf8');
      const parsed = parse(render(text, file)) as { groups: { rules: { record?: string; expr: string }[] }[] };
      for (const rule of parsed.groups.flatMap((group) => group.rules)) {
        const read = rangeReads(rule.expr);
        assert.ok('reads' in read, `${file}: ${rule.expr} does not parse`);
        // A recorded series is named level:metric:operation; a raw one has no colon.
        for (const { metric, range } of read.reads)
          if (!metric?.includes(':') && parseDuration(range)! > longest)
            found.push(`${file}: ${rule.record ?? 'alert'} reads ${metric ?? 'a selector'}[${range}]`);
      }
    }
    assert.deepEqual(found, []);
  });
});

// Latency as a budgeted ratio (sli.latency): the share of requests within 300 ms gets the same budget, burn
// rates and page/ticket alerts as any ratio SLO. Objective 99 % (budget 1 %) over 7 days, 100 requests a minute
// for 7 hours. With 3 of them a minute above 0.3 s the burn rate is 3: the 1 h page condition needs
// 0.02 x 168 h / 1 h = 3.36x (not met), the 6 h one 0.05 x 168 h / 6 h = 1.4x over 6 h and 30 min (met), so
// it pages; the ticket's 1 d condition (0.1 x 168 / 24 = 0.7x over 1 d and 2 h) holds too. (Over 30 days the
// same 3 % would page on nothing: the 6 h condition is then 6x.) With 1 a thousand above it the burn rate is
// 0.1, below every condition (the smallest, 3 d, is 0.1 x 168 / 72 = 0.23x): silence.
describe('a latency SLI under promtool test rules', () => {
  const config = harnessConfig('shop', [
    '  - name: latency',
    '    window: 7d',
    '    objective: 99',
    '    sli:',
    '      latency:',
    '        histogram: request_seconds',
    '        bound: 0.3',
    '        buckets: [0.1, 0.3, 1]',
    '        selector: \'{job="shop"}\'',
  ]);

  it('pages with 3 % of requests above the bound on a 99 % objective, and says nothing on a healthy series', async () => {
    const rules = render(config, 'shop-latency-ratio.yaml');
    assert.match(rules, /sum\(increase\(request_seconds_bucket\{job="shop",le="0.3"\}\[5m\]\)\)/);
    assert.match(rules, /sum\(increase\(request_seconds_count\{job="shop"\}\[5m\]\)\)/);
    const alerts = alertingRules(rules);
    assert.equal(alerts[0]?.alert, 'ShopLatencyBudgetBurn');
    const expected = expectedAlerts(alerts, 'severity', {
      sloth_id: 'shop-latency',
      sloth_service: 'shop',
      sloth_slo: 'latency',
    });
    // `within` of the 100 requests a minute at or under 0.3 s, for 420 minutes.
    const input = (within: number) => [
      { series: 'request_seconds_bucket{job="shop",le="0.3"}', values: `0+${within}x420` },
      { series: 'request_seconds_count{job="shop"}', values: '0+100x420' },
    ];
    const tests = {
      evaluation_interval: '1m',
      tests: [
        {
          name: '3 % slow pages',
          interval: '1m',
          input_series: input(97),
          alert_rule_test: [
            {
              eval_time: '420m',
              alertname: 'ShopLatencyBudgetBurn',
              exp_alerts: [expected('page'), expected('ticket')],
            },
          ],
          // The SLI as recorded: 3 of 100 above the bound, over 5 minutes and over the period.
          promql_expr_test: [
            {
              expr: 'round(slo:sli_error:ratio_rate5m, 0.0001)',
              eval_time: '420m',
              exp_samples: [
                {
                  labels: '{sloth_id="shop-latency", sloth_service="shop", sloth_slo="latency", sloth_window="5m"}',
                  value: 0.03,
                },
              ],
            },
          ],
        },
        {
          name: '0.1 % slow says nothing',
          interval: '1m',
          input_series: [
            { series: 'request_seconds_bucket{job="shop",le="0.3"}', values: '0+999x420' },
            { series: 'request_seconds_count{job="shop"}', values: '0+1000x420' },
          ],
          alert_rule_test: [{ eval_time: '420m', alertname: 'ShopLatencyBudgetBurn', exp_alerts: [] }],
        },
      ],
    };
    const stdout = await promtoolTestRules(work, 'latency-ratio', rules, tests);
    assert.match(stdout, /SUCCESS/);
  });

  // The shipped file's latency-300ms: 99 % within 300 ms over 30 days, budget 1 %, /healthz left out. Over 30
  // days the page needs 14.4x (14.4 % slow) over 1 h and 5 min, or 6x (6 %) over 6 h and 30 min; the ticket 3x
  // over 1 d and 2 h, or 1x (1 %) over 3 d and 6 h. So 3 % slow (burn rate 3) opens a ticket and pages on
  // nothing: over 30 days it is 15 % that pages. 1000 API requests a minute for 7 hours, and 50 /healthz probes
  // a minute, every one above 0.3 s: counted, they would make 0.1 % slow read (1 + 50) / 1050 = 4.9 % and open
  // a ticket. A ratio reads the same over any range the data fill, so 7 hours of data stand for 3 days. The same
  // cases hold for the Sloth file that `harness slo convert --to sloth` writes of the shipped file, through the
  // rules Sloth would generate from it (its error query is (total) - (good)).
  const latency300ms: ShippedSlo = { name: 'latency-300ms', alertname: 'MystocksApiLatency300msBudgetBurn' };
  const { alertname } = latency300ms;
  const api = '{job="mystocks-api",endpoint="/api/market/quotes",method="GET"';
  const healthz = '{job="mystocks-api",endpoint="/healthz",method="GET"';
  // `within` of the 1000 API requests a minute at or under 0.3 s; no /healthz probe is.
  const input = (within: number) => [
    { series: `http_request_duration_seconds_bucket${api},le="0.3"}`, values: `0+${within}x420` },
    { series: `http_request_duration_seconds_count${api}}`, values: '0+1000x420' },
    { series: `http_request_duration_seconds_bucket${healthz},le="0.3"}`, values: '0+0x420' },
    { series: `http_request_duration_seconds_count${healthz}}`, values: '0+50x420' },
  ];
  // The recorded 5-minute SLI: the share of slow requests.
  const recorded = recordedOf(latency300ms);
  const tests = (expected: (severity: 'page' | 'ticket') => object) => ({
    evaluation_interval: '1m',
    tests: [
      {
        name: '15 % slow pages (and opens a ticket)',
        interval: '1m',
        input_series: input(850),
        alert_rule_test: [{ eval_time: '70m', alertname, exp_alerts: [expected('page'), expected('ticket')] }],
        promql_expr_test: [{ ...recorded(0.15), eval_time: '70m' }],
      },
      {
        name: '3 % slow: burn rate 3, a ticket, no page',
        interval: '1m',
        input_series: input(970),
        alert_rule_test: [{ eval_time: '420m', alertname, exp_alerts: [expected('ticket')] }],
        promql_expr_test: [recorded(0.03)],
      },
      {
        name: '0.1 % slow, /healthz all slow and left out: nothing',
        interval: '1m',
        input_series: input(999),
        alert_rule_test: [{ eval_time: '420m', alertname, exp_alerts: [] }],
        promql_expr_test: [recorded(0.001)],
      },
    ],
  });

  it('the shipped latency-300ms pages at 15 % slow, opens only a ticket at 3 %, and says nothing at 0.1 % with slow /healthz probes', async () => {
    await passesPromtool(latency300ms, shipped, tests);
  });

  it('so does its conversion to Sloth (slo convert --to sloth), under the rules Sloth generates', async () => {
    const sloth = shippedAsSloth();
    assert.deepEqual(sloth.slos.find((slo) => slo.name === 'latency-300ms')?.sli, {
      kind: 'ratio',
      good: 'sum(increase(http_request_duration_seconds_bucket{job="mystocks-api",endpoint!="/healthz",le="0.3"}[{{window}}]))',
      total: 'sum(increase(http_request_duration_seconds_count{job="mystocks-api",endpoint!="/healthz"}[{{window}}]))',
    });
    await passesPromtool(latency300ms, sloth, tests, true);
  });
});

// The shipped file's cache-hit-rate: 80 % of lookups over 30 days, budget 20 %. Over 30 days the page needs an
// error ratio above 14.4 x 0.2 = 2.88 over 1 h and 5 min, or 6 x 0.2 = 1.2 over 6 h and 30 min: a miss ratio is
// at most 1, so no cache failure could page, and the file switches the page alert off. The ticket needs 3 x 0.2 = 0.6 over 1 d and 2 h, or 1 x 0.2 = 0.2 over
// 3 d and 6 h. (Over 15 days, as the file had it before, every lookup missing paged: 3 x 0.2 = 0.6 over 6 h.)
// 1000 lookups a minute at L1 for 7 hours; a ratio reads the same over any range the data fill, so 7 hours of
// data stand for 3 days. The same cases hold for the shipped file's conversion to Sloth, under Sloth's rules.
describe('the shipped cache-hit-rate under promtool test rules', () => {
  // The rules of this SLO alone: promtool then evaluates a sixth of the shipped file's rules, every minute.
  const only = (model: SloModel): SloModel => ({
    ...model,
    slos: model.slos.filter((slo) => slo.name === 'cache-hit-rate'),
  });
  const cacheHitRate: ShippedSlo = { name: 'cache-hit-rate', alertname: 'MystocksApiCacheHitRateBudgetBurn' };
  const { alertname } = cacheHitRate;
  const job = 'job="mystocks-api"';
  // Per minute: L1 hits, L2 hits (of the L1 misses) and L1 misses, as the service counts them.
  const input = (l1Hits: number, l2Hits: number, l1Misses: number) => [
    { series: `cache_hits_total{${job},level="l1"}`, values: `0+${l1Hits}x420` },
    { series: `cache_hits_total{${job},level="l2"}`, values: `0+${l2Hits}x420` },
    { series: `cache_misses_total{${job},level="l1"}`, values: `0+${l1Misses}x420` },
  ];
  // The recorded 5-minute SLI: the share of lookups that neither level served.
  const recorded = recordedOf(cacheHitRate);
  const tests = (expected: (severity: 'page' | 'ticket') => object) => ({
    evaluation_interval: '1m',
    tests: [
      {
        // Error ratio 1: above the ticket's 0.6 over 1 d, below the page's 1.2 over 6 h.
        name: 'every lookup misses (Redis down, L1 cold): a ticket, no page',
        interval: '1m',
        input_series: input(0, 0, 1000),
        alert_rule_test: [{ eval_time: '420m', alertname, exp_alerts: [expected('ticket')] }],
        promql_expr_test: [recorded(1)],
      },
      {
        // (600 + 100) / (600 + 400) = 70 %: error ratio 0.3, burn rate 1.5: the 3 d ticket (0.2), not the 1 d (0.6).
        name: '70 % served: a ticket, no page',
        interval: '1m',
        input_series: input(600, 100, 400),
        alert_rule_test: [{ eval_time: '420m', alertname, exp_alerts: [expected('ticket')] }],
        promql_expr_test: [recorded(0.3)],
      },
      {
        // (700 + 150) / (700 + 300) = 85 %: error ratio 0.15, burn rate 0.75: below every condition.
        name: '85 % served: nothing',
        interval: '1m',
        input_series: input(700, 150, 300),
        alert_rule_test: [{ eval_time: '420m', alertname, exp_alerts: [] }],
        promql_expr_test: [recorded(0.15)],
      },
    ],
  });

  it('never pages, opens a ticket with every lookup missing or 70 % served, and says nothing at 85 %', async () => {
    assert.deepEqual(
      only(shipped).slos.map((slo) => [slo.window, slo.objective]),
      [['30d', 80]],
    );
    await passesPromtool(cacheHitRate, only(shipped), tests);
  });

  it('so does its conversion to Sloth (slo convert --to sloth), under the rules Sloth generates', async () => {
    const sloth = only(shippedAsSloth());
    assert.deepEqual(
      sloth.slos.map((slo) => [slo.window, slo.objective]),
      [['30d', 80]],
    );
    await passesPromtool(cacheHitRate, sloth, tests, true);
  });
});
