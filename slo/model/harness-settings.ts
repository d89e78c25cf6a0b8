// The harness's own settings that Sloth and OpenSLO have no field for, as text: Sloth labels
// (`harness_no_data: pass`) and OpenSLO SLO annotations (`mystocks-harness/noData: pass`). One table for both
// formats, so `harness slo convert` writes each setting and both readers read it back the same way: a file
// converted and read back is the same model, and nothing is dropped on the way (docs/slo.md#convert).
// Sloth puts a file's and an SLO's labels on every rule it generates; the harness's Sloth rules do the same
// with slothSettingLabels (slo/rules/sloth-rules.ts). No I/O.
import { configSpec, gapsPolicy, noDataPolicy, warningsPolicy } from '../spec/schema.ts';
import { defaultMinEvents, type RatioSli, type Slo, type SloModel, type ThresholdSli } from './model.ts';
import { promqlSyntaxError } from './promql.ts';

/** One setting: its name in the model (and in OpenSLO annotations) and its Sloth label; file- or SLO-wide. */
export const HARNESS_SETTINGS = [
  { name: 'noData', label: 'harness_no_data', scope: 'slo' },
  { name: 'onWarnings', label: 'harness_on_warnings', scope: 'slo' },
  { name: 'onGaps', label: 'harness_on_gaps', scope: 'slo' },
  { name: 'minEvents', label: 'harness_min_events', scope: 'slo' },
  { name: 'maxRegressionPct', label: 'harness_max_regression_pct', scope: 'slo' },
  { name: 'loadThreshold', label: 'harness_load_threshold', scope: 'slo' },
  { name: 'coverageUp', label: 'harness_coverage_up', scope: 'file' },
  { name: 'webVitals', label: 'harness_web_vitals', scope: 'file' },
] as const;

type Setting = (typeof HARNESS_SETTINGS)[number];
export type SloSettingName = Extract<Setting, { scope: 'slo' }>['name'];
export type FileSettingName = Extract<Setting, { scope: 'file' }>['name'];
/** Settings as text, by name: what a Sloth label or an OpenSLO annotation holds. */
export type SettingTexts<Name extends string> = Partial<Record<Name, string>>;

/** The settings of one SLO as a reader gives them to the model, defaults applied. */
export type SloSettings = Pick<Slo, 'noData' | 'onWarnings' | 'onGaps'> &
  Partial<Pick<Slo, 'minEvents' | 'maxRegressionPct' | 'loadThreshold'>>;
/** The file-wide settings as the model holds them. */
export type FileSettings = Partial<Pick<SloModel, 'coverageUp' | 'webVitals'>>;

/** A setting that cannot be read, by name; the reader locates it (label or annotation). */
export interface SettingProblem<Name extends string> {
  name: Name;
  message: string;
}

const LOAD_THRESHOLDS = ['p95LatencyMs', 'maxErrorRatePct', 'availabilityPct'] as const;

/**
 * An SLO's settings as text, each only where it differs from what a reader assumes without it (the harness's
 * defaults: inconclusive, and minimum evidence derived from the objective), so an SLO that keeps them writes
 * nothing extra.
 */
export function encodeSloSettings(slo: Slo): SettingTexts<SloSettingName> {
  const texts: SettingTexts<SloSettingName> = {};
  if (slo.noData !== 'inconclusive') texts.noData = slo.noData;
  if (slo.onWarnings !== 'inconclusive') texts.onWarnings = slo.onWarnings;
  if (slo.onGaps !== 'inconclusive') texts.onGaps = slo.onGaps;
  if (slo.minEvents !== defaultMinEvents(slo.sli, slo.objective) && slo.minEvents !== undefined)
    texts.minEvents = String(slo.minEvents);
  if (slo.maxRegressionPct !== undefined) texts.maxRegressionPct = String(slo.maxRegressionPct);
  if (slo.loadThreshold !== undefined) texts.loadThreshold = slo.loadThreshold;
  return texts;
}

/** The file-wide settings as text: the scrape-health selector as written, the Web Vitals bounds as JSON. */
export function encodeFileSettings(model: SloModel): SettingTexts<FileSettingName> {
  return {
    ...(model.coverageUp === undefined ? {} : { coverageUp: model.coverageUp }),
    ...(model.webVitals === undefined ? {} : { webVitals: JSON.stringify(model.webVitals) }),
  };
}

/**
 * Reads an SLO's settings from text; what is absent gets the harness's default (minimum evidence from the
 * SLI and objective, as for a harness file). Problems name the setting; the reader says where it is written.
 */
