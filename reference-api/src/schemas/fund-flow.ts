import { z } from 'zod';
import { queryInt } from './common.ts';

const FLOW_SCOPES = ['sector', 'industry', 'stock'] as const;
const FLOW_PERIODS = ['1d', '5d', '20d'] as const;

export const fundFlowQuerySchema = z.object({
  scope: z.enum(FLOW_SCOPES).default('sector'),
  period: z.enum(FLOW_PERIODS).default('1d'),
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
  scope: z.enum(FLOW_SCOPES),
  period: z.enum(FLOW_PERIODS),
  from: z.string(),
  to: z.string(),
  items: z.array(fundFlowItemSchema),
});
export type FundFlow = z.infer<typeof fundFlowSchema>;
