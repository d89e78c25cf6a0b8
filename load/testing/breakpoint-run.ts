// One breakpoint run whose every figure is written out here, for the golden tests of what a load run prints:
// summary.md (report/load/summary.test.ts) and the saturation read-out (report/load/saturation.test.ts). It is built
// the way load/run.ts builds a run's summary, through the same functions (summarizePeriods, findBreakpoint,
// journeyMix, evaluateThresholds, judgeSaturation), from Artillery's 10 s periods and the resources' readings
// as they would arrive; only the readings are made up.
//
// `harness load --profile breakpoint --duration 124 --generators 2`: the profile's 20 s warm-up and 600 s ramp
// from 1 to 60 journeys/s, scaled by 124/620 = 0.2 to 4 s and 120 s. Eight 10 s periods:
//
//   t (s)  journeys  requests  P50  P95  P99   5xx  market-browsing  trader-session
//    0        15        84       9   38    61     0        11               4
//   10        64       358      10   41    70     0        45              19
//   20       113       633      12   47    88     0        79              34
//   30       162       907      15   66   131     0       113              49
//   40       212      1187      24  121   212     0       148              64
//   50       261      1462      61  290   402     1       183              78
//   60       310      1736     188  480   702     6       217              93
//   70       359      2010     402  910  1380    31       251             108
//
// Totals: 1496 journeys (1047 market-browsing, 449 trader-session: 69.99 % and 30.01 %), 8377 requests, 38 of
// them 5xx: an error rate of 38 / 8377 = 0.454 % and an availability of 99.546 % (3 decimals, thresholds.ts).
// The P95 breaks its 300 ms limit at 60 s (480 ms) and stays broken at 70 s, so the run broke at 60 s, at
// 310 / 10 = 31 journeys/s (scheduled 1 + 59 x (65 - 4) / 120 = 30.99 at the period's middle), 173.6 requests/s,
// errors 6 / 1736 = 0.35 %; the last rate without a breach is 26.1 journeys/s. The run stopped there (the early
// stop), so its latency-p95 value is the breaking period's, 480 ms.
//
// Resources (one API process, two generators, a 2-core machine): the API's event-loop lag P99 reaches 100 ms at
// 50 s (104 ms) and stays above it at 60 s (212 ms), the first resource to do so; its CPU reaches 90 % of a core
// only at 60 s. The read-out covers the periods up to the one after the breach (70 s).
import { getProfile, type Profile, scaleProfile } from '../profiles.ts';
import { findBreakpoint, journeyMix, type PeriodStats, type RunSummary, summarizePeriods } from '../report.ts';
import { judgeSaturation, type SaturationPeriod, type SaturationReadout } from '../saturation.ts';
import { evaluateThresholds, type ThresholdKind, thresholdsFromLimits } from '../thresholds.ts';

/** The run's profile: the breakpoint profile at 124 s (--duration 124). */
export const BREAKPOINT_PROFILE: Profile = scaleProfile(getProfile('breakpoint'), { durationSeconds: 124 });

/** The first period's start: 30 November 2026, 08:00:00 UTC. */
const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);

const PERIODS: [number, number, number, number, number, number, number, number][] = [
  // journeys, requests, P50, P95, P99, 5xx, market-browsing, trader-session
  [15, 84, 9, 38, 61, 0, 11, 4],
  [64, 358, 10, 41, 70, 0, 45, 19],
  [113, 633, 12, 47, 88, 0, 79, 34],
  [162, 907, 15, 66, 131, 0, 113, 49],
  [212, 1187, 24, 121, 212, 0, 148, 64],
  [261, 1462, 61, 290, 402, 1, 183, 78],
  [310, 1736, 188, 480, 702, 6, 217, 93],
  [359, 2010, 402, 910, 1380, 31, 251, 108],
];

/** The periods as Artillery's progress plugin reports them. */
export function breakpointPeriods(): PeriodStats[] {
  return PERIODS.map(([created, requests, p50, p95, p99, errors, browsing, trading], i) => ({
    period: T0 + i * 10_000,
    counters: {
      'vusers.created': created,
      'vusers.created_by_name.market-browsing': browsing,
      'vusers.created_by_name.trader-session': trading,
      'http.requests': requests,
      'mystocks.server_errors': errors,
    },
    summaries: { 'http.response_time': { p50, p95, p99 } },
  }));
}

