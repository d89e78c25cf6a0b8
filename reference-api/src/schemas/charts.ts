import { z } from 'zod';
import { dateSchema } from './common.ts';

export const INDICATOR_NAMES = ['ma', 'macd', 'rsi', 'kdj', 'boll'] as const;
export type IndicatorName = (typeof INDICATOR_NAMES)[number];

const BAR_PERIODS = ['day', 'week', 'month'] as const;

export const klineQuerySchema = z.object({
  period: z.enum(BAR_PERIODS).default('day'),
  // Comma list; each name checked so the message names the unknown one.
  indicators: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const names = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const name of names) {
        if (!(INDICATOR_NAMES as readonly string[]).includes(name)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown indicator "${name}" (known: ${INDICATOR_NAMES.join(', ')})`,
          });
          return z.NEVER;
        }
      }
      return [...new Set(names)] as IndicatorName[];
    }),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
});
export type KlineQuery = z.infer<typeof klineQuerySchema>;

const series = z.array(z.number().nullable());
export const barSchema = z.object({
  date: z.string(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
  amount: z.number(),
});
export const klineSchema = z.object({
  symbol: z.string(),
  name: z.string(),
  period: z.enum(BAR_PERIODS),
  bars: z.array(barSchema),
  indicators: z.object({
    ma: z.object({ ma5: series, ma10: series, ma20: series }).optional(),
    macd: z.object({ dif: series, dea: series, histogram: series }).optional(),
    rsi: z.object({ rsi14: series }).optional(),
    kdj: z.object({ k: series, d: series, j: series }).optional(),
    boll: z.object({ middle: series, upper: series, lower: series }).optional(),
  }),
});
export type Kline = z.infer<typeof klineSchema>;
