// Pictures and words of a verify run, apart from the stages so they stay small call sites in verify.ts:
//   - the SLO charts over the judged window (Prometheus range queries), cache by level and DB P95;
//   - the SLI trend per SLO across the last runs (reports/slo-history.jsonl, one line per run);
//   - the verdict sentence that opens summary.md ("FAIL: latency-p95 453 ms > 300 ms");
//   - what was tested (stack mode, URLs, profile and length, window, commit) for summary.md and verify.json;
//   - the load report page rewritten with the SLO gate's results and charts.
// Drawing never changes a verdict: a chart that cannot be drawn is a note on the page.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { Verdict } from '../../core/outcome.ts';
import type { PrometheusAccess } from '../../core/prometheus-access.ts';
import { drivingRow, type SloBreakdown } from '../../diagnose/index.ts';
import { getProfile, profileDurationSeconds, scaleProfile } from '../../load/profiles.ts';
import type { RunSummary } from '../../load/report.ts';
import type { LoadResult } from '../../load/run.ts';
import { describeResult as describeThreshold } from '../../load/thresholds.ts';
import { type DrawnChart, writeLoadReportHtml } from '../../report/load/html-report.ts';
import { cacheSvg, dbSvg, sloSvg, type TrendPoint, trendSvg } from '../../report/slo/charts.ts';
import { formatCondition, formatElapsed } from '../../report/slo/format.ts';
import type { SloReport } from '../../slo/evaluate/evaluate.ts';
import { serviceSeries, sliSeries } from '../../slo/evaluate/range.ts';
import type { SloModel } from '../../slo/model/model.ts';
import type { StackInfo } from '../../stack/types.ts';
import { type BaselineLoadComparison, regressionsOf } from './baseline-load.ts';
import type { E2eResult } from './e2e.ts';
import { skippedClause } from './reports/what-ran.ts';
import type { StageResult } from './stage.ts';

/** Charts of the SLO gate over the judged window. */
export interface SloPictures {
  /** One per SLO, in the model's order. */
  slos: DrawnChart[];
  /** Cache hit rate by level, DB query P95. */
  service: DrawnChart[];
  notes: string[];
}

/** Draws each SLO's SLI over the window and the service panels; never throws (problems become notes). */
export async function drawSloPictures(
  model: SloModel,
  window: { start: Date; end: Date },
  prometheusUrl: string,
  scrapeSeconds: number,
  prometheus: { access?: PrometheusAccess; job?: string } = {},
): Promise<SloPictures> {
  const options = {
    prometheusUrl,
    ...(prometheus.access ? { prometheusAccess: prometheus.access } : {}),
    start: window.start,
    end: window.end,
    scrapeSeconds,
    retries: 1,
  };
  const notes: string[] = [];
  const slos: DrawnChart[] = [];
  const service: DrawnChart[] = [];
  try {
    for (const series of await sliSeries(model, options)) {
      if (series.problem) notes.push(`SLO ${series.name}: no curve: ${series.problem}`);
      slos.push({
        id: `slo-${series.name}`,
        caption: `SLO ${series.name}: the SLI over the judged window at the scrape resolution (each point over the last few scrapes), against its objective${series.kind === 'ratio' ? '; below it, the share of the period’s error budget consumed since the start' : ''}. Queries: ${series.queries.join(' ; ')}`,
        svg: sloSvg(series, window.start),
      });
    }
    const s = await serviceSeries(options, prometheus.job);
    notes.push(...s.problems.map((p) => `service charts: ${p}`));
    const dbBound = model.slos.find((slo) => slo.name === 'db-query-p95');
    const boundMs = dbBound?.sli.kind === 'threshold' ? dbBound.sli.bound * 1000 : undefined;
    service.push(
      {
        id: 'cache-by-level',
        caption: `Cache hit rate by level. ${s.queries.cache.join(' ; ')}`,
        svg: cacheSvg(s, window.start),
      },
      { id: 'db-p95', caption: `DB query P95 by operation. ${s.queries.db}`, svg: dbSvg(s, window.start, boundMs) },
    );
  } catch (error) {
    notes.push(`charts not drawn: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { slos, service, notes };
}

/** One run's line in reports/slo-history.jsonl. */
export interface SloHistoryLine {
  time: string;
  /** The verify run's id (verify-<hex>), for the trend's labels; absent in lines written before it was kept. */
  run?: string;
  commit?: string;
  status: string;
  slos: { name: string; sli: number | null; status: string }[];
}

/**
 * Appends this run's SLIs to the SLO history. Allure's own history.jsonl keeps each test's status but not its
 * parameters, so the SLI figures need a file of their own beside it.
 */
export async function appendSloHistory(path: string, report: SloReport, commit?: string, run?: string): Promise<void> {
  const line: SloHistoryLine = {
    time: report.time,
    ...(run ? { run } : {}),
    ...(commit ? { commit } : {}),
    status: report.status,
    slos: report.slos.map((s) => ({ name: s.name, sli: s.sli, status: s.status })),
  };
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${JSON.stringify(line)}\n`);
}

/** One SLI trend chart per SLO over the last `limit` runs of the history (this run included when appended). */
export async function drawSloTrends(path: string, report: SloReport, limit = 20): Promise<DrawnChart[]> {
  if (!existsSync(path)) return [];
  const lines = (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l): SloHistoryLine[] => {
      try {
        return [JSON.parse(l) as SloHistoryLine];
      } catch {
        return [];
      }
    })
    .slice(-limit);
  // Runs of one day are told apart by their time; the date is added when the runs shown span several days.
  const days = new Set(lines.map((l) => l.time.slice(0, 10)));
  return report.slos.map((slo) => {
    const points: TrendPoint[] = lines.map((l) => ({
      run: trendLabel(l, days.size > 1),
      sli: l.slos.find((s) => s.name === slo.name)?.sli ?? null,
    }));
    return {
      id: `trend-${slo.name}`,
      caption: `SLO ${slo.name} across the last ${points.length} runs (oldest first), from ${path}.`,
      svg: trendSvg(slo.name, slo.unit, { operator: slo.operator, value: slo.objective }, points),
    };
  });
}

