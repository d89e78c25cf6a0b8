// OpenSLO alert policies <-> the harness's burn-rate alerts (slo/model/alerts.ts). The harness writes, for a
// ratio SLO, one page alert (burn rate 14.4 over 1 h or 6 over 6 h, for 30 days) and one ticket alert (3 over
// 1 d or 1 over 3 d), each condition confirmed by a short window of 1/12 of its long one. OpenSLO's AlertPolicy
// holds one AlertCondition, whose `burnrate` condition names one lookback window; so each harness condition is
// one policy: severity page or ticket, op gt, threshold the factor, lookbackWindow the long window, alertAfter
// 0m (the short window confirms; the harness's burn-rate alerts have no `for`). A severity switched off is its
// policies with alertWhenBreaching: false, and alerting switched off is `alertPolicies: []`; no alertPolicies
// at all (a file of another tool that states none) keeps the harness's default alerts.
//
// Read: policies inline (`kind: AlertPolicy`) or by `alertPolicyRef`, conditions inline (`kind:
// AlertCondition`) or by `conditionRef`, in the file or its folder. What breaks the OpenSLO spec (a condition
// kind other than burnrate, an op other than lt/lte/gt/gte, a missing threshold or window, a policy with other
// than one condition, a ref to nothing) is a located error, as for the rest of the SLO. What the spec allows
// and the harness's alerts cannot say is a located warning naming what was dropped or replaced (a severity
// other than page/ticket, op lt/lte, another threshold or window, alertAfter, alertWhenNoData, notification
// targets other than the harness's receivers); the SLO itself, which the gate judges, is read all the same.
// Alert labels, annotations and the alert name have no OpenSLO field: they stay in the SLO's annotation
// `mystocks-harness/alerting` (openslo.ts).
import { z } from 'zod';
import { formatDuration, parseDuration } from '../../core/duration.ts';
import { BURN_RATE_WINDOWS, type BurnRateWindow, burnRateFactor } from '../model/alerts.ts';
import type { Slo, SloAlerting } from '../model/model.ts';
import { type ConfigIssue, type PathKey, SpecError, valueAt } from '../spec/parse.ts';
import { validate, type YamlDocument } from './documents.ts';

/**
 * The notification target of each severity: the receivers `harness slo alertmanager` routes the harness's
 * alerts to (slo/alertmanager SLO_RECEIVERS; openslo-alerts.test.ts holds them equal).
 */
export const ALERT_TARGETS = { page: 'slo-page', ticket: 'slo-ticket' } as const;

/** Operators of an OpenSLO burn-rate condition; the harness alerts on a burn rate above its threshold. */
const ABOVE = ['gt', 'gte'];
const OPS = ['lt', 'lte', ...ABOVE];

const metadata = z.looseObject({ name: z.string({ error: 'must be a string' }).min(1) });
const conditionSpec = z.strictObject(
  {
    description: z.string().optional(),
    severity: z.string({ error: 'must be a string such as page or ticket' }).min(1),
    condition: z.strictObject(
      {
        kind: z.string({ error: 'must be burnrate' }).optional(),
        op: z.string({ error: 'must be one of lt, lte, gt, gte' }).optional(),
        threshold: z.number({ error: 'must be a number' }).optional(),
        lookbackWindow: z.string({ error: 'must be a duration such as 1h' }).optional(),
        alertAfter: z.string({ error: 'must be a duration such as 5m' }).optional(),
      },
      { error: 'must be a mapping with kind, op, threshold, lookbackWindow and alertAfter' },
    ),
  },
  { error: 'must be a mapping with severity and condition' },
);
const policySpec = z.strictObject(
  {
    description: z.string().optional(),
    alertWhenNoData: z.boolean({ error: 'must be true or false' }).optional(),
    alertWhenResolved: z.boolean({ error: 'must be true or false' }).optional(),
    alertWhenBreaching: z.boolean({ error: 'must be true or false' }).optional(),
    conditions: z.array(z.unknown(), { error: 'must be a list of one condition' }),
    notificationTargets: z.array(z.unknown(), { error: 'must be a list of notification targets' }).optional(),
  },
  { error: 'must be a mapping with conditions and notificationTargets' },
);
const inlinePolicy = z.strictObject({ kind: z.literal('AlertPolicy'), metadata, spec: policySpec });
const inlineCondition = z.strictObject({ kind: z.literal('AlertCondition'), metadata, spec: conditionSpec });
const policyObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('AlertPolicy'),
  metadata,
  spec: policySpec,
});
const conditionObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('AlertCondition'),
  metadata,
  spec: conditionSpec,
});

