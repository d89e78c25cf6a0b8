// What a load run leaves behind: the per-period analysis (and the breakpoint), a readable summary, and Allure
// results with one test per threshold, so load sits in the same Allure report as E2E and the SLO gate.
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Stage, Status, type TestResult } from 'allure-js-commons';
import { type Verdict, verdictWord } from '../core/outcome.ts';
import { type Profile, scheduledRateAt } from './profiles.ts';
import { nearestRank, type Sample } from './samples.ts';
import { renderSaturation, type SaturationReadout } from './saturation.ts';
import { describeResult, METRIC, type ThresholdResult, type ThresholdSpec } from './thresholds.ts';

/** One of Artillery's 10 s reporting periods, as the progress plugin or the JSON report gives it. */
export interface PeriodStats {
  /** Start of the period, ms since the epoch. */
  period: number;
  firstMetricAt?: number;
  lastMetricAt?: number;
  counters?: Record<string, number>;
  summaries?: Record<string, Record<string, number>>;
}

/** A period boiled down to what a person (and the breakpoint search) looks at. */
export interface PeriodSummary {
  /** Seconds since the first period started. */
  atSeconds: number;
  /** Virtual users that arrived per second in this period. */
  arrivalRate: number;
  /** The profile's scheduled arrival rate in the middle of the period. */
  scheduledRate: number;
  requestsPerSecond: number;
  /** Response-time percentiles of the period (Artillery's http.response_time), ms. */
  p50Ms?: number | null;
  p95Ms: number | null;
  p99Ms?: number | null;
  errorRatePct: number | null;
  requests: number;
}

/** Where a breakpoint run broke, or that it did not. */
export interface Breakpoint {
  broke: boolean;
  /** Which threshold broke first ("latency-p95"), when it broke. */
  threshold?: string;
  /** Arrival rate (virtual users per second) in the first breaking period, measured and scheduled. */
  arrivalRate?: number;
  scheduledRate?: number;
  requestsPerSecond?: number;
  p95Ms?: number | null;
  errorRatePct?: number | null;
  /** Seconds into the run at which it broke. */
  atSeconds?: number;
  /** The highest arrival rate reached without a breach. */
  lastGoodRate?: number;
  /** Share of journeys by name (percent) up to the breaking period. */
  journeyMix: Record<string, number>;
}

const PERIOD_SECONDS = 10;

/** Per-period figures, in time order. */
export function summarizePeriods(periods: readonly PeriodStats[], profile: Pick<Profile, 'phases'>): PeriodSummary[] {
  const sorted = [...periods].sort((a, b) => a.period - b.period);
  const t0 = sorted[0]?.period ?? 0;
  return sorted.map((p) => {
    const c = (name: string): number => p.counters?.[name] ?? 0;
    const requests = c('http.requests');
    // Per period, requests minus responses is mostly requests still in flight at the boundary, not failures:
    // count the failures Artillery names instead (errors.ETIMEDOUT, errors.ECONNREFUSED, ...) plus 5xx answers.
    const networkErrors = Object.entries(p.counters ?? {})
      .filter(([name]) => name.startsWith('errors.'))
      .reduce((sum, [, n]) => sum + n, 0);
    const failed = networkErrors + c(METRIC.serverErrors);
    const atSeconds = Math.round((p.period - t0) / 1000);
    return {
      atSeconds,
      arrivalRate: round(c('vusers.created') / PERIOD_SECONDS),
      scheduledRate: round(scheduledRateAt(profile, atSeconds + PERIOD_SECONDS / 2)),
      requestsPerSecond: round(requests / PERIOD_SECONDS),
      p50Ms: p.summaries?.['http.response_time']?.p50 ?? p.summaries?.['http.response_time']?.median ?? null,
      p95Ms: p.summaries?.['http.response_time']?.p95 ?? null,
      p99Ms: p.summaries?.['http.response_time']?.p99 ?? null,
      errorRatePct: requests > 0 ? round((Math.max(0, failed) / requests) * 100) : null,
      requests,
    };
  });
}

/**
 * Several generators' periods as one run's: the periods of the same 10 s (Artillery's periods are wall-clock
 * aligned, so the generators' keys agree) become one, counters summed. A percentile cannot be added up: each
 * summary keeps its largest value here, an upper bound that `withSampleLatency` replaces for the response time
 * with the percentiles of the pooled samples. One generator's periods are returned as they are.
 */