/**
 * A run on the trend's x axis: its time (UTC, as every time in the reports) and its id, shortened to the
 * first four hex digits, which tell the runs of a history apart and find the folder (reports/runs/verify-ab12*):
 * "16:42\nverify-ab12", with the date first ("12-06 16:42") when the runs shown span several days.
 */
export function trendLabel(line: Pick<SloHistoryLine, 'time' | 'run'>, withDate: boolean): string {
  const time =
    line.time.length >= 16 ? `${withDate ? `${line.time.slice(5, 10)} ` : ''}${line.time.slice(11, 16)}` : line.time;
  const run = line.run?.replace(/^(verify-[0-9a-f]{4})[0-9a-f]+$/, '$1');
  return run ? `${time}\n${run}` : time;
}

/** The commit under test: GITHUB_SHA in CI, else `git rev-parse HEAD` (undefined outside a checkout). */
export async function currentCommit(cwd = process.cwd()): Promise<string | undefined> {
  if (process.env.GITHUB_SHA) return process.env.GITHUB_SHA;
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, timeout: 5_000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What a run tested, for summary.md and verify.json. */
export interface RunContext {
  stackMode?: string;
  targets?: { api: string; prometheus?: string };
  profile: string;
  /** The profile's length as run (after --duration), seconds of arrivals. */
  profileSeconds?: number;
  window?: { start: string; end: string; durationMs: number; source: string };
  commit?: string;
}

/** The context of a run from what verify knows. */
export function runContext(input: {
  stack?: StackInfo;
  profile: string;
  durationSeconds?: number;
  window?: { start: Date; end: Date; source: string };
  commit?: string;
}): RunContext {
  let profileSeconds: number | undefined;
  try {
    profileSeconds = profileDurationSeconds(
      scaleProfile(
        getProfile(input.profile),
        input.durationSeconds === undefined ? {} : { durationSeconds: input.durationSeconds },
      ),
    );
  } catch {
    profileSeconds = undefined;
  }
  return {
    ...(input.stack ? { stackMode: input.stack.mode } : {}),
    ...(input.stack
      ? {
          targets: {
            api: input.stack.apiUrl,
            ...(input.stack.prometheusUrl ? { prometheus: input.stack.prometheusUrl } : {}),
          },
        }
      : {}),
    profile: input.profile,
    ...(profileSeconds === undefined ? {} : { profileSeconds }),
    ...(input.window
      ? {
          window: {
            start: input.window.start.toISOString(),
            end: input.window.end.toISOString(),
            durationMs: input.window.end.getTime() - input.window.start.getTime(),
            source: input.window.source,
          },
        }
      : {}),
    ...(input.commit ? { commit: input.commit } : {}),
  };
}

/** The context as label/value pairs (the summary's list, the load page's header). */
export function contextLines(c: RunContext): [string, string][] {
  return [
    ['stack', c.stackMode ?? 'not started'],
    ...(c.targets ? [['target', c.targets.api] as [string, string]] : []),
    ...(c.targets?.prometheus ? [['Prometheus', c.targets.prometheus] as [string, string]] : []),
    [
      'load profile',
      `${c.profile}${c.profileSeconds === undefined ? '' : ` (${formatElapsed(c.profileSeconds * 1000)} of arrivals)`}`,
    ],
    ...(c.window
      ? [
          [
            'judged window',
            `${c.window.start} .. ${c.window.end} (${formatElapsed(c.window.durationMs)}, the ${c.window.source} window)`,
          ] as [string, string],
        ]
      : []),
    ['commit', c.commit ?? 'unknown'],
  ];
}

/** What the verdict sentence is made of. */
export interface VerdictInput {
  verdict: Verdict;
  slo?: SloReport;
  load?: LoadResult;
  e2e?: E2eResult;
  problems: { stage: string; problem: string }[];
  /** The diagnosis of the failed SLOs, when it ran: the sentence names what drove the first breach. */
  breakdowns?: SloBreakdown[];
  /** The load comparison with the baseline (--baseline), when it ran: a regression is named. */
  comparison?: BaselineLoadComparison;
  /** The stages so far: a skipped one is said in the sentence (reports/what-ran.ts). */
  stages?: readonly StageResult[];
}

/**
 * One sentence: the verdict and its main reason. A breached SLO is the main reason (the gate's own verdict),
 * with the endpoint (or database operation) that drove it when the diagnosis found one, then a broken load
 * threshold, then a load regression against the baseline (--baseline), then failed E2E tests; a regression
 * that is not the main reason is still named after it. An inconclusive run names what could not be judged.
 * A skipped stage is said too: right after PASS (a pass of less than the whole run must not read as a whole
 * pass: "PASS — e2e skipped (--skip e2e): browser tests did not run; ..."), after the reason otherwise.
 */
export function verdictSentence(v: VerdictInput): string {
  const sentence = reasonSentence(v);
  const skipped = skippedClause(v.stages ?? []);
  if (!skipped) return sentence;
  if (sentence.startsWith('PASS: ')) return `PASS — ${skipped}; ${sentence.slice('PASS: '.length)}`;
  return `${sentence.replace(/\.$/, '')}; ${skipped}.`;
}

function reasonSentence(v: VerdictInput): string {
  const breached = v.slo?.slos.filter((s) => s.status === 'fail') ?? [];
  const broken = v.load?.thresholds.filter((t) => !t.ok) ?? [];
  const e2eFailed = v.e2e?.failed ?? [];
  const regressions = regressionsOf(v.comparison);
  if (v.verdict === 'fail') {
    const more = (n: number, what: string) => (n > 0 ? `; ${n} more ${what}` : '');
    const regressionText = `load regression against the baseline: ${regressions[0]}${more(regressions.length - 1, 'regression(s)')}`;
    const alsoRegressed = regressions.length > 0 ? `; ${regressionText}` : '';
    if (breached.length > 0) {
      const first = breached[0]!;
      const why = first.reason ?? formatCondition(first);
      const breakdown = v.breakdowns?.find((b) => b.slo === first.name);
      const driver = breakdown ? drivingRow(breakdown) : undefined;
      return `FAIL: ${first.name} ${why}${driver ? `, driven by ${driver}` : ''}${more(breached.length - 1, 'SLO(s) breached')}${broken.length > 0 ? `; load thresholds broken: ${broken.map((t) => t.name).join(', ')}` : ''}${alsoRegressed}.`;
    }
    if (broken.length > 0) {
      return `FAIL: load threshold ${describeThreshold(broken[0]!).replace(/ FAIL$/, '')}${more(broken.length - 1, 'threshold(s) broken')}${alsoRegressed}.`;
    }
    if (regressions.length > 0) return `FAIL: ${regressionText}.`;
    if (e2eFailed.length > 0) return `FAIL: ${e2eFailed.length} E2E test(s) failed, first: ${e2eFailed[0]}.`;
    return 'FAIL.';
  }
  if (v.verdict === 'inconclusive') {
    const unknown = v.slo?.slos.find((s) => s.status === 'inconclusive');
    const first = v.problems[0];
    if (first) return `INCONCLUSIVE: ${first.stage}: ${first.problem.split('\n')[0]}.`;
    if (unknown) return `INCONCLUSIVE: ${unknown.name}: ${unknown.reason ?? 'no verdict'}.`;
    return 'INCONCLUSIVE.';
  }
  const parts = [
    v.slo ? `${v.slo.slos.length} SLOs met` : '',
    v.load ? `${v.load.thresholds.length} load thresholds held` : '',
    v.e2e?.counts ? `E2E passed` : '',
    v.comparison?.verdict === 'pass' ? 'no load regression against the baseline' : '',
  ].filter(Boolean);
  return `PASS: ${parts.length > 0 ? parts.join(', ') : 'nothing failed'}.`;
}

/** Rewrites the load run's report.html with the gate's verdict, context, SLO table and charts. */
export async function writeVerifyLoadReport(
  load: LoadResult,
  extras: {
    verdict: { status: Verdict; sentence: string };
    context: [string, string][];
    slo?: SloReport;
    pictures?: SloPictures;
    trends?: DrawnChart[];
  },
): Promise<void> {
  if (!existsSync(load.summaryJsonPath)) return;
  const summary = JSON.parse(await readFile(load.summaryJsonPath, 'utf8')) as RunSummary;
  await writeLoadReportHtml(load.htmlPath, summary, {
    verdict: extras.verdict,
    context: extras.context,
    ...(extras.slo ? { slo: extras.slo } : {}),
    sloCharts: extras.pictures?.slos ?? [],
    moreCharts: [...(extras.pictures?.service ?? []), ...(extras.trends ?? [])],
    notes: extras.pictures?.notes ?? [],
  });
}