/** An object of the file or its folder, by kind and name, with the document it is written in. */
export type NamedAlertObjects = Map<string, YamlDocument>;

const key = (kind: string, name: string) => `${kind}/${name}`;

/** The AlertPolicy and AlertCondition objects of a file and its folder, by kind and name (the first wins). */
export function namedAlertObjects(docs: YamlDocument[]): NamedAlertObjects {
  const named: NamedAlertObjects = new Map();
  for (const doc of docs) {
    const data = doc.data as { kind?: unknown; metadata?: { name?: unknown } } | null;
    const name = data?.metadata?.name;
    if ((data?.kind === 'AlertPolicy' || data?.kind === 'AlertCondition') && typeof name === 'string')
      if (!named.has(key(data.kind, name))) named.set(key(data.kind, name), doc);
  }
  return named;
}

/** Where an object is written: its document and the path of the object in it (`[]` for a whole document). */
interface At {
  doc: YamlDocument;
  base: PathKey[];
}

/** What reading one SLO's alert policies needs. */
export interface AlertPolicyReading {
  doc: YamlDocument;
  /** The SLO's name, for messages. */
  name: string;
  kind: Slo['sli']['kind'];
  windowMs: number;
  warnings: ConfigIssue[];
  named: NamedAlertObjects;
  /** The documents a ref reached, so the reader can warn on the ones no SLO uses. */
  used: Set<YamlDocument>;
}

/** The alerting switches that alert policies state; the rest of SloAlerting is the annotation's. */
export type AlertSwitches = Pick<SloAlerting, 'disabled' | 'pageDisabled' | 'ticketDisabled'>;

/**
 * Reads an SLO's `spec.alertPolicies` into the harness's alert switches; undefined when the SLO states none
 * (the harness's defaults then hold). Throws SpecError, located, for what breaks the OpenSLO spec; warns,
 * located, for what the harness's alerts cannot say.
 */
export function readAlertPolicies(
  reading: AlertPolicyReading,
  policies: unknown[] | undefined,
): AlertSwitches | undefined {
  const { doc, name, kind, warnings } = reading;
  if (policies === undefined) return undefined;
  if (kind === 'threshold') {
    if (policies.length > 0)
      warnings.push(
        doc.issueAt(
          ['spec', 'alertPolicies'],
          'is dropped: a threshold SLI has no error budget to burn; the harness writes its bound alert (a ticket when the last hour breaks the bound for 10 minutes)',
          name,
        ),
      );
    return undefined;
  }
  if (policies.length === 0) return { disabled: true };
  const breaching = { page: false, ticket: false };
  const stated = new Set<BurnRateWindow>();
  policies.forEach((_, index) => {
    const window = readPolicy(reading, index);
    if (window === undefined) return;
    breaching[window.severity] = true;
    if (window.matched) stated.add(window.matched);
  });
  // An enabled severity is the harness's whole multiwindow alert: say which of its conditions no policy states.
  for (const window of BURN_RATE_WINDOWS) {
    if (!breaching[window.severity] || stated.has(window)) continue;
    warnings.push(
      doc.issueAt(
        ['spec', 'alertPolicies'],
        `the harness's ${window.severity} alert also fires at burn rate ${burnRateFactor(window, reading.windowMs)} over ${window.long}, which no policy states`,
        name,
      ),
    );
  }
  return {
    disabled: false,
    ...(breaching.page ? {} : { pageDisabled: true }),
    ...(breaching.ticket ? {} : { ticketDisabled: true }),
  };
}

/**
 * One entry of `spec.alertPolicies`, inline or by ref, with its one condition: the harness window it states when
 * the policy alerts on breaching, else undefined. Warns, located, on what the harness drops from it.
 */
