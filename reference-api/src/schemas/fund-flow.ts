import { z } from 'zod';
import { queryInt } from './common.ts';

export const fundFlowQuerySchema = z.object({
  scope: z.enum(['sector', 'industry', 'stock']).default('sector'),
  period: z.enum(['1d', '5d', '20d']).default('1d'),
  limit: queryInt(1, 200, 100),
});
export type FundFlowQuery = z.infer<typeof fundFlowQuerySchema>;

export const fundFlowItemSchema = z.object({
  key: z.string(),
  name: z.string(),
  sector: z.string(),
  mainNetInflow: z.number(),
  retailNetInflow: z.number(),
  totalNetInflow: z.number(),
});
export type FundFlowItem = z.infer<typeof fundFlowItemSchema>;

export const fundFlowSchema = z.object({
  scope: z.string(),
  period: z.string(),
  from: z.string(),
  to: z.string(),
  items: z.array(fundFlowItemSchema),
});
export type FundFlow = z.infer<typeof fundFlowSchema>;