export function mergePeriods(perGenerator: readonly (readonly PeriodStats[])[]): PeriodStats[] {
  if (perGenerator.length === 1) return [...perGenerator[0]!];
  const byPeriod = new Map<number, PeriodStats>();
  for (const period of perGenerator.flat()) {
    const into = byPeriod.get(period.period) ?? { period: period.period, counters: {}, summaries: {} };
    byPeriod.set(period.period, into);
    for (const [name, n] of Object.entries(period.counters ?? {}))
      into.counters![name] = (into.counters![name] ?? 0) + n;
    for (const [name, summary] of Object.entries(period.summaries ?? {})) {
      const merged = into.summaries![name] ?? {};
      into.summaries![name] = merged;
      for (const [stat, v] of Object.entries(summary))
        merged[stat] = Math.max(merged[stat] ?? Number.NEGATIVE_INFINITY, v);
    }
  }
  return [...byPeriod.values()].sort((a, b) => a.period - b.period);
}

/**
 * Periods whose response-time P50/P95/P99 are those of the samples that arrived within them (nearest rank over
 * the pooled samples of every generator, [period, period + 10 s)): the merged run's own percentiles.
 */
export function withSampleLatency(periods: readonly PeriodStats[], samples: readonly Sample[]): PeriodStats[] {
  const waits = new Map<number, number[]>(periods.map((p) => [p.period, []]));
  for (const sample of samples) {
    waits.get(Math.floor(sample.t / (PERIOD_SECONDS * 1000)) * PERIOD_SECONDS * 1000)?.push(sample.ms);
  }
  return periods.map((p) => {
    const ms = waits.get(p.period)!.sort((a, b) => a - b);
    if (ms.length === 0) return p;
    const rank = (q: number) => nearestRank(ms, q)!;
    const responseTime = {
      min: ms[0]!,
      max: ms.at(-1)!,
      count: ms.length,
      p50: rank(0.5),
      p95: rank(0.95),
      p99: rank(0.99),
    };
    return { ...p, summaries: { ...p.summaries, 'http.response_time': responseTime } };
  });
}

/** Options of {@link findBreakpoint}. */
export interface BreakpointOptions {
  /** Periods with fewer requests are not judged (a handful of requests has no meaningful P95). Default 20. */
  minRequests?: number;
  /**
   * The run is over: a breach in the last period counts even without a following period to confirm it.
   * While the run goes on (live early stop) a breach must hold for two periods in a row, so one noisy
   * 10 s period on a shared machine does not end the ramp. Default true.
   */
  final?: boolean;
}

/**
 * The first period of a sustained breach (that period and the next both break): P95 above its limit, or the
 * error rate above its limit.
 */
export function findBreakpoint(
  periods: readonly PeriodStats[],
  profile: Pick<Profile, 'phases'>,
  thresholds: readonly ThresholdSpec[],
  options: BreakpointOptions = {},
): Breakpoint {
  const { minRequests = 20, final = true } = options;
  const summaries = summarizePeriods(periods, profile);
  const p95Limit = thresholds.find((t) => t.kind === 'latency-p95')?.limit;
  const errorLimit = thresholds.find((t) => t.kind === 'error-rate')?.limit;
  const breach = (s: PeriodSummary | undefined): 'latency-p95' | 'error-rate' | undefined => {
    if (!s || s.requests < minRequests) return undefined;
    if (p95Limit !== undefined && s.p95Ms !== null && s.p95Ms > p95Limit) return 'latency-p95';
    if (errorLimit !== undefined && s.errorRatePct !== null && s.errorRatePct > errorLimit) return 'error-rate';
    return undefined;
  };
  let lastGoodRate: number | undefined;
  for (let i = 0; i < summaries.length; i++) {
    const s = summaries[i]!;
    if (s.requests < minRequests) continue;
    const kind = breach(s);
    const confirmed =
      kind !== undefined && (breach(summaries[i + 1]) !== undefined || (final && i === summaries.length - 1));
    if (kind !== undefined && confirmed) {
      const latencyBroke = kind === 'latency-p95';
      return {
        broke: true,
        threshold: latencyBroke ? 'latency-p95' : 'error-rate',
        arrivalRate: s.arrivalRate,
        scheduledRate: s.scheduledRate,
        requestsPerSecond: s.requestsPerSecond,
        p95Ms: s.p95Ms,
        errorRatePct: s.errorRatePct,
        atSeconds: s.atSeconds,
        ...(lastGoodRate === undefined ? {} : { lastGoodRate }),
        journeyMix: journeyMix(periods.slice(0, i + 1)),
      };
    }
    if (kind === undefined) lastGoodRate = Math.max(lastGoodRate ?? 0, s.arrivalRate);
  }
  return { broke: false, ...(lastGoodRate === undefined ? {} : { lastGoodRate }), journeyMix: journeyMix(periods) };
}

