// Sloth's SLO files -> the model. Two spellings of the same spec: `version: prometheus/v1` (snake_case keys)
// and the Kubernetes resource `apiVersion: sloth.slok.dev/v1, kind: PrometheusServiceLevel` (camelCase keys,
// the spec under `spec`). Sloth itself has no per-SLO period: it uses its `--default-slo-period`, 30 days.
// Every query must parse as PromQL and may not use irate() (located errors); an error query that returns no
// series while nothing fails is a warning. The harness's own settings travel as `harness_*` labels
// (slo/model/harness-settings.ts): the file's labels hold the file-wide ones, an SLO's labels its own.
import { z } from 'zod';
import {
  decodeFileSettings,
  decodeSloSettings,
  type FileSettings,
  fromSlothLabels,
  slothLabel,
} from '../model/harness-settings.ts';
import { defaultAlertName, RAW_ERROR_RATIO_TOTAL, type Slo, type SloModel } from '../model/model.ts';
import { emptyBadQueryWarning, goodOfDifference, sliQueryProblem } from '../model/promql.ts';
import type { ConfigIssue, PathKey } from '../spec/parse.ts';
import { SpecError } from '../spec/parse.ts';
import { alertName, labels } from '../spec/schema.ts';
import { validate, type YamlDocument } from './documents.ts';
import { type QuerySites, withQuerySites } from './sites.ts';

export const SLOTH_VERSION = 'prometheus/v1';
export const SLOTH_K8S_API_VERSION = 'sloth.slok.dev/v1';
export const SLOTH_K8S_KIND = 'PrometheusServiceLevel';
/** Sloth's default SLO period (its `--default-slo-period`). */
export const SLOTH_PERIOD = '30d';
/**
 * The SLO label that says which load threshold an SLO states (availabilityPct, maxErrorRatePct, p95LatencyMs):
 * Sloth has no field for it, and a label is what Sloth carries through unchanged (it lands on the rules too).
 * One of the harness settings that travel as labels (slo/model/harness-settings.ts).
 */
export const LOAD_THRESHOLD_LABEL = slothLabel('loadThreshold');

const query = z.string({ error: 'must be a PromQL query (a string)' }).min(1, { error: 'must not be empty' });

/** The same spec under both spellings: `snake` for prometheus/v1, camelCase for the Kubernetes resource. */
function slothSpec(snake: boolean) {
  const key = (snakeName: string, camelName: string) => (snake ? snakeName : camelName);
  const alert = z.strictObject({
    disable: z.boolean({ error: 'must be true or false' }).optional(),
    labels: labels.optional(),
    annotations: labels.optional(),
  });
  const slo = z.strictObject({
    name: z.string({ error: 'must be a string' }).regex(/^[A-Za-z0-9][-A-Za-z0-9_.]*$/, {
      error: 'must be letters, digits, dashes, dots and underscores',
    }),
    objective: z
      .number({ error: 'must be a number (a percentage)' })
      .gt(0, { error: 'must be between 0 and 100 (a percentage)' })
      .lt(100, { error: 'must be between 0 and 100 (a percentage, exclusive)' }),
    description: z.string({ error: 'must be a string' }).optional(),
    labels: labels.optional(),
    sli: z.strictObject(
      {
        events: z
          .strictObject({ [key('error_query', 'errorQuery')]: query, [key('total_query', 'totalQuery')]: query })
          .optional(),
        // Sloth's own test fixtures also spell it errorRatioQuery in prometheus/v1 files.
        raw: z
          .strictObject(
            snake
              ? { error_ratio_query: query.optional(), errorRatioQuery: query.optional() }
              : { errorRatioQuery: query },
          )
          .optional(),
        plugin: z.unknown().optional(),
      },
      { error: 'must be a mapping with events or raw' },
    ),
    alerting: z
      .strictObject({
        name: alertName.optional(),
        labels: labels.optional(),
        annotations: labels.optional(),
        [key('page_alert', 'pageAlert')]: alert.optional(),
        [key('ticket_alert', 'ticketAlert')]: alert.optional(),
      })
      .optional(),
  });
  return z.strictObject({
    service: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
    labels: labels.optional(),
    slos: z.array(slo, { error: 'must be a list of SLOs' }).min(1, { error: 'must list at least one SLO' }),
  });
}

