// Risk maths for the portfolio page: historical VaR, drawdown, volatility, beta and Sharpe.
// Returns are simple daily returns as fractions (0.01 = 1 %). Degenerate input (too few points, a
// market with no variance) throws a RangeError with the reason instead of returning NaN.

import type { Bar, Position } from './types.ts';

/** Simple returns r[i] = v[i+1] / v[i] − 1; one shorter than the input. */
export function dailyReturns(values: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) out.push(values[i]! / values[i - 1]! - 1);
  return out;
}

/**
 * One-day historical Value at Risk as a positive loss fraction. The quantile is the plain order statistic:
 * sort the returns ascending and take the one at index floor((1 − c) × n) (a 1e-9 nudge absorbs float error
 * such as (1 − 0.95) × 20 = 1.0000000000000009); VaR = −that return, floored at 0 because a VaR is a loss
 * (if even the bad tail is a gain, there is nothing at risk). With 20 returns and c = 0.95 that is the
 * second-worst return.
 */
export function historicalVaR(returns: number[], confidence: 0.95 | 0.99 | number): number {
  if (returns.length === 0) throw new RangeError('historicalVaR needs at least one return');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const sorted = [...returns].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.floor((1 - confidence) * sorted.length + 1e-9));
  return Math.max(0, -sorted[index]!);
}

/** The largest peak-to-trough fall of a value series. */
export interface Drawdown {
  /** Fall as a positive fraction of the peak (0.2 = 20 %); 0 when the series never falls. */
  maxDrawdown: number;
  peakIndex: number;
  troughIndex: number;
}

/** Maximum drawdown: the largest (peak − value) / peak over all values after their running peak. */
export function maxDrawdown(values: number[]): Drawdown {
  let best: Drawdown = { maxDrawdown: 0, peakIndex: 0, troughIndex: 0 };
  let peakIndex = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! > values[peakIndex]!) peakIndex = i;
    const fall = (values[peakIndex]! - values[i]!) / values[peakIndex]!;
    if (fall > best.maxDrawdown) best = { maxDrawdown: fall, peakIndex, troughIndex: i };
  }
  return best;
}

/** Arithmetic mean. */
function mean(xs: number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample covariance (n − 1 denominator). */
function sampleCovariance(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - ma) * (b[i]! - mb);
  return sum / (a.length - 1);
}

/** Throws unless there are at least two returns, the minimum for a sample variance. */
function assertSample(name: string, returns: number[]): void {
  if (returns.length < 2) throw new RangeError(`${name} needs at least 2 returns, got ${returns.length}`);
}

/** Annualised volatility: sample standard deviation of the returns × √periodsPerYear. */
export function annualisedVolatility(returns: number[], periodsPerYear = 252): number {
  assertSample('annualisedVolatility', returns);
  return Math.sqrt(sampleCovariance(returns, returns) * periodsPerYear);
}

/** Beta of an asset against the market: sample cov(asset, market) / sample var(market), same-day returns. */
export function beta(asset: number[], market: number[]): number {
  if (asset.length !== market.length) {
    throw new RangeError(`beta needs return series of equal length, got ${asset.length} and ${market.length}`);
  }
  assertSample('beta', market);
  const marketVariance = sampleCovariance(market, market);
  if (marketVariance === 0) throw new RangeError('beta is undefined: the market returns have no variance');
  return sampleCovariance(asset, market) / marketVariance;
}

/**
 * Annualised Sharpe ratio from daily returns: (mean(r) − rf / periodsPerYear) / sampleStd(r) × √periodsPerYear,
 * where rf is the annual risk-free rate (default 2 %) spread evenly over the periods.
 */
export function sharpeRatio(returns: number[], riskFreeRate = 0.02, periodsPerYear = 252): number {
  assertSample('sharpeRatio', returns);
  const sd = Math.sqrt(sampleCovariance(returns, returns));
  if (sd === 0) throw new RangeError('sharpeRatio is undefined: the returns have no variance');
  return ((mean(returns) - riskFreeRate / periodsPerYear) / sd) * Math.sqrt(periodsPerYear);
}

