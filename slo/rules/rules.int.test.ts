import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, parseDocument, stringify } from 'yaml';
import { findBinary, runCommand } from '../../stack/process.ts';
import { DEFAULT_CONFIG_PATH, parseSloConfig } from '../load.ts';
import { BURN_CASES } from '../testing/burn-cases.ts';
import { BURN_RATE_WINDOWS, burnRateFactor, renderRules } from './rules.ts';

const testdata = join(import.meta.dirname, 'testdata');
const work = mkdtempSync(join(tmpdir(), 'slo-rules-test-'));
after(() => rmSync(work, { recursive: true, force: true }));
const promtool = () => findBinary('promtool');

function render(text: string, file: string): string {
  return renderRules(parseSloConfig(text, file).model);
}

describe('rules renderer', () => {
  const inputs = readdirSync(testdata).filter((name) => /^in-.*\.yaml$/.test(name));

  for (const input of inputs) {
    const output = input.replace(/^in-/, 'out-');
    it(`renders ${input} exactly as ${output} (UPDATE_GOLDEN=1 rewrites it), and promtool accepts it`, async () => {
      const actual = render(readFileSync(join(testdata, input), 'utf8'), `testdata/${input}`);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(join(testdata, output), actual);
      assert.equal(actual, readFileSync(join(testdata, output), 'utf8'));
      const file = join(work, output);
      writeFileSync(file, actual);
      const { stdout } = await runCommand(promtool(), ['check', 'rules', file]);
      assert.match(stdout, /SUCCESS/);
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
  const config = [
    'version: 1',
    'service: shop',
    'slos:',
    '  - name: requests',
    '    window: 30d',
    '    objective: 99',
    '    sli:',
    '      ratio:',
    '        bad: sum(rate(errors_total[{{window}}]))',
    '        total: sum(rate(requests_total[{{window}}]))',
  ].join('\n');
  const rules = render(config, 'shop.yaml');
  const parsed = parse(rules) as {
    groups: { rules: { alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[];
  };
  const alerts = parsed.groups.flatMap((group) => group.rules).filter((rule) => rule.alert);
  const expected = (severity: 'page' | 'ticket') => {
    const rule = alerts.find((alert) => alert.labels?.severity === severity)!;
    return {
      exp_labels: { ...rule.labels, sloth_id: 'shop-requests', sloth_service: 'shop', sloth_slo: 'requests' },
      exp_annotations: rule.annotations,
    };
  };

  const cases = BURN_CASES;

  it(`fires each alert at its burn rate and stays silent below it (${cases.length} cases in one promtool run)`, async () => {
    const alertname = alerts[0]!.alert!;
    writeFileSync(join(work, 'shop-rules.yaml'), rules);
    const tests = {
      rule_files: ['shop-rules.yaml'],
      evaluation_interval: '5m',
      tests: cases.map((testCase) => ({
        name: testCase.name,
        interval: testCase.interval,
        input_series: testCase.input,
        alert_rule_test: [{ eval_time: testCase.at, alertname, exp_alerts: testCase.fire.map(expected) }],
      })),
    };
    const testFile = join(work, 'shop-tests.yaml');
    writeFileSync(testFile, stringify(tests, { lineWidth: 0 }));
    const { stdout } = await runCommand(promtool(), ['test', 'rules', testFile], { cwd: work, timeoutMs: 110_000 });
    assert.match(stdout, /SUCCESS/);
  });
});
