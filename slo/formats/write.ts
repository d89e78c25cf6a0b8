// The model -> a config file in any of the three formats (`harness slo convert`). Nothing is dropped on the
// way: what a format has no field for travels as Sloth labels or OpenSLO annotations
// (slo/model/harness-settings.ts) and is read back, so A -> B -> A gives the same model; what a format
// cannot hold at all (a threshold SLI or a period other than 30 days in Sloth) is refused with every reason
// at once, never written without it. docs/slo.md#convert has the table, field by field.
import { stringify } from 'yaml';
import { encodeFileSettings, encodeSloSettings, HARNESS_SETTINGS, toSlothLabels } from '../model/harness-settings.ts';
import {
  defaultAlertName,
  isRawErrorRatio,
  quantileEvidence,
  type Slo,
  type SloFormat,
  type SloModel,
} from '../model/model.ts';
import { configSpec, OBJECTIVE_FLOOR, type SloSpec, sloSpec } from '../spec/schema.ts';
import {
  HARNESS_ANNOTATION,
  JUDGE_WINDOW,
  OPENSLO_API_VERSION,
  OPENSLO_OPERATORS,
  THRESHOLD_TARGET,
} from './openslo.ts';
import { alertPoliciesOf, alertTargetObjects } from './openslo-alerts.ts';
import { SLOTH_PERIOD, SLOTH_VERSION, toGoTemplate } from './sloth.ts';

/** A written config and what the target format could not hold (one line each, for stderr). */
export interface WrittenConfig {
  text: string;
  notes: string[];
}

/** A model that cannot be written in the asked format; one line per reason, each naming the SLO. */
export class ConvertError extends Error {
  readonly reasons: string[];
  constructor(reasons: string | string[]) {
    const list = typeof reasons === 'string' ? [reasons] : reasons;
    super(list.join('\n'));
    this.name = 'ConvertError';
    this.reasons = list;
  }
}

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** Writes the model in `format`. Throws ConvertError when an SLO cannot be expressed there. */
export function writeConfig(model: SloModel, format: SloFormat): WrittenConfig {
  if (format === 'harness') return writeHarness(model);
  if (format === 'sloth') return writeSloth(model);
  return writeOpenSlo(model);
}

/** A conversion of what the target format can hold: the written file, and each SLO left out with why. */
export interface PartialConfig {
  written: WrittenConfig;
  /** The SLOs the target format cannot hold, in the model's order, each with every reason. */
  left: { name: string; reasons: string[] }[];
}

/**
 * Writes the SLOs of the model that `format` can hold and names each one it cannot (`harness slo convert`,
 * its default). An SLO is left out when writing it alone is refused only for reasons of its own (the lines
 * `slo "NAME": ...`); a reason of the whole file (two services in a one-service format, a file label Sloth
 * would misread) still refuses everything, as does a model none of whose SLOs fits. Throws ConvertError then.
 */
export function writePartial(model: SloModel, format: SloFormat): PartialConfig {
  try {
    return { written: writeConfig(model, format), left: [] };
  } catch (error) {
    if (!(error instanceof ConvertError)) throw error;
    const left: PartialConfig['left'] = [];
    for (const slo of model.slos) {
      try {
        writeConfig({ ...model, slos: [slo] }, format);
      } catch (alone) {
        if (!(alone instanceof ConvertError)) throw alone;
        const own = alone.reasons.every((reason) => reason.startsWith(`slo "${slo.name}": `));
        if (!own) throw error;
        left.push({ name: slo.name, reasons: alone.reasons });
      }
    }
    const kept = model.slos.filter((slo) => !left.some((entry) => entry.name === slo.name));
    if (kept.length === 0 || left.length === 0) throw error;
    // The file-wide reasons are checked again over the SLOs kept (one service, for one).
    return { written: writeConfig({ ...model, slos: kept }, format), left };
  }
}

/** Why a model cannot be one file of a one-service format, or nothing. */
function oneService(model: SloModel, format: string): string[] {
  const services = new Set(model.slos.map((slo) => slo.service));
  return services.size > 1
    ? [`the ${format} format holds one service per file; this model has ${[...services].join(', ')}`]
    : [];
}

/** Throws every reason at once, so one run of convert names all that stands in the way. */
function refuse(reasons: string[]): void {
  if (reasons.length > 0) throw new ConvertError(reasons);
}

/** Labels of an SLO that a harness setting's label would overwrite (or be read as) in a Sloth file. */
function reservedLabels(labels: Record<string, string> | undefined): string[] {
  const reserved: string[] = HARNESS_SETTINGS.map((setting) => setting.label);
  return Object.keys(labels ?? {}).filter((label) => reserved.includes(label));
}

