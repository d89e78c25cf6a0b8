// Pure parts of load/: profiles, thresholds from the SLO file, the breakpoint search. No services needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadThresholds, parseSloConfig } from '../slo/index.ts';
import { JOURNEYS } from './journeys.ts';
import { getProfile, PROFILE_NAMES, profileDurationSeconds, scaleProfile, scheduledRateAt } from './profiles.ts';
import { findBreakpoint, type PeriodStats } from './report.ts';
import { aggregateOfPeriods, ensureVerdicts } from './run.ts';
import { thresholdsFromSloConfig } from './slo-limits.ts';
import { ensureExpression, evaluateThresholds, thresholdsFromLimits } from './thresholds.ts';

test('every profile has phases and the smoke profile lasts about a minute', () => {
  for (const name of PROFILE_NAMES) assert.ok(getProfile(name).phases.length > 0, name);
  assert.equal(profileDurationSeconds(getProfile('smoke')), 60);
});

test('an unknown profile is refused with the list of known ones', () => {
  assert.throws(() => getProfile('heavy'), {
    message: "unknown load profile 'heavy' (known: smoke, average, stress, spike, soak, breakpoint)",
  });
});

test('a duration stretches every phase alike and keeps the rates', () => {
  const spike = getProfile('spike');
  const short = scaleProfile(spike, { durationSeconds: 17 });
  assert.deepEqual(
    short.phases.map((p) => [p.arrivalRate, p.rampTo]),
    spike.phases.map((p) => [p.arrivalRate, p.rampTo]),
  );
  assert.deepEqual(
    short.phases.map((p) => p.durationSeconds),
    [3, 1, 6, 1, 6],
  );
  assert.throws(() => scaleProfile(spike, { durationScale: 0.5, durationSeconds: 10 }), /not both/);
});

test('the scheduled rate follows a ramp linearly', () => {
  const ramp = { phases: [{ name: 'r', durationSeconds: 100, arrivalRate: 1, rampTo: 11 }] };
  assert.equal(scheduledRateAt(ramp, 50), 6);
});

test('thresholds come from the repository SLO file: P95 300 ms, 0.1 % errors, 99.9 % availability', async () => {
  const specs = await thresholdsFromSloConfig();
  assert.deepEqual(specs.map((s) => `${s.name} ${s.comparison} ${s.limit}`).sort(), [
    'availability >= 99.9',
    'checks <= 0',
    'error-rate <= 0.1',
    'latency-p95 <= 300',
  ]);
});

test('a changed SLO bound changes the load threshold, with nothing else to edit', () => {
  const text = `version: 1
service: s
slos:
  - name: latency-p95
    window: 30d
    loadThreshold: p95LatencyMs
    sli:
      threshold:
        query: histogram_quantile(0.95, sum by (le) (rate(x_bucket[{{window}}])))
        operator: "<="
        bound: 0.25
        unit: seconds
`;
  const { model } = parseSloConfig(text, 'test.yaml');
  const specs = thresholdsFromLimits(loadThresholds(model));
  assert.equal(ensureExpression(specs[0]!), 'http.response_time.p95 <= 250');
});

test('the error rate counts unanswered requests and 5xx answers over requests sent', () => {
  const [errorRate] = thresholdsFromLimits({ maxErrorRatePct: 0.1 });
  const [result] = evaluateThresholds([errorRate!], {
    counters: { 'http.requests': 1000, 'http.responses': 998, 'mystocks.server_errors': 3 },
  });
  assert.deepEqual([result?.value, result?.ok], [0.5, false]);
});

test("Artillery's ensure lines are read back by expression, colours and all", () => {
  const verdicts = ensureVerdicts('Checks:\n\u001b[32mok\u001b[39m: a <= 1\n\u001b[31mfail\u001b[39m: b >= 2\n');
  assert.deepEqual(
    [...verdicts],
    [
      ['a <= 1', true],
      ['b >= 2', false],
    ],
  );
});

test('the breakpoint is the first busy period whose P95 passed the limit, with the journey mix so far', () => {
  const profile = { phases: [{ name: 'ramp', durationSeconds: 60, arrivalRate: 1, rampTo: 7 }] };
  const period = (i: number, vusers: number, p95: number): PeriodStats => ({
    period: 1_000_000 + i * 10_000,
    counters: {
      'vusers.created': vusers,
      'vusers.created_by_name.market-browsing': vusers - 1,
      'vusers.created_by_name.trader-session': 1,
      'http.requests': vusers * 6,
      'http.responses': vusers * 6,
      'mystocks.server_errors': 0,
    },
    summaries: { 'http.response_time': { p95 } },
  });
  const periods = [period(0, 10, 40), period(1, 20, 90), period(2, 30, 310), period(3, 40, 900)];
  const b = findBreakpoint(periods, profile, thresholdsFromLimits({ p95LatencyMs: 300, maxErrorRatePct: 0.1 }));
  assert.equal(b.broke, true);
  assert.equal(b.threshold, 'latency-p95');
  assert.equal(b.arrivalRate, 3);
  assert.equal(b.lastGoodRate, 2);
  assert.equal(b.atSeconds, 20);
  assert.deepEqual(b.journeyMix, { 'market-browsing': 95, 'trader-session': 5 });
  assert.equal(aggregateOfPeriods(periods).counters?.['http.requests'], 600);
});

test('every journey names its requests by route template and claims only endpoints it requests', () => {
  for (const journey of JOURNEYS) {
    const named = JSON.stringify(journey.scenario);
    for (const endpoint of [...journey.endpoints, ...journey.occasionalEndpoints]) {
      assert.ok(named.includes(`"name":"${endpoint}"`), `${journey.name} claims ${endpoint} but never requests it`);
    }
  }
});

test('one noisy period is not a breakpoint, and requests in flight at a period boundary are not errors', () => {
  const profile = { phases: [{ name: 'ramp', durationSeconds: 60, arrivalRate: 1, rampTo: 7 }] };
  const period = (i: number, p95: number, extra: Record<string, number> = {}): PeriodStats => ({
    period: i * 10_000,
    counters: { 'vusers.created': 10, 'http.requests': 100, 'http.responses': 97, ...extra },
    summaries: { 'http.response_time': { p95 } },
  });
  const limits = thresholdsFromLimits({ p95LatencyMs: 300, maxErrorRatePct: 0.1 });
  const noisy = findBreakpoint([period(0, 50), period(1, 400), period(2, 50)], profile, limits);
  assert.equal(noisy.broke, false);
  const timeouts = findBreakpoint(
    [period(0, 50), period(1, 50, { 'errors.ETIMEDOUT': 2 }), period(2, 50, { 'errors.ETIMEDOUT': 1 })],
    profile,
    limits,
  );
  assert.deepEqual([timeouts.broke, timeouts.threshold, timeouts.errorRatePct], [true, 'error-rate', 2]);
});

test("docs/load.md gives each profile's total length as load/profiles.ts has it", () => {
  const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'load.md'), 'utf8');
  for (const name of PROFILE_NAMES) {
    const row = new RegExp(`^\\| ${name} \\|[^|]*\\| (?:at most )?([\\d ]+) s\\b`, 'm').exec(doc);
    assert.ok(row, `docs/load.md has a row for ${name}`);
    assert.equal(Number(row[1]!.replace(/ /g, '')), profileDurationSeconds(getProfile(name)), name);
  }
});
