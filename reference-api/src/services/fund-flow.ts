// Fund flow sums over the last 1, 5 or 20 trading days, by sector, industry or stock.

import type { FundFlow, FundFlowItem, FundFlowQuery } from '../schemas/fund-flow.ts';
import { type Ctx, round2 } from './context.ts';

const DAYS = { '1d': 1, '5d': 5, '20d': 20 } as const;

/** All ranked items of (scope, period); callers cut to their limit. */
export function fundFlow(ctx: Ctx, q: Pick<FundFlowQuery, 'scope' | 'period'>): Promise<FundFlow> {
  return ctx.cached('fund-flow', `${q.scope}:${q.period}`, async () => {
    const { rows } = await ctx.db.query<{
      symbol: string;
      name: string;
      sector: string;
      industry: string;
      main: number;
      retail: number;
      from: string;
      to: string;
    }>(
      'fund_flows.sum',
      `WITH days AS (SELECT date FROM trading_days ORDER BY date DESC LIMIT $1),
            span AS (SELECT min(date) AS "from", max(date) AS "to" FROM days)
       SELECT s.symbol, s.name, s.sector, s.industry, span."from", span."to",
              sum(f.main_net_inflow) AS main, sum(f.retail_net_inflow) AS retail
         FROM fund_flows f JOIN securities s USING (symbol) CROSS JOIN span
        WHERE f.date BETWEEN span."from" AND span."to"
        GROUP BY s.symbol, s.name, s.sector, s.industry, span."from", span."to"`,
      [DAYS[q.period]],
    );
    const groups = new Map<string, FundFlowItem>();
    for (const r of rows) {
      const key = q.scope === 'sector' ? r.sector : q.scope === 'industry' ? r.industry : r.symbol;
      const name = q.scope === 'stock' ? r.name : key;
      const item = groups.get(key) ?? {
        key,
        name,
        sector: r.sector,
        mainNetInflow: 0,
        retailNetInflow: 0,
        totalNetInflow: 0,
      };
      item.mainNetInflow += r.main;
      item.retailNetInflow += r.retail;
      groups.set(key, item);
    }
    const items = [...groups.values()].map((i) => ({
      ...i,
      mainNetInflow: round2(i.mainNetInflow),
      retailNetInflow: round2(i.retailNetInflow),
      totalNetInflow: round2(i.mainNetInflow + i.retailNetInflow),
    }));
    items.sort((a, b) => b.mainNetInflow - a.mainNetInflow || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { scope: q.scope, period: q.period, from: rows[0]?.from ?? '', to: rows[0]?.to ?? '', items };
  });
}