/** Alerting settings as the harness spec writes them; undefined when all are defaults. */
function alertingSpec(slo: Slo): SloSpec['alerting'] {
  const a = slo.alerting;
  const severity = (labels: Record<string, string>, annotations?: Record<string, string>, disabled?: boolean) => {
    const spec = {
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ...(disabled ? { disabled } : {}),
    };
    return Object.keys(spec).length > 0 ? spec : undefined;
  };
  const page = severity(a.pageLabels, a.pageAnnotations, a.pageDisabled);
  const ticket = severity(a.ticketLabels, a.ticketAnnotations, a.ticketDisabled);
  const spec = {
    ...(a.name !== defaultAlertName(slo.service, slo.name, slo.sli.kind) ? { name: a.name } : {}),
    ...(Object.keys(a.labels).length > 0 ? { labels: a.labels } : {}),
    ...(Object.keys(a.annotations).length > 0 ? { annotations: a.annotations } : {}),
    ...(page ? { page } : {}),
    ...(ticket ? { ticket } : {}),
    ...(a.disabled ? { disabled: true } : {}),
  };
  return Object.keys(spec).length > 0 ? spec : undefined;
}

function writeHarness(model: SloModel): WrittenConfig {
  const problems = oneService(model, 'harness');
  const service = configSpec.shape.service.safeParse(model.service);
  if (!service.success)
    problems.push(`service "${model.service}": ${service.error.issues[0]?.message} in the harness format`);
  for (const slo of model.slos) {
    const name = sloSpec.shape.name.safeParse(slo.name);
    if (!name.success)
      problems.push(`slo "${slo.name}": the name ${name.error.issues[0]?.message} in the harness format`);
  }
  refuse(problems);
  const slos = model.slos.map((slo) => {
    const alerting = alertingSpec(slo);
    const minEvents = encodeSloSettings(slo).minEvents;
    return {
      name: slo.name,
      ...(slo.description ? { description: slo.description } : {}),
      window: slo.window,
      ...(slo.objective === undefined ? {} : { objective: slo.objective }),
      // Sloth and OpenSLO take any objective; the harness format wants a low one confirmed.
      ...(slo.objective !== undefined && slo.objective < OBJECTIVE_FLOOR ? { allowLowObjective: true } : {}),
      ...(slo.noData === 'inconclusive' ? {} : { noData: slo.noData }),
      ...(slo.onWarnings === 'inconclusive' ? {} : { onWarnings: slo.onWarnings }),
      ...(slo.onGaps === 'inconclusive' ? {} : { onGaps: slo.onGaps }),
      ...(minEvents === undefined ? {} : { minEvents: Number(minEvents) }),
      ...(slo.labels && Object.keys(slo.labels).length > 0 ? { labels: slo.labels } : {}),
      ...(slo.loadThreshold ? { loadThreshold: slo.loadThreshold } : {}),
      sli:
        slo.sli.kind === 'ratio'
          ? {
              ratio: {
                ...(slo.sli.good === undefined ? {} : { good: slo.sli.good }),
                ...(slo.sli.bad === undefined ? {} : { bad: slo.sli.bad }),
                total: slo.sli.total,
                ...(slo.sli.control === undefined ? {} : { control: slo.sli.control }),
              },
            }
          : {
              threshold: {
                query: slo.sli.query,
                operator: slo.sli.operator,
                bound: slo.sli.bound,
                unit: slo.sli.unit,
                ...(explicitEvents(slo) === undefined ? {} : { events: explicitEvents(slo) }),
                ...(slo.sli.control === undefined ? {} : { control: slo.sli.control }),
              },
            },
      ...(alerting ? { alerting } : {}),
      ...(slo.maxRegressionPct === undefined ? {} : { baseline: { maxRegressionPct: slo.maxRegressionPct } }),
    };
  });
  const spec = {
    version: 1,
    service: model.service,
    ...(Object.keys(model.labels).length > 0 ? { labels: model.labels } : {}),
    ...(model.coverageUp === undefined ? {} : { coverage: { up: model.coverageUp } }),
    ...(model.webVitals === undefined ? {} : { webVitals: model.webVitals }),
    slos,
  };
  return { text: stringify(spec, YAML_OPTIONS), notes: [] };
}

