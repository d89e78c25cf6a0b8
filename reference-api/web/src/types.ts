// Shapes of the API answers the pages read: the types the zod schemas of reference-api/src/schemas infer, so the
// pages and the service cannot disagree (docs/api.md is the contract the schemas implement). Type-only imports:
// nothing of zod reaches the browser bundle. fixtures/api-types.ts is the tests' own, independent declaration.
import type { z } from 'zod';
import type { userSchema } from '../../src/schemas/auth.ts';
import type { barSchema, KlineQuery } from '../../src/schemas/charts.ts';
import type { FundFlowQuery } from '../../src/schemas/fund-flow.ts';
import type {
  overviewSchema,
  QUOTE_SORTS,
  QuotesQuery,
  quotesPageSchema,
  searchResultSchema,
  sectorsSchema,
} from '../../src/schemas/market.ts';
import type { ALERT_METRICS, alertSchema, backtestSchema, positionSchema } from '../../src/schemas/risk.ts';

export type { IndicatorName, Kline } from '../../src/schemas/charts.ts';
export type { FundFlow, FundFlowItem } from '../../src/schemas/fund-flow.ts';
export type { Overview, Quote } from '../../src/schemas/market.ts';
export type { Portfolio } from '../../src/schemas/risk.ts';

export type User = z.infer<typeof userSchema>;
export type IndexQuote = z.infer<typeof overviewSchema>['indices'][number];
export type QuoteSort = (typeof QUOTE_SORTS)[number];
export type SortOrder = QuotesQuery['order'];
export type QuotesPage = z.infer<typeof quotesPageSchema>;
export type SearchHit = z.infer<typeof searchResultSchema>['items'][number];
export type SectorList = z.infer<typeof sectorsSchema>;
export type FlowScope = FundFlowQuery['scope'];
export type FlowPeriod = FundFlowQuery['period'];
export type Position = z.infer<typeof positionSchema>;
export type AlertMetric = (typeof ALERT_METRICS)[number];
export type AlertRule = z.infer<typeof alertSchema>;
export type Backtest = z.infer<typeof backtestSchema>;
export type BacktestTrade = Backtest['trades'][number];
export type BarPeriod = KlineQuery['period'];
export type Bar = z.infer<typeof barSchema>;
