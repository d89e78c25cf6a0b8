// The normalized SLOs: what the evaluator, the reporters, the rules renderer and the load tool work with.
// No I/O here; behaviour that belongs to an SLO (its budget, its queries for a window) is a function of it.

import { formatDuration, parseDuration } from '../../core/duration.ts';
import { HarnessError } from '../../core/outcome.ts';
import type { ConfigSpec } from '../spec/schema.ts';
import { bucketBound, type QuantileCount, quantileCount } from './promql.ts';

/** A comparison between an SLI value and its bound. */
export type Operator = '<' | '<=' | '>' | '>=';
/** What a missing value, a NaN or a ratio with zero total makes of an SLO. */
export type NoDataPolicy = 'inconclusive' | 'pass' | 'fail';
/** What an answer Prometheus marked partial (it carried `warnings`) makes of an SLO. */
export type WarningsPolicy = 'inconclusive' | 'judge';
/** What a gap in the judged window's scrape coverage makes of an SLO: inconclusive, or counted as downtime. */
export type GapsPolicy = 'inconclusive' | 'downtime';
/** Unit of a threshold SLI's value. */
export type SliUnit = 'seconds' | 'percent' | 'ratio' | 'count' | 'none';

/**
 * The `total` of a ratio SLI whose `bad` query already is an error ratio (0-1), as Sloth's
 * `sli.raw.error_ratio_query` is: bad / 1 is then the ratio itself. Such a query tells nothing of volume, so
 * the evaluator shows no event count for it and judges it only where minEvents is 1 (slo/evaluate).
 */
export const RAW_ERROR_RATIO_TOTAL = 'vector(1)';

/**
 * A no-op endpoint's latency in the same window as the SLI (the machine's noise), and its name in reasons;
 * `probe`: the harness's own client-side probe of that endpoint that also counts as noise (EvaluateOptions'
 * probes). See docs/slo.md, "A saturated machine is not a slow service".
 */
export interface NoiseControl {
  query: string;
  label: string;
  probe?: string;
}

/** Share of events that were good (or bad) out of all events; query templates may use {{window}}. */
export interface RatioSli {
  kind: 'ratio';
  /** Exactly one of good and bad is set. */
  good?: string;
  bad?: string;
  total: string;
  /**
   * A latency ratio's noise control (sli.latency.control): the good query reads one bucket of a histogram, and a
   * breach the noise explains (the share within the bound moved by the noise meets the objective) is
   * inconclusive, never a pass (slo/evaluate/latency-noise.ts). Its value is in the histogram's unit.
   */
  control?: NoiseControl;
}

/** A PromQL value (e.g. a histogram quantile) held against a bound. */
export interface ThresholdSli {
  kind: 'threshold';
  query: string;
  operator: Operator;
  bound: number;
  unit: SliUnit;
  /** How many events the value stands on (a histogram's `_count` increase), when known. */
  events?: string;
  /** The quantile of a histogram_quantile query (0.95), when the query is one. */
  quantile?: number;
  /**
   * The same measure of a no-op endpoint in the same window (the machine's noise, NoiseControl); `multiple`: a
   * value within this multiple of the control is explained by it too (docs/slo.md).
   */
  control?: NoiseControl & { multiple?: number };
}

/** Alerting settings of one SLO (ratio SLIs get burn-rate alerts, threshold SLIs a bound alert). */
export interface SloAlerting {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  pageLabels: Record<string, string>;
  ticketLabels: Record<string, string>;
  disabled: boolean;
  /** Annotations of one severity only (Sloth's page_alert / ticket_alert annotations). */
  pageAnnotations?: Record<string, string>;
  ticketAnnotations?: Record<string, string>;
  /** One severity switched off (Sloth's page_alert.disable / ticket_alert.disable). */
  pageDisabled?: boolean;
  ticketDisabled?: boolean;
}

/** The input format a model was read from; `harness slo rules` answers a Sloth file with Sloth's own rules. */
export type SloFormat = 'harness' | 'sloth' | 'openslo';

/** One SLO, normalized: defaults applied, window in milliseconds. */
export interface Slo {
  name: string;
  description: string;
  service: string;
  /** The SLO period, e.g. "30d", and the same in milliseconds. */
  window: string;
  windowMs: number;
  /** Target share of good events in percent (ratio SLIs); for threshold SLIs the bound is the objective. */
  objective?: number;
  noData: NoDataPolicy;
  /** Partial answers: inconclusive (the default) or judged anyway. */
  onWarnings: WarningsPolicy;
  /** Gaps in the scrape coverage: inconclusive (the default) or downtime. */
  onGaps: GapsPolicy;
  /** Fewer events than this in the window and the SLO cannot be judged (see defaultMinEvents). */
  minEvents?: number;
  sli: RatioSli | ThresholdSli;
  alerting: SloAlerting;
  /** Labels of this SLO only, added after the file's (Sloth's per-SLO `labels`). */
  labels?: Record<string, string>;
  /** Largest relative regression against a baseline run, in percent, when one is compared. */
  maxRegressionPct?: number;
  /** Which load-test threshold this SLO states, if any. */
  loadThreshold?: 'p95LatencyMs' | 'maxErrorRatePct' | 'availabilityPct';
  /** Where the SLO is written, for messages. */
  source: { file: string; line: number };
}

