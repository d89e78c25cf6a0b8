// What saturated during a load run: per 10 s period, each resource against its limit, and the first resource to
// reach it. Two sources:
// - the service's own metrics in Prometheus (API process CPU from process_cpu_seconds_total, event-loop lag from
//   prom-client's nodejs_eventloop_lag_p99_seconds, DB pool waiters, the cache breaker), which exist for every
//   stack mode;
// - this machine's /proc, sampled while Artillery runs: the load generator's own CPU (every thread of Artillery's
//   process group, so a saturated client is seen even when the service is not), PostgreSQL's CPU (the postmaster
//   and every process under it, where the stack runs it on this machine: a local process or a container on a
//   local engine), and the whole machine's CPU, which on a shared machine is often the real limit and must be said.
// The PromQL lives in SATURATION_QUERIES, nowhere else (metric names from core/service-metrics.ts); a deployment's own job is set with withJobLabel.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { PrometheusAccess } from '../core/prometheus-access.ts';
import { PROCESS_METRICS, SERVICE_METRICS } from '../core/service-metrics.ts';
import { PrometheusClient } from '../slo/evaluate/prometheus.ts';
import { withJobLabel } from '../slo/model/job.ts';
import { API_JOB } from '../stack/prometheus-config.ts';
import type { PeriodSummary } from './report.ts';

/** Linux reports process times in USER_HZ ticks, 100 per second on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
const PERIOD_SECONDS = 10;

/** The PromQL of the read-out, evaluated at the end of each 10 s period. */
export const SATURATION_QUERIES = {
  /** CPU of the busiest API process (one per worker), in cores. */
  apiCpuHottest: `max(rate(${PROCESS_METRICS.cpuSeconds}{job="${API_JOB}"}[${PERIOD_SECONDS}s]))`,
  /** CPU of all API processes together, in cores. */
  apiCpuTotal: `sum(rate(${PROCESS_METRICS.cpuSeconds}{job="${API_JOB}"}[${PERIOD_SECONDS}s]))`,
  /** Worst event-loop delay P99 of any API process in the period, seconds. */
  eventLoopLagP99: `max(max_over_time(${PROCESS_METRICS.eventLoopLagP99}{job="${API_JOB}"}[${PERIOD_SECONDS}s]))`,
  /** Most queries waiting for a pooled PostgreSQL connection at any scrape of the period. */
  dbPoolWaiting: `max(max_over_time(${SERVICE_METRICS.dbPoolWaiting}{job="${API_JOB}"}[${PERIOD_SECONDS}s]))`,
  /** 1 when the Redis circuit breaker was open at any scrape of the period. */
  cacheBreakerOpen: `max(max_over_time(${SERVICE_METRICS.cacheBreakerOpen}{job="${API_JOB}"}[${PERIOD_SECONDS}s]))`,
} as const;

/** The limits at which a resource counts as saturated (docs/performance.md says why each). */
export const SATURATION_LIMITS = {
  /**
   * One Node process runs JavaScript on one thread, and one PostgreSQL backend runs one statement at a time on one
   * core: 90 % of one core leaves no headroom for bursts.
   */
  cpuShareOfCore: 0.9,
  /** An event loop late by 100 ms at P99 adds that to every request queued behind it. */
  eventLoopLagSeconds: 0.1,
  /** Any query waiting for a connection: the pool is exhausted. */
  dbPoolWaiting: 1,
  /** The whole machine: 95 % of all cores busy (any process, including other users'). */
  machineShare: 0.95,
} as const;

/** One CPU reading: cumulative seconds of CPU at a moment. */
export interface CpuReading {
  t: number;
  /** Generator: CPU seconds of the whole process group, and per thread (tid -> seconds). */
  groupSeconds: number;
  threads: Map<number, number>;
  /** PostgreSQL: CPU seconds of the postmaster and each process under it (pid -> seconds); empty when not sampled. */
  postgres: Map<number, number>;
  /** Machine: busy and total jiffies from /proc/stat. */
  machineBusy: number;
  machineTotal: number;
}

/**
 * Samples the load generator's process group, PostgreSQL's process tree (when its postmaster's pid is given) and
 * the machine from /proc once a second while a run goes on. Linux only; elsewhere it records nothing and the
 * read-out says so.
 */
export class ProcSampler {
  readonly #groups: ReadonlySet<number>;
  readonly #postgresPid: number | undefined;
  readonly #readings: CpuReading[] = [];
  #timer: NodeJS.Timeout | undefined;