function readPolicy(reading: AlertPolicyReading, index: number): ReturnType<typeof readCondition> {
  const { doc, name, warnings } = reading;
  const policyAt = resolve(reading, { doc, base: ['spec', 'alertPolicies', index] }, 'AlertPolicy', 'alertPolicyRef');
  const policy = validate(policyAt.doc, policyAt.base.length === 0 ? policyObject : inlinePolicy, policyAt.base).spec;
  const at = (path: PathKey[]) => [...policyAt.base, 'spec', ...path];
  if (policy.conditions.length !== 1)
    throw new SpecError([
      policyAt.doc.issueAt(
        at(policy.conditions.length === 0 ? ['conditions'] : ['conditions', 1]),
        'give one condition: an OpenSLO AlertPolicy holds one (write a policy per condition)',
        name,
      ),
    ]);
  const conditionAt = resolve(
    reading,
    { doc: policyAt.doc, base: at(['conditions', 0]) },
    'AlertCondition',
    'conditionRef',
  );
  const condition = validate(
    conditionAt.doc,
    conditionAt.base.length === 0 ? conditionObject : inlineCondition,
    conditionAt.base,
  ).spec;
  const window = readCondition(reading, conditionAt, condition);
  if (window === undefined || policy.alertWhenBreaching === false) return undefined;
  if (policy.alertWhenNoData === true)
    warnings.push(
      policyAt.doc.issueAt(
        at(['alertWhenNoData']),
        'is dropped: the harness alerts on burn rates only; missing data is judged by the gate (noData)',
        name,
      ),
    );
  (policy.notificationTargets ?? []).forEach((target, t) => {
    const targetName = targetNameOf(target);
    if (targetName !== ALERT_TARGETS[window.severity])
      warnings.push(
        policyAt.doc.issueAt(
          at(['notificationTargets', t]),
          `${targetName ?? 'this target'} is not used: the harness routes alerts by severity (\`harness slo alertmanager\` sends ${window.severity} alerts to ${ALERT_TARGETS[window.severity]})`,
          name,
        ),
      );
  });
  return window;
}

/** The object an entry names (`REF: name`, in the file or its folder) or the entry itself, inline. */
function resolve(reading: AlertPolicyReading, entry: At, kind: string, refKey: string): At {
  const data = valueAt(entry.doc.data, entry.base);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new SpecError([
      entry.doc.issueAt(entry.base, `must be a mapping: ${refKey}, or an inline ${kind}`, reading.name),
    ]);
  const record = data as Record<string, unknown>;
  if (!(refKey in record)) return entry;
  const ref = record[refKey];
  if (Object.keys(record).length > 1)
    throw new SpecError([
      entry.doc.issueAt([...entry.base, refKey], `give ${refKey} or an inline ${kind}, not both`, reading.name),
    ]);
  if (typeof ref !== 'string')
    throw new SpecError([entry.doc.issueAt([...entry.base, refKey], `must name a ${kind}`, reading.name)]);
  const found = reading.named.get(key(kind, ref));
  if (!found)
    throw new SpecError([
      entry.doc.issueAt([...entry.base, refKey], `no ${kind} named "${ref}" in this file or its folder`, reading.name),
    ]);
  reading.used.add(found);
  return { doc: found, base: [] };
}

/** The name of a notification target: its targetRef, or an inline target's metadata.name. */
function targetNameOf(target: unknown): string | undefined {
  const entry = target as { targetRef?: unknown; metadata?: { name?: unknown } } | null;
  const name = entry?.targetRef ?? entry?.metadata?.name;
  return typeof name === 'string' ? name : undefined;
}

/** A duration of an alert condition in milliseconds: 0 for `0m` (alertAfter's default), else a Prometheus one. */
function durationMs(text: string): number | undefined {
  return /^0+[smhdw]?$/.test(text) ? 0 : parseDuration(text);
}

/**
 * One condition, checked: undefined when dropped (a warning says why), else its severity and the harness's
 * window it states, if it states one exactly (a warning says what replaces it if not).
 */
