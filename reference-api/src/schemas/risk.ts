import { z } from 'zod';
import { dateSchema, symbolSchema } from './common.ts';

export const positionSchema = z.object({
  symbol: z.string(),
  name: z.string(),
  sector: z.string(),
  quantity: z.number(),
  costPrice: z.number(),
  price: z.number(),
  marketValue: z.number(),
  pnl: z.number(),
  pnlPct: z.number(),
  weight: z.number(),
});

export const portfolioSchema = z.object({
  asOf: z.string(),
  marketValue: z.number(),
  var95: z.number(),
  var99: z.number(),
  var95Amount: z.number(),
  var99Amount: z.number(),
  maxDrawdown: z.number(),
  volatility: z.number(),
  beta: z.number(),
  sharpe: z.number(),
  lookbackDays: z.number(),
  benchmark: z.object({ code: z.string(), name: z.string() }),
  positions: z.array(positionSchema),
});
export type Portfolio = z.infer<typeof portfolioSchema>;

export const ALERT_METRICS = ['price_above', 'price_below', 'var95_above', 'drawdown_above'] as const;
export const alertSchema = z.object({
  id: z.number(),
  symbol: z.string().nullable(),
  metric: z.enum(ALERT_METRICS),
  threshold: z.number(),
  createdAt: z.string(),
  triggered: z.boolean(),
});
export type Alert = z.infer<typeof alertSchema>;
export const alertListSchema = z.object({ items: z.array(alertSchema) });

/** The smallest threshold numeric(18, 6) keeps above 0. */
export const ALERT_THRESHOLD_MIN = 0.000_001;
/** The largest whole threshold numeric(18, 6) holds (12 integer digits). */
export const ALERT_THRESHOLD_MAX = 999_999_999_999;

export const alertInputSchema = z.object({
  symbol: symbolSchema.nullable(),
  metric: z.enum(ALERT_METRICS),
  // Stored as numeric(18, 6) CHECK (threshold > 0): at most 12 digits before the point, and at least one
  // millionth, since anything smaller would round to 0 and break the check (both were 500s before).
  threshold: z
    .number()
    .min(ALERT_THRESHOLD_MIN, 'must be at least 0.000001 (thresholds keep 6 decimals)')
    .max(ALERT_THRESHOLD_MAX, 'must be at most 999999999999'),
});
export const alertParamsSchema = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

export const backtestInputSchema = z.object({
  symbol: symbolSchema,
  from: dateSchema,
  to: dateSchema,
  fast: z.number().int().min(1).max(250).default(5),
  slow: z.number().int().min(2).max(250).default(20),
  initialCash: z.number().gt(0).max(1e12).default(1_000_000),
});

export const backtestSchema = z.object({
  symbol: z.string(),
  from: z.string(),
  to: z.string(),
  fast: z.number(),
  slow: z.number(),
  initialCash: z.number(),
  trades: z.array(
    z.object({
      date: z.string(),
      side: z.enum(['buy', 'sell']),
      price: z.number(),
      quantity: z.number(),
      cashAfter: z.number(),
    }),
  ),
  equityCurve: z.array(z.object({ date: z.string(), equity: z.number() })),
  totalReturn: z.number(),
  maxDrawdown: z.number(),
  tradeCount: z.number(),
  winRate: z.number(),
  finalEquity: z.number(),
});