/** A whole config file, normalized. */
export interface SloModel {
  file: string;
  /** The format the file was written in; `harness` when absent. */
  format?: SloFormat;
  service: string;
  /** Labels added to every generated rule. */
  labels: Record<string, string>;
  /** The scrape-health selector (`up{job="mystocks-api"}`) whose gaps make a window incomplete, if checked. */
  coverageUp?: string;
  slos: Slo[];
  /** Bounds on browser-level load's Web Vitals, as written (load/web-vitals.ts fills in the defaults). */
  webVitals?: { lcpMs?: number; fcpMs?: number; ttfbMs?: number; inpMs?: number; cls?: number };
}

/** Rounds away float noise from PromQL arithmetic (0.19999999999999998 -> 0.2): 12 significant digits. */
export function roundSig(value: number, digits = 12): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

/** Allowed share of bad events, as a ratio: objective 99.9 -> 0.001. Undefined for threshold SLIs. */
export function errorBudget(slo: Slo): number | undefined {
  if (slo.sli.kind !== 'ratio' || slo.objective === undefined) return undefined;
  return roundSig((100 - slo.objective) / 100);
}

/** The default minimum evidence of an SLO read from another format, as a spread-able field. */
export function minEventsOf(sli: RatioSli | ThresholdSli, objective: number | undefined): { minEvents?: number } {
  const minEvents = defaultMinEvents(sli, objective);
  return minEvents === undefined ? {} : { minEvents };
}

/**
 * The default minimum evidence of an SLO: the fewest events for which one bad event alone cannot spend more
 * than the whole error budget, N = ceil(1 / budget). Below it a single unlucky request decides the verdict
 * (99.9 % over 500 requests: one 5xx is 0.2 %, twice the budget), and at the budget's own error rate the
 * window would not even be expected to hold one bad event, so a pass says nothing either. The budget is
 * 1 - objective / 100 for a ratio and 1 - q for a quantile q (p95: 5 % of requests may be slower than the
 * bound), so 99.9 % -> 1000 events, 80 % -> 5, p95 -> 20. docs/slo.md#minimum-evidence explains the choice.
 * Undefined for a threshold SLI that is not a quantile: nothing tells how many events its value stands on.
 */
export function defaultMinEvents(sli: RatioSli | ThresholdSli, objective: number | undefined): number | undefined {
  const budget =
    sli.kind === 'ratio'
      ? objective === undefined
        ? undefined
        : (100 - objective) / 100
      : sli.quantile === undefined
        ? undefined
        : 1 - sli.quantile;
  if (budget === undefined || !(budget > 0)) return undefined;
  return Math.max(1, Math.ceil(roundSig(1 / roundSig(budget))));
}

/**
 * A histogram_quantile query's quantile and the query that counts its observations over the same window:
 * `histogram_quantile(0.95, sum by (le) (rate(x_bucket{job="a"}[{{window}}])))` -> 0.95 and
 * `sum(increase(x_count{job="a"}[{{window}}]))`, read from the PromQL syntax tree (promql.ts
 * quantileCount says which shapes it understands). Another shape gives no `events` and, when the query
 * calls histogram_quantile, a `problem` or `syntaxError` saying why (missingEvidence turns it into the
 * load-time warning).
 */
export function quantileEvidence(query: string): QuantileCount {
  return quantileCount(query);
}

/**
 * The warning for a threshold SLI that calls histogram_quantile but has no event count, or undefined: the
 * harness could not derive one (quantileEvidence's problem, or the query does not parse) and none is
 * stated. Without a count the evaluator can tell neither a quiet window nor too little evidence
 * (minEvents), so the value is judged as it is; `eventsField` names where the count would be stated in the
 * file's format.
 */
export function missingEvidence(sli: RatioSli | ThresholdSli, eventsField: string): string | undefined {
  if (sli.kind !== 'threshold' || sli.events !== undefined) return undefined;
  const { problem, syntaxError } = quantileEvidence(sli.query);
  if (syntaxError !== undefined) return `${syntaxError}, so the events of its quantile cannot be counted`;
  if (problem === undefined) return undefined;
  return `cannot count the events of its quantile, so no quiet window or minEvents can be told: ${problem}; state the count query as ${eventsField}`;
}