  /** `processGroups`: the generators' process groups (one per Artillery process), summed as one generator. */
  constructor(processGroups: readonly number[], options: { postgresPid?: number } = {}) {
    this.#groups = new Set(processGroups);
    this.#postgresPid = options.postgresPid;
  }

  start(): this {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), 1000);
    this.#timer.unref();
    return this;
  }

  stop(): CpuReading[] {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#sample();
    return this.#readings;
  }

  #sample(): void {
    try {
      const machine = readMachine();
      const threads = new Map<number, number>();
      const processes: { pid: number; parent: number; cpuSeconds: number }[] = [];
      let groupSeconds = 0;
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        const stat = readStat(`/proc/${entry}/stat`);
        if (stat && this.#postgresPid !== undefined) {
          processes.push({ pid: Number(entry), parent: stat.parent, cpuSeconds: stat.cpuSeconds });
        }
        if (!stat || !this.#groups.has(stat.processGroup)) continue;
        groupSeconds += stat.cpuSeconds;
        let tids: string[] = [];
        try {
          tids = readdirSync(`/proc/${entry}/task`);
        } catch {
          continue; // the process ended between the two reads
        }
        for (const tid of tids) {
          const thread = readStat(`/proc/${entry}/task/${tid}/stat`);
          if (thread) threads.set(Number(tid), thread.cpuSeconds);
        }
      }
      const postgres = this.#postgresPid === undefined ? new Map() : processTree(processes, this.#postgresPid);
      this.#readings.push({ t: Date.now(), groupSeconds, threads, postgres, ...machine });
    } catch {
      // No /proc (not Linux): the read-out reports the generator's CPU as unknown.
    }
  }
}

/**
 * CPU seconds of `root` and every process under it. A tree, not a process group: the postmaster's backends are
 * its children, and an image whose entrypoint keeps a shell as the container's first process has the postmaster
 * one level further down.
 */
function processTree(
  processes: readonly { pid: number; parent: number; cpuSeconds: number }[],
  root: number,
): Map<number, number> {
  const tree = new Map<number, number>();
  const inTree = new Set([root]);
  // Parents are listed before their children except after a pid wrap-around, so repeat until nothing is added.
  for (let added = true; added; ) {
    added = false;
    for (const p of processes) {
      if (!tree.has(p.pid) && (p.pid === root || inTree.has(p.parent))) {
        tree.set(p.pid, p.cpuSeconds);
        inTree.add(p.pid);
        added = true;
      }
    }
  }
  return tree;
}

function readStat(path: string): { processGroup: number; parent: number; cpuSeconds: number } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields from 3 on: state(3) ppid(4) pgrp(5) ... utime(14) stime(15), so index = field − 3.
  return {
    parent: Number(fields[1]),
    processGroup: Number(fields[2]),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
  };
}

function readMachine(): { machineBusy: number; machineTotal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are the idle time.
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { machineBusy: total - idle, machineTotal: total };
}

/** One resource in one period. */
export interface ResourceReading {
  /** Share of its limit's unit: cores for CPU, seconds for lag, count for the pool, 0/1 for the breaker. */
  value: number | null;
  saturated: boolean;
}

/** The read-out of one period. */
export interface SaturationPeriod {
  atSeconds: number;
  arrivalRate: number;
  /** Busiest API process, share of one core. */
  apiCpu: number | null;
  /** All API processes, cores. */
  apiCpuTotal: number | null;
  /** Event-loop lag P99 (worst API process), ms. */
  eventLoopLagP99Ms: number | null;
  dbPoolWaiting: number | null;
  cacheBreakerOpen: number | null;
  /** Load generator: whole process group (cores) and its busiest thread (share of one core). */
  generatorCpu: number | null;
  generatorHottestThread: number | null;
  /** PostgreSQL: all its processes (cores) and its busiest process (share of one core). */
  postgresCpu: number | null;
  postgresHottest: number | null;
  /** Whole machine, share of all cores. */
  machineCpu: number | null;
}

/** Names of the resources, as the read-out prints them. */
export type Resource =
  | 'api-cpu'
  | 'api-event-loop'
  | 'db-pool'
  | 'postgres-cpu'
  | 'cache-breaker'
  | 'load-generator'
  | 'machine-cpu';

