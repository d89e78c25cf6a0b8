import { z } from 'zod';
import { plainText, queryInt, symbolSchema } from './common.ts';

export const quoteSchema = z.object({
  symbol: z.string(),
  name: z.string(),
  sector: z.string(),
  industry: z.string(),
  date: z.string(),
  price: z.number(),
  prevClose: z.number(),
  change: z.number(),
  changePct: z.number(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  volume: z.number(),
  amount: z.number(),
});
export type Quote = z.infer<typeof quoteSchema>;

export const overviewSchema = z.object({
  asOf: z.string(),
  indices: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      price: z.number(),
      change: z.number(),
      changePct: z.number(),
      volume: z.number(),
      amount: z.number(),
    }),
  ),
  breadth: z.object({ advancers: z.number(), decliners: z.number(), unchanged: z.number() }),
  topGainers: z.array(quoteSchema),
  topLosers: z.array(quoteSchema),
});
export type Overview = z.infer<typeof overviewSchema>;

export const QUOTE_SORTS = ['symbol', 'name', 'sector', 'price', 'changePct', 'volume', 'amount'] as const;
const SORT_ORDERS = ['asc', 'desc'] as const;
export const quotesQuerySchema = z.object({
  sort: z.enum(QUOTE_SORTS).default('symbol'),
  order: z.enum(SORT_ORDERS).default('asc'),
  sector: plainText(1, 100).optional(),
  page: queryInt(1, 1_000_000, 1),
  pageSize: queryInt(1, 100, 20),
});
export type QuotesQuery = z.infer<typeof quotesQuerySchema>;

export const quotesPageSchema = z.object({
  items: z.array(quoteSchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  totalPages: z.number(),
  sort: z.enum(QUOTE_SORTS),
  order: z.enum(SORT_ORDERS),
  sector: z.string().nullable(),
});

export const symbolParamsSchema = z.object({ symbol: symbolSchema });

export const searchQuerySchema = z.object({
  q: plainText(1, 20),
  limit: queryInt(1, 20, 10),
});
export const searchResultSchema = z.object({
  items: z.array(z.object({ symbol: z.string(), name: z.string(), sector: z.string() })),
});

export const sectorsSchema = z.object({
  items: z.array(z.object({ sector: z.string(), industries: z.array(z.string()) })),
});