export function decodeSloSettings(
  texts: SettingTexts<SloSettingName>,
  sli: RatioSli | ThresholdSli,
  objective: number | undefined,
): { settings: SloSettings; problems: SettingProblem<SloSettingName>[] } {
  const problems: SettingProblem<SloSettingName>[] = [];
  const oneOf = <T extends string>(name: SloSettingName, allowed: readonly T[], fallback: T): T => {
    const text = texts[name];
    if (text === undefined) return fallback;
    if ((allowed as readonly string[]).includes(text)) return text as T;
    problems.push({ name, message: `must be one of ${allowed.join(', ')}` });
    return fallback;
  };
  const number = (name: SloSettingName, ok: (value: number) => boolean, message: string): number | undefined => {
    const text = texts[name];
    if (text === undefined) return undefined;
    // Number('') is 0 and Number(' 5') is 5: only a plain decimal is a number here.
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (ok(value)) return value;
    problems.push({ name, message });
    return undefined;
  };
  const noData = oneOf('noData', noDataPolicy.options, 'inconclusive');
  const onWarnings = oneOf('onWarnings', warningsPolicy.options, 'inconclusive');
  const onGaps = oneOf('onGaps', gapsPolicy.options, 'inconclusive');
  let loadThreshold: Slo['loadThreshold'];
  if (texts.loadThreshold !== undefined) {
    if ((LOAD_THRESHOLDS as readonly string[]).includes(texts.loadThreshold))
      loadThreshold = texts.loadThreshold as Slo['loadThreshold'];
    else problems.push({ name: 'loadThreshold', message: `must be one of ${LOAD_THRESHOLDS.join(', ')}` });
  }
  const minEvents =
    number('minEvents', (n) => Number.isInteger(n) && n >= 1, 'must be a whole number of events, at least 1') ??
    defaultMinEvents(sli, objective);
  const maxRegressionPct = number('maxRegressionPct', (n) => n > 0, 'must be a number above 0 (percent)');
  return {
    settings: {
      noData,
      onWarnings,
      onGaps,
      ...(minEvents === undefined ? {} : { minEvents }),
      ...(maxRegressionPct === undefined ? {} : { maxRegressionPct }),
      ...(loadThreshold === undefined ? {} : { loadThreshold }),
    },
    problems,
  };
}

/** Reads the file-wide settings from text: a selector that parses, Web Vitals bounds as the harness spec's. */
export function decodeFileSettings(texts: SettingTexts<FileSettingName>): {
  settings: FileSettings;
  problems: SettingProblem<FileSettingName>[];
} {
  const problems: SettingProblem<FileSettingName>[] = [];
  const settings: FileSettings = {};
  if (texts.coverageUp !== undefined) {
    const syntax =
      texts.coverageUp.trim() === '' ? 'must be a selector such as up{job="x"}' : promqlSyntaxError(texts.coverageUp);
    if (syntax === undefined) settings.coverageUp = texts.coverageUp;
    else problems.push({ name: 'coverageUp', message: syntax });
  }
  if (texts.webVitals !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(texts.webVitals);
    } catch {
      value = undefined;
    }
    // The harness spec's own schema of webVitals, so the bounds mean the same in every format.
    const parsed = configSpec.shape.webVitals.safeParse(value);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    if (parsed.success && parsed.data !== undefined) settings.webVitals = parsed.data;
    else if (issue === undefined || issue.path.length === 0 || value === undefined)
      problems.push({ name: 'webVitals', message: 'must be JSON such as {"lcpMs":2500,"cls":0.1}' });
    else problems.push({ name: 'webVitals', message: `${issue.path.join('.')}: ${issue.message}` });
  }
  return { settings, problems };
}

/** The label of a setting in a Sloth file. */
export function slothLabel(name: SloSettingName | FileSettingName): string {
  return HARNESS_SETTINGS.find((setting) => setting.name === name)!.label;
}

/** Sloth labels of settings, by label name. */
export function toSlothLabels(texts: SettingTexts<SloSettingName | FileSettingName>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(texts).map(([name, text]) => [slothLabel(name as SloSettingName), text as string]),
  );
}

/**
 * Settings read from Sloth labels, and the labels that are not settings. `scope` says which settings the
 * labels may hold (a file's labels hold the file-wide ones, an SLO's its own).
 */
export function fromSlothLabels(
  labels: Record<string, string>,
  scope: 'slo' | 'file',
): { texts: SettingTexts<SloSettingName | FileSettingName>; rest: Record<string, string> } {
  const texts: SettingTexts<SloSettingName | FileSettingName> = {};
  const rest: Record<string, string> = {};
  for (const [label, value] of Object.entries(labels)) {
    const setting = HARNESS_SETTINGS.find((s) => s.label === label && s.scope === scope);
    if (setting) texts[setting.name] = value;
    else rest[label] = value;
  }
  return { texts, rest };
}

/**
 * The labels a Sloth file written by `harness slo convert` carries for the harness settings of one SLO and
 * its file: Sloth puts them on every rule it generates from that SLO, and so must the harness's Sloth rules.
 */
export function slothSettingLabels(model: SloModel, slo: Slo): Record<string, string> {
  return toSlothLabels({ ...encodeFileSettings(model), ...encodeSloSettings(slo) });
}
