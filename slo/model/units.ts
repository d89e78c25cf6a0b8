// How an SLO's figures read, in one place below evaluate/ and report/ so a verdict's reason and every report
// write the same "443 ms > 300 ms" and the same "1 m 15 s".
import { parseDuration } from '../../core/duration.ts';
import type { Operator, SliUnit } from './model.ts';

/** A figure with its unit: "99.95 %", "200 ms", "1.5 s", "0.5". Seconds under one read in ms. */
export function formatValue(value: number | null | undefined, unit: SliUnit): string {
  if (value === null || value === undefined) return '-';
  if (unit === 'percent') return `${trim(value)} %`;
  if (unit === 'seconds') return value < 1 ? `${trim(value * 1000)} ms` : `${trim(value)} s`;
  return trim(value);
}

/** The operator a failing value stands in: not `<=` is `>`. */
export function negate(operator: Operator): Operator {
  return ({ '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const)[operator];
}

/** A length of time as a reader says it, to the second: 74 832 ms -> "1 m 15 s", 30 days -> "30 d". */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${trim(ms / 1000)} s`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count} ${unit}`);
    rest -= count * size;
  }
  return parts.join(' ');
}

/** A Prometheus duration as a reader says it ("1m14s832ms" -> "1 m 15 s"); other text as it is. */
export function formatWindow(text: string): string {
  const ms = parseDuration(text);
  return ms === undefined ? text : formatElapsed(ms);
}

/** At most 4 significant digits, no trailing zeros: 0.000694444 -> "0.0006944", 99.95 -> "99.95". */
export function trim(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return String(Math.round(value));
  return String(Number(value.toPrecision(4)));
}
