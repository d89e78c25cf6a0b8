// The load profiles, in one module (QuickPizza's habit): every scenario script takes its phases from here, so
// "average" means the same traffic whichever journey runs. Rates are arrivals of virtual users per second;
// each virtual user runs one journey (several requests with think time), so requests per second are a
// multiple of the arrival rate (about 5-8 requests per journey in the default mix).

/** Names of the profiles, in the order `harness load --help` lists them. */
export const PROFILE_NAMES = ['smoke', 'average', 'stress', 'spike', 'soak', 'breakpoint'] as const;

/** One of {@link PROFILE_NAMES}. */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** A phase as the profiles define it: seconds and arrivals per second, no strings. */
export interface Phase {
  name: string;
  durationSeconds: number;
  /** Arrivals per second at the start of the phase. */
  arrivalRate: number;
  /** Arrivals per second at the end of the phase, when the phase ramps. */
  rampTo?: number;
}

/** A named load shape. */
export interface Profile {
  name: ProfileName;
  /** What the profile answers, for --help and the report. */
  purpose: string;
  phases: Phase[];
  /** Cap on concurrently active virtual users, so an overloaded target cannot make the client explode. */
  maxVusers: number;
  /**
   * Seconds of warm-up before the judged phases, at the first phase's starting rate: caches fill, connection
   * pools open, the JIT warms. The warm-up is its own Artillery run, so it counts toward neither the load
   * thresholds nor the window the SLOs are judged over. `--warmup` overrides it; 0 skips it.
   */
  warmupSeconds: number;
}

/** The warm-up of every profile unless it says otherwise (docs/operations.md#warm-up). */
export const DEFAULT_WARMUP_SECONDS = 10;

/**
 * Sustained load: arrivals ramp up from 1 a second to `rate`, hold it, and ramp back down to 1, so the service
 * is judged at the rate it holds, not at a cold start or a cliff.
 */
function rampHoldRamp(shape: { upSeconds: number; holdSeconds: number; downSeconds: number; rate: number }): Phase[] {
  const { upSeconds, holdSeconds, downSeconds, rate } = shape;
  return [
    { name: 'ramp-up', durationSeconds: upSeconds, arrivalRate: 1, rampTo: rate },
    { name: 'hold', durationSeconds: holdSeconds, arrivalRate: rate },
    { name: 'ramp-down', durationSeconds: downSeconds, arrivalRate: rate, rampTo: 1 },
  ];
}

const PROFILES: Record<ProfileName, Profile> = {
  smoke: {
    name: 'smoke',
    purpose: 'do the scripts work and does the service meet its SLOs under light load (about a minute)',
    // 3 journeys/s of about 7.7 requests each: about 1400 requests in the minute, enough to judge a 99.9 %
    // SLO (minEvents 1000, docs/slo.md#minimum-evidence); at 2/s it made about 930 on this machine.
    phases: [{ name: 'light', durationSeconds: 60, arrivalRate: 3 }],
    maxVusers: 50,
    warmupSeconds: DEFAULT_WARMUP_SECONDS,
  },
  average: {
    name: 'average',
    purpose: 'a normal trading day: ramp up, hold the usual load, ramp down',
    phases: rampHoldRamp({ upSeconds: 60, holdSeconds: 300, downSeconds: 30, rate: 5 }),
    maxVusers: 200,
    warmupSeconds: DEFAULT_WARMUP_SECONDS,
  },
  stress: {
    name: 'stress',
    purpose: 'above-average load (market open, news): does it still meet the SLOs',
    phases: rampHoldRamp({ upSeconds: 120, holdSeconds: 300, downSeconds: 60, rate: 12 }),
    maxVusers: 400,
    warmupSeconds: DEFAULT_WARMUP_SECONDS,
  },
  spike: {
    name: 'spike',
    purpose: 'a sudden burst (a limit-up board, a policy announcement) and the recovery after it',
    phases: [
      { name: 'baseline', durationSeconds: 30, arrivalRate: 2 },
      { name: 'surge', durationSeconds: 10, arrivalRate: 2, rampTo: 30 },
      { name: 'peak', durationSeconds: 60, arrivalRate: 30 },
      { name: 'drop', durationSeconds: 10, arrivalRate: 30, rampTo: 2 },
      { name: 'recovery', durationSeconds: 60, arrivalRate: 2 },
    ],
    maxVusers: 600,
    warmupSeconds: DEFAULT_WARMUP_SECONDS,
  },
  soak: {
    name: 'soak',
    purpose: 'average load for hours: leaks, pool exhaustion, cache growth, slow drift',
    phases: rampHoldRamp({ upSeconds: 60, holdSeconds: 3 * 3600, downSeconds: 60, rate: 5 }),
    maxVusers: 200,
    warmupSeconds: DEFAULT_WARMUP_SECONDS,
  },
  breakpoint: {
    name: 'breakpoint',
    purpose: 'arrival rate ramps until a threshold breaks; the report states the rate at which it broke',
    // A slow, steady ramp so each 10 s reporting period sees one rate; bounded, so a service that never
    // breaks still ends the run (the report then says it held up to the last rate).
    phases: [
      { name: 'warm-up', durationSeconds: 20, arrivalRate: 1 },
      { name: 'ramp', durationSeconds: 600, arrivalRate: 1, rampTo: 60 },
    ],
    maxVusers: 1000,
    // Its own 20 s warm-up phase above is part of the ramp analysis; no separate one.
    warmupSeconds: 0,
  },
};

