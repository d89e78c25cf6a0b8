// Number and date formatting shared by every page. One fixed locale (en-US) so that what a test reads is the
// same on every machine; the raw value of each figure also goes into a data-value attribute.

const fixed = new Map<number, Intl.NumberFormat>();

/** A number with a fixed count of decimals and thousands separators: 1234.5 → "1,234.50". */
export function num(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  let f = fixed.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    fixed.set(decimals, f);
  }
  return f.format(value);
}

/** An integer with thousands separators. */
export function int(value: number | null | undefined): string {
  return num(value, 0);
}

/** A signed number: +1.23 / −1.23 (ASCII minus, so tests can parse it). */
export function signed(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value > 0 ? '+' : ''}${num(value, decimals)}`;
}

/** A value already in percent (the API's changePct, pnlPct): 1.25 → "+1.25%". */
export function pct(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${signed(value, decimals)}%`;
}

/** A fraction shown as percent (the API's var95, maxDrawdown, volatility): 0.0213 → "2.13%". */
export function fractionPct(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${num(value * 100, decimals)}%`;
}

const compactFormat = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** Large amounts (turnover, inflows) compact: 1234567890 → "1.23B". */
export function compact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return compactFormat.format(value);
}

/** Signed compact amount for flows: "+1.23B" / "-45.60M". */
export function signedCompact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value > 0 ? '+' : ''}${compact(value)}`;
}

/** CSS class for a rising, falling or flat figure (styled red up / green down, the A-share habit; a sign always goes with it). */
export function trendClass(value: number | null | undefined): string {
  if (value === null || value === undefined || value === 0) return 'flat';
  return value > 0 ? 'up' : 'down';
}

/** Local clock time of an instant, HH:MM:SS (24 h). */
export function clockTime(date: Date): string {
  return date.toLocaleTimeString('en-GB', { hour12: false });
}

const axisFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Chart axis labels: short compact numbers ("60M", "1.5B"). */
export function axisNumber(value: number): string {
  return axisFormat.format(value);
}
