// reports/load/<run>/report.html: one self-contained page a performance engineer opens from disk (Artillery 2
// no longer ships an HTML report). The verdict first, then the charts, the thresholds, the journey mix, the
// breakpoint and the per-period figures; `harness verify` adds the SLO gate's table and charts.
import { writeFile } from 'node:fs/promises';
import type { SloReport } from '../slo/evaluate/evaluate.ts';
import { formatCondition, formatElapsed, formatSli, formatSliObjective } from '../slo/report/format.ts';
import { escapeHtml, htmlFigure, htmlPage, htmlTable } from '../slo/report/html.ts';
import { journeysSvg, loadWindowSvg } from './charts.ts';
import type { RunSummary } from './report.ts';
import { describeResult } from './thresholds.ts';

/** A chart already drawn (SVG), with its anchor and caption. */
export interface DrawnChart {
  id: string;
  caption: string;
  svg: string;
}

/** What the page shows beyond the load run itself. */
export interface LoadReportExtras {
  /** One sentence: the verdict and its main reason (verify's, when verify wrote the page). */
  verdict?: { status: 'pass' | 'fail' | 'inconclusive'; sentence: string };
  /** What was tested: label -> value (stack mode, commit, judged window...). */
  context?: [string, string][];
  /** The SLO gate's results over the same window, and its charts. */
  slo?: SloReport;
  sloCharts?: DrawnChart[];
  /** Further charts (cache hit rate, DB P95, SLI trends). */
  moreCharts?: DrawnChart[];
  /** Notes on charts that could not be drawn (Prometheus unreachable...). */
  notes?: string[];
}

const WORD = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' } as const;

/** The load run's own verdict sentence: "FAIL: latency-p95 432.7 ms > 300 ms". */
export function loadVerdict(s: RunSummary): { status: 'pass' | 'fail' | 'inconclusive'; sentence: string } {
  if (s.verdict === 'inconclusive') {
    return {
      status: 'inconclusive',
      sentence: `INCONCLUSIVE: ${firstLine(s.problem ?? 'the run could not be judged')}`,
    };
  }
  const failed = s.thresholds.filter((t) => !t.ok);
  if (failed.length === 0) {
    return { status: 'pass', sentence: `PASS: ${s.thresholds.length} thresholds held over ${s.requests} requests` };
  }
  return {
    status: 'fail',
    sentence: `FAIL: ${failed.map((t) => describeResult(t).replace(/ FAIL$/, '')).join('; ')}`,
  };
}

/** The load charts of a run (load window, journeys vs schedule) as drawn charts. */
export function loadCharts(s: RunSummary): DrawnChart[] {
  const input = {
    periods: s.periods,
    thresholds: s.thresholds,
    ...(s.warmUpSeconds === undefined ? {} : { warmUpSeconds: s.warmUpSeconds }),
    ...(s.warmup ? { warmupBefore: { fromSeconds: -s.warmup.seconds, periods: s.warmup.periods ?? [] } } : {}),
    ...(s.breakpoint ? { breakpoint: s.breakpoint } : {}),
  };
  return [
    {
      id: 'load-window',
      caption:
        'Request rate, P50/P95/P99 and error share per 10 s period (client side, Artillery); dashed: the SLO bounds.',
      svg: loadWindowSvg(input),
    },
    {
      id: 'journeys',
      caption: `Journeys started per second against the ${s.profile} profile's schedule${s.breakpoint?.broke ? '; the line marks where it broke' : ''}.`,
      svg: journeysSvg(input),
    },
  ];
}