/** True when `name` is one of the profiles. */
export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

/** The profile of that name; throws naming the known profiles otherwise. */
export function getProfile(name: string): Profile {
  if (!isProfileName(name)) {
    throw new Error(`unknown load profile '${name}' (known: ${PROFILE_NAMES.join(', ')})`);
  }
  return structuredClone(PROFILES[name]);
}

/** Total seconds of arrivals in a profile (virtual users still running at the end add their journey time). */
export function profileDurationSeconds(profile: Pick<Profile, 'phases'>): number {
  return profile.phases.reduce((sum, phase) => sum + phase.durationSeconds, 0);
}

/** How to shorten (or lengthen) a profile: a factor on every phase, or a total length in seconds. */
export interface DurationOverride {
  durationScale?: number;
  durationSeconds?: number;
}

/**
 * The profile with every phase stretched by the same factor, so its shape (ramps, spike, hold) and its rates
 * stay as they are and only time changes; a phase never gets shorter than one second. For `smoke` with
 * `durationSeconds: 15` this gives a 15 s smoke run at the smoke rate.
 */
export function scaleProfile(profile: Profile, override: DurationOverride = {}): Profile {
  const { durationScale, durationSeconds } = override;
  if (durationScale !== undefined && durationSeconds !== undefined) {
    throw new Error('give either a duration scale or a duration, not both');
  }
  let factor = 1;
  if (durationScale !== undefined) {
    if (!(durationScale > 0) || !Number.isFinite(durationScale)) {
      throw new Error(`duration scale must be a positive number, got ${durationScale}`);
    }
    factor = durationScale;
  } else if (durationSeconds !== undefined) {
    if (!(durationSeconds >= 1) || !Number.isFinite(durationSeconds)) {
      throw new Error(`duration must be at least 1 second, got ${durationSeconds}`);
    }
    factor = durationSeconds / profileDurationSeconds(profile);
  }
  if (factor === 1) return profile;
  return {
    ...profile,
    phases: profile.phases.map((phase) => ({
      ...phase,
      durationSeconds: Math.max(1, Math.round(phase.durationSeconds * factor)),
    })),
  };
}

/** The warm-up of a profile as one phase at the first phase's starting rate; undefined for no warm-up. */
export function warmupPhase(profile: Profile, seconds: number = profile.warmupSeconds): Phase | undefined {
  if (!(seconds > 0)) return undefined;
  return {
    name: 'warm-up',
    durationSeconds: Math.max(1, Math.round(seconds)),
    arrivalRate: profile.phases[0]!.arrivalRate,
  };
}

/** A phase in Artillery's own form, as the harness writes it (numbers only). */
export interface ArtilleryPhase {
  name: string;
  duration: number;
  arrivalRate: number;
  rampTo?: number;
  maxVusers?: number;
}

