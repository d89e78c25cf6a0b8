// Shapes of the API answers the pages read (docs/api.md is the contract; keep these in step with it).

export interface User {
  username: string;
  displayName: string;
}

export interface Quote {
  symbol: string;
  name: string;
  sector: string;
  industry: string;
  date: string;
  price: number;
  prevClose: number;
  change: number;
  changePct: number;
  open: number;
  high: number;
  low: number;
  volume: number;
  amount: number;
}

export interface IndexQuote {
  code: string;
  name: string;
  price: number;
  change: number;
  changePct: number;
  volume: number;
  amount: number;
}

export interface Overview {
  asOf: string;
  indices: IndexQuote[];
  breadth: { advancers: number; decliners: number; unchanged: number };
  topGainers: Quote[];
  topLosers: Quote[];
}

export type QuoteSort = 'symbol' | 'name' | 'sector' | 'price' | 'changePct' | 'volume' | 'amount';
export type SortOrder = 'asc' | 'desc';

export interface QuotesPage {
  items: Quote[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
  sort: QuoteSort;
  order: SortOrder;
  sector: string | null;
}

export interface SearchHit {
  symbol: string;
  name: string;
  sector: string;
}

export interface SectorList {
  items: { sector: string; industries: string[] }[];
}

export type FlowScope = 'sector' | 'industry' | 'stock';
export type FlowPeriod = '1d' | '5d' | '20d';

export interface FundFlowItem {
  key: string;
  name: string;
  sector: string;
  mainNetInflow: number;
  retailNetInflow: number;
  totalNetInflow: number;
}

export interface FundFlow {
  scope: FlowScope;
  period: FlowPeriod;
  from: string;
  to: string;
  items: FundFlowItem[];
}

export interface Position {
  symbol: string;
  name: string;
  sector: string;
  quantity: number;
  costPrice: number;
  price: number;
  marketValue: number;
  pnl: number;
  pnlPct: number;
  weight: number;
}

export interface Portfolio {
  asOf: string;
  marketValue: number;
  var95: number;
  var99: number;
  var95Amount: number;
  var99Amount: number;
  maxDrawdown: number;
  volatility: number;
  beta: number;
  sharpe: number;
  lookbackDays: number;
  benchmark: { code: string; name: string };
  positions: Position[];
}

export type AlertMetric = 'price_above' | 'price_below' | 'var95_above' | 'drawdown_above';

export interface AlertRule {
  id: string | number;
  symbol: string | null;
  metric: AlertMetric;
  threshold: number;
  createdAt: string;
  triggered: boolean;
}

export interface BacktestTrade {
  date: string;
  side: 'buy' | 'sell';
  price: number;
  quantity: number;
  cashAfter: number;
}

export interface Backtest {
  symbol: string;
  from: string;
  to: string;
  fast: number;
  slow: number;
  initialCash: number;
  trades: BacktestTrade[];
  equityCurve: { date: string; equity: number }[];
  totalReturn: number;
  maxDrawdown: number;
  tradeCount: number;
  winRate: number;
  finalEquity: number;
}

export type BarPeriod = 'day' | 'week' | 'month';
export type IndicatorName = 'ma' | 'macd' | 'rsi' | 'kdj' | 'boll';

export interface Bar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  amount: number;
}

type Series = (number | null)[];

export interface Kline {
  symbol: string;
  name: string;
  period: BarPeriod;
  bars: Bar[];
  indicators: {
    ma?: { ma5: Series; ma10: Series; ma20: Series };
    macd?: { dif: Series; dea: Series; histogram: Series };
    rsi?: { rsi14: Series };
    kdj?: { k: Series; d: Series; j: Series };
    boll?: { middle: Series; upper: Series; lower: Series };
  };
}