/** The page's HTML. */
export function renderLoadReportHtml(s: RunSummary, extras: LoadReportExtras = {}): string {
  const verdict = extras.verdict ?? loadVerdict(s);
  const start = new Date(s.startedAt);
  const end = new Date(s.endedAt);
  const context: [string, string][] = [
    ['profile', `${s.profile}, scenario ${s.scenario}`],
    ['target', s.target],
    ['window', `${s.startedAt} .. ${s.endedAt} (${formatElapsed(end.getTime() - start.getTime())})`],
    ['requests', String(s.requests)],
    ['command', s.command],
    ...(extras.context ?? []),
  ];
  const parts = [
    `<h1>Load run ${escapeHtml(s.runId)}</h1>`,
    `<p class="verdict ${verdict.status}" data-verdict="${verdict.status}">${escapeHtml(verdict.sentence)}</p>`,
    `<dl>${context.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
  ];
  if (s.problem) parts.push(`<p><strong>Could not judge the run:</strong> ${escapeHtml(s.problem)}</p>`);
  parts.push('<h2>Charts</h2>', ...loadCharts(s).map((c) => htmlFigure(c.id, c.caption, c.svg)));
  parts.push(
    '<h2>Thresholds (client side, from the SLOs)</h2>',
    htmlTable(
      ['threshold', 'limit', 'value', 'verdict'],
      s.thresholds.map((t) => {
        const unit = t.unit === 'responses' ? '' : ` ${t.unit}`;
        return [
          t.name,
          `${t.comparison} ${t.limit}${unit}`,
          t.value === null ? 'no data' : `${t.value}${unit}`,
          t.ok ? 'ok' : 'FAIL',
        ];
      }),
      (i) => (s.thresholds[i]?.ok ? '' : 'fail'),
    ),
  );
  if (extras.slo) {
    const slo = extras.slo;
    parts.push(
      '<h2>SLOs over the same window (Prometheus, server side)</h2>',
      htmlTable(
        ['SLO', 'status', 'SLI', 'objective', 'reading', 'reason'],
        slo.slos.map((r) => [
          r.name,
          r.status,
          formatSli(r),
          formatSliObjective(r),
          formatCondition(r),
          r.reason ?? '',
        ]),
        (i) => {
          const status = slo.slos[i]?.status;
          return status === 'pass' ? '' : (status ?? '');
        },
      ),
    );
    for (const c of extras.sloCharts ?? []) parts.push(htmlFigure(c.id, c.caption, c.svg));
  }
  if ((extras.moreCharts ?? []).length > 0) {
    parts.push('<h2>Service</h2>', ...(extras.moreCharts ?? []).map((c) => htmlFigure(c.id, c.caption, c.svg)));
  }
  if ((extras.notes ?? []).length > 0) {
    parts.push('<h2>Notes</h2>', `<ul>${(extras.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  }
  parts.push(
    '<h2>Journey mix</h2>',
    htmlTable(
      ['journey', 'share'],
      Object.entries(s.journeyMix).map(([name, pct]) => [name, `${pct} %`]),
    ),
  );
  if (s.breakpoint) {
    const b = s.breakpoint;
    parts.push(
      '<h2>Breakpoint</h2>',
      `<p>${escapeHtml(
        b.broke
          ? `Broke at ${b.arrivalRate} journeys/s (scheduled ${b.scheduledRate}/s, ${b.requestsPerSecond} requests/s), ${b.atSeconds} s into the run: ${b.threshold}. Last rate without a breach: ${b.lastGoodRate ?? 'none'} journeys/s.`
          : `Did not break: held every threshold up to ${b.lastGoodRate ?? 0} journeys/s.`,
      )}</p>`,
    );
  }
  parts.push(
    '<h2>Per 10 s period</h2>',
    htmlTable(
      ['t (s)', 'journeys/s', 'scheduled/s', 'requests/s', 'P50 ms', 'P95 ms', 'P99 ms', 'errors %'],
      s.periods.map((p) => [
        p.atSeconds,
        p.arrivalRate,
        p.scheduledRate,
        p.requestsPerSecond,
        p.p50Ms ?? '-',
        p.p95Ms ?? '-',
        p.p99Ms ?? '-',
        p.errorRatePct ?? '-',
      ]),
    ),
  );
  return htmlPage(`Load run ${s.runId}: ${WORD[verdict.status]}`, parts.join('\n'));
}

/** Writes the page. */
export async function writeLoadReportHtml(path: string, s: RunSummary, extras: LoadReportExtras = {}): Promise<void> {
  await writeFile(path, renderLoadReportHtml(s, extras));
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