/** Fills {{window}} in a query template with a Prometheus duration. */
export function renderQuery(template: string, windowMs: number): string {
  return template.replace(/\{\{\s*window\s*\}\}/g, formatDuration(windowMs));
}

/** True when `value operator bound` holds. */
export function compare(value: number, operator: Operator, bound: number): boolean {
  switch (operator) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}

/** True when a ratio SLI's bad query is an error ratio already (see RAW_ERROR_RATIO_TOTAL). */
export function isRawErrorRatio(sli: RatioSli | ThresholdSli): boolean {
  return sli.kind === 'ratio' && sli.bad !== undefined && sli.total === RAW_ERROR_RATIO_TOTAL;
}

/**
 * The default alert name of an SLO, the same casing for every SLO (pascalCase of service and name): a ratio
 * SLO burns its budget, a threshold SLO has none and breaches its bound.
 */
export function defaultAlertName(service: string, slo: string, kind: 'ratio' | 'threshold'): string {
  return `${pascalCase(service)}${pascalCase(slo)}${kind === 'ratio' ? 'BudgetBurn' : 'BoundBreach'}`;
}

/** "MystocksApi" from "mystocks-api". */
export function pascalCase(text: string): string {
  return text
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** Maps a validated spec to the model; `sloLines` gives each SLO's line for messages. */
export function buildModel(spec: ConfigSpec, file: string, sloLines: number[] = []): SloModel {
  const slos = spec.slos.map((raw, index): Slo => {
    const windowMs = parseDuration(raw.window);
    if (windowMs === undefined) throw new Error(`unreachable: window ${raw.window} passed validation`);
    const sli: RatioSli | ThresholdSli = raw.sli.ratio
      ? {
          kind: 'ratio',
          total: raw.sli.ratio.total,
          ...(raw.sli.ratio.good === undefined ? {} : { good: raw.sli.ratio.good }),
          ...(raw.sli.ratio.bad === undefined ? {} : { bad: raw.sli.ratio.bad }),
          ...(raw.sli.ratio.control === undefined ? {} : { control: raw.sli.ratio.control }),
        }
      : raw.sli.latency
        ? latencySli(raw.sli.latency)
        : thresholdSli(raw.sli.threshold!);
    const minEvents = raw.minEvents ?? spec.defaults?.minEvents ?? defaultMinEvents(sli, raw.objective);
    const maxRegressionPct = raw.baseline?.maxRegressionPct ?? spec.defaults?.baseline?.maxRegressionPct;
    return {
      name: raw.name,
      description: raw.description ?? '',
      service: spec.service,
      window: raw.window,
      windowMs,
      ...(raw.objective === undefined ? {} : { objective: raw.objective }),
      noData: raw.noData ?? spec.defaults?.noData ?? 'inconclusive',
      onWarnings: raw.onWarnings ?? spec.defaults?.onWarnings ?? 'inconclusive',
      onGaps: raw.onGaps ?? spec.defaults?.onGaps ?? 'inconclusive',
      ...(minEvents === undefined ? {} : { minEvents }),
      sli,
      alerting: {
        name: raw.alerting?.name ?? defaultAlertName(spec.service, raw.name, sli.kind),
        labels: raw.alerting?.labels ?? {},
        annotations: raw.alerting?.annotations ?? {},
        pageLabels: raw.alerting?.page?.labels ?? {},
        ticketLabels: raw.alerting?.ticket?.labels ?? {},
        disabled: raw.alerting?.disabled ?? false,
        ...(raw.alerting?.page?.annotations ? { pageAnnotations: raw.alerting.page.annotations } : {}),
        ...(raw.alerting?.ticket?.annotations ? { ticketAnnotations: raw.alerting.ticket.annotations } : {}),
        ...(raw.alerting?.page?.disabled ? { pageDisabled: true } : {}),
        ...(raw.alerting?.ticket?.disabled ? { ticketDisabled: true } : {}),
      },
      ...(raw.labels ? { labels: raw.labels } : {}),
      ...(maxRegressionPct === undefined ? {} : { maxRegressionPct }),
      ...(raw.loadThreshold === undefined ? {} : { loadThreshold: raw.loadThreshold }),
      source: { file, line: sloLines[index] ?? 0 },
    };
  });
  return {
    file,
    format: 'harness',
    service: spec.service,
    labels: spec.labels ?? {},
    ...(spec.coverage ? { coverageUp: spec.coverage.up } : {}),
    slos,
    ...(spec.webVitals === undefined ? {} : { webVitals: spec.webVitals }),
  };
}

/**
 * A latency SLI (`sli.latency`) as the ratio it states: good = the observations in the bound's bucket, total =
 * all of them (the histogram's `_count`, which is its +Inf bucket), both over `{{window}}` and summed over the
 * selected series:
 * `{histogram: x_seconds, bound: 0.3, selector: '{job="a"}'}` ->
 * good `sum(increase(x_seconds_bucket{job="a",le="0.3"}[{{window}}]))`,
 * total `sum(increase(x_seconds_count{job="a"}[{{window}}]))`.
 * As a ratio it has an error budget, burn rates and Sloth's page/ticket alerts like any other; the bucket's
 * `le` is the bound as Prometheus 2 stores what prom-client writes (0.3, 1, 2.5). The spec has already
 * checked that the bound is one of the histogram's buckets where it knows them. A `control` goes with it as
 * it is (RatioSli.control).
 */
export function latencySli(raw: NonNullable<ConfigSpec['slos'][number]['sli']['latency']>): RatioSli {
  const matchers = (raw.selector ?? '{}').trim().slice(1, -1).trim().replace(/,\s*$/, '');
  const withLe = matchers === '' ? `le="${raw.bound}"` : `${matchers},le="${raw.bound}"`;
  return {
    kind: 'ratio',
    good: `sum(increase(${raw.histogram}_bucket{${withLe}}[{{window}}]))`,
    total: `sum(increase(${raw.histogram}_count${matchers === '' ? '' : `{${matchers}}`}[{{window}}]))`,
    ...(raw.control === undefined ? {} : { control: raw.control }),
  };
}

/** A threshold SLI as any format states it; the quantile and, unless given, the evidence query are derived. */
export function thresholdSli(raw: NonNullable<ConfigSpec['slos'][number]['sli']['threshold']>): ThresholdSli {
  const { events: derived, quantile } = quantileEvidence(raw.query);
  const events = raw.events ?? derived;
  return {
    kind: 'threshold',
    query: raw.query,
    operator: raw.operator,
    bound: raw.bound,
    unit: raw.unit,
    ...(events === undefined ? {} : { events }),
    ...(quantile === undefined ? {} : { quantile }),
    ...(raw.control === undefined ? {} : { control: raw.control }),
  };
}

/** Thresholds for a load tool, stated by the SLOs marked with `loadThreshold`. */
export interface LoadThresholds {
  /** P95 latency bound in milliseconds. */
  p95LatencyMs?: number;
  /** Largest share of failed requests, in percent (100 - the objective). */
  maxErrorRatePct?: number;
  /** Smallest share of successful requests, in percent. */
  availabilityPct?: number;
}

/**
 * The load tool's `ensure` thresholds from the model, so the SLO file stays the one source of truth.
 * p95LatencyMs comes from a threshold SLI in seconds (its bound), or from a ratio SLI written as "share of
 * requests under a bucket" (the objective must then be 95): the bucket's `le` in the good query (or, for an
 * SLI written with a bad query, the bucket it subtracts), read from the PromQL syntax tree (promql.ts
 * bucketBound), so `le='0.3'`, matchers in any order or a selector split over lines read alike. A ratio
 * query whose bucket cannot be read is an error located at the SLO (`slo "NAME": sli.ratio.good: ...
 * (FILE:LINE)`, HarnessError, exit 2), never a load run without its latency threshold.
 */
export function loadThresholds(model: SloModel): LoadThresholds {
  const thresholds: LoadThresholds = {};
  for (const slo of model.slos) {
    if (slo.loadThreshold === 'p95LatencyMs') {
      if (slo.sli.kind === 'threshold' && slo.sli.unit === 'seconds') {
        thresholds.p95LatencyMs = roundSig(slo.sli.bound * 1000);
      } else if (slo.sli.kind === 'ratio' && slo.objective === 95) {
        const field = slo.sli.good === undefined ? 'bad' : 'good';
        const read = bucketBound((slo.sli.good ?? slo.sli.bad)!);
        if ('problem' in read) {
          const at = slo.source.line ? `${slo.source.file}:${slo.source.line}` : slo.source.file;
          throw new HarnessError(
            `slo "${slo.name}": sli.ratio.${field}: loadThreshold p95LatencyMs reads the P95 bound from the bucket of this query, but it ${read.problem} (${at})`,
          );
        }
        // The bucket's bound is in the histogram's unit, seconds; the load tool's threshold is in milliseconds.
        thresholds.p95LatencyMs = roundSig(read.bound * 1000);
      }
    } else if (slo.loadThreshold === 'maxErrorRatePct' && slo.objective !== undefined) {
      thresholds.maxErrorRatePct = roundSig(100 - slo.objective);
    } else if (slo.loadThreshold === 'availabilityPct' && slo.objective !== undefined) {
      thresholds.availabilityPct = slo.objective;
    }
  }
  return thresholds;
}