/** Rounds to cents. */
function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Market value of the positions on every trading day all of them have a bar: Σ quantity × close, in cents.
 * Days where any held symbol has no bar (not listed yet, suspended) are left out rather than guessed.
 */
export function portfolioValueSeries(
  positions: Position[],
  barsBySymbol: Map<string, Bar[]>,
): { date: string; value: number }[] {
  if (positions.length === 0) return [];
  const closes = positions.map((p) => {
    const bars = barsBySymbol.get(p.symbol);
    if (bars === undefined || bars.length === 0) throw new RangeError(`no bars for held symbol ${p.symbol}`);
    return new Map(bars.map((b) => [b.date, b.close]));
  });
  const dates = [...closes[0]!.keys()].filter((d) => closes.every((c) => c.has(d))).sort();
  return dates.map((date) => ({
    date,
    value: cents(positions.reduce((sum, p, i) => sum + p.quantity * closes[i]!.get(date)!, 0)),
  }));
}

/** The figures of the portfolio risk report. */
export interface PortfolioRisk {
  /** Last trading day of the window. */
  asOf: string;
  /** Market value on `asOf`, CNY. */
  marketValue: number;
  /** One-day historical VaR at 95 % / 99 % as loss fractions, and the same in CNY of `marketValue`. */
  var95: number;
  var99: number;
  var95Amount: number;
  var99Amount: number;
  /** Maximum drawdown of the value series over the window, as a fraction. */
  maxDrawdown: number;
  /** Annualised volatility of daily returns. */
  volatility: number;
  /** Beta against the index given. */
  beta: number;
  /** Annualised Sharpe ratio. */
  sharpe: number;
  /** Number of daily returns actually used (fewer than asked when history is short). */
  lookbackDays: number;
}

/**
 * Risk of a portfolio held at constant quantities over the last `lookbackDays` daily returns (default 250,
 * so 251 values) on the days both the portfolio and the index have data. Beta is against `indexBars`.
 * An empty portfolio reports zeros. Throws a RangeError when fewer than 3 common days exist.
 */
export function portfolioRisk(
  positions: Position[],
  barsBySymbol: Map<string, Bar[]>,
  indexBars: Bar[],
  opts: { lookbackDays?: number; riskFreeRate?: number } = {},
): PortfolioRisk {
  const lookback = opts.lookbackDays ?? 250;
  if (!Number.isInteger(lookback) || lookback < 2) {
    throw new RangeError(`lookbackDays must be an integer of at least 2, got ${lookback}`);
  }
  if (positions.length === 0) {
    let asOf = '';
    for (const b of indexBars) if (b.date > asOf) asOf = b.date;
    const zero = { var95: 0, var99: 0, var95Amount: 0, var99Amount: 0, maxDrawdown: 0, volatility: 0 };
    return { asOf, marketValue: 0, ...zero, beta: 0, sharpe: 0, lookbackDays: 0 };
  }
  const indexClose = new Map(indexBars.map((b) => [b.date, b.close]));
  const series = portfolioValueSeries(positions, barsBySymbol).filter((p) => indexClose.has(p.date));
  if (series.length < 3) {
    throw new RangeError(`portfolioRisk needs at least 3 trading days common to the holdings and the index`);
  }
  const window = series.slice(-(lookback + 1));
  const values = window.map((p) => p.value);
  const returns = dailyReturns(values);
  const marketReturns = dailyReturns(window.map((p) => indexClose.get(p.date)!));
  const last = window[window.length - 1]!;
  const var95 = historicalVaR(returns, 0.95);
  const var99 = historicalVaR(returns, 0.99);
  return {
    asOf: last.date,
    marketValue: last.value,
    var95,
    var99,
    var95Amount: cents(var95 * last.value),
    var99Amount: cents(var99 * last.value),
    maxDrawdown: maxDrawdown(values).maxDrawdown,
    volatility: annualisedVolatility(returns),
    beta: beta(returns, marketReturns),
    sharpe: sharpeRatio(returns, opts.riskFreeRate ?? 0.02),
    lookbackDays: returns.length,
  };
}
