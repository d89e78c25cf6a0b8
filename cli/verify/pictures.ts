// Pictures of a verify run, apart from the stages so they stay small call sites in verify.ts:
//   - the SLO charts over the judged window (Prometheus range queries), cache by level and DB P95;
//   - the SLI trend per SLO across the last runs (reports/slo-history.jsonl, one line per run);
//   - what was tested (stack mode, URLs, profile and length, window, commit) for summary.md and verify.json.
// This file fetches and keeps the data; report/slo/charts.ts draws the charts, and report/verify/ renders the
// verdict sentence and the load page with them. Drawing never changes a verdict: a chart that cannot be drawn
// is a note on the page.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { PrometheusAccess } from '../../core/prometheus-access.ts';
import { getProfile, profileDurationSeconds, scaleProfile } from '../../load/profiles.ts';
import type { DrawnChart } from '../../report/load/html-report.ts';
import { cacheSvg, dbSvg, sloSvg, type TrendPoint, trendSvg } from '../../report/slo/charts.ts';
import type { RunContext } from '../../report/verify/model.ts';
import type { SloPictures } from '../../report/verify/page.ts';
import type { SloReport } from '../../slo/evaluate/evaluate.ts';
import { serviceSeries, sliSeries } from '../../slo/evaluate/range.ts';
import type { SloModel } from '../../slo/model/model.ts';
import type { StackInfo } from '../../stack/types.ts';

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
