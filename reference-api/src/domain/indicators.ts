// Technical indicators for the K-line chart. Every series is aligned with its input (same length, same
// index = same day); `null` marks days where the look-back window is not full yet, so a chart can leave a gap.
// Pure functions on plain arrays: no dates, no I/O.

import type { Bar } from './types.ts';

/** Throws a RangeError unless `period` is a positive integer; `name` goes into the message. */
function assertPeriod(name: string, period: number): void {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${period}`);
  }
}

/** Simple moving average: mean of the last `period` values; null until `period` values exist. */
export function sma(values: number[], period: number): (number | null)[] {
  assertPeriod('period', period);
  // Each window is summed afresh (O(n × period)) rather than with a running sum, so float error never
  // accumulates along a long series; periods here are at most a few hundred.
  return values.map((_, i) => {
    if (i < period - 1) return null;
    let sum = 0;
    for (let t = i - period + 1; t <= i; t++) sum += values[t]!;
    return sum / period;
  });
}

/**
 * Exponential moving average with alpha = 2 / (period + 1), seeded with the first value
 * (EMA[0] = x[0], EMA[i] = alpha * x[i] + (1 - alpha) * EMA[i-1]). This is the seeding Chinese trading
 * software (and its MACD) uses, so the series has a value on every day and no nulls.
 */
export function ema(values: number[], period: number): number[] {
  assertPeriod('period', period);
  const alpha = 2 / (period + 1);
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    out.push(i === 0 ? x : alpha * x + (1 - alpha) * out[i - 1]!);
  }
  return out;
}

/** MACD lines: DIF, its signal line DEA, and the histogram bar. */
export interface Macd {
  dif: number[];
  dea: number[];
  histogram: number[];
}

/**
 * MACD as Chinese-market software defines it: DIF = EMA(fast) − EMA(slow) of the close, DEA = EMA(signal)
 * of DIF, histogram ("MACD bar") = 2 × (DIF − DEA). Note the factor 2, which Western charts omit. All EMAs
 * are seeded with their first value (see `ema`), so every day has a value.
 */
export function macd(close: number[], fast = 12, slow = 26, signal = 9): Macd {
  assertPeriod('fast', fast);
  assertPeriod('slow', slow);
  assertPeriod('signal', signal);
  if (fast >= slow) throw new RangeError(`fast (${fast}) must be shorter than slow (${slow})`);
  const emaFast = ema(close, fast);
  const emaSlow = ema(close, slow);
  const dif = emaFast.map((f, i) => f - emaSlow[i]!);
  const dea = ema(dif, signal);
  const histogram = dif.map((d, i) => 2 * (d - dea[i]!));
  return { dif, dea, histogram };
}

/**
 * Relative Strength Index with Wilder's smoothing. With changes d[i] = close[i] − close[i−1]:
 * the first average gain/loss is the simple mean of the first `period` gains/losses (changes 1..period),
 * giving the first RSI at index `period`; after that avg = (prev × (period − 1) + current) / period.
 * RSI = 100 − 100 / (1 + avgGain / avgLoss); when the average loss is 0 the RSI is 100 (this includes a
 * flat series, which some tools show as 50 instead).
 */
export function rsi(close: number[], period = 14): (number | null)[] {
  assertPeriod('period', period);
  const out: (number | null)[] = close.map(() => null);
  if (close.length <= period) return out;
  let avgGain = 0;
  let avgLoss = 0;
  for (let i = 1; i <= period; i++) {
    const change = close[i]! - close[i - 1]!;
    if (change > 0) avgGain += change;
    else avgLoss -= change;
  }
  avgGain /= period;
  avgLoss /= period;
  const value = (): number => (avgLoss === 0 ? 100 : 100 - 100 / (1 + avgGain / avgLoss));
  out[period] = value();
  for (let i = period + 1; i < close.length; i++) {
    const change = close[i]! - close[i - 1]!;
    avgGain = (avgGain * (period - 1) + Math.max(change, 0)) / period;
    avgLoss = (avgLoss * (period - 1) + Math.max(-change, 0)) / period;
    out[i] = value();
  }
  return out;
}

/** KDJ stochastic lines. */
export interface Kdj {
  k: (number | null)[];
  d: (number | null)[];
  j: (number | null)[];
}

/**
 * KDJ (the Chinese stochastic oscillator). RSV = (C − LLV(L, n)) / (HHV(H, n) − LLV(L, n)) × 100 over the
 * last n days, and 50 when HHV == LLV (a flat window carries no direction, so it is treated as neutral).
 * K = ((m1 − 1) × K_prev + RSV) / m1 and D = ((m2 − 1) × D_prev + K) / m2, i.e. 2/3·prev + 1/3·new for the
 * default 3, both starting from a previous value of 50 on the first day with a full window; J = 3K − 2D.
 * Days before the first full window are null.
 */
export function kdj(high: number[], low: number[], close: number[], n = 9, m1 = 3, m2 = 3): Kdj {
  assertPeriod('n', n);
  assertPeriod('m1', m1);
  assertPeriod('m2', m2);
  if (high.length !== close.length || low.length !== close.length) {
    throw new RangeError(
      `high, low and close must have the same length (${high.length}, ${low.length}, ${close.length})`,
    );
  }
  const k: (number | null)[] = [];
  const d: (number | null)[] = [];
  const j: (number | null)[] = [];
  let prevK = 50;
  let prevD = 50;
  for (let i = 0; i < close.length; i++) {
    if (i < n - 1) {
      k.push(null);
      d.push(null);
      j.push(null);
      continue;
    }
    const hhv = Math.max(...high.slice(i - n + 1, i + 1));
    const llv = Math.min(...low.slice(i - n + 1, i + 1));
    const rsv = hhv === llv ? 50 : ((close[i]! - llv) / (hhv - llv)) * 100;
    prevK = ((m1 - 1) * prevK + rsv) / m1;
    prevD = ((m2 - 1) * prevD + prevK) / m2;
    k.push(prevK);
    d.push(prevD);
    j.push(3 * prevK - 2 * prevD);
  }
  return { k, d, j };
}

/** Bollinger bands. */
export interface Boll {
  middle: (number | null)[];
  upper: (number | null)[];
  lower: (number | null)[];
}

/**
 * Bollinger bands: middle = SMA(period), upper/lower = middle ± k × σ, where σ is the population
 * standard deviation (divide by `period`, not period − 1) of the same window, as Bollinger defined it
 * and as Chinese trading software computes it.
 */
export function boll(close: number[], period = 20, k = 2): Boll {
  const middle = sma(close, period);
  const upper: (number | null)[] = [];
  const lower: (number | null)[] = [];
  for (let i = 0; i < close.length; i++) {
    const mean = middle[i];
    if (mean === null || mean === undefined) {
      upper.push(null);
      lower.push(null);
      continue;
    }
    let squares = 0;
    for (let t = i - period + 1; t <= i; t++) squares += (close[t]! - mean) ** 2;
    const sigma = Math.sqrt(squares / period);
    upper.push(mean + k * sigma);
    lower.push(mean - k * sigma);
  }
  return { middle, upper, lower };
}

/** Candle periods a chart can switch between. */
export type BarPeriod = 'day' | 'week' | 'month';

/** The ISO-8601 week of a YYYY-MM-DD date as 'YYYY-Www' (the ISO year can differ from the calendar year). */
export function isoWeekKey(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  // The ISO week belongs to the year of its Thursday: move to the Thursday of this Monday-based week.
  const dayFromMonday = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(d.getTime() + (3 - dayFromMonday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Daily bars regrouped into weekly (ISO week) or monthly (calendar month) bars: open of the first day,
 * close of the last, highest high, lowest low, summed volume and amount (amount rounded to cents), dated
 * on the bucket's last trading day. 'day' returns a sorted copy. Input order does not matter.
 */
export function resampleBars(bars: Bar[], period: BarPeriod): Bar[] {
  const sorted = [...bars].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (period === 'day') return sorted.map((b) => ({ ...b }));
  const keyOf = period === 'week' ? isoWeekKey : (date: string) => date.slice(0, 7);
  const out: Bar[] = [];
  let currentKey: string | null = null;
  for (const bar of sorted) {
    const key = keyOf(bar.date);
    const last = out[out.length - 1];
    if (key !== currentKey || last === undefined) {
      currentKey = key;
      out.push({ ...bar });
      continue;
    }
    last.date = bar.date;
    last.high = Math.max(last.high, bar.high);
    last.low = Math.min(last.low, bar.low);
    last.close = bar.close;
    last.volume += bar.volume;
    last.amount = Math.round((last.amount + bar.amount) * 100) / 100;
  }
  return out;
}
