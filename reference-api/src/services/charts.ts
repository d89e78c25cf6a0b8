// Daily bars per symbol (cached; K-line, backtest and risk share them) and the K-line with indicators.

import { boll, kdj, macd, resampleBars, rsi, sma } from '../domain/indicators.ts';
import type { Bar } from '../domain/types.ts';
import { badRequest } from '../errors.ts';
import type { Kline, KlineQuery } from '../schemas/charts.ts';
import type { Ctx } from './context.ts';
import { quoteOf } from './market.ts';

/** Default number of bars without from/to. */
export const DEFAULT_BARS = 250;

/** Every daily bar of a security, dates ascending. */
export function dailyBars(ctx: Ctx, symbol: string): Promise<Bar[]> {
  return ctx.cached('bars', symbol, async () => {
    const { rows } = await ctx.db.query<Bar>(
      'bars.by_symbol',
      'SELECT date, open, high, low, close, volume, amount FROM bars WHERE symbol = $1 ORDER BY date',
      [symbol],
    );
    return rows;
  });
}

/** Every daily bar of an index, dates ascending. */
export function indexBars(ctx: Ctx, code: string): Promise<Bar[]> {
  return ctx.cached('bars', `index:${code}`, async () => {
    const { rows } = await ctx.db.query<Bar>(
      'index_bars.by_code',
      'SELECT date, open, high, low, close, volume, amount FROM index_bars WHERE code = $1 ORDER BY date',
      [code],
    );
    return rows;
  });
}

/** 400 naming `from` when the range is reversed. */
export function checkRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) throw badRequest('from', `must not be after to (${to})`);
}

/** K-line bars of the period with the indicators asked for, computed over all history, then cut to the range. */
export async function kline(ctx: Ctx, symbol: string, q: KlineQuery): Promise<Kline> {
  checkRange(q.from, q.to);
  const quote = await quoteOf(ctx, symbol);
  const all = resampleBars(await dailyBars(ctx, symbol), q.period);
  let start = 0;
  let end = all.length;
  if (q.from === undefined && q.to === undefined) {
    start = Math.max(0, all.length - DEFAULT_BARS);
  } else {
    if (q.from !== undefined) start = all.findIndex((b) => b.date >= q.from!);
    if (start < 0) start = all.length;
    if (q.to !== undefined) {
      const after = all.findIndex((b) => b.date > q.to!);
      end = after < 0 ? all.length : after;
    }
    end = Math.max(start, end);
  }
  const cut = <T>(xs: T[]) => xs.slice(start, end);
  const close = all.map((b) => b.close);
  const indicators: Kline['indicators'] = {};
  for (const name of q.indicators) {
    if (name === 'ma')
      indicators.ma = { ma5: cut(sma(close, 5)), ma10: cut(sma(close, 10)), ma20: cut(sma(close, 20)) };
    if (name === 'macd') {
      const m = macd(close);
      indicators.macd = { dif: cut(m.dif), dea: cut(m.dea), histogram: cut(m.histogram) };
    }
    if (name === 'rsi') indicators.rsi = { rsi14: cut(rsi(close, 14)) };
    if (name === 'kdj') {
      const k = kdj(
        all.map((b) => b.high),
        all.map((b) => b.low),
        close,
      );
      indicators.kdj = { k: cut(k.k), d: cut(k.d), j: cut(k.j) };
    }
    if (name === 'boll') {
      const b = boll(close);
      indicators.boll = { middle: cut(b.middle), upper: cut(b.upper), lower: cut(b.lower) };
    }
  }
  return { symbol, name: quote.name, period: q.period, bars: cut(all), indicators };
}
