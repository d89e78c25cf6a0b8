// Domain types of the reference MyStocks service. Plain data, no behaviour: the seed generator,
// the maths modules and the server all share them.

/** A listed stock: 6-digit exchange code plus display and classification fields. */
export interface Security {
  /** 6-digit code, e.g. '600519' (Shanghai 6xxxxx, Shenzhen 000xxx / 300xxx). */
  symbol: string;
  name: string;
  sector: string;
  industry: string;
}

/** A market index such as the Shanghai Composite. */
export interface MarketIndex {
  /** Index code, e.g. '000001'. */
  code: string;
  name: string;
}

/** One daily (or resampled) OHLCV bar. */
export interface Bar {
  /** Trading day, YYYY-MM-DD. */
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Shares traded, integer. */
  volume: number;
  /** Turnover in CNY, 2 decimals. */
  amount: number;
}

/** A bar tagged with the security (or index code) it belongs to. */
export interface SymbolBar extends Bar {
  symbol: string;
}

/** Net money flow into one security on one day, split into main-force and retail (CNY, 2 decimals). */
export interface FundFlowDay {
  symbol: string;
  date: string;
  mainNetInflow: number;
  retailNetInflow: number;
}

/** A holding in a portfolio. */
export interface Position {
  symbol: string;
  /** Shares, a multiple of the 100-share lot. */
  quantity: number;
  /** Average cost per share in CNY. */
  costPrice: number;
}

/** Metrics a risk alert rule can watch. */
export type AlertMetric = 'price_above' | 'price_below' | 'var95_above' | 'drawdown_above';

/** A risk alert rule as created by a user; `symbol` is null for portfolio-wide rules. */
export interface AlertRuleInput {
  symbol: string | null;
  metric: AlertMetric;
  threshold: number;
}

/** The whole deterministic data set the reference service is seeded with. */
export interface SeedData {
  securities: Security[];
  indices: MarketIndex[];
  /** Ascending trading days, YYYY-MM-DD. */
  tradingDays: string[];
  /** One bar per security per trading day, grouped by symbol, dates ascending. */
  bars: SymbolBar[];
  /** One bar per index per trading day; `symbol` holds the index code. */
  indexBars: SymbolBar[];
  fundFlows: FundFlowDay[];
  demoUser: { username: 'demo'; password: 'demo-pass'; displayName: string };
  positions: Position[];
  alertRules: AlertRuleInput[];
}
