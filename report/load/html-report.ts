// reports/load/<run>/report.html: one self-contained page a performance engineer opens from disk (Artillery 2
// no longer ships an HTML report). The verdict first, then the charts, the thresholds, the journey mix, the
// breakpoint and the per-period figures; `harness verify` adds the SLO gate's table and charts.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Verdict, verdictWord } from '../../core/outcome.ts';
import { firstLine } from '../../core/text.ts';
import { type EndpointFigures, OVERALL, runFigures } from '../../load/compare.ts';
import type { Breakpoint, PeriodSummary, RunSummary } from '../../load/report.ts';
import { readSamples, SAMPLES_FILE } from '../../load/samples.ts';
import type { SaturationReadout } from '../../load/saturation.ts';
import { describeResult } from '../../load/thresholds.ts';
import type { SloReport } from '../../slo/evaluate/evaluate.ts';
import { trim } from '../../slo/model/units.ts';
import { escapeHtml, htmlFigure, htmlPage, htmlTable } from '../html.ts';
import { formatCondition, formatElapsed, formatSli, formatSliObjective } from '../slo/format.ts';
import { journeysSvg, loadWindowSvg } from './charts.ts';
import { saturationTable } from './saturation.ts';

/** A chart already drawn (SVG), with its anchor and caption. */
export interface DrawnChart {
  id: string;
  caption: string;
  svg: string;
}

/** What the page shows beyond the load run itself. */
export interface LoadReportExtras {
  /** One sentence: the verdict and its main reason (verify's, when verify wrote the page). */
  verdict?: { status: Verdict; sentence: string };
  /** What was tested: label -> value (stack mode, commit, judged window...). */
  context?: [string, string][];
  /** The SLO gate's results over the same window, and its charts. */
  slo?: SloReport;
  sloCharts?: DrawnChart[];
  /** Further charts (cache hit rate, DB P95, SLI trends). */
  moreCharts?: DrawnChart[];
  /** Notes on charts that could not be drawn (Prometheus unreachable...). */
  notes?: string[];
  /**
   * Per-endpoint figures from the run's samples.jsonl (compare.ts runFigures); writeLoadReportHtml reads them
   * from the page's folder when not given. A string says why there are none.
   */
  endpoints?: EndpointFigures[] | string;
}