/** The phases in Artillery's own form. */
export function toArtilleryPhases(profile: Profile): ArtilleryPhase[] {
  return profile.phases.map((phase) => ({
    name: phase.name,
    duration: phase.durationSeconds,
    arrivalRate: phase.arrivalRate,
    ...(phase.rampTo === undefined ? {} : { rampTo: phase.rampTo }),
    maxVusers: profile.maxVusers,
  }));
}

/**
 * Artillery's pause phase: nothing arrives for `pause` seconds, yet the phase starts and completes (its
 * phaseStarted and phaseCompleted events) as any other. Artillery's own division of a script among its local
 * workers (lib/dist.js divideWork) keeps a pause in every worker, where it drops a phase of arrival rate 0 ("Unknown
 * phase spec definition, skipping"): so a generator whose share of a phase is nothing pauses through it.
 */
export interface PausePhase {
  name: string;
  pause: number;
}

/** A phase of a plan as Artillery runs it: arrivals, or a pause where a generator's share of a phase is none. */
export type PlanPhase = ArtilleryPhase | PausePhase;

/** True for a pause (no arrivals), false for a phase of arrivals. */
export function isPause(phase: PlanPhase): phase is PausePhase {
  return 'pause' in phase;
}

/** The seconds a phase lasts, whether a pause or a phase of arrivals. */
export function phaseSeconds(phase: PlanPhase): number {
  return isPause(phase) ? phase.pause : phase.duration;
}

/**
 * The phases of one of `count` load generators: each gets its share of every phase, the division Artillery makes
 * among its own local workers (its lib/dist.js). A constant rate that is a whole number is split into whole
 * arrivals per second (7 over 3: 3, 2, 2; 1 over 2: 1, 0), so no generator runs a fractional Poisson rate; any
 * other rate, and both ends of a ramp, are divided by `count`. `maxVusers` is split the same whole-number way. The
 * shares add up to the whole at every instant.
 *
 * A share of nothing (a constant 0, or 0 at both ends of a ramp) is a pause of the phase's length, and a pause
 * stays a pause in every generator. Artillery drops a phase of rate 0 when it divides the script among its local
 * workers, so without the pause that generator's later phases would start early (by the dropped phase's length)
 * and carry the wrong phase numbers: the judged window starts at phase 1's start (load/run.ts), and the progress
 * plugin announces the schedule's end when the last phase completes. With the pause, every generator runs the
 * same phases, in the same order and at the same times, so phase k starts together in all of them.
 */
export function generatorPhases(phases: readonly PlanPhase[], count: number, index: number): PlanPhase[] {
  return phases.map((phase): PlanPhase => {
    if (isPause(phase)) return { ...phase };
    const share: ArtilleryPhase = { ...phase };
    const rate = phase.arrivalRate;
    if (phase.rampTo !== undefined) {
      share.arrivalRate = rate / count;
      share.rampTo = phase.rampTo / count;
    } else if (Number.isInteger(rate)) {
      share.arrivalRate = wholeShare(rate, count, index);
    } else {
      share.arrivalRate = rate / count;
    }
    if (share.arrivalRate === 0 && (share.rampTo ?? 0) === 0) return { name: phase.name, pause: phase.duration };
    if (phase.maxVusers !== undefined) share.maxVusers = Math.max(1, wholeShare(phase.maxVusers, count, index));
    return share;
  });
}

/** Generator `index`'s part of `total` whole units over `count`: the first `total mod count` get one more. */
function wholeShare(total: number, count: number, index: number): number {
  return Math.floor(total / count) + (index < total % count ? 1 : 0);
}

/**
 * The scheduled arrival rate (per second) at `t` seconds after the start: linear inside a ramp. Used to say
 * at which rate a breakpoint run broke.
 */
export function scheduledRateAt(profile: Pick<Profile, 'phases'>, t: number): number {
  let start = 0;
  for (const phase of profile.phases) {
    const end = start + phase.durationSeconds;
    if (t < end) {
      const to = phase.rampTo ?? phase.arrivalRate;
      return phase.arrivalRate + ((to - phase.arrivalRate) * (t - start)) / phase.durationSeconds;
    }
    start = end;
  }
  const last = profile.phases.at(-1);
  return last ? (last.rampTo ?? last.arrivalRate) : 0;
}
