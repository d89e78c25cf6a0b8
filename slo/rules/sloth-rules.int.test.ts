import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseSloConfig } from '../load.ts';
import { BURN_CASES, burnCaseTests } from '../testing/burn-cases.ts';
import { alertingRules, expectedAlerts, promtoolCheckRules, promtoolTestRules } from '../testing/promtool.ts';
import { renderRules } from './rules.ts';
import { goFloat, slothBurnRateFactor } from './sloth-rules.ts';

const testdata = join(import.meta.dirname, 'testdata', 'sloth');
const work = mkdtempSync(join(tmpdir(), 'slo-sloth-rules-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

function render(text: string, file: string): string {
  return renderRules(parseSloConfig(text, file).model);
}

describe('Sloth-compatible rules', () => {
  for (const input of readdirSync(testdata).filter((name) => /^in-.*\.yaml$/.test(name))) {
    const output = input.replace(/^in-/, 'out-');
    it(`renders the Sloth file ${input} exactly as ${output} (UPDATE_GOLDEN=1 rewrites it), and promtool accepts it`, async () => {
      const actual = render(readFileSync(join(testdata, input), 'utf8'), `testdata/sloth/${input}`);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(join(testdata, output), actual);
      assert.equal(actual, readFileSync(join(testdata, output), 'utf8'));
      assert.match(await promtoolCheckRules(work, output, actual), /SUCCESS/);
    });
  }

  it("computes Sloth's burn-rate factors to the same float: 14.4, 6, 3, 1 for 30 days; 13.44, 5.6000000000000005, 2.8000000000000003, 0.9333333333333333 for 28", () => {
    const windows = [
      { severity: 'page' as const, errorBudgetPercent: 2, short: '5m', long: '1h' },
      { severity: 'page' as const, errorBudgetPercent: 5, short: '30m', long: '6h' },
      { severity: 'ticket' as const, errorBudgetPercent: 10, short: '2h', long: '1d' },
      { severity: 'ticket' as const, errorBudgetPercent: 10, short: '6h', long: '3d' },
    ];
    const day = 86_400_000;
    assert.deepEqual(
      windows.map((w) => goFloat(slothBurnRateFactor(w, 30 * day))),
      ['14.4', '6', '3', '1'],
    );
    assert.deepEqual(
      windows.map((w) => goFloat(slothBurnRateFactor(w, 28 * day))),
      ['13.44', '5.6000000000000005', '2.8000000000000003', '0.9333333333333333'],
    );
  });

  it("prints floats as Go's %g does: shortest digits, exponent below 1e-4", () => {
    assert.equal(goFloat(99.9 / 100), '0.9990000000000001');
    assert.equal(goFloat((100 - 99.9) / 100), '0.0009999999999999432');
    assert.equal(goFloat((100 - 99.999) / 100), '1.0000000000047748e-05');
    assert.equal(goFloat(30), '30');
  });

  it('refuses to write Sloth rules for a period Sloth has no windows for', () => {
    const model = parseSloConfig(readFileSync(join(testdata, 'in-checkout.yaml'), 'utf8'), 'x.yaml').model;
    model.slos[0]!.window = '15d';
    model.slos[0]!.windowMs = 15 * 86_400_000;
    assert.throws(
      () => renderRules(model),
      /slo "requests-availability": Sloth ships alert windows for 28d and 30d periods, not 15d/,
    );
  });
});

// promtool test rules on the Sloth-format alerts, the same known burn rates as the harness format's
// (slo/testing/burn-cases.ts): objective 99 %, 1000 requests a minute, 10 errors a minute burn at 1x.
describe('Sloth-format alerts under promtool test rules', () => {
  const config = [
    'version: prometheus/v1',
    'service: shop',
    'slos:',
    '  - name: requests',
    '    objective: 99',
    '    sli:',
    '      events:',
    '        error_query: sum(rate(errors_total[{{.window}}]))',
    '        total_query: sum(rate(requests_total[{{.window}}]))',
    '    alerting:',
    '      name: ShopRequests',
    '      page_alert: { labels: { severity: critical } }',
    '      ticket_alert: { labels: { severity: warning } }',
  ].join('\n');
  const rules = render(config, 'shop.yaml');
  const alerts = alertingRules(rules);
  // `max(...) without (sloth_window)` keeps the recording's SLO labels; the alert adds its own.
  const expected = expectedAlerts(
    alerts,
    'sloth_severity',
    { sloth_id: 'shop-requests', sloth_service: 'shop', sloth_slo: 'requests' },
    (written) =>
      Object.fromEntries(
        Object.entries(written).map(([key, value]) => [
          key,
          value.replace('{{$labels.sloth_service}}', 'shop').replace('{{$labels.sloth_slo}}', 'requests'),
        ]),
      ),
  );

  it(`fires page and ticket at their burn rates and stays silent below (${BURN_CASES.length} cases in one promtool run)`, async () => {
    const stdout = await promtoolTestRules(work, 'shop-sloth', rules, burnCaseTests('ShopRequests', expected));
    assert.match(stdout, /SUCCESS/);
  });
});