/** Share of journeys by name, in percent, from `vusers.created_by_name.*`. */
export function journeyMix(periods: readonly Pick<PeriodStats, 'counters'>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of periods) {
    for (const [name, value] of Object.entries(p.counters ?? {})) {
      if (name.startsWith('vusers.created_by_name.')) {
        const journey = name.slice('vusers.created_by_name.'.length);
        counts[journey] = (counts[journey] ?? 0) + value;
      }
    }
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => [name, total > 0 ? round((n / total) * 100) : 0]),
  );
}

/** Everything the summary files say about a run. */
export interface RunSummary {
  runId: string;
  profile: string;
  scenario: string;
  target: string;
  startedAt: string;
  endedAt: string;
  verdict: Verdict;
  thresholds: ThresholdResult[];
  requests: number;
  /** The machine's noise during the judged run: /healthz P95 as probed, the load generator's event-loop delay. */
  machine?: { healthzP95Ms: number | null; probes: number; eventLoopDelayP99Ms: number };
  /** The warm-up before the judged run: not in the thresholds, not in the SLO window. */
  /**
   * The warm-up run before the judged one; `periods` are its 10 s periods at negative seconds (t = 0 is the
   * judged run's first period), for the load-window chart only.
   */
  warmup?: { seconds: number; startedAt: string; endedAt: string; requests: number; periods?: PeriodSummary[] };
  /** Artillery processes that sent the load side by side, when more than one. */
  generators?: number;
  /** Browser scenario: requests the pages made (documents, scripts, API calls), as Chromium counted them. */
  pageRequests?: number;
  journeyMix: Record<string, number>;
  periods: PeriodSummary[];
  breakpoint?: Breakpoint;
  /** What saturated first (API runs). */
  saturation?: SaturationReadout;
  /** Why the run could not be judged (verdict inconclusive). */
  problem?: string;
  /** The command as it was typed (shell-quoted). */
  command: string;
  /** Seconds from the start that are the profile's warm-up (shaded in the charts). */
  warmPhaseSeconds?: number;
  /** A command that sends the same load to the same target again: target resolved, every option spelled out. */
  reproduce?: string;
}

