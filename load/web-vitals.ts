// Browser-level load judged by what users feel: Web Vitals per page at P75 (the percentile Google judges Core Web
// Vitals at), against bounds from the SLO file's optional `webVitals` block, each absent bound being Google's
// "good" bound (web.dev/articles/vitals; the same numbers as the web-vitals library's LCPThresholds, FCPThresholds,
// CLSThresholds, TTFBThresholds, INPThresholds, which Artillery's Playwright engine injects into every page).
import { relative } from 'node:path';
import { loadSloConfig } from '../slo/index.ts';
import type { ReportAggregate, ThresholdResult } from './thresholds.ts';

/** The vitals Artillery's Playwright engine records, as `browser.page.<VITAL>.<page>` histograms. */
export const VITALS = ['LCP', 'FCP', 'CLS', 'TTFB', 'INP'] as const;
export type Vital = (typeof VITALS)[number];

/** Bounds per vital: milliseconds, CLS unitless. */
export type WebVitalLimits = Record<Vital, number>;

/** Google's "good" bounds: the defaults. */
export const GOOD_WEB_VITALS: WebVitalLimits = { LCP: 2500, FCP: 1800, CLS: 0.1, TTFB: 800, INP: 200 };

/** The bounds of an SLO file (the repository's own by default) and where they came from. */
export async function webVitalLimits(path?: string): Promise<{ limits: WebVitalLimits; source: string }> {
  const { model } = await loadSloConfig(path);
  const shown = path ? relative(process.cwd(), path) || path : 'slo/slo-config.yaml';
  const w = model.webVitals ?? {};
  const limits: WebVitalLimits = {
    LCP: w.lcpMs ?? GOOD_WEB_VITALS.LCP,
    FCP: w.fcpMs ?? GOOD_WEB_VITALS.FCP,
    CLS: w.cls ?? GOOD_WEB_VITALS.CLS,
    TTFB: w.ttfbMs ?? GOOD_WEB_VITALS.TTFB,
    INP: w.inpMs ?? GOOD_WEB_VITALS.INP,
  };
  const source = model.webVitals
    ? `${shown}: webVitals (absent bounds: Google's "good")`
    : `Google's "good" bounds (no webVitals block in ${shown})`;
  return { limits, source };
}

/** One page's vital at P75. */
export interface PageVital {
  page: string;
  vital: Vital;
  p75: number;
  count: number;
}

/** Every page's vitals from Artillery's aggregate (`browser.page.LCP./market` and so on). */
export function pageVitals(aggregate: ReportAggregate): PageVital[] {
  return p75Summaries(aggregate, /^browser\.page\.(LCP|FCP|CLS|TTFB|INP)\.(.+)$/)
    .map(({ match, p75, count }) => ({ page: match[2]!, vital: match[1] as Vital, p75, count }))
    .sort((a, b) => a.page.localeCompare(b.page) || VITALS.indexOf(a.vital) - VITALS.indexOf(b.vital));
}

/** The aggregate's summaries whose name matches `pattern` and that have a P75, with the match. */
function p75Summaries(
  aggregate: ReportAggregate,
  pattern: RegExp,
): { match: RegExpExecArray; p75: number; count: number }[] {
  const out: { match: RegExpExecArray; p75: number; count: number }[] = [];
  for (const [name, summary] of Object.entries(aggregate.summaries ?? {})) {
    const match = pattern.exec(name);
    if (match && summary.p75 !== undefined) out.push({ match, p75: summary.p75, count: summary.count ?? 0 });
  }
  return out;
}

/** One threshold result per page and vital; a vital above its bound fails the run. */
export function judgeWebVitals(
  vitals: readonly PageVital[],
  limits: WebVitalLimits,
  source: string,
): ThresholdResult[] {
  return vitals.map((v) => ({
    name: `web-vitals ${v.vital} ${v.page}`,
    limit: limits[v.vital],
    value: v.vital === 'CLS' ? Math.round(v.p75 * 1000) / 1000 : Math.round(v.p75),
    ok: v.p75 <= limits[v.vital],
    unit: v.vital === 'CLS' ? 'score' : 'ms',
    comparison: '<=',
    expression: `browser.page.${v.vital}.${v.page}.p75 <= ${limits[v.vital]}`,
    source: `${source}; P75 of ${v.count} page views`,
  }));
}

/** One timed step of the browser journey at P75 (`browser.step.<name>`, load/scenarios/browser.ts). */
export interface JourneyStep {
  name: string;
  p75: number;
  count: number;
}

/** The journey's timed steps from Artillery's aggregate. */
export function journeySteps(aggregate: ReportAggregate): JourneyStep[] {
  return p75Summaries(aggregate, /^browser\.step\.(.+)$/)
    .map(({ match, p75, count }) => ({ name: match[1]!, p75, count }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * One threshold per step: the step ends when the content a user came for is shown (the quotes, a symbol's K-line),
 * which is what LCP stands for on a page that paints it at load; a page that fetches it afterwards paints it
 * after its LCP, so the step is held to the LCP bound, at P75 like the vitals.
 */
export function judgeJourneySteps(
  steps: readonly JourneyStep[],
  limits: WebVitalLimits,
  source: string,
): ThresholdResult[] {
  return steps.map((step) => ({
    name: `page step ${step.name}`,
    limit: limits.LCP,
    value: Math.round(step.p75),
    ok: step.p75 <= limits.LCP,
    unit: 'ms',
    comparison: '<=',
    expression: `browser.step.${step.name}.p75 <= ${limits.LCP}`,
    source: `${source}, the LCP bound; P75 of ${step.count} journeys`,
  }));
}
