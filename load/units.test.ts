// Pure parts of load/: profiles, thresholds from the SLO file, the breakpoint search. No services needed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadThresholds, parseSloConfig } from '../slo/index.ts';
import { JOURNEYS } from './journeys.ts';
import {
  type ArtilleryPhase,
  generatorPhases,
  getProfile,
  isPause,
  type PlanPhase,
  PROFILE_NAMES,
  type ProfileName,
  phaseSeconds,
  profileDurationSeconds,
  scaleProfile,
  scheduledRateAt,
  toArtilleryPhases,
  warmupPhase,
} from './profiles.ts';
import { findBreakpoint, mergePeriods, type PeriodStats, withSampleLatency } from './report.ts';
import { aggregateOfPeriods, artilleryEnvironment, judgeRun, latestPhaseStarts } from './run.ts';
import { formatSample, readSamples, type Sample, splitSamples } from './samples.ts';
import { thresholdsFromSloConfig } from './slo-limits.ts';
import { artilleryDivideWork } from './testing/artillery-dist.ts';
import {
  evaluateThresholds,
  measureAggregate,
  measureSamples,
  thresholdFormula,
  thresholdsFromLimits,
} from './thresholds.ts';

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
  assert.equal(thresholdFormula(specs[0]!), 'http.response_time.p95 <= 250');
});

test("the browser scenario's error rate, on Artillery's aggregate: unanswered requests and 5xx over requests sent", () => {
  const [errorRate] = thresholdsFromLimits({ maxErrorRatePct: 0.1 });
  const [result] = evaluateThresholds(
    [errorRate!],
    measureAggregate({ counters: { 'http.requests': 1000, 'http.responses': 998, 'mystocks.server_errors': 3 } }),
  );
  assert.deepEqual([result?.value, result?.ok], [0.5, false]);
});

/** 200 samples of the judged window: waits 1..200 ms, two without a response, three 5xx, one failed check. */
function judgedSamples(): Sample[] {
  return Array.from({ length: 200 }, (_, i) => ({
    t: 1_000_000 + i,
    endpoint: '/api/market/overview',
    ms: i + 1,
    status: i < 2 ? 0 : i < 5 ? 503 : 200,
    ...(i === 100 ? { checkFailed: true } : {}),
  }));
}

test('the thresholds are measured on the samples, by hand: nearest-rank P95, failed = no response or 5xx', () => {
  const specs = thresholdsFromLimits({ p95LatencyMs: 190, maxErrorRatePct: 2, availabilityPct: 98 });
  const results = evaluateThresholds(specs, measureSamples(judgedSamples()));
  // P95 of 200 waits 1..200: the 190th smallest (ceil(0.95 x 200) = 190), 190 ms; 5 failed of 200 = 2.5 %.
  assert.deepEqual(
    results.map((r) => [r.name, r.value, r.ok]),
    [
      ['latency-p95', 190, true],
      ['error-rate', 2.5, false],
      ['availability', 97.5, false],
      ['checks', 1, false],
    ],
  );
  assert.deepEqual(
    evaluateThresholds(specs, measureSamples([])).map((r) => [r.value, r.ok]),
    specs.map(() => [null, false]),
    'nothing measured fails every threshold',
  );
});

