// OpenSLO v1 -> the model. Read: `SLO` objects with an inline `indicator` or an `indicatorRef` to an `SLI`
// object (same file or the same folder), `Service` objects, Prometheus metric sources, rolling windows,
// Occurrences budgeting, objectives' `target` (0-1) or `targetPercent`. The objects may be `---` documents or
// one YAML list (the OpenSLO SDK's form, documents.ts listItems); a ratio's `counter: true` has the window
// applied to its counters (promql.ts counterWindowed), and without it a ratio query must read {{window}}. What OpenSLO can say and the harness
// cannot judge (Timeslices, calendar windows, other metric sources, several objectives) is a located error.
// Alert policies (`spec.alertPolicies`: AlertPolicy and AlertCondition objects, inline or by ref) are the
// harness's page and ticket burn-rate alerts: openslo-alerts.ts maps them both ways.
//
// OpenSLO has no place for the harness's own settings, so they travel as SLO annotations under
// `mystocks-harness/`: the settings every foreign format carries (slo/model/harness-settings.ts: noData,
// onWarnings, onGaps, minEvents, maxRegressionPct, loadThreshold, and the file-wide coverageUp and
// webVitals on every SLO), and OpenSLO's own (unit, events, control, labels, fileLabels, and alerting: the
// alert name, labels and annotations, which an AlertPolicy has no field for): a harness
// file written as OpenSLO and read back is the same model. Every query must parse as PromQL and may not use
// irate() (located errors); a bad query that returns no series while nothing fails is a warning.
import { z } from 'zod';
import { parseDuration } from '../../core/duration.ts';
import {
  decodeFileSettings,
  decodeSloSettings,
  type FileSettingName,
  type FileSettings,
  HARNESS_SETTINGS,
  type SettingTexts,
  type SloSettingName,
} from '../model/harness-settings.ts';
import {
  defaultAlertName,
  missingEvidence,
  type Operator,
  type Slo,
  type SloAlerting,
  type SloModel,
  type ThresholdSli,
  thresholdSli,
} from '../model/model.ts';
import { counterWindowed, emptyBadQueryWarning, sliQueryProblem } from '../model/promql.ts';
import { type ConfigIssue, type PathKey, SpecError } from '../spec/parse.ts';
import { controlProbe, latencyControl } from '../spec/schema.ts';
import { listItems, validate, type YamlDocument } from './documents.ts';
import { type AlertSwitches, type NamedAlertObjects, namedAlertObjects, readAlertPolicies } from './openslo-alerts.ts';
import { type QueryRole, type QuerySites, withQuerySites } from './sites.ts';
import { fromGoTemplate } from './sloth.ts';

export const OPENSLO_API_VERSION = 'openslo/v1';
/** Prefix of the SLO annotations that carry the harness's own settings. */
export const HARNESS_ANNOTATION = 'mystocks-harness/';

/**
 * The target `harness slo convert` writes for a threshold SLO (OpenSLO requires 0 <= target < 1), and the
 * annotation value (`mystocks-harness/judge`) that says the harness judges the metric's one value over the
 * whole window: a single occurrence, good or not, so every target below 1 means the same there.
 */
export const THRESHOLD_TARGET = 0.99;
export const JUDGE_WINDOW = 'window';

/** OpenSLO comparison operators -> the model's. */
export const OPENSLO_OPERATORS: Record<string, Operator> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

