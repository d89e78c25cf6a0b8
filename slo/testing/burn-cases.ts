// Known burn rates for `promtool test rules`, shared by the tests of both rule styles (harness and Sloth):
// a 30-day SLO with objective 99 % (budget 1 %) over 1000 requests a minute, so 10 errors a minute burn at
// exactly 1x. Each case ends at `at` and names the severities whose alert must fire then; [] is silence.

/** One promtool input series. */
export interface InputSeries {
  series: string;
  values: string;
}

/** One case: its input (requests_total, errors_total), when to look, and what must fire. */
export interface BurnCase {
  name: string;
  interval: string;
  input: InputSeries[];
  at: string;
  fire: ('page' | 'ticket')[];
}

/** `errorsPerMinute` over `steps` steps of `stepMinutes`, after `cleanSteps` steps without errors. */
export function burnSeries(stepMinutes: number, cleanSteps: number, steps: number, errorsPerMinute: number) {
  const perStep = errorsPerMinute * stepMinutes;
  return [
    { series: 'requests_total', values: `0+${1000 * stepMinutes}x${cleanSteps + steps}` },
    {
      series: 'errors_total',
      values: cleanSteps > 0 ? `0x${cleanSteps} ${perStep}+${perStep}x${steps - 1}` : `0+${perStep}x${steps}`,
    },
  ];
}

export const BURN_CASES: BurnCase[] = [
  // 8 h clean, then 15x for 65 min: 1 h and 5 min windows above 14.4x -> page (the ticket's 2 h window is
  // at 8.1x and its 6 h / 3 d windows above 1x, so the ticket fires too).
  {
    name: 'pages at 15x over 1 h and 5 min',
    interval: '1m',
    input: burnSeries(1, 480, 65, 150),
    at: '545m',
    fire: ['page', 'ticket'],
  },
  {
    name: 'does not page at 14x over 1 h',
    interval: '1m',
    input: burnSeries(1, 480, 65, 140),
    at: '545m',
    fire: ['ticket'],
  },
  // 7x for 6 h: the 6 h and 30 min windows above 6x, the 1 h window below 14.4x -> page.
  {
    name: 'pages at 7x over 6 h and 30 min',
    interval: '5m',
    input: burnSeries(5, 0, 72, 70),
    at: '360m',
    fire: ['page', 'ticket'],
  },
  {
    name: 'does not page at 5.5x over 6 h',
    interval: '5m',
    input: burnSeries(5, 0, 72, 55),
    at: '360m',
    fire: ['ticket'],
  },
  // 3.5x for a day: the 1 d and 2 h windows above 3x -> ticket, not page.
  {
    name: 'opens a ticket at 3.5x over 1 d and 2 h',
    interval: '5m',
    input: burnSeries(5, 0, 288, 35),
    at: '1440m',
    fire: ['ticket'],
  },
  // 2 d clean, then 2.5x for a day: 1 d below 3x, 3 d at 0.83x below 1x -> silence.
  { name: 'stays silent at 2.5x over 1 d', interval: '5m', input: burnSeries(5, 576, 288, 25), at: '4320m', fire: [] },
  // 1.2x for 3 days: the 3 d and 6 h windows above 1x -> ticket.
  {
    name: 'opens a ticket at 1.2x over 3 d and 6 h',
    interval: '5m',
    input: burnSeries(5, 0, 864, 12),
    at: '4320m',
    fire: ['ticket'],
  },
  { name: 'stays silent at 0.9x over 3 d', interval: '5m', input: burnSeries(5, 0, 864, 9), at: '4320m', fire: [] },
];

/**
 * promtool tests running every burn case (slo/testing/promtool.ts adds the rule file): each case expects the alert
 * `alertname` with one entry, `expected(severity)`, per severity that must fire then (none: silence).
 */
export function burnCaseTests(alertname: string, expected: (severity: 'page' | 'ticket') => object) {
  return {
    evaluation_interval: '5m',
    tests: BURN_CASES.map((testCase) => ({
      name: testCase.name,
      interval: testCase.interval,
      input_series: testCase.input,
      alert_rule_test: [{ eval_time: testCase.at, alertname, exp_alerts: testCase.fire.map(expected) }],
    })),
  };
}