const prometheusV1 = slothSpec(true).extend({ version: z.literal(SLOTH_VERSION) });
const k8sSpec = slothSpec(false);
const k8sResource = z.looseObject({
  apiVersion: z.literal(SLOTH_K8S_API_VERSION),
  kind: z.literal(SLOTH_K8S_KIND, { error: `must be ${SLOTH_K8S_KIND}` }),
  metadata: z.looseObject({ name: z.string().optional() }).optional(),
  spec: z.unknown(),
});

type Key = string;
interface RawAlert {
  disable?: boolean | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
}

/** True when a document is a Sloth file in either spelling. */
export function isSlothDocument(data: unknown): boolean {
  const doc = data as { version?: unknown; apiVersion?: unknown } | null;
  return doc?.version === SLOTH_VERSION || doc?.apiVersion === SLOTH_K8S_API_VERSION;
}

/**
 * `{{.window}}` (Go template, Sloth) -> `{{window}}` (the model's); undefined when the text uses any other
 * template. `alsoPlain` accepts `{{window}}` too (OpenSLO has no convention; both spellings are common).
 */
export function fromGoTemplate(text: string, alsoPlain = false): string | undefined {
  const names = alsoPlain ? ['.window', 'window'] : ['.window'];
  const unknown = [...text.matchAll(/\{\{-?\s*([^}]*?)\s*-?\}\}/g)].some((m) => !names.includes(m[1]!));
  return unknown ? undefined : text.replace(/\{\{-?\s*\.?window\s*-?\}\}/g, '{{window}}');
}

/** `{{window}}` -> `{{.window}}`, for writing Sloth files. */
export function toGoTemplate(text: string): string {
  return text.replace(/\{\{\s*window\s*\}\}/g, '{{.window}}');
}

type SlothSpec = z.infer<typeof k8sSpec>;
type RawSlo = SlothSpec['slos'][number];

/** A Sloth document read in either spelling: its spec, where the spec sits, and which spelling it is. */
interface SlothDocument {
  spec: SlothSpec;
  /** The path of the spec in the document: the top for prometheus/v1, `spec` for the Kubernetes resource. */
  base: PathKey[];
  /** prometheus/v1's snake_case keys, else the resource's camelCase. */
  snake: boolean;
}