const metadata = z.looseObject({
  name: z.string({ error: 'must be a string' }).min(1),
  displayName: z.string().optional(),
  labels: z.record(z.string(), z.unknown()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
const metricSource = z.strictObject({
  metricSourceRef: z.string().optional(),
  type: z.string({ error: 'must be a string' }),
  spec: z.looseObject({ query: z.string().optional() }),
});
const metric = z.strictObject({ metricSource });
const sliSpec = z.strictObject(
  {
    description: z.string().optional(),
    thresholdMetric: metric.optional(),
    ratioMetric: z
      .strictObject({
        counter: z.boolean().optional(),
        good: metric.optional(),
        bad: metric.optional(),
        total: metric.optional(),
        rawType: z.string().optional(),
        raw: metric.optional(),
      })
      .optional(),
  },
  { error: 'must be a mapping with thresholdMetric or ratioMetric' },
);
const sliObject = z.looseObject({ apiVersion: z.string(), kind: z.literal('SLI'), metadata, spec: sliSpec });
const sloObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('SLO'),
  metadata,
  spec: z.strictObject({
    description: z.string().optional(),
    service: z.string({ error: 'must name a Service' }),
    indicator: z.strictObject({ metadata, spec: sliSpec }).optional(),
    indicatorRef: z.string().optional(),
    timeWindow: z
      .array(
        z.strictObject({
          duration: z.string({ error: 'must be a duration such as 30d' }),
          isRolling: z.boolean().optional(),
          calendar: z.unknown().optional(),
        }),
      )
      .min(1, { error: 'must give one window' }),
    budgetingMethod: z.string({ error: 'must be Occurrences' }),
    objectives: z
      .array(
        z.looseObject({
          displayName: z.string().optional(),
          op: z.string().optional(),
          value: z.number().optional(),
          target: z.number().optional(),
          targetPercent: z.number().optional(),
        }),
      )
      .min(1, { error: 'must give one objective' }),
    alertPolicies: z.array(z.unknown()).optional(),
  }),
});

const stringMap = z.record(z.string(), z.string());
const labelsAnnotation = stringMap;
const severityAnnotation = z.strictObject({
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  disabled: z.boolean().optional(),
});
/**
 * A threshold SLI's noise control, as `harness slo convert` writes it (the harness spec's sli.threshold.control);
 * a latency ratio's is the same without multiple (latencyControl).
 */
const controlAnnotation = z.strictObject({
  query: z.string().min(1),
  label: z.string().min(1),
  probe: controlProbe.optional(),
  multiple: z.number().gt(1).optional(),
});
/** The harness's alerting settings, as `harness slo convert` writes them (the harness spec's alerting). */
const alertingAnnotation = z.strictObject({
  name: z.string().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  page: severityAnnotation.optional(),
  ticket: severityAnnotation.optional(),
  disabled: z.boolean().optional(),
});

function alertingOf(spec: z.infer<typeof alertingAnnotation> | undefined, defaultName: string): SloAlerting {
  return {
    name: spec?.name ?? defaultName,
    labels: spec?.labels ?? {},
    annotations: spec?.annotations ?? {},
    pageLabels: spec?.page?.labels ?? {},
    ticketLabels: spec?.ticket?.labels ?? {},
    disabled: spec?.disabled ?? false,
    ...(spec?.page?.annotations ? { pageAnnotations: spec.page.annotations } : {}),
    ...(spec?.ticket?.annotations ? { ticketAnnotations: spec.ticket.annotations } : {}),
    ...(spec?.page?.disabled ? { pageDisabled: true } : {}),
    ...(spec?.ticket?.disabled ? { ticketDisabled: true } : {}),
  };
}

/**
 * The annotation's alerting with the switches the alert policies state: a switch is off when either says so
 * (a file written before alert policies kept them in the annotation; the harness never writes both).
 */
function withSwitches(alerting: SloAlerting, switches: AlertSwitches | undefined): SloAlerting {
  if (switches === undefined) return alerting;
  const disabled = alerting.disabled || switches.disabled;
  const pageDisabled = alerting.pageDisabled || switches.pageDisabled;
  const ticketDisabled = alerting.ticketDisabled || switches.ticketDisabled;
  const { pageDisabled: _page, ticketDisabled: _ticket, ...rest } = alerting;
  return {
    ...rest,
    disabled,
    ...(pageDisabled ? { pageDisabled } : {}),
    ...(ticketDisabled ? { ticketDisabled } : {}),
  };
}

/** True when a document is an OpenSLO v1 object. */
export function isOpenSloDocument(data: unknown): boolean {
  return (data as { apiVersion?: unknown } | null)?.apiVersion === OPENSLO_API_VERSION;
}

/**
 * Reads the OpenSLO documents of a file; `folder` holds the documents of the other files beside it, where an
 * `indicatorRef` may point. Throws SpecError with every located problem.
 */
export function readOpenSlo(
  docs: YamlDocument[],
  file: string,
  folder: YamlDocument[] = [],
): { model: SloModel; warnings: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const slis: NamedSlis = new Map();
  // The folder's files may be in the SDK's list form too (documents.ts listItems).
  for (const doc of [...docs, ...listItems(folder)]) {
    const kind = (doc.data as { kind?: unknown }).kind;
    if (kind === 'SLI' && isOpenSloDocument(doc.data)) {
      try {
        const sli = validate(doc, sliObject);
        if (!slis.has(sli.metadata.name)) slis.set(sli.metadata.name, { doc, spec: sli.spec });
      } catch (error) {
        if (!(error instanceof SpecError) || docs.includes(doc)) throw error;
      }
    }
  }
  const slos: Slo[] = [];
  const fileSettings: FileSettings = {};
  const alerts: AlertObjects = { named: namedAlertObjects([...docs, ...listItems(folder)]), used: new Set() };
  for (const doc of docs) {
    const kind = (doc.data as { kind?: unknown }).kind;
    // Alert objects are read where an SLO's alertPolicies reach them; notification targets are named there.
    const alertKinds = ['AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'];
    if (kind === 'Service' || kind === 'SLI' || alertKinds.includes(kind as string)) continue;
    if (kind !== 'SLO') {
      issues.push(
        doc.issueAt(['kind'], `${String(kind)} is not read by the harness (SLO, SLI, Service and alert objects are)`),
      );
      continue;
    }
    // The SLO and the file-wide settings on it are read apart, so a problem in one does not hide the other's.
    const steps = [
      () => {
        const slo = readSlo(doc, slis, warnings, alerts);
        if (slo) slos.push(slo);
      },
      () => readFileSettings(doc, fileSettings),
    ];
    for (const step of steps) {
      try {
        step();
      } catch (error) {
        if (error instanceof SpecError) issues.push(...error.issues);
        else throw error;
      }
    }
  }
  // An alert policy or condition of this file that no SLO reaches alerts on nothing.
  for (const doc of docs) {
    const kind = (doc.data as { kind?: unknown }).kind;
    if ((kind === 'AlertPolicy' || kind === 'AlertCondition') && !alerts.used.has(doc))
      warnings.push(
        doc.issueAt(
          ['kind'],
          `${kind} is ignored: no SLO's alertPolicies ${kind === 'AlertPolicy' ? '(alertPolicyRef)' : "(a policy's conditionRef)"} names it`,
        ),
      );
  }
  if (issues.length === 0 && slos.length === 0) issues.push(docs[0]!.issueAt([], 'has no SLO object (kind: SLO)'));
  if (issues.length > 0) throw new SpecError(issues, warnings);
  return {
    model: { file, format: 'openslo', service: slos[0]!.service, labels: fileLabels(docs), ...fileSettings, slos },
    warnings,
  };
}

/** The string annotations of a document's metadata (the SLO's schema says when one is not a string). */
function annotationsOf(doc: YamlDocument): Record<string, string> {
  const annotations = (doc.data as { metadata?: { annotations?: unknown } }).metadata?.annotations;
  if (typeof annotations !== 'object' || annotations === null) return {};
  return Object.fromEntries(
    Object.entries(annotations).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/**
 * The file-wide settings (coverageUp, webVitals) that `harness slo convert` writes on every SLO, into `into`:
 * the first SLO that has one gives it, every other must agree. Throws SpecError, located.
 */
function readFileSettings(doc: YamlDocument, into: FileSettings): void {
  const annotations = annotationsOf(doc);
  const texts: SettingTexts<FileSettingName> = {};
  for (const { name, scope } of HARNESS_SETTINGS) {
    const text = annotations[`${HARNESS_ANNOTATION}${name}`];
    if (scope === 'file' && text !== undefined) texts[name as FileSettingName] = text;
  }
  const { settings, problems } = decodeFileSettings(texts);
  const name = (doc.data as { metadata?: { name?: string } }).metadata?.name;
  const issues = problems.map((problem) =>
    doc.issueAt(['metadata', 'annotations', `${HARNESS_ANNOTATION}${problem.name}`], problem.message, name),
  );
  for (const [key, value] of Object.entries(settings) as [keyof FileSettings, unknown][]) {
    const known = into[key];
    if (known === undefined) Object.assign(into, { [key]: value });
    else if (JSON.stringify(known) !== JSON.stringify(value))
      issues.push(
        doc.issueAt(
          ['metadata', 'annotations', `${HARNESS_ANNOTATION}${key}`],
          "differs from an earlier SLO's: it holds for the whole file",
          name,
        ),
      );
  }
  if (issues.length > 0) throw new SpecError(issues);
}

/** The file-wide labels a harness file had, kept by `convert` on its SLOs' annotations. */
function fileLabels(docs: YamlDocument[]): Record<string, string> {
  for (const doc of docs) {
    const annotations = (doc.data as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations;
    const text = annotations?.[`${HARNESS_ANNOTATION}fileLabels`];
    if (typeof text !== 'string') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue; // a broken annotation only loses labels; the SLO itself is still read
    }
    const parsed = stringMap.safeParse(value);
    if (parsed.success) return parsed.data;
  }
  return {};
}

type SliSpec = z.infer<typeof sliSpec>;
type SloSpec = z.infer<typeof sloObject>['spec'];
type Objective = SloSpec['objectives'][number];
type Metric = z.infer<typeof metric>;
/** An SLI object of the file or its folder, by name, with the document it is written in. */
type NamedSlis = Map<string, { doc: YamlDocument; spec: SliSpec }>;
/** The alert policies and conditions of the file and its folder, and the ones an SLO reached. */
interface AlertObjects {
  named: NamedAlertObjects;
  used: Set<YamlDocument>;
}

/** What every step of reading one SLO object needs: where it is written, and its annotations. */
interface SloReading {
  doc: YamlDocument;
  name: string;
  warnings: ConfigIssue[];
  /** Throws SpecError located at `path` of the SLO object. */
  fail: (path: PathKey[], message: string) => never;
  /** The text of the annotation `mystocks-harness/<key>`, if given. */
  harness: (key: string) => string | undefined;
}

/**
 * The SLI an SLO judges and where it is written: inline (the SLO's own document) or an `indicatorRef` to an
 * SLI object, whose problems are located in that object's document.
 */
interface IndicatorAt {
  indicator: SliSpec;
  sliDoc: YamlDocument;
  sliPath: PathKey[];
}

/** Reads a query of the indicator (queryReader), with `counter` for a ratio's. */
type ReadQuery = (path: PathKey[], given: Metric | undefined, counter?: boolean) => string;

function readSlo(doc: YamlDocument, slis: NamedSlis, warnings: ConfigIssue[], alerts: AlertObjects): Slo | undefined {
  const slo = validate(doc, sloObject);
  const name = slo.metadata.name;
  const annotations = slo.metadata.annotations ?? {};
  const reading: SloReading = {
    doc,
    name,
    warnings,
    fail: (path, message) => {
      throw new SpecError([doc.issueAt(path, message, name)]);
    },
    harness: (key) => annotations[`${HARNESS_ANNOTATION}${key}`],
  };
  const spec = slo.spec;
  const { window, windowMs, objective } = readWindowAndObjective(reading, spec);
  const at = indicatorOf(reading, spec, slis);
  /** Where each query is written, for checks on the model (slo/validate.ts). */
  const sites: QuerySites = {};
  const query = queryReader(reading, at, sites);
  const target =
    objective.target ?? (objective.targetPercent === undefined ? undefined : objective.targetPercent / 100);

  let sli: Slo['sli'];
  let percent: number | undefined;
  if (at.indicator.ratioMetric) ({ sli, percent } = readRatioSli(reading, at, query, target));
  else if (at.indicator.thresholdMetric) sli = readThresholdSli(reading, at, query, objective, target);
  else return reading.fail(at.sliPath, 'needs ratioMetric or thresholdMetric');

  const settings = sloSettingsOf(reading, sli, percent);
  checkUnit(reading);
  // Alerting is read before labels, so a file with both broken names alerting first, as it always has.
  const alerting = withSwitches(
    alertingOf(jsonAnnotation(reading, 'alerting', alertingAnnotation), defaultAlertName(spec.service, name, sli.kind)),
    readAlertPolicies(
      { doc, name, kind: sli.kind, windowMs, warnings, named: alerts.named, used: alerts.used },
      spec.alertPolicies,
    ),
  );
  const labels = jsonAnnotation(reading, 'labels', labelsAnnotation);
  return withQuerySites(
    {
      name,
      description: spec.description ?? '',
      service: spec.service,
      window: window.duration,
      windowMs,
      ...(percent === undefined ? {} : { objective: percent }),
      // noData, onWarnings, onGaps, minEvents, baseline and load threshold: from the annotations, else the
      // harness's defaults (OpenSLO has no word for them).
      ...settings,
      sli,
      alerting,
      ...(labels ? { labels } : {}),
      // The file the SLO object is in: a folder's SLOs each name their own.
      source: { file: doc.file, line: doc.lineOf([]) },
    },
    sites,
  );
}

/**
 * The SLO's window and objective, refusing what the harness cannot judge: another budgeting method than
 * Occurrences, a calendar window, several windows or objectives.
 */
function readWindowAndObjective(
  { fail }: SloReading,
  spec: SloSpec,
): { window: SloSpec['timeWindow'][number]; windowMs: number; objective: Objective } {
  if (spec.budgetingMethod !== 'Occurrences')
    fail(
      ['spec', 'budgetingMethod'],
      `${spec.budgetingMethod} is not supported; the harness counts good and bad events over the window (Occurrences)`,
    );
  if (spec.timeWindow.length > 1) fail(['spec', 'timeWindow', 1], 'give one window; the harness judges one');
  const window = spec.timeWindow[0]!;
  if (window.calendar !== undefined || window.isRolling === false)
    fail(['spec', 'timeWindow', 0], 'calendar windows are not supported; use a rolling window (isRolling: true)');
  const windowMs = parseDuration(window.duration);
  if (windowMs === undefined)
    return fail(
      ['spec', 'timeWindow', 0, 'duration'],
      'must be a rolling duration such as 28d, 4w or 1h (not M, Q or Y)',
    );
  if (spec.objectives.length > 1) fail(['spec', 'objectives', 1], 'give one objective; the harness judges one per SLO');
  return { window, windowMs, objective: spec.objectives[0]! };
}

/** The SLO's indicator: inline, or the SLI object its `indicatorRef` names (this file or its folder). */
function indicatorOf({ doc, fail }: SloReading, spec: SloSpec, slis: NamedSlis): IndicatorAt {
  if (spec.indicator && spec.indicatorRef) fail(['spec', 'indicatorRef'], 'give indicator or indicatorRef, not both');
  if (spec.indicator) return { indicator: spec.indicator.spec, sliDoc: doc, sliPath: ['spec', 'indicator', 'spec'] };
  if (!spec.indicatorRef) return fail(['spec'], 'needs indicator or indicatorRef');
  const found = slis.get(spec.indicatorRef);
  if (!found) return fail(['spec', 'indicatorRef'], `no SLI named "${spec.indicatorRef}" in this file or its folder`);
  return { indicator: found.spec, sliDoc: found.doc, sliPath: ['spec'] };
}

/**
 * Reads the PromQL of a metric (`good`, `total`, the threshold metric), with {{.window}} made {{window}}, and
 * records in `sites` where it is written. With `counter` (a ratio's `counter: true`) the window is applied to
 * its counters here (promql.ts counterWindowed); a ratio query without it must read its own window, or every
 * window would read the same all-time ratio.
 */
function queryReader({ name }: SloReading, { sliDoc, sliPath }: IndicatorAt, sites: QuerySites): ReadQuery {
  return (path, given, counter) => {
    const role: QueryRole = path[0] === 'ratioMetric' ? (path[1] as QueryRole) : 'query';
    sites[role] = (message) => sliDoc.issueAt([...sliPath, ...path, 'metricSource', 'spec', 'query'], message, name);
    const stop = (at: PathKey[], message: string): never => {
      throw new SpecError([sliDoc.issueAt([...sliPath, ...path, ...at], message, name)]);
    };
    if (!given) return stop([], 'is required');
    if (given.metricSource.type !== 'Prometheus')
      stop(['metricSource', 'type'], `${given.metricSource.type} is not supported; only Prometheus`);
    const text = given.metricSource.spec.query;
    const converted = text === undefined ? undefined : fromGoTemplate(text, true);
    if (converted === undefined)
      return stop(
        ['metricSource', 'spec', 'query'],
        text === undefined ? 'is required' : 'uses an unknown template variable; only {{window}} is supported',
      );
    const problem = sliQueryProblem(text!);
    if (problem !== undefined) stop(['metricSource', 'spec', 'query'], problem);
    if (counter === undefined) return converted;
    if (counter) {
      const windowed = counterWindowed(converted);
      if ('problem' in windowed)
        return stop(['metricSource', 'spec', 'query'], `with counter: true, ${windowed.problem}`);
      return windowed.query;
    }
    if (!/\{\{window\}\}/.test(converted))
      stop(
        ['metricSource', 'spec', 'query'],
        'reads no {{window}}, so every window would judge the same all-time ratio: say counter: true (the harness applies the window) or read the counters over [{{window}}]',
      );
    return converted;
  };
}

/** A ratio indicator (good or bad over total) and its objective as a percent. */
function readRatioSli(
  reading: SloReading,
  { indicator, sliDoc, sliPath }: IndicatorAt,
  query: ReadQuery,
  target: number | undefined,
): { sli: Slo['sli']; percent: number } {
  const { name, warnings, fail, harness } = reading;
  const ratio = indicator.ratioMetric!;
  if (ratio.raw || ratio.rawType)
    fail([...sliPath, 'ratioMetric', 'raw'], 'raw ratio metrics are not supported; give good or bad, and total');
  if ((ratio.good === undefined) === (ratio.bad === undefined))
    fail([...sliPath, 'ratioMetric'], 'give good or bad, and total');
  const counter = ratio.counter === true;
  // Both queries are read before either's problem is thrown, so one run names every query to fix.
  const problems: ConfigIssue[] = [];
  const read = (role: 'good' | 'bad' | 'total', given: Metric | undefined) => {
    try {
      return query(['ratioMetric', role], given, counter);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(...error.issues);
      return '';
    }
  };
  const events = ratio.good ? read('good', ratio.good) : read('bad', ratio.bad);
  const total = read('total', ratio.total);
  if (problems.length > 0) throw new SpecError(problems);
  // A latency ratio's noise control (the harness spec's sli.ratio.control): it needs the good query.
  if (!ratio.good && harness('control') !== undefined)
    fail(
      ['metadata', 'annotations', `${HARNESS_ANNOTATION}control`],
      'needs ratioMetric.good: a noise control judges a latency ratio, whose good query reads one bucket of a histogram',
    );
  const control = ratio.good ? jsonAnnotation(reading, 'control', latencyControl) : undefined;
  const sli: Slo['sli'] = ratio.good
    ? { kind: 'ratio', good: events, total, ...(control === undefined ? {} : { control }) }
    : { kind: 'ratio', bad: events, total };
  const empty = sli.bad === undefined ? undefined : emptyBadQueryWarning(sli.bad, total);
  if (empty !== undefined)
    warnings.push(sliDoc.issueAt([...sliPath, 'ratioMetric', 'bad', 'metricSource', 'spec', 'query'], empty, name));
  if (target === undefined || !(target > 0 && target < 1))
    return fail(['spec', 'objectives', 0, 'target'], 'must be a share between 0 and 1 (e.g. 0.999), exclusive');
  return { sli, percent: Number((target * 100).toPrecision(12)) };
}

/** A threshold indicator: the metric's one value over the window against the objective's op and value. */
function readThresholdSli(
  reading: SloReading,
  { indicator, sliDoc, sliPath }: IndicatorAt,
  query: ReadQuery,
  objective: Objective,
  target: number | undefined,
): Slo['sli'] {
  const { name, warnings, fail, harness } = reading;
  const op = OPENSLO_OPERATORS[objective.op ?? ''];
  if (!op) return fail(['spec', 'objectives', 0, 'op'], 'must be one of lt, lte, gt, gte for a threshold metric');
  if (objective.value === undefined)
    return fail(['spec', 'objectives', 0, 'value'], 'is required for a threshold metric');
  // The harness judges a threshold SLI's one value over the window; a share of good occurrences below 1
  // would need per-sample evaluation (Timeslices in all but name), which it does not do. OpenSLO wants a
  // target below 1, so the harness writes THRESHOLD_TARGET with the annotation that says how it is judged
  // (one occurrence: any target in [0, 1) then means the value must hold); `target: 1`, which files written
  // before said instead, is read too.
  const judge = harness('judge');
  if (judge !== undefined && judge !== JUDGE_WINDOW)
    fail(['metadata', 'annotations', `${HARNESS_ANNOTATION}judge`], `must be ${JUDGE_WINDOW}`);
  if (target !== 1 && !(judge === JUDGE_WINDOW && target !== undefined && target >= 0 && target < 1))
    fail(
      ['spec', 'objectives', 0, 'target'],
      `the harness judges a threshold metric's one value over the whole window, not a share of good samples: give the annotation ${HARNESS_ANNOTATION}judge: ${JUDGE_WINDOW} (with a target in [0, 1), as OpenSLO requires)`,
    );
  const events = harness('events');
  const control = jsonAnnotation(reading, 'control', controlAnnotation);
  const sli = thresholdSli({
    query: query(['thresholdMetric'], indicator.thresholdMetric),
    operator: op,
    bound: objective.value,
    unit: (harness('unit') as ThresholdSli['unit'] | undefined) ?? 'none',
    ...(events === undefined ? {} : { events }),
    ...(control === undefined ? {} : { control }),
  });
  const uncounted = missingEvidence(sli, `the annotation ${HARNESS_ANNOTATION}events`);
  if (uncounted !== undefined)
    warnings.push(sliDoc.issueAt([...sliPath, 'thresholdMetric', 'metricSource', 'spec', 'query'], uncounted, name));
  return sli;
}

/** The SLO's harness settings (noData, onWarnings, ...) from its annotations; every problem located. */
function sloSettingsOf({ doc, name, harness }: SloReading, sli: Slo['sli'], percent: number | undefined) {
  const settingTexts: SettingTexts<SloSettingName> = {};
  for (const { name: setting, scope } of HARNESS_SETTINGS) {
    const text = harness(setting);
    if (scope === 'slo' && text !== undefined) settingTexts[setting as SloSettingName] = text;
  }
  const { settings, problems } = decodeSloSettings(settingTexts, sli, percent);
  if (problems.length > 0)
    throw new SpecError(
      problems.map((problem) =>
        doc.issueAt(['metadata', 'annotations', `${HARNESS_ANNOTATION}${problem.name}`], problem.message, name),
      ),
    );
  return settings;
}

const UNITS = ['seconds', 'percent', 'ratio', 'count', 'none'];

/** The `unit` annotation, when given, must be one the model knows. */
function checkUnit({ fail, harness }: SloReading): void {
  const unit = harness('unit');
  if (unit !== undefined && !UNITS.includes(unit))
    fail(['metadata', 'annotations', `${HARNESS_ANNOTATION}unit`], `must be one of ${UNITS.join(', ')}`);
}

/** A JSON annotation, validated; a located error when it does not parse or fit. */
function jsonAnnotation<T extends z.ZodType>(
  { fail, harness }: SloReading,
  key: string,
  schema: T,
): z.infer<T> | undefined {
  const text = harness(key);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(['metadata', 'annotations', `${HARNESS_ANNOTATION}${key}`], 'must be JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    fail(
      ['metadata', 'annotations', `${HARNESS_ANNOTATION}${key}`],
      `does not fit: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}
