import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { findBinary, runCommand } from '../../stack/process.ts';
import { parseSloConfig } from '../load.ts';
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

// promtool test rules: a 30-day SLO with objective 99 % (budget 1 %) over 1000 requests a minute, so an
// error rate of 10 a minute burns at exactly 1x. Each case burns at a known rate and names the alerts that
// must fire at the end; an empty list means silence.
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

  /** errors per step over `steps` steps after `cleanSteps` without errors; requests at 1000 a minute. */
  const series = (stepMinutes: number, cleanSteps: number, steps: number, errorsPerMinute: number) => {
    const perStep = errorsPerMinute * stepMinutes;
    const clean = cleanSteps > 0 ? `0x${cleanSteps} ` : '';
    return [
      { series: 'requests_total', values: `0+${1000 * stepMinutes}x${cleanSteps + steps}` },
      {
        series: 'errors_total',
        values: cleanSteps > 0 ? `${clean}${perStep}+${perStep}x${steps - 1}` : `0+${perStep}x${steps}`,
      },
    ];
  };

  const cases: {
    name: string;
    interval: string;
    input: ReturnType<typeof series>;
    at: string;
    fire: ('page' | 'ticket')[];
  }[] = [
    // 8 h clean, then 15x for 65 min: 1 h and 5 min windows above 14.4x -> page (the ticket's 2 h window is
    // at 8.1x and its 6 h / 3 d windows above 1x, so the ticket fires too).
    {
      name: 'pages at 15x over 1 h and 5 min',
      interval: '1m',
      input: series(1, 480, 65, 150),
      at: '545m',
      fire: ['page', 'ticket'],
    },
    {
      name: 'does not page at 14x over 1 h',
      interval: '1m',
      input: series(1, 480, 65, 140),
      at: '545m',
      fire: ['ticket'],
    },
    // 7x for 6 h: the 6 h and 30 min windows above 6x, the 1 h window below 14.4x -> page.
    {
      name: 'pages at 7x over 6 h and 30 min',
      interval: '5m',
      input: series(5, 0, 72, 70),
      at: '360m',
      fire: ['page', 'ticket'],
    },
    {
      name: 'does not page at 5.5x over 6 h',
      interval: '5m',
      input: series(5, 0, 72, 55),
      at: '360m',
      fire: ['ticket'],
    },
    // 3.5x for a day: the 1 d and 2 h windows above 3x -> ticket, not page.
    {
      name: 'opens a ticket at 3.5x over 1 d and 2 h',
      interval: '5m',
      input: series(5, 0, 288, 35),
      at: '1440m',
      fire: ['ticket'],
    },
    // 2 d clean, then 2.5x for a day: 1 d below 3x, 3 d at 0.83x below 1x -> silence.
    { name: 'stays silent at 2.5x over 1 d', interval: '5m', input: series(5, 576, 288, 25), at: '4320m', fire: [] },
    // 1.2x for 3 days: the 3 d and 6 h windows above 1x -> ticket.
    {
      name: 'opens a ticket at 1.2x over 3 d and 6 h',
      interval: '5m',
      input: series(5, 0, 864, 12),
      at: '4320m',
      fire: ['ticket'],
    },
    { name: 'stays silent at 0.9x over 3 d', interval: '5m', input: series(5, 0, 864, 9), at: '4320m', fire: [] },
  ];

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