function writeSloth(model: SloModel): WrittenConfig {
  const problems = oneService(model, 'Sloth');
  for (const label of reservedLabels(model.labels))
    problems.push(`label ${label}: the name of a harness setting in a Sloth file; rename the label`);
  for (const slo of model.slos) {
    if (slo.sli.kind !== 'ratio')
      problems.push(`slo "${slo.name}": a threshold SLI cannot be written as Sloth (Sloth SLOs are ratios)`);
    if (slo.window !== SLOTH_PERIOD && slo.windowMs !== 30 * 86_400_000)
      problems.push(`slo "${slo.name}": window ${slo.window}: Sloth files have no period; Sloth uses 30d`);
    if (!/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(slo.name))
      problems.push(`slo "${slo.name}": Sloth names are letters, digits, dashes, dots and underscores`);
    for (const label of reservedLabels(slo.labels))
      problems.push(
        `slo "${slo.name}": label ${label}: the name of a harness setting in a Sloth file; rename the label`,
      );
  }
  refuse(problems);
  const notes: string[] = [];
  const slos = model.slos.map((slo) => {
    if (slo.sli.kind !== 'ratio') throw new Error('unreachable: refused above');
    const sli = slo.sli;
    let sliSpec: Record<string, Record<string, string>>;
    if (isRawErrorRatio(sli)) sliSpec = { raw: { error_ratio_query: toGoTemplate(sli.bad!) } };
    else {
      // Nothing lost: the reader recognises `(total) - (good)` and gives the good query back (goodOfDifference).
      if (sli.good !== undefined)
        notes.push(`slo "${slo.name}": good query written as error_query: (total) - (good), read back as good`);
      // Sloth has no field for it, and a label would reach every rule Sloth generates, where Prometheus reads an
      // alert's labels as templates ({{window}} among them). The control is for the gate alone: the rules, all
      // that Sloth makes of the file, are the same with or without it.
      if (sli.control !== undefined)
        notes.push(
          `slo "${slo.name}": noise control (${sli.control.label}) not written: Sloth has no field for it and the rules do not use it; the gate judges the Sloth file's SLO without it`,
        );
      const error = sli.bad ?? `(${sli.total}) - (${sli.good})`;
      sliSpec = { events: { error_query: toGoTemplate(error), total_query: toGoTemplate(sli.total) } };
    }
    const a = slo.alerting;
    // Sloth has one way to say "no alerts": disable on both. Read back, that is `disabled`, whose rules have no
    // alert group at all where page and ticket disabled one by one leave an empty one; no alert fires either way.
    if (!a.disabled && a.pageDisabled && a.ticketDisabled)
      notes.push(`slo "${slo.name}": page and ticket alerts both disabled, read back as alerting disabled`);
    const alert = (disable?: boolean, labels?: Record<string, string>, annotations?: Record<string, string>) => {
      const spec = {
        ...(disable ? { disable: true } : {}),
        ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
        ...(annotations ? { annotations } : {}),
      };
      return Object.keys(spec).length > 0 ? spec : undefined;
    };
    const page = alert(a.disabled || a.pageDisabled, a.pageLabels, a.pageAnnotations);
    const ticket = alert(a.disabled || a.ticketDisabled, a.ticketLabels, a.ticketAnnotations);
    // The harness's settings Sloth has no field for (noData, onGaps, minEvents, baseline, ...) as labels.
    const labels = { ...slo.labels, ...toSlothLabels(encodeSloSettings(slo)) };
    return {
      name: slo.name,
      objective: slo.objective,
      ...(slo.description ? { description: slo.description } : {}),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      sli: sliSpec,
      alerting: {
        ...(a.name ? { name: a.name } : {}),
        ...(Object.keys(a.labels).length > 0 ? { labels: a.labels } : {}),
        ...(Object.keys(a.annotations).length > 0 ? { annotations: a.annotations } : {}),
        ...(page ? { page_alert: page } : {}),
        ...(ticket ? { ticket_alert: ticket } : {}),
      },
    };
  });
  // The file-wide settings (the scrape-coverage selector, Web Vitals bounds) as the file's labels.
  const fileLabels = { ...model.labels, ...toSlothLabels(encodeFileSettings(model)) };
  const spec = {
    version: SLOTH_VERSION,
    service: model.service,
    ...(Object.keys(fileLabels).length > 0 ? { labels: fileLabels } : {}),
    slos,
  };
  return { text: stringify(spec, YAML_OPTIONS), notes };
}

/**
 * A threshold SLI's evidence query when the file must state it: the model derives it for a
 * histogram_quantile query, so writing the derived one back would only add noise.
 */
function explicitEvents(slo: Slo): string | undefined {
  if (slo.sli.kind !== 'threshold' || slo.sli.events === undefined) return undefined;
  return slo.sli.events === quantileEvidence(slo.sli.query).events ? undefined : slo.sli.events;
}