/** What saturated first, and when. */
export interface SaturationReadout {
  periods: SaturationPeriod[];
  /** The first resource at its limit (several when they reached it in the same period). */
  first: Resource[];
  /** The period in which it happened. */
  atSeconds?: number;
  arrivalRate?: number;
  /** True when the load generator was at its limit first (or together with the service): the client's breakpoint. */
  clientBound: boolean;
  /** The read-out in one sentence. */
  sentence: string;
  /** What could not be read (no Prometheus, no /proc). */
  gaps: string[];
}

/** Inputs of {@link readSaturation}. */
export interface SaturationInput {
  periods: readonly PeriodSummary[];
  /** Start of each period, ms since the epoch, in the order of `periods`. */
  periodStarts: readonly number[];
  procReadings: readonly CpuReading[];
  /** True when PostgreSQL's postmaster was sampled (its pid was known); false: its CPU is said to be unknown. */
  postgresSampled?: boolean;
  prometheusUrl?: string;
  /** Headers, credentials and CA of that Prometheus when it is secured. */
  prometheusAccess?: PrometheusAccess;
  /** The API's scrape job (default mystocks-api, the harness's stacks'). */
  job?: string;
  /** The period at which the run broke (breakpoint) or undefined: the read-out then covers the whole run. */
  untilSeconds?: number;
}

/** Builds the read-out: every period's readings, then the first resource at its limit. */
export async function readSaturation(input: SaturationInput): Promise<SaturationReadout> {
  const gaps: string[] = [];
  const prometheus = input.prometheusUrl
    ? new PrometheusClient({
        url: input.prometheusUrl,
        timeoutMs: 5_000,
        retries: 1,
        ...(input.prometheusAccess ? { access: input.prometheusAccess } : {}),
      })
    : undefined;
  if (!prometheus) gaps.push('no Prometheus: API CPU, event-loop lag, DB pool and cache breaker unknown');
  if (input.procReadings.length < 2) gaps.push('no /proc readings: load generator and machine CPU unknown');
  else if (!input.postgresSampled) gaps.push("PostgreSQL's CPU: its process is not on this machine (or not known)");
  else if (input.procReadings.every((r) => r.postgres.size === 0)) gaps.push("PostgreSQL's CPU: its process was gone");
  const cores = cpus().length;
  const periods: SaturationPeriod[] = [];
  let promFailures = 0;
  for (let i = 0; i < input.periods.length; i++) {
    const p = input.periods[i]!;
    const start = input.periodStarts[i]!;
    const end = start + PERIOD_SECONDS * 1000;
    const values: Partial<Record<keyof typeof SATURATION_QUERIES, number | null>> = {};
    if (prometheus) {
      await Promise.all(
        Object.entries(SATURATION_QUERIES).map(async ([name, query]) => {
          const outcome = await prometheus.query(input.job ? withJobLabel(query, input.job) : query, end / 1000);
          if (outcome.kind === 'error') promFailures++;
          values[name as keyof typeof SATURATION_QUERIES] = outcome.kind === 'value' ? outcome.value : null;
        }),
      );
    }
    const proc = procBetween(input.procReadings, start, end);
    periods.push({
      atSeconds: p.atSeconds,
      arrivalRate: p.arrivalRate,
      apiCpu: round(values.apiCpuHottest),
      apiCpuTotal: round(values.apiCpuTotal),
      eventLoopLagP99Ms: values.eventLoopLagP99 == null ? null : round(values.eventLoopLagP99 * 1000),
      dbPoolWaiting: round(values.dbPoolWaiting),
      cacheBreakerOpen: round(values.cacheBreakerOpen),
      generatorCpu: round(proc?.groupCores),
      generatorHottestThread: round(proc?.hottestThread),
      postgresCpu: round(proc?.postgresCores),
      postgresHottest: round(proc?.postgresHottest),
      machineCpu: round(proc?.machineShare),
    });
  }
  if (promFailures > 0) gaps.push(`${promFailures} Prometheus queries failed`);
  return judgeSaturation(periods, {
    cores,
    gaps,
    ...(input.untilSeconds === undefined ? {} : { untilSeconds: input.untilSeconds }),
  });
}