function readCondition(
  { name, windowMs, warnings }: AlertPolicyReading,
  { doc, base }: At,
  spec: z.infer<typeof conditionSpec>,
): { severity: 'page' | 'ticket'; matched?: BurnRateWindow } | undefined {
  const path = (...rest: PathKey[]) => [...base, 'spec', ...rest];
  const fail = (at: PathKey[], message: string): never => {
    throw new SpecError([doc.issueAt(at, message, name)]);
  };
  const warn = (at: PathKey[], message: string) => warnings.push(doc.issueAt(at, message, name));
  const { kind = 'burnrate', op = 'gt', threshold, lookbackWindow, alertAfter } = spec.condition;
  if (kind !== 'burnrate')
    fail(path('condition', 'kind'), `${kind} is not a condition kind of OpenSLO v1: burnrate is the only one`);
  if (!OPS.includes(op)) fail(path('condition', 'op'), 'must be one of lt, lte, gt, gte');
  if (threshold === undefined) return fail(path('condition', 'threshold'), 'is required for a burnrate condition');
  if (lookbackWindow === undefined)
    return fail(path('condition', 'lookbackWindow'), 'is required for a burnrate condition');
  const lookbackMs = parseDuration(lookbackWindow);
  if (lookbackMs === undefined)
    return fail(path('condition', 'lookbackWindow'), 'must be a duration such as 1h (m, h, d or w)');
  const afterMs = alertAfter === undefined ? 0 : durationMs(alertAfter);
  if (afterMs === undefined)
    return fail(path('condition', 'alertAfter'), 'must be a duration such as 5m (m, h, d or w)');
  const severity = spec.severity;
  if (severity !== 'page' && severity !== 'ticket') {
    warn(
      path('severity'),
      `${severity} is not a severity of the harness's alerts (page, ticket): this condition is dropped`,
    );
    return undefined;
  }
  if (!ABOVE.includes(op)) {
    warn(
      path('condition', 'op'),
      `${op} alerts on a burn rate below the threshold, which no harness alert does: this condition is dropped`,
    );
    return undefined;
  }
  const windows = BURN_RATE_WINDOWS.filter((window) => window.severity === severity);
  const matched = windows.find(
    (window) => parseDuration(window.long) === lookbackMs && sameNumber(burnRateFactor(window, windowMs), threshold),
  );
  if (matched === undefined)
    warn(
      path('condition'),
      `burn rate ${threshold} over ${lookbackWindow} is not one of the harness's ${severity} conditions for a ${formatDuration(windowMs)} window (${windows.map((window) => `${burnRateFactor(window, windowMs)} over ${window.long}`).join(', ')}): the harness writes its own ${severity} alert instead`,
    );
  if (afterMs > 0)
    warn(
      path('condition', 'alertAfter'),
      `is dropped: the harness's burn-rate alerts fire as soon as the lookback window and its short window (1/12 of it) both burn, with no wait`,
    );
  return { severity, ...(matched ? { matched } : {}) };
}

/** Two thresholds alike to 9 significant digits (a written 14.4 and the computed factor). */
function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * The alert policies of a ratio SLO as `harness slo convert --to openslo` writes them (see the head of this
 * file): undefined for a threshold SLO (its bound alert has no OpenSLO form; the annotation keeps it).
 */
export function alertPoliciesOf(slo: Slo): object[] | undefined {
  if (slo.sli.kind !== 'ratio') return undefined;
  if (slo.alerting.disabled) return [];
  const period = formatDuration(slo.windowMs);
  return BURN_RATE_WINDOWS.map((window) => {
    const factor = burnRateFactor(window, slo.windowMs);
    const off = window.severity === 'page' ? slo.alerting.pageDisabled : slo.alerting.ticketDisabled;
    const policyName = `${slo.name}-${window.severity}-${window.long}`;
    const spent = `${window.budgetShare * 100} % of the ${period} error budget`;
    return {
      kind: 'AlertPolicy',
      metadata: { name: policyName },
      spec: {
        description: `${window.severity === 'page' ? 'Page' : 'Ticket'} when ${spent} is spent within ${window.long}`,
        alertWhenBreaching: !off,
        conditions: [
          {
            kind: 'AlertCondition',
            metadata: { name: policyName },
            spec: {
              description: `Burn rate above ${factor} over ${window.long}, confirmed over ${window.short}`,
              severity: window.severity,
              condition: {
                kind: 'burnrate',
                op: 'gt',
                threshold: factor,
                lookbackWindow: window.long,
                alertAfter: '0m',
              },
            },
          },
        ],
        notificationTargets: [{ targetRef: ALERT_TARGETS[window.severity] }],
      },
    };
  });
}

/** The notification targets the written policies name, as objects of the file (so every targetRef resolves). */
export function alertTargetObjects(apiVersion: string): object[] {
  return (['page', 'ticket'] as const).map((severity) => ({
    apiVersion,
    kind: 'AlertNotificationTarget',
    metadata: { name: ALERT_TARGETS[severity] },
    spec: {
      description: `The receiver \`harness slo alertmanager\` routes ${severity} alerts to (Alertmanager)`,
      target: 'alertmanager',
    },
  }));
}