/**
 * The alerting settings an OpenSLO file keeps in the annotation `alerting`: the alert name, labels and
 * annotations, which an AlertPolicy has no field for. A ratio SLO's switches (alerting, page, ticket off) are
 * its alert policies (openslo-alerts.ts); a threshold SLO's bound alert has no OpenSLO form, so its switches
 * stay here too.
 */
function openSloAlertingSpec(slo: Slo): SloSpec['alerting'] {
  if (slo.sli.kind !== 'ratio') return alertingSpec(slo);
  const { pageDisabled: _page, ticketDisabled: _ticket, ...alerting } = slo.alerting;
  return alertingSpec({ ...slo, alerting: { ...alerting, disabled: false } });
}

/** The harness's own settings of an SLO, as OpenSLO annotations (OpenSLO has no field for them). */
function harnessAnnotations(model: SloModel, slo: Slo): Record<string, string> {
  const alerting = openSloAlertingSpec(slo);
  const entries: [string, string | undefined][] = [
    ['unit', slo.sli.kind === 'threshold' ? slo.sli.unit : undefined],
    // How a threshold's THRESHOLD_TARGET is meant: its one value over the window (openslo.ts).
    ['judge', slo.sli.kind === 'threshold' ? JUDGE_WINDOW : undefined],
    ['events', explicitEvents(slo)],
    // A threshold's noise control, or a latency ratio's (the same fields but multiple).
    ['control', slo.sli.control ? JSON.stringify(slo.sli.control) : undefined],
    // noData, onWarnings, onGaps, minEvents, maxRegressionPct, loadThreshold; then the file-wide coverageUp
    // and webVitals, on every SLO (OpenSLO has no file-wide object to hold them).
    ...Object.entries(encodeSloSettings(slo)),
    ...Object.entries(encodeFileSettings(model)),
    ['alerting', alerting ? JSON.stringify(alerting) : undefined],
    ['labels', slo.labels && Object.keys(slo.labels).length > 0 ? JSON.stringify(slo.labels) : undefined],
    ['fileLabels', Object.keys(model.labels).length > 0 ? JSON.stringify(model.labels) : undefined],
  ];
  return Object.fromEntries(
    entries
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([k, v]) => [`${HARNESS_ANNOTATION}${k}`, v]),
  );
}

function writeOpenSlo(model: SloModel): WrittenConfig {
  const services = [...new Set(model.slos.map((slo) => slo.service))];
  const docs: object[] = services.map((service) => ({
    apiVersion: OPENSLO_API_VERSION,
    kind: 'Service',
    metadata: { name: service },
    spec: { description: `Service ${service}` },
  }));
  const source = (query: string) => ({ metricSource: { type: 'Prometheus', spec: { query } } });
  const operator = (op: string) => Object.entries(OPENSLO_OPERATORS).find(([, value]) => value === op)![0];
  let targets = false;
  for (const slo of model.slos) {
    const annotations = harnessAnnotations(model, slo);
    // The page and ticket burn-rate alerts as alert policies (openslo-alerts.ts).
    const policies = alertPoliciesOf(slo);
    if (policies !== undefined && policies.length > 0) targets = true;
    const sli = slo.sli;
    const indicatorSpec =
      sli.kind === 'ratio'
        ? {
            ratioMetric: {
              counter: true,
              ...(sli.good === undefined ? {} : { good: source(sli.good) }),
              ...(sli.bad === undefined ? {} : { bad: source(sli.bad) }),
              total: source(sli.total),
            },
          }
        : { thresholdMetric: source(sli.query) };
    const objective =
      sli.kind === 'ratio'
        ? { target: Number((slo.objective! / 100).toPrecision(12)) }
        : { op: operator(sli.operator), value: sli.bound, target: THRESHOLD_TARGET };
    docs.push({
      apiVersion: OPENSLO_API_VERSION,
      kind: 'SLO',
      metadata: { name: slo.name, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
      spec: {
        ...(slo.description ? { description: slo.description } : {}),
        service: slo.service,
        indicator: { metadata: { name: `${slo.name}-sli` }, spec: indicatorSpec },
        timeWindow: [{ duration: slo.window, isRolling: true }],
        budgetingMethod: 'Occurrences',
        objectives: [objective],
        ...(policies === undefined ? {} : { alertPolicies: policies }),
      },
    });
  }
  // The receivers the policies' targetRefs name, as objects of the file, so every ref resolves.
  if (targets) docs.push(...alertTargetObjects(OPENSLO_API_VERSION));
  return { text: docs.map((doc) => stringify(doc, YAML_OPTIONS)).join('---\n'), notes: [] };
}