test('the judge: a healthy window passes; a crashed Artillery or a run that ended in its warm-up is inconclusive', () => {
  const thresholds = thresholdsFromLimits({ p95LatencyMs: 300, maxErrorRatePct: 5 });
  const healthy = judgedSamples().map(({ checkFailed: _failed, ...s }) => ({ ...s, status: 200 }));
  const run = {
    browser: false,
    thresholds,
    profile: { name: 'smoke', phases: [{ name: 'steady', durationSeconds: 60, arrivalRate: 2 }] },
    warmup: { name: 'warm-up', durationSeconds: 10, arrivalRate: 2 },
    generators: [{ log: '/tmp/artillery.log' }],
  } as unknown as Parameters<typeof judgeRun>[0]; // only the fields the judge reads
  const judge = (samples: Sample[], code: number) =>
    judgeRun(run, { exit: { code, signal: null }, output: 'boom' }, { samples, periods: [] });
  assert.equal(judge(healthy, 0).verdict, 'pass');
  assert.deepEqual(
    judge(judgedSamples(), 0)
      .results.filter((r) => !r.ok)
      .map((r) => r.name),
    ['checks'],
    '2.5 % errors under a 5 % limit; the failed check fails the run',
  );
  assert.equal(judge(healthy, 1).verdict, 'inconclusive');
  assert.match(
    judge(healthy, 1).problem ?? '',
    /Artillery ended with 1 before the run was over; last lines of \/tmp\/artillery\.log:\nboom/,
  );
  const warmupOnly = judge([], 0);
  assert.equal(warmupOnly.verdict, 'inconclusive');
  assert.match(warmupOnly.problem ?? '', /no results after the warm-up/);
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

test('the samples are split at the boundary: the judged window keeps its own, the warm-up gets the rest, none lost', () => {
  const dir = mkdtempSync(join(tmpdir(), 'harness-samples-'));
  try {
    const file = join(dir, 'samples.jsonl');
    const warmupFile = join(dir, 'warmup-samples.jsonl');
    const samples = judgedSamples();
    writeFileSync(file, samples.map(formatSample).join(''));
    const boundary = samples[150]!.t;
    const { judged, warmup } = splitSamples(file, boundary, warmupFile);
    assert.deepEqual([judged.length, warmup.length], [50, 150]);
    assert.ok(judged.every((s) => s.t >= boundary) && warmup.every((s) => s.t < boundary));
    assert.deepEqual(
      [...readSamples(warmupFile), ...readSamples(file)],
      samples,
      'both files together: every sample, as written',
    );
    assert.equal(readSamples(warmupFile)[100]?.checkFailed, true, 'a failed check survives the round trip');
    const ended = splitSamples(file, Number.POSITIVE_INFINITY, warmupFile);
    assert.equal(ended.judged.length, 0, 'a run that never left its warm-up judges nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A generator's phase of arrivals; a pause fails the test, naming the phase. */
function arrivalsOf(phase: PlanPhase): ArtilleryPhase {
  assert.ok(!isPause(phase), `${phase.name}: a pause, where arrivals were expected`);
  return phase;
}

/** The journeys per second a phase starts at: a pause's is 0. */
const startRate = (phase: PlanPhase) => (isPause(phase) ? 0 : phase.arrivalRate);

test('several generators: each gets its share of every phase, and the shares add up to the whole', () => {
  const phases = [
    { name: 'warm-up', duration: 10, arrivalRate: 3 },
    { name: 'steady', duration: 60, arrivalRate: 7, maxVusers: 50 },
    { name: 'ramp', duration: 30, arrivalRate: 1, rampTo: 9 },
    { name: 'fraction', duration: 5, arrivalRate: 2.5 },
  ];
  const shares = [0, 1, 2].map((i) => generatorPhases(phases, 3, i).map(arrivalsOf));
  // Whole rates in whole arrivals, the first ones one more (3: 1 1 1; 7: 3 2 2); ramps and fractions divided.
  assert.deepEqual(
    shares.map((s) => s.map((p) => [p.arrivalRate, p.rampTo ?? null, p.maxVusers ?? null])),
    [
      [
        [1, null, null],
        [3, null, 17],
        [1 / 3, 3, null],
        [2.5 / 3, null, null],
      ],
      [
        [1, null, null],
        [2, null, 17],
        [1 / 3, 3, null],
        [2.5 / 3, null, null],
      ],
      [
        [1, null, null],
        [2, null, 16],
        [1 / 3, 3, null],
        [2.5 / 3, null, null],
      ],
    ],
  );
  for (const [i, phase] of phases.entries()) {
    const sum = shares.reduce((total, s) => total + s[i]!.arrivalRate, 0);
    assert.ok(Math.abs(sum - phase.arrivalRate) < 1e-9, `${phase.name}: ${sum} of ${phase.arrivalRate}`);
  }
  // 1 journey/s over 2: the first generator runs it, the second pauses for the phase's 5 s.
  assert.deepEqual(generatorPhases([{ name: 'one', duration: 5, arrivalRate: 1 }], 2, 1), [{ name: 'one', pause: 5 }]);
  // A ramp from 0 to 0 is nothing too (Artillery drops it as it drops a constant 0), and a pause stays a pause in
  // every generator.
  assert.deepEqual(
    generatorPhases(
      [
        { name: 'flat', duration: 4, arrivalRate: 0, rampTo: 0, maxVusers: 9 },
        { name: 'gap', pause: 3 },
      ],
      2,
      0,
    ),
    [
      { name: 'flat', pause: 4 },
      { name: 'gap', pause: 3 },
    ],
  );
});

/** The phases `harness load --profile NAME --generators N` hands generator `index`: the warm-up, then the profile's. */
function generatorPlan(name: ProfileName, count: number, index: number): PlanPhase[] {
  const profile = getProfile(name);
  const whole = toArtilleryPhases({ ...profile, phases: [warmupPhase(profile)!, ...profile.phases] });
  return generatorPhases(whole, count, index);
}

test("a generator's share of nothing is a pause of the phase's length: average over 2, spike over 3, smoke over 4", () => {
  // average: the warm-up at the first phase's 1/s goes to generator 0 alone; the hold's 5/s as 3 and 2; the ramps'
  // ends halved; maxVusers 200 as 100 each.
  assert.deepEqual(generatorPlan('average', 2, 1), [
    { name: 'warm-up', pause: 10 },
    { name: 'ramp-up', duration: 60, arrivalRate: 0.5, rampTo: 2.5, maxVusers: 100 },
    { name: 'hold', duration: 300, arrivalRate: 2, maxVusers: 100 },
    { name: 'ramp-down', duration: 30, arrivalRate: 2.5, rampTo: 0.5, maxVusers: 100 },
  ]);
  assert.deepEqual(generatorPlan('average', 2, 0)[0], {
    name: 'warm-up',
    duration: 10,
    arrivalRate: 1,
    maxVusers: 100,
  });
  // spike: 2/s over 3 is 1, 1 and 0 (warm-up, baseline, recovery); the surge's and drop's ends in thirds; 30/s as
  // 10 each.
  assert.deepEqual(generatorPlan('spike', 3, 2), [
    { name: 'warm-up', pause: 10 },
    { name: 'baseline', pause: 30 },
    { name: 'surge', duration: 10, arrivalRate: 2 / 3, rampTo: 10, maxVusers: 200 },
    { name: 'peak', duration: 60, arrivalRate: 10, maxVusers: 200 },
    { name: 'drop', duration: 10, arrivalRate: 10, rampTo: 2 / 3, maxVusers: 200 },
    { name: 'recovery', pause: 60 },
  ]);
  // smoke: 3/s over 4 is 1, 1, 1 and 0 in both phases: generator 3 pauses throughout.
  assert.deepEqual(generatorPlan('smoke', 4, 3), [
    { name: 'warm-up', pause: 10 },
    { name: 'light', pause: 60 },
  ]);
  // The pauses change no total: at every phase the generators' starting rates still add up to the whole's.
  for (const [name, count] of [
    ['average', 2],
    ['spike', 3],
    ['smoke', 4],
  ] as const) {
    const shares = Array.from({ length: count }, (_, i) => generatorPlan(name, count, i));
    generatorPlan(name, 1, 0).forEach((phase, p) => {
      const sum = shares.reduce((total, s) => total + startRate(s[p]!), 0);
      assert.ok(Math.abs(sum - startRate(phase)) < 1e-9, `${name} ${phase.name}: ${sum} of ${startRate(phase)}`);
    });
  }
});

test("after Artillery's own division among its workers, every generator keeps its phases: count, order, lengths", async (t) => {
  const divideWork = await artilleryDivideWork();
  const script = (phases: readonly PlanPhase[]) => ({ config: { phases }, scenarios: [] });
  // Why a pause: Artillery drops a phase of rate 0, saying so on stdout, so every later phase of that worker moves
  // up one place (and starts the dropped phase's length early).
  const log = t.mock.method(console, 'log', () => {});
  const dropped = divideWork(
    script([
      { name: 'warm-up', duration: 10, arrivalRate: 0 },
      { name: 'hold', duration: 60, arrivalRate: 2 },
    ]),
    1,
  );
  log.mock.restore();
  assert.deepEqual(
    dropped.map((s) => s.config.phases.map((p) => p.name)),
    [['hold']],
  );
  assert.match(String(log.mock.calls[0]?.arguments[0]), /^Unknown phase spec definition, skipping\./);
  // A generator's phases as Artillery hands them to each of its workers: 1 on this 2-core machine (Artillery runs
  // CPUs - 1), more on a larger one. Each worker runs every phase of the whole plan, by name and length, in order,
  // so phase k (the phase after the warm-up, k = 1, above all) starts at the same offset in every generator.
  const shape = (phases: readonly { name?: string; duration?: number; pause?: number }[]) =>
    phases.map((p) => [p.name, p.pause ?? p.duration]);
  for (const [name, count] of [
    ['average', 2],
    ['spike', 3],
    ['smoke', 4],
  ] as const) {
    const whole = generatorPlan(name, 1, 0);
    for (let index = 0; index < count; index++) {
      const own = generatorPlan(name, count, index);
      assert.deepEqual(
        shape(own),
        whole.map((p) => [p.name, phaseSeconds(p)]),
        `${name} generator ${index} of ${count}`,
      );
      for (const workers of [1, 2, 3, 7]) {
        const scripts = divideWork(script(own), workers);
        const at = `${name} generator ${index} of ${count} on ${workers} workers`;
        if (own.every(isPause)) {
          // Artillery keeps no worker whose every phase is idle (a pause is): it starts none and ends at once.
          assert.deepEqual(scripts, [], at);
          continue;
        }
        assert.ok(scripts.length >= 1, at);
        for (const worker of scripts) {
          assert.deepEqual(shape(worker.config.phases), shape(own), at);
          const kinds = worker.config.phases.map((p) => p.pause !== undefined);
          assert.deepEqual(kinds, own.map(isPause), `${at}: a pause where the generator pauses, and only there`);
        }
      }
    }
  }
  assert.equal(log.mock.callCount(), 1, 'no phase of any generator was dropped');
});

test("several generators' periods: counters summed, the response time's percentiles from the pooled samples", () => {
  const at = 1_700_000_000_000;
  const period = (requests: number, p95: number): PeriodStats => ({
    period: at,
    counters: { 'http.requests': requests },
    summaries: { 'http.response_time': { p95 } },
  });
  const merged = mergePeriods([[period(10, 40)], [period(30, 90)]]);
  assert.deepEqual(merged[0]?.counters, { 'http.requests': 40 });
  assert.equal(merged[0]?.summaries?.['http.response_time']?.p95, 90, 'merged alone: an upper bound');
  // 40 pooled waits 1..40 ms: nearest-rank P50 20, P95 38, P99 40; a sample of the next period is not counted.
  const samples = [
    ...Array.from({ length: 40 }, (_, i) => ({ t: at + i * 100, endpoint: '/x', ms: i + 1, status: 200 })),
    { t: at + 10_000, endpoint: '/x', ms: 999, status: 200 },
  ];
  const rt = withSampleLatency(merged, samples)[0]?.summaries?.['http.response_time'];
  assert.deepEqual([rt?.p50, rt?.p95, rt?.p99, rt?.count], [20, 38, 40, 40]);
  assert.deepEqual(mergePeriods([[period(10, 40)]]), [period(10, 40)], 'one generator: as it is');
});

test("Artillery inherits an allow-list of the harness's environment, never its Prometheus credentials", () => {
  const env = artilleryEnvironment({
    PATH: '/usr/bin',
    HOME: '/root',
    NODE_OPTIONS: '--max-old-space-size=2048',
    CHROMIUM_PATH: '/usr/bin/chromium',
    HARNESS_PROMETHEUS_BASIC_AUTH: 'user:secret',
    HARNESS_PROMETHEUS_BEARER_TOKEN: 'token',
    GITHUB_TOKEN: 'ghs_x',
  });
  assert.deepEqual(env, {
    PATH: '/usr/bin',
    HOME: '/root',
    NODE_OPTIONS: '--max-old-space-size=2048',
    CHROMIUM_PATH: '/usr/bin/chromium',
  });
});

test('a phase starts when every generator with arrivals started it; a generator given none does not hold it back', () => {
  const working = {
    phases: [
      { name: 'warm-up', duration: 10, arrivalRate: 1 },
      { name: 'light', duration: 60, arrivalRate: 1 },
    ],
  };
  const idle = {
    phases: [
      { name: 'warm-up', pause: 10 },
      { name: 'light', pause: 60 },
    ],
  };
  const starts = (...at: number[]) => new Map(at.map((t, index) => [index, t]));
  // Smoke's 3/s over 4 generators: the fourth is all pauses, gets no Artillery worker and reports no phase.
  assert.deepEqual(
    latestPhaseStarts(
      [working, working, working, idle],
      [starts(100, 200), starts(105, 204), starts(101, 202), starts()],
    ),
    starts(105, 204),
  );
  // A generator with arrivals that has not begun a phase still holds that phase back: its warm-up is not over.
  assert.deepEqual(latestPhaseStarts([working, working], [starts(100, 200), starts(105)]), starts(105));
});
