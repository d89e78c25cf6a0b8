// How figures read in every report: one place, so the table, Markdown, JUnit and Allure agree.
import type { SloResult, SloStatus } from '../evaluate/evaluate.ts';

/** An SLI or bound with its unit: "99.95 %", "200 ms", "0.5". */
export function formatValue(value: number | null | undefined, unit: SloResult['unit']): string {
  if (value === null || value === undefined) return '-';
  if (unit === 'percent') return `${trim(value)} %`;
  if (unit === 'seconds') return value < 1 ? `${trim(value * 1000)} ms` : `${trim(value)} s`;
  return trim(value);
}

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

/** Upper-case status word for terminals and logs. */
export function statusWord(status: SloStatus): string {
  return status.toUpperCase();
}

/** At most 4 significant digits, no trailing zeros: 0.000694444 -> "0.0006944", 99.95 -> "99.95". */
function trim(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return String(Math.round(value));
  return String(Number(value.toPrecision(4)));
}
