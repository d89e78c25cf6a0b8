// How figures read in every report: one place, so the table, Markdown, JUnit and Allure agree.
import type { SloResult } from '../../slo/evaluate/evaluate.ts';
import { formatValue, negate, trim } from '../../slo/model/units.ts';

export { formatElapsed, formatValue, formatWindow } from '../../slo/model/units.ts';

/** The objective as a condition: ">= 99.9 %", "<= 300 ms". */
export function formatObjective(result: SloResult): string {
  return `${result.operator} ${formatValue(result.objective, result.unit)}`;
}

/** A share (0-1) in percent: 0.000694 -> "0.0694 %". */
export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `${trim(value * 100)} %`;
}

/** A burn rate: "0.5x". */
export function formatBurnRate(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `${trim(value)}x`;
}

/** Evidence: "1200 / 1000" (events seen / needed), "40" without a minimum, "-" when unknown or not counted. */
export function formatEvents(result: SloResult): string {
  if (result.events === undefined || result.events === null) return '-';
  const seen = trim(result.events);
  return result.minEvents === undefined ? seen : `${seen} / ${result.minEvents}`;
}

/**
 * The SLI as a reader checks it: an SLO read as an error share shows its bad share against the allowed one
 * ("0.02 %"), every other its SLI ("99.95 %", "14.7 ms").
 */
export function formatSli(result: SloResult): string {
  if (result.readAs === 'error-share') return formatShare(result.errorRatio);
  return formatValue(result.sli, result.unit);
}

/** The objective as the SLI is shown: "<= 0.1 %" for an error share, else ">= 99.9 %", "<= 300 ms". */
export function formatSliObjective(result: SloResult): string {
  if (result.readAs === 'error-share') return `<= ${trim(100 - result.objective)} %`;
  return formatObjective(result);
}

/**
 * The SLI against its objective in one phrase: "0.02 % <= 0.1 %", "443 ms > 300 ms"; the operator is the one
 * that holds, so a breach reads as one.
 */
export function formatCondition(result: SloResult): string {
  if (result.sli === null) return `- (objective ${formatSliObjective(result)})`;
  const ok = result.status !== 'fail';
  if (result.readAs === 'error-share') {
    return `${formatShare(result.errorRatio)} ${ok ? '<=' : '>'} ${trim(100 - result.objective)} %`;
  }
  const operator = ok ? result.operator : negate(result.operator);
  return `${formatValue(result.sli, result.unit)} ${operator} ${formatValue(result.objective, result.unit)}`;
}

/**
 * This run against a baseline run: the baseline's SLI (as {@link formatSli} shows it) and the change,
 * "14.2 ms, 3.1 % worse" or "14.2 ms, 5 % better"; "-" without one.
 */
export function formatBaseline(result: SloResult): string {
  const b = result.baseline;
  if (!b) return '-';
  const before = result.readAs === 'error-share' ? `${trim(100 - b.value)} %` : formatValue(b.value, result.unit);
  if (b.regressionPct === 0) return `${before}, unchanged`;
  const size = Number.isFinite(b.regressionPct) ? `${trim(Math.abs(b.regressionPct))} %` : 'infinitely';
  return `${before}, ${size} ${b.regressionPct > 0 ? 'worse' : 'better'}${b.regressed ? ` (allowed ${b.maxRegressionPct} %)` : ''}`;
}