/** Per period: API CPU (one process), event-loop lag P99 ms, pool waiting, generators' CPU, PostgreSQL, machine. */
const READINGS: [number, number, number, number, number, number, number, number][] = [
  // API CPU, lag, pool, generators (cores), busiest generator thread, PostgreSQL (cores), its busiest, machine
  [0.12, 11, 0, 0.08, 0.05, 0.02, 0.01, 0.21],
  [0.24, 12, 0, 0.15, 0.09, 0.05, 0.02, 0.3],
  [0.37, 14, 0, 0.22, 0.13, 0.08, 0.03, 0.39],
  [0.51, 19, 0, 0.3, 0.17, 0.11, 0.04, 0.49],
  [0.66, 38, 0, 0.38, 0.21, 0.14, 0.05, 0.6],
  [0.83, 104, 0, 0.46, 0.25, 0.18, 0.06, 0.72],
  [0.97, 212, 2, 0.53, 0.29, 0.21, 0.07, 0.86],
  [0.99, 455, 9, 0.6, 0.33, 0.24, 0.08, 0.94],
];

/** The saturation read-out of the run, on its 2-core machine, up to the period after the breach. */
export function breakpointSaturation(): SaturationReadout {
  const periods = summarizePeriods(breakpointPeriods(), BREAKPOINT_PROFILE).map((p, i): SaturationPeriod => {
    const [api, lag, pool, generators, thread, postgres, postgresHottest, machine] = READINGS[i]!;
    return {
      atSeconds: p.atSeconds,
      arrivalRate: p.arrivalRate,
      apiCpu: api,
      apiCpuTotal: api,
      eventLoopLagP99Ms: lag,
      dbPoolWaiting: pool,
      cacheBreakerOpen: 0,
      generatorCpu: generators,
      generatorHottestThread: thread,
      postgresCpu: postgres,
      postgresHottest,
      machineCpu: machine,
    };
  });
  return judgeSaturation(periods, { cores: 2, untilSeconds: 70 });
}

/** The thresholds of the seed SLO file (slo/slo-config.yaml): P95 300 ms, errors 0.1 %, availability 99.9 %. */
const SPECS = thresholdsFromLimits({ p95LatencyMs: 300, maxErrorRatePct: 0.1, availabilityPct: 99.9 });

/** The thresholds with the run's values, as judgeRun leaves them. */
export function breakpointThresholds(): ReturnType<typeof evaluateThresholds> {
  const values: Record<ThresholdKind, number> = {
    'latency-p95': 480,
    'error-rate': 0.454,
    availability: 99.546,
    checks: 0,
  };
  return evaluateThresholds(SPECS, (spec) => values[spec.kind]);
}

/** The run's summary, as load/run.ts's summarizeRun assembles it. */
export function breakpointRunSummary(): RunSummary {
  const periods = breakpointPeriods();
  const thresholds = breakpointThresholds();
  return {
    runId: 'load-7b2d91e0',
    profile: BREAKPOINT_PROFILE.name,
    scenario: 'mix',
    target: 'http://127.0.0.1:40125',
    startedAt: new Date(T0).toISOString(),
    endedAt: new Date(T0 + 80_000).toISOString(),
    verdict: 'fail',
    thresholds,
    requests: 8377,
    machine: { healthzP95Ms: 4, probes: 78, eventLoopDelayP99Ms: 21 },
    generators: 2,
    journeyMix: journeyMix(periods),
    periods: summarizePeriods(periods, BREAKPOINT_PROFILE),
    breakpoint: findBreakpoint(periods, BREAKPOINT_PROFILE, SPECS),
    saturation: breakpointSaturation(),
    command: 'harness load --profile breakpoint --duration 124 --generators 2',
    reproduce: 'harness load --profile breakpoint --target http://127.0.0.1:40125 --duration 124 --generators 2',
    warmPhaseSeconds: 4,
  };
}
