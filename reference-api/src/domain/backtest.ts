// A moving-average crossover backtest for the risk page: long-only, all-in, one symbol.

import { sma } from './indicators.ts';
import { maxDrawdown } from './risk.ts';
import type { Bar } from './types.ts';

/** Options of the crossover backtest. */
export interface BacktestOptions {
  /** Fast SMA period in days; must be shorter than `slow`. */
  fast: number;
  /** Slow SMA period in days. */
  slow: number;
  /** Starting cash, CNY. */
  initialCash: number;
  /** Shares per lot; buys are whole lots. Default 100 (an A-share board lot). */
  lotSize?: number;
}

/** One executed order. */
export interface BacktestTrade {
  date: string;
  side: 'buy' | 'sell';
  price: number;
  quantity: number;
  cashAfter: number;
}

/** Outcome of a backtest. */
export interface BacktestResult {
  trades: BacktestTrade[];
  /** Cash plus shares marked at that day's close, every day. */
  equityCurve: { date: string; equity: number }[];
  /** finalEquity / initialCash − 1. */
  totalReturn: number;
  /** Maximum drawdown of the equity curve, positive fraction. */
  maxDrawdown: number;
  tradeCount: number;
  /** Share of completed buy→sell round trips that sold above the buy price (0 when none completed). */
  winRate: number;
  finalEquity: number;
}

/** Rounds to cents. */
function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Throws a RangeError naming the first invalid option. */
function validate(opts: BacktestOptions): Required<BacktestOptions> {
  const lotSize = opts.lotSize ?? 100;
  for (const [name, value] of [
    ['fast', opts.fast],
    ['slow', opts.slow],
    ['lotSize', lotSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (opts.fast >= opts.slow) {
    throw new RangeError(`fast (${opts.fast}) must be shorter than slow (${opts.slow})`);
  }
  if (!(Number.isFinite(opts.initialCash) && opts.initialCash > 0)) {
    throw new RangeError(`initialCash must be a positive number, got ${opts.initialCash}`);
  }
  return { ...opts, lotSize };
}

/**
 * SMA crossover strategy. A cross up happens on day i when fast − slow was <= 0 on day i − 1 and is > 0 on
 * day i; a cross down when it was >= 0 and is < 0 (touching without crossing is no signal). Signals execute
 * at that day's close: on a cross up while flat, buy as many whole lots as the cash affords; on a cross down
 * while holding, sell everything. No fees, taxes or slippage, so the result is exactly checkable by hand.
 * A position still open at the end is marked at the last close. Bars are sorted by date first.
 */
export function backtestMaCrossover(bars: Bar[], opts: BacktestOptions): BacktestResult {
  const { fast, slow, initialCash, lotSize } = validate(opts);
  const sorted = [...bars].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const closes = sorted.map((b) => b.close);
  const fastMa = sma(closes, fast);
  const slowMa = sma(closes, slow);

  let cash = initialCash;
  let shares = 0;
  let entryPrice = 0;
  let roundTrips = 0;
  let wins = 0;
  const trades: BacktestTrade[] = [];
  const equityCurve: { date: string; equity: number }[] = [];

  for (let i = 0; i < sorted.length; i++) {
    const { date, close } = sorted[i]!;
    const f = fastMa[i];
    const s = slowMa[i];
    const pf = fastMa[i - 1];
    const ps = slowMa[i - 1];
    if (i > 0 && f != null && s != null && pf != null && ps != null) {
      const now = f - s;
      const before = pf - ps;
      if (before <= 0 && now > 0 && shares === 0) {
        const quantity = Math.floor(cash / (close * lotSize)) * lotSize;
        if (quantity > 0) {
          cash = cents(cash - quantity * close);
          shares = quantity;
          entryPrice = close;
          trades.push({ date, side: 'buy', price: close, quantity, cashAfter: cash });
        }
      } else if (before >= 0 && now < 0 && shares > 0) {
        cash = cents(cash + shares * close);
        roundTrips++;
        if (close > entryPrice) wins++;
        trades.push({ date, side: 'sell', price: close, quantity: shares, cashAfter: cash });
        shares = 0;
      }
    }
    equityCurve.push({ date, equity: cents(cash + shares * close) });
  }

  const finalEquity = equityCurve.at(-1)?.equity ?? initialCash;
  return {
    trades,
    equityCurve,
    totalReturn: finalEquity / initialCash - 1,
    maxDrawdown: maxDrawdown(equityCurve.map((p) => p.equity)).maxDrawdown,
    tradeCount: trades.length,
    winRate: roundTrips === 0 ? 0 : wins / roundTrips,
    finalEquity,
  };
}