/** The readable summary (Markdown: fine in a terminal, a CI step summary or a PR comment). */
export function renderSummary(s: RunSummary): string {
  const verdict = verdictWord(s.verdict);
  const lines = [
    `# Load run ${s.runId}: ${verdict}`,
    '',
    `- profile **${s.profile}**, scenario **${s.scenario}**, target ${s.target}`,
    ...(s.generators ? [`- ${s.generators} generators, each with 1/${s.generators} of the arrivals`] : []),
    ...(s.warmup
      ? [
          `- warm-up ${s.warmup.seconds} s from ${s.warmup.startedAt} to ${s.warmup.endedAt}; ${s.warmup.requests} requests (not judged)`,
        ]
      : ['- no warm-up']),
    `- judged window from ${s.startedAt} to ${s.endedAt}; ${s.pageRequests === undefined ? `${s.requests} requests` : `${s.pageRequests} page requests (Chromium)`}`,
    ...(s.machine
      ? [
          `- machine noise: /healthz P95 ${s.machine.healthzP95Ms ?? '-'} ms (${s.machine.probes} probes), load generator event-loop delay P99 ${s.machine.eventLoopDelayP99Ms} ms`,
        ]
      : []),
    `- command: \`${s.command}\``,
  ];
  if (s.reproduce && s.reproduce !== s.command) lines.push(`- to run it again: \`${s.reproduce}\``);
  if (s.problem) {
    // The first line is the reason; the rest is a log's tail (Artillery's last lines), kept as written in a code
    // block inside the item: as plain lines, Markdown would run them together into one paragraph.
    const [reason, ...tail] = s.problem.split('\n');
    lines.push(`- could not judge the run: ${reason}`);
    if (tail.length > 0) {
      const longest = Math.max(0, ...[...tail.join('\n').matchAll(/`+/g)].map((m) => m[0].length));
      const fence = '`'.repeat(Math.max(3, longest + 1));
      lines.push('', `  ${fence}`, ...tail.map((line) => (line === '' ? '' : `  ${line}`)), `  ${fence}`);
    }
  }
  lines.push('', '## Thresholds (from the SLOs)', '', '| threshold | limit | value | verdict |', '|---|---|---|---|');
  for (const t of s.thresholds) {
    const unit = t.unit === 'responses' ? '' : ` ${t.unit}`;
    lines.push(
      `| ${t.name} | ${t.comparison} ${t.limit}${unit} | ${t.value === null ? 'no data' : `${t.value}${unit}`} | ${t.ok ? 'ok' : '**FAIL**'} |`,
    );
  }
  // A threshold without data fails, but nothing was breached: it is named apart.
  const breached = s.thresholds.filter((t) => !t.ok && t.value !== null);
  const noData = s.thresholds.filter((t) => t.value === null);
  if (breached.length > 0) lines.push('', `Breached: ${breached.map((t) => t.name).join(', ')}`);
  if (noData.length > 0) lines.push('', `No data: ${noData.map((t) => t.name).join(', ')}`);
  lines.push('', '## Journey mix', '', ...Object.entries(s.journeyMix).map(([name, pct]) => `- ${name}: ${pct} %`));
  if (s.breakpoint) {
    const b = s.breakpoint;
    lines.push('', '## Breakpoint', '');
    lines.push(
      b.broke
        ? `Broke at **${b.arrivalRate} journeys/s** (scheduled ${b.scheduledRate}/s, ${b.requestsPerSecond} requests/s), ${b.atSeconds} s into the run: ${b.threshold} (P95 ${b.p95Ms} ms, errors ${b.errorRatePct} %). Last rate without a breach: ${b.lastGoodRate ?? 'none'} journeys/s.`
        : `Did not break: held every threshold up to ${b.lastGoodRate ?? 0} journeys/s (the end of the ramp).`,
    );
  }
  if (s.saturation) lines.push(...renderSaturation(s.saturation));
  if (s.periods.length > 0) {
    lines.push(
      '',
      '## Per 10 s period',
      '',
      '| t (s) | journeys/s | requests/s | P95 ms | errors % |',
      '|---|---|---|---|---|',
    );
    for (const p of s.periods) {
      lines.push(
        `| ${p.atSeconds} | ${p.arrivalRate} | ${p.requestsPerSecond} | ${p.p95Ms ?? '-'} | ${p.errorRatePct ?? '-'} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One Allure test per threshold; a run that could not be judged makes each of them "broken". */
export function toAllureResults(s: RunSummary, startMs: number, stopMs: number): TestResult[] {
  return s.thresholds.map((t): TestResult => {
    const fullName = `load.${s.profile}.${s.scenario}.${t.name}`;
    const id = createHash('md5').update(fullName).digest('hex');
    const status = s.verdict === 'inconclusive' ? Status.BROKEN : t.ok ? Status.PASSED : Status.FAILED;
    return {
      uuid: randomUUID(),
      historyId: id,
      testCaseId: id,
      name: `load ${s.profile}: ${t.name}`,
      fullName,
      description: `${t.source}\n\nArtillery ensure: \`${t.expression}\``,
      status,
      statusDetails: t.ok && s.verdict !== 'inconclusive' ? {} : { message: s.problem ?? describeResult(t) },
      stage: Stage.FINISHED,
      steps: [],
      attachments: [],
      parameters: [
        { name: 'limit', value: `${t.comparison} ${t.limit} ${t.unit}`, excluded: true },
        { name: 'value', value: t.value === null ? 'no data' : `${t.value} ${t.unit}`, excluded: true },
        { name: 'run id', value: s.runId, excluded: true },
      ],
      labels: [
        { name: 'parentSuite', value: 'mystocks-harness' },
        { name: 'suite', value: 'load' },
        { name: 'subSuite', value: `${s.profile} / ${s.scenario}` },
        { name: 'feature', value: 'load thresholds' },
        { name: 'story', value: t.name },
        { name: 'tag', value: s.profile },
        { name: 'severity', value: 'critical' },
      ],
      links: [],
      start: startMs,
      stop: stopMs,
    };
  });
}

/** A file or text attached to every threshold's Allure test (summary, Artillery's report, a chart). */
export type Evidence = { name: string; type: string } & ({ path: string } | { text: string; ext: string });

/** Writes the Allure results into `dir`, each with the evidence attached; returns their paths. */
export async function writeAllureResults(
  results: TestResult[],
  dir: string,
  evidence: readonly Evidence[] = [],
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const result of results) {
    for (const item of evidence) {
      const ext = 'path' in item ? extname(item.path) : `.${item.ext}`;
      const source = `${randomUUID()}-attachment${ext}`;
      if ('path' in item) await copyFile(item.path, join(dir, source));
      else await writeFile(join(dir, source), item.text);
      result.attachments.push({ name: item.name, source, type: item.type });
    }
    const path = join(dir, `${result.uuid}-result.json`);
    await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
    paths.push(path);
  }
  return paths;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
