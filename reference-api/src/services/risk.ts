// The signed-in user's portfolio risk report, alert rules and the MA-crossover backtest.

import { backtestMaCrossover } from '../domain/backtest.ts';
import { portfolioRisk } from '../domain/risk.ts';
import type { Bar, Position } from '../domain/types.ts';
import { badRequest, notFound } from '../errors.ts';
import type { Alert, Portfolio } from '../schemas/risk.ts';
import { checkRange, dailyBars, indexBars } from './charts.ts';
import { type Ctx, round2 } from './context.ts';
import { latestQuotes, quoteOf } from './market.ts';

/** The index beta is measured against (CSI 300, the usual A-share benchmark). */
export const BENCHMARK = { code: '000300', name: 'CSI 300' };

/** The positions of a user, by symbol. */
export async function positionsOf(ctx: Ctx, userId: number): Promise<Position[]> {
  const { rows } = await ctx.db.query<{ symbol: string; quantity: number; cost_price: number }>(
    'positions.by_user',
    'SELECT symbol, quantity, cost_price FROM positions WHERE user_id = $1 ORDER BY symbol',
    [userId],
  );
  return rows.map((r) => ({ symbol: r.symbol, quantity: r.quantity, costPrice: r.cost_price }));
}

/** The risk report of a user's portfolio (figures from domain/risk.ts portfolioRisk over the seed bars). */
export function portfolio(ctx: Ctx, userId: number): Promise<Portfolio> {
  return ctx.cached('risk-portfolio', String(userId), async () => {
    const positions = await positionsOf(ctx, userId);
    const barsBySymbol = new Map<string, Bar[]>();
    for (const p of positions) barsBySymbol.set(p.symbol, await dailyBars(ctx, p.symbol));
    const benchmarkBars = await indexBars(ctx, BENCHMARK.code);
    const risk = portfolioRisk(positions, barsBySymbol, benchmarkBars);
    const quotes = new Map((await latestQuotes(ctx)).map((q) => [q.symbol, q]));
    const values = positions.map((p) => p.quantity * (quotes.get(p.symbol)?.price ?? 0));
    const total = values.reduce((a, b) => a + b, 0);
    return {
      ...risk,
      benchmark: BENCHMARK,
      positions: positions.map((p, i) => {
        const q = quotes.get(p.symbol);
        const price = q?.price ?? 0;
        return {
          symbol: p.symbol,
          name: q?.name ?? p.symbol,
          sector: q?.sector ?? '',
          quantity: p.quantity,
          costPrice: p.costPrice,
          price,
          marketValue: round2(values[i]!),
          pnl: round2((price - p.costPrice) * p.quantity),
          pnlPct: round2((price / p.costPrice - 1) * 100),
          // a fraction of the portfolio's market value (like the other risk figures), 4 decimals
          weight: total > 0 ? Math.round((values[i]! / total) * 10_000) / 10_000 : 0,
        };
      }),
    };
  });
}

interface AlertRow {
  id: number;
  symbol: string | null;
  metric: Alert['metric'];
  threshold: number;
  created_at: Date;
}

/** A user's alert rules (oldest first), each with whether it fires on the latest data. */
export async function alerts(ctx: Ctx, userId: number): Promise<{ items: Alert[] }> {
  const rows = await ctx.cached('alerts', String(userId), async () => {
    const { rows } = await ctx.db.query<AlertRow>(
      'alert_rules.by_user',
      'SELECT id, symbol, metric, threshold, created_at FROM alert_rules WHERE user_id = $1 ORDER BY id',
      [userId],
    );
    return rows.map((r) => ({ ...r, createdAt: new Date(r.created_at).toISOString() }));
  });
  const quotes = new Map((await latestQuotes(ctx)).map((q) => [q.symbol, q.price]));
  const needsRisk = rows.some((r) => r.metric === 'var95_above' || r.metric === 'drawdown_above');
  const risk = needsRisk ? await portfolio(ctx, userId) : undefined;
  return {
    items: rows.map((r) => {
      const price = r.symbol === null ? undefined : quotes.get(r.symbol);
      const triggered =
        r.metric === 'price_above'
          ? price !== undefined && price > r.threshold
          : r.metric === 'price_below'
            ? price !== undefined && price < r.threshold
            : r.metric === 'var95_above'
              ? (risk?.var95 ?? 0) > r.threshold
              : (risk?.maxDrawdown ?? 0) > r.threshold;
      return {
        id: r.id,
        symbol: r.symbol,
        metric: r.metric,
        threshold: r.threshold,
        createdAt: r.createdAt,
        triggered,
      };
    }),
  };
}

/** Creates an alert rule after the checks the schema cannot make; returns it with `triggered`. */
export async function createAlert(
  ctx: Ctx,
  userId: number,
  input: { symbol: string | null; metric: Alert['metric']; threshold: number },
): Promise<Alert> {
  const priceMetric = input.metric === 'price_above' || input.metric === 'price_below';
  if (priceMetric) {
    if (input.symbol === null) throw badRequest('symbol', `is required for ${input.metric}`);
    const known = (await latestQuotes(ctx)).some((q) => q.symbol === input.symbol);
    if (!known) throw badRequest('symbol', `unknown symbol ${input.symbol}`);
  } else {
    if (input.threshold >= 1) throw badRequest('threshold', `must be a fraction below 1 for ${input.metric}`);
    if (input.symbol !== null) {
      const known = (await latestQuotes(ctx)).some((q) => q.symbol === input.symbol);
      if (!known) throw badRequest('symbol', `unknown symbol ${input.symbol}`);
    }
  }
  const { rows } = await ctx.db.query<{ id: number }>(
    'alert_rules.create',
    'INSERT INTO alert_rules (user_id, symbol, metric, threshold) VALUES ($1, $2, $3, $4) RETURNING id',
    [userId, input.symbol, input.metric, input.threshold],
  );
  const id = rows[0]!.id;
  await ctx.invalidate('alerts', String(userId));
  return (await alerts(ctx, userId)).items.find((a) => a.id === id)!;
}

/** Deletes one of the user's alert rules; 404 when it is not theirs (or does not exist). */
export async function deleteAlert(ctx: Ctx, userId: number, id: number): Promise<void> {
  const { rowCount } = await ctx.db.query(
    'alert_rules.delete',
    'DELETE FROM alert_rules WHERE id = $1 AND user_id = $2',
    [id, userId],
  );
  if (rowCount === 0) throw notFound(`alert ${id} not found`);
  await ctx.invalidate('alerts', String(userId));
}

export interface BacktestInput {
  symbol: string;
  from: string;
  to: string;
  fast: number;
  slow: number;
  initialCash: number;
}

/** Runs the MA-crossover backtest over the symbol's daily bars in from..to. */
export async function backtest(ctx: Ctx, input: BacktestInput) {
  checkRange(input.from, input.to);
  if (input.fast >= input.slow) throw badRequest('fast', `must be less than slow (${input.slow})`);
  await quoteOf(ctx, input.symbol);
  const bars = (await dailyBars(ctx, input.symbol)).filter((b) => b.date >= input.from && b.date <= input.to);
  if (bars.length < input.slow) {
    throw badRequest('from', `the range holds ${bars.length} trading days, fewer than slow (${input.slow})`);
  }
  try {
    return { ...input, ...backtestMaCrossover(bars, input) };
  } catch (error) {
    if (error instanceof RangeError) throw badRequest('fast', error.message);
    throw error;
  }
}