/** Where the problems and warnings of a whole file are gathered, so that one run names them all. */
interface Findings {
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** One SLO of a Sloth document being read. */
interface SlothSloReading {
  doc: YamlDocument;
  raw: RawSlo;
  findings: Findings;
  /** The path of `path` under this SLO in the document. */
  at: (...path: PathKey[]) => PathKey[];
  /** A key in this document's spelling. */
  k: (snakeName: Key, camelName: Key) => Key;
  /** Records a located error; reading goes on, so one run names every problem. */
  fail: (path: PathKey[], message: string) => void;
}

/** Reads the Sloth documents of one file into a model. Throws SpecError with every located problem. */
export function readSloth(docs: YamlDocument[], file: string): { model: SloModel; warnings: ConfigIssue[] } {
  const slos: Slo[] = [];
  const findings: Findings = { issues: [], warnings: [] };
  const fileLabels: Record<string, string>[] = [];
  /** The file-wide settings, from the first document; every other must have the same. */
  const fileSettings: FileSettings = {};
  for (const doc of docs) {
    const read = readSlothDocument(doc, findings);
    if (read === undefined) continue;
    const plainFileLabels = readFileSettings(doc, read, doc === docs[0], fileSettings, findings);
    fileLabels.push(plainFileLabels);
    // A document's plain labels go on each of its SLOs only when the file has several documents.
    const documentLabels = docs.length > 1 ? plainFileLabels : {};
    read.spec.slos.forEach((raw, index) => {
      const reading: SlothSloReading = {
        doc,
        raw,
        findings,
        at: (...path) => [...read.base, 'slos', index, ...path],
        k: (snakeName, camelName) => (read.snake ? snakeName : camelName),
        fail: (path, message) => findings.issues.push(doc.issueAt(path, message, raw.name)),
      };
      const slo = readSlothSlo(reading, { file, service: read.spec.service, labels: documentLabels });
      if (slo) slos.push(withQuerySites(slo.slo, slo.sites));
    });
  }
  if (findings.issues.length > 0) throw new SpecError(findings.issues, findings.warnings);
  // One document: its labels are the file's. Several (Sloth's multi-service files): each SLO carries its own.
  const labels = docs.length === 1 ? (fileLabels[0] ?? {}) : {};
  return {
    model: { file, format: 'sloth', service: slos[0]!.service, labels, ...fileSettings, slos },
    warnings: findings.warnings,
  };
}

/** Validates a document in its spelling; undefined, with the problems recorded, when it does not fit. */
function readSlothDocument(doc: YamlDocument, { issues }: Findings): SlothDocument | undefined {
  try {
    if ((doc.data as { version?: unknown }).version === SLOTH_VERSION)
      return { spec: validate(doc, prometheusV1), base: [], snake: true };
    validate(doc, k8sResource);
    return { spec: validate(doc, k8sSpec, ['spec']), base: ['spec'], snake: false };
  } catch (error) {
    if (error instanceof SpecError) {
      issues.push(...error.issues);
      return undefined;
    }
    throw error;
  }
}

/**
 * The file-wide harness settings of a document's labels: the first document's are the file's (into
 * `fileSettings`), every other must say the same. Returns the document's other, plain labels.
 */
function readFileSettings(
  doc: YamlDocument,
  { spec, base }: SlothDocument,
  first: boolean,
  fileSettings: FileSettings,
  { issues }: Findings,
): Record<string, string> {
  const { texts: fileTexts, rest: plainFileLabels } = fromSlothLabels(spec.labels ?? {}, 'file');
  const decodedFile = decodeFileSettings(fileTexts);
  for (const problem of decodedFile.problems)
    issues.push(doc.issueAt([...base, 'labels', slothLabel(problem.name)], problem.message));
  // Every document must say the same: Sloth puts a document's labels on its own rules only, so a setting
  // that one document of several lacks would make the harness's Sloth rules differ from Sloth's.
  if (first) Object.assign(fileSettings, decodedFile.settings);
  else if (decodedFile.problems.length === 0 && JSON.stringify(decodedFile.settings) !== JSON.stringify(fileSettings))
    issues.push(
      doc.issueAt(
        spec.labels ? [...base, 'labels'] : [],
        `the file-wide harness labels (${slothLabel('coverageUp')}, ${slothLabel('webVitals')}) must be the same in every document`,
      ),
    );
  return plainFileLabels;
}

/** One SLO, with where its queries are written; undefined when it has a problem (recorded). */
function readSlothSlo(
  reading: SlothSloReading,
  { file, service, labels: documentLabels }: { file: string; service: string; labels: Record<string, string> },
): { slo: Slo; sites: QuerySites } | undefined {
  const { doc, raw, at, fail, findings } = reading;
  const read = readSlothSli(reading);
  if (read === undefined) return undefined;
  const { sli, sites } = read;
  if (raw.objective <= 1) {
    findings.warnings.push(
      doc.issueAt(
        at('objective'),
        `${raw.objective} reads as a fraction, but Sloth objectives are percentages (did you mean ${Number((raw.objective * 100).toPrecision(12))}?)`,
        raw.name,
      ),
    );
  }
  const { texts, rest: sloLabels } = fromSlothLabels(raw.labels ?? {}, 'slo');
  const { settings, problems } = decodeSloSettings(texts, sli, raw.objective);
  for (const problem of problems) fail(at('labels', slothLabel(problem.name)), problem.message);
  if (problems.length > 0) return undefined;
  const alerting = readSlothAlerting(reading, service);
  if (alerting === undefined) return undefined;
  const slo: Slo = {
    name: raw.name,
    description: raw.description ?? '',
    service,
    window: SLOTH_PERIOD,
    windowMs: 30 * 86_400_000,
    objective: raw.objective,
    // noData, onWarnings, onGaps, minEvents, baseline and load threshold: from harness_* labels, else the
    // harness's defaults (Sloth has no word for them).
    ...settings,
    sli,
    alerting,
    ...(Object.keys(documentLabels).length > 0
      ? { labels: { ...documentLabels, ...sloLabels } }
      : Object.keys(sloLabels).length > 0
        ? { labels: sloLabels }
        : {}),
    source: { file, line: doc.lineOf(at()) },
  };
  return { slo, sites };
}

/**
 * An SLO's SLI from its `events` (error and total queries) or `raw` (an error ratio) and where each query is
 * written; undefined when it has a problem (recorded). SLI plugins are refused.
 */
function readSlothSli({
  doc,
  raw,
  findings,
  at,
  k,
  fail,
}: SlothSloReading): { sli: Slo['sli']; sites: QuerySites } | undefined {
  const sliSpec = raw.sli as Record<string, Record<string, string | undefined> | undefined>;
  if (sliSpec.plugin !== undefined) {
    fail(at('sli', 'plugin'), 'SLI plugins are Go code inside Sloth; the harness cannot run them (use events or raw)');
    return undefined;
  }
  const events = sliSpec.events;
  const rawSli = sliSpec.raw;
  if ((events === undefined) === (rawSli === undefined)) {
    fail(at('sli'), events === undefined ? 'needs events or raw' : 'give events or raw, not both');
    return undefined;
  }
  const template = (path: PathKey[], text: string | undefined): string | undefined => {
    const converted = text === undefined ? undefined : fromGoTemplate(text);
    const problem = text === undefined || converted === undefined ? undefined : sliQueryProblem(text);
    if (text !== undefined && converted === undefined)
      fail(path, 'uses an unknown template variable; only {{.window}} is supported');
    else if (problem !== undefined) {
      fail(path, problem);
      return undefined;
    } else if (text !== undefined && !text.includes('.window'))
      findings.warnings.push(doc.issueAt(path, 'has no {{.window}}; the alert windows will not apply to it', raw.name));
    return converted;
  };
  /** A warning on an error query that has no series at all on a healthy service (see emptyWhenNothingFails). */
  const warnIfEmpty = (path: PathKey[], bad: string, total: string) => {
    const warning = emptyBadQueryWarning(bad, total);
    if (warning !== undefined) findings.warnings.push(doc.issueAt(path, warning, raw.name));
  };
  const sites: QuerySites = {};
  const site = (path: PathKey[]) => (message: string) => doc.issueAt(path, message, raw.name);
  if (events) {
    const badAt = at('sli', 'events', k('error_query', 'errorQuery'));
    const totalAt = at('sli', 'events', k('total_query', 'totalQuery'));
    const bad = template(badAt, events[k('error_query', 'errorQuery')]);
    const total = template(totalAt, events[k('total_query', 'totalQuery')]);
    if (bad === undefined || total === undefined) return undefined;
    // `(total) - (good)` is how `harness slo convert` writes a good SLI (Sloth has error queries only).
    const good = goodOfDifference(bad, total);
    sites[good === undefined ? 'bad' : 'good'] = site(badAt);
    sites.total = site(totalAt);
    if (good === undefined) warnIfEmpty(badAt, bad, total);
    return { sli: good === undefined ? { kind: 'ratio', bad, total } : { kind: 'ratio', good, total }, sites };
  }
  const field = rawSli!.error_ratio_query !== undefined ? 'error_ratio_query' : 'errorRatioQuery';
  if (rawSli![field] === undefined) {
    fail(at('sli', 'raw'), `needs ${k('error_ratio_query', 'errorRatioQuery')}`);
    return undefined;
  }
  const bad = template(at('sli', 'raw', field), rawSli![field]);
  if (bad === undefined) return undefined;
  sites.bad = site(at('sli', 'raw', field));
  warnIfEmpty(at('sli', 'raw', field), bad, RAW_ERROR_RATIO_TOTAL);
  return { sli: { kind: 'ratio', bad, total: RAW_ERROR_RATIO_TOTAL }, sites };
}

/**
 * An SLO's alerting: Sloth's page and ticket alerts, and a name, which Sloth requires while either alert is
 * enabled; undefined when that name is missing (recorded).
 */
function readSlothAlerting({ raw, at, k, fail }: SlothSloReading, service: string): Slo['alerting'] | undefined {
  const alerting = raw.alerting as Record<string, unknown> | undefined;
  const page = alerting?.[k('page_alert', 'pageAlert')] as RawAlert | undefined;
  const ticket = alerting?.[k('ticket_alert', 'ticketAlert')] as RawAlert | undefined;
  const alertsOn = !(page?.disable && ticket?.disable);
  if (alertsOn && typeof alerting?.name !== 'string') {
    fail(at('alerting', 'name'), 'is required while the page or ticket alert is enabled (Sloth requires it)');
    return undefined;
  }
  return {
    // Without alerts Sloth needs no name; the model always has one (the harness's default).
    name: (alerting?.name as string | undefined) ?? defaultAlertName(service, raw.name, 'ratio'),
    labels: (alerting?.labels as Record<string, string> | undefined) ?? {},
    annotations: (alerting?.annotations as Record<string, string> | undefined) ?? {},
    pageLabels: page?.labels ?? {},
    ticketLabels: ticket?.labels ?? {},
    disabled: !alertsOn,
    ...(page?.annotations ? { pageAnnotations: page.annotations } : {}),
    ...(ticket?.annotations ? { ticketAnnotations: ticket.annotations } : {}),
    ...(page?.disable && alertsOn ? { pageDisabled: true } : {}),
    ...(ticket?.disable && alertsOn ? { ticketDisabled: true } : {}),
  };
}