/** CPU used between two moments, from the readings closest to them. */
function procBetween(
  readings: readonly CpuReading[],
  start: number,
  end: number,
):
  | {
      groupCores: number;
      hottestThread: number;
      postgresCores: number | null;
      postgresHottest: number | null;
      machineShare: number;
    }
  | undefined {
  const first = readings.findLast((r) => r.t <= start + 500) ?? readings[0];
  const last = readings.find((r) => r.t >= end - 500) ?? readings.at(-1);
  if (!first || !last || last.t - first.t < 1000) return undefined;
  const seconds = (last.t - first.t) / 1000;
  let hottest = 0;
  for (const [tid, cpu] of last.threads) {
    const before = first.threads.get(tid) ?? 0;
    hottest = Math.max(hottest, (cpu - before) / seconds);
  }
  // A PostgreSQL process that started within the period (a new backend) counts from zero; one that ended in it
  // is not counted (its last seconds are lost; the API's pool keeps its backends for the whole run).
  let postgresSeconds = 0;
  let postgresHottest = 0;
  for (const [pid, cpu] of last.postgres) {
    const used = Math.max(0, cpu - (first.postgres.get(pid) ?? 0));
    postgresSeconds += used;
    postgresHottest = Math.max(postgresHottest, used / seconds);
  }
  const postgresSeen = last.postgres.size > 0;
  const machineTotal = last.machineTotal - first.machineTotal;
  return {
    groupCores: Math.max(0, (last.groupSeconds - first.groupSeconds) / seconds),
    hottestThread: hottest,
    postgresCores: postgresSeen ? postgresSeconds / seconds : null,
    postgresHottest: postgresSeen ? postgresHottest : null,
    machineShare: machineTotal > 0 ? (last.machineBusy - first.machineBusy) / machineTotal : 0,
  };
}

/** Which resource reached its limit first; pure, so the rules are tested on recorded readings. */
export function judgeSaturation(
  periods: SaturationPeriod[],
  context: { cores: number; gaps?: string[]; untilSeconds?: number },
): SaturationReadout {
  const gaps = context.gaps ?? [];
  const considered = periods.filter((p) => context.untilSeconds === undefined || p.atSeconds <= context.untilSeconds);
  // A resource counts from the first period it is at its limit and still is in the next one (or the last period
  // read): one 10 s spike is noise, not what ran out. Seen on this machine: a single event-loop lag P99 of 127 ms
  // (a garbage collection) at 13.9 journeys/s, back to 36 ms after, in a ramp that broke at 27.4 journeys/s when
  // the lag stayed above 100 ms. An open breaker is a state the service entered, so it counts at once.
  const sustainedAt = (i: number): Resource[] => {
    const next = considered[i + 1];
    const now = atLimit(considered[i]!);
    if (next === undefined) return now;
    const then = atLimit(next);
    return now.filter((r) => r === 'cache-breaker' || then.includes(r));
  };
  const firstIndex = considered.findIndex((_, i) => sustainedAt(i).length > 0);
  const firstPeriod = firstIndex >= 0 ? considered[firstIndex] : undefined;
  const generatorText = (p: SaturationPeriod) =>
    p.generatorHottestThread === null
      ? "the load generator's CPU is unknown"
      : `the load generator was at ${pct(p.generatorHottestThread)} of one core (busiest thread; ${round(p.generatorCpu)} cores in all)`;
  const machineText = (p: SaturationPeriod) =>
    p.machineCpu === null ? '' : `; the machine was ${pct(p.machineCpu)} busy (${context.cores} cores, all processes)`;
  if (!firstPeriod) {
    const last = considered.at(-1);
    const peak = (pick: (p: SaturationPeriod) => number | null) =>
      Math.max(...considered.map((p) => pick(p) ?? Number.NEGATIVE_INFINITY));
    // A share never read is "unknown" alone: "API CPU unknown", not "unknown of one core".
    const share = (pick: (p: SaturationPeriod) => number | null, of: string) => {
      const value = peak(pick);
      return Number.isFinite(value) ? `${pct(value)}${of}` : 'unknown';
    };
    const sentence = last
      ? `No resource reached its limit (highest: API CPU ${share((p) => p.apiCpu, ' of one core')}, event-loop lag P99 ${fmtMs(peak((p) => p.eventLoopLagP99Ms))}, PostgreSQL ${share((p) => p.postgresHottest, ' of one core (busiest process)')}, load generator ${share((p) => p.generatorHottestThread, ' of one core')}, machine ${share((p) => p.machineCpu, '')}).`
      : 'No periods to read.';
    return { periods, first: [], clientBound: false, sentence, gaps };
  }
  const first = sustainedAt(firstIndex);
  const clientBound = first.includes('load-generator');
  const what = first.map((r) => describeResource(r, firstPeriod, context.cores)).join(' and ');
  // A period with no arrivals is the last journeys finishing after the arrival phases: "at 0 journeys/s" would
  // read as a rate the service broke at.
  const when =
    firstPeriod.arrivalRate > 0
      ? `at ${firstPeriod.arrivalRate} journeys/s (${firstPeriod.atSeconds} s into the run)`
      : `after the last arrival, while the last journeys finished (${firstPeriod.atSeconds} s into the run)`;
  let sentence = `${capitalize(what)} ${when}`;
  // The machine's share is said once: in the resource's own words when the machine is what saturated.
  const machine = first.includes('machine-cpu') ? '' : machineText(firstPeriod);
  sentence += clientBound
    ? `: the breakpoint belongs to the client, not the service${machine}.`
    : `; ${generatorText(firstPeriod)}${machine}.`;
  if (first.includes('machine-cpu') && !clientBound) {
    sentence +=
      ' The machine ran out of CPU as a whole: other processes compete with the service, so this breakpoint is a property of the machine at that moment, not of the service alone.';
  }
  return {
    periods,
    first,
    atSeconds: firstPeriod.atSeconds,
    arrivalRate: firstPeriod.arrivalRate,
    clientBound,
    sentence,
    gaps,
  };
}