/** The load run's own verdict sentence: "FAIL: latency-p95 432.7 ms > 300 ms". */
export function loadVerdict(s: RunSummary): { status: Verdict; sentence: string } {
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
    ...(s.warmPhaseSeconds === undefined ? {} : { warmPhaseSeconds: s.warmPhaseSeconds }),
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

/**
 * The page's HTML: what was run and its verdict, the charts, the thresholds, per endpoint, what saturated, the
 * SLO gate's view when given, the service charts and notes, the journey mix, the breakpoint, per period.
 */
export function renderLoadReportHtml(s: RunSummary, extras: LoadReportExtras = {}): string {
  const verdict = extras.verdict ?? loadVerdict(s);
  const parts = [renderRunHeader(s, verdict, extras.context ?? [])];
  if (s.problem) parts.push(`<p><strong>Could not judge the run:</strong> ${escapeHtml(s.problem)}</p>`);
  parts.push('<h2>Charts</h2>', ...loadCharts(s).map((c) => htmlFigure(c.id, c.caption, c.svg)));
  parts.push(renderThresholdSection(s.thresholds));
  parts.push(
    renderEndpointSection(extras.endpoints, {
      p95Ms: s.thresholds.find((t) => t.name === 'latency-p95')?.limit,
      errorPct: s.thresholds.find((t) => t.name === 'error-rate')?.limit,
    }),
  );
  if (s.saturation) parts.push(renderSaturationSection(s.saturation));
  if (extras.slo) parts.push(renderSloSection(extras.slo, extras.sloCharts ?? []));
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
  if (s.breakpoint) parts.push(renderBreakpointSection(s.breakpoint));
  parts.push(renderPeriodSection(s.periods));
  return htmlPage(`Load run ${s.runId}: ${verdictWord(verdict.status)}`, parts.join('\n'));
}

/** The page's head: the run's name, its verdict sentence, and what was tested (the run's, then the extras'). */
function renderRunHeader(
  s: RunSummary,
  verdict: { status: Verdict; sentence: string },
  extraContext: readonly [string, string][],
): string {
  const start = new Date(s.startedAt);
  const end = new Date(s.endedAt);
  const context: [string, string][] = [
    ['profile', `${s.profile}, scenario ${s.scenario}`],
    ['target', s.target],
    ['window', `${s.startedAt} .. ${s.endedAt} (${formatElapsed(end.getTime() - start.getTime())})`],
    ['requests', String(s.requests)],
    // Recorded by the run (load/command.ts shellCommand); an older run's `\:` escapes are dropped for reading.
    ['command', readableCommand(s.command)],
    ...extraContext,
  ];
  return [
    `<h1>Load run ${escapeHtml(s.runId)}</h1>`,
    `<p class="verdict ${verdict.status}" data-verdict="${verdict.status}">${escapeHtml(verdict.sentence)}</p>`,
    `<dl>${context.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
  ].join('\n');
}

/** The run's thresholds: limit, value and verdict each, a broken one's row marked. */
function renderThresholdSection(thresholds: RunSummary['thresholds']): string {
  return [
    '<h2>Thresholds (client side, from the SLOs)</h2>',
    htmlTable(
      ['threshold', 'limit', 'value', 'verdict'],
      thresholds.map((t) => {
        const unit = t.unit === 'responses' ? '' : ` ${t.unit}`;
        return [
          t.name,
          `${t.comparison} ${t.limit}${unit}`,
          t.value === null ? 'no data' : `${t.value}${unit}`,
          t.ok ? 'ok' : 'FAIL',
        ];
      }),
      (i) => (thresholds[i]?.ok ? '' : 'fail'),
    ),
  ].join('\n');
}

/** The SLO gate over the run's window: one row per SLO, marked by its status unless it passed; then its charts. */
function renderSloSection(slo: SloReport, charts: readonly DrawnChart[]): string {
  return [
    '<h2>SLOs over the same window (Prometheus, server side)</h2>',
    htmlTable(
      ['SLO', 'status', 'SLI', 'objective', 'reading', 'reason'],
      slo.slos.map((r) => [r.name, r.status, formatSli(r), formatSliObjective(r), formatCondition(r), r.reason ?? '']),
      (i) => {
        const status = slo.slos[i]?.status;
        return status === 'pass' ? '' : (status ?? '');
      },
    ),
    ...charts.map((c) => htmlFigure(c.id, c.caption, c.svg)),
  ].join('\n');
}

/** Where a breakpoint run broke and the last rate that held, or the rate it held up to. */
function renderBreakpointSection(b: Breakpoint): string {
  return [
    '<h2>Breakpoint</h2>',
    `<p>${escapeHtml(
      b.broke
        ? `Broke at ${b.arrivalRate} journeys/s (scheduled ${b.scheduledRate}/s, ${b.requestsPerSecond} requests/s), ${b.atSeconds} s into the run: ${b.threshold}. Last rate without a breach: ${b.lastGoodRate ?? 'none'} journeys/s.`
        : `Did not break: held every threshold up to ${b.lastGoodRate ?? 0} journeys/s.`,
    )}</p>`,
  ].join('\n');
}

/** Every 10 s period's figures; '-' where a period had no answers to measure. */
function renderPeriodSection(periods: readonly PeriodSummary[]): string {
  return [
    '<h2>Per 10 s period</h2>',
    htmlTable(
      ['t (s)', 'journeys/s', 'scheduled/s', 'requests/s', 'P50 ms', 'P95 ms', 'P99 ms', 'errors %'],
      periods.map((p) => [
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
  ].join('\n');
}

/**
 * Per endpoint, as a performance engineer reads a run first: requests, rate, P50/P95/P99 and the error share,
 * all endpoints together first. The figures are the comparison's (load/compare.ts runFigures): the same
 * buckets and quantile rule, so this page and `harness load compare` agree on a run's P95. An endpoint whose
 * own P95 or error share is beyond the run's threshold is marked: where a broken threshold came from.
 */
export function renderEndpointSection(
  figures: EndpointFigures[] | string | undefined,
  limits: { p95Ms?: number | undefined; errorPct?: number | undefined } = {},
): string {
  const title = '<h2>Per endpoint (client side, every response in samples.jsonl)</h2>';
  if (figures === undefined || typeof figures === 'string' || figures.length <= 1) {
    const why = typeof figures === 'string' ? figures : 'the run recorded no samples';
    return `${title}\n<p>No per-endpoint figures: ${escapeHtml(why)}.</p>`;
  }
  const ms = (v: number | null) => (v === null ? '-' : trim(v));
  return [
    title,
    htmlTable(
      ['endpoint', 'requests', 'requests/s', 'P50 ms', 'P95 ms', 'P99 ms', 'errors %'],
      figures.map((f) => [
        f.endpoint === OVERALL ? { html: `<strong>${escapeHtml(f.endpoint)}</strong>` } : f.endpoint,
        f.requests,
        trim(f.throughput),
        ms(f.p50),
        ms(f.p95),
        ms(f.p99),
        trim(f.errorShare),
      ]),
      (i) => {
        const f = figures[i]!;
        const slow = limits.p95Ms !== undefined && f.p95 !== null && f.p95 > limits.p95Ms;
        const failing = limits.errorPct !== undefined && f.errorShare > limits.errorPct;
        return slow || failing ? 'fail' : '';
      },
    ),
    '<p class="note">P50/P95/P99: the ⌈p·n⌉-th fastest response, read to within 1 % (the buckets of <code>harness load compare</code>); errors: responses with a 5xx or none at all.</p>',
  ].join('\n');
}

/** What saturated first (load/saturation.ts), with every period's readings; the period it happened marked. */
export function renderSaturationSection(readout: SaturationReadout): string {
  const [header, ...rows] = saturationTable(readout) as [string[], ...string[][]];
  return [
    '<h2>What saturated</h2>',
    `<p>${escapeHtml(readout.sentence)}</p>`,
    ...(readout.gaps.length > 0
      ? [`<ul>${readout.gaps.map((g) => `<li>not read: ${escapeHtml(g)}</li>`).join('')}</ul>`]
      : []),
    // Eleven columns: a smaller type fits them in the page; on a narrower screen the table scrolls sideways.
    '<div style="overflow-x: auto; font-size: 0.85em">',
    htmlTable(header, rows, (i) =>
      readout.atSeconds !== undefined && readout.periods[i]?.atSeconds === readout.atSeconds ? 'fail' : '',
    ),
    '</div>',
  ].join('\n');
}

/**
 * The command as a person reads it: runs recorded before shellCommand kept plain words plain carry shell-quote's
 * `\:` (http\://127.0.0.1\:3000). Outside quotes a backslash before `:`, `,` or `@` only says "that character",
 * so dropping it changes nothing a shell would read; inside single quotes a backslash is literal and is kept.
 */
export function readableCommand(command: string): string {
  return command
    .split(/('[^']*')/)
    .map((part) => (part.startsWith("'") ? part : part.replace(/\\([:,@])/g, '$1')))
    .join('');
}

/** Writes the page; the per-endpoint figures come from samples.jsonl beside it unless given. */
export async function writeLoadReportHtml(path: string, s: RunSummary, extras: LoadReportExtras = {}): Promise<void> {
  await writeFile(path, renderLoadReportHtml(s, { ...extras, endpoints: extras.endpoints ?? endpointsBeside(path) }));
}

/** The per-endpoint figures of the samples.jsonl in the page's folder, or why there are none. */
function endpointsBeside(page: string): EndpointFigures[] | string {
  const file = join(dirname(page), SAMPLES_FILE);
  if (!existsSync(file)) return `${file} does not exist`;
  try {
    return runFigures(readSamples(file));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