/** The resources at their limit (SATURATION_LIMITS) in one period; a reading that is unknown is not at it. */
function atLimit(p: SaturationPeriod): Resource[] {
  const limit = SATURATION_LIMITS;
  const hit: Resource[] = [];
  if (p.apiCpu !== null && p.apiCpu >= limit.cpuShareOfCore) hit.push('api-cpu');
  if (p.eventLoopLagP99Ms !== null && p.eventLoopLagP99Ms >= limit.eventLoopLagSeconds * 1000)
    hit.push('api-event-loop');
  if (p.dbPoolWaiting !== null && p.dbPoolWaiting >= limit.dbPoolWaiting) hit.push('db-pool');
  if (p.postgresHottest !== null && p.postgresHottest >= limit.cpuShareOfCore) hit.push('postgres-cpu');
  if (p.cacheBreakerOpen !== null && p.cacheBreakerOpen >= 1) hit.push('cache-breaker');
  if (p.generatorHottestThread !== null && p.generatorHottestThread >= limit.cpuShareOfCore) hit.push('load-generator');
  if (p.machineCpu !== null && p.machineCpu >= limit.machineShare) hit.push('machine-cpu');
  return hit;
}

/** A saturated resource in words, with the readings of the period that show it. */
function describeResource(resource: Resource, p: SaturationPeriod, cores: number): string {
  switch (resource) {
    case 'api-cpu':
      return `API process CPU saturated (${pct(p.apiCpu)} of one core, lag P99 ${fmtMs(p.eventLoopLagP99Ms)})`;
    case 'api-event-loop':
      return `API event loop saturated (lag P99 ${fmtMs(p.eventLoopLagP99Ms)}, CPU ${fmtPct(p.apiCpu)} of one core)`;
    case 'db-pool':
      return `DB pool exhausted (${p.dbPoolWaiting} queries waiting for a connection)`;
    case 'postgres-cpu':
      return `PostgreSQL CPU saturated (busiest process ${pct(p.postgresHottest)} of one core; ${round(p.postgresCpu)} cores in all)`;
    case 'cache-breaker':
      return 'cache breaker open (Redis unavailable or too slow)';
    case 'load-generator':
      return `load generator saturated (busiest thread ${pct(p.generatorHottestThread)} of one core)`;
    case 'machine-cpu':
      return `machine CPU saturated (${pct(p.machineCpu)} of ${cores} cores, all processes)`;
  }
}

function round(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000;
}
function pct(share: number | null): string {
  return share === null ? '-' : `${Math.round(share * 100)} %`;
}
/** A share of a core or of the machine in whole percent, or 'unknown' (the sentence and the read-out's table). */
export function fmtPct(share: number | null): string {
  return share === null || !Number.isFinite(share) ? 'unknown' : pct(share);
}
function fmtMs(ms: number | null): string {
  return ms === null || !Number.isFinite(ms) ? 'unknown' : `${Math.round(ms)} ms`;
}
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
