// Market data: latest quotes of every symbol (one cached snapshot that quotes, detail, overview, risk and
// exports share), the overview, search and sectors.

import type { Bar, Security } from '../domain/types.ts';
import { notFound } from '../errors.ts';
import type { Overview, Quote, QuotesQuery } from '../schemas/market.ts';
import { type Ctx, round2 } from './context.ts';

/** A security's latest bar as quotes.latest selects it, with the close of the bar before (none on its first day). */
interface QuoteRow extends Security, Bar {
  prev_close: number | null;
}

/** The latest bar of every security as a Quote, ordered by symbol. */
export function latestQuotes(ctx: Ctx): Promise<Quote[]> {
  // The noIndex fault compares p.symbol as text: bars_pkey indexes the char(6) column, not its text cast, so
  // every security's previous close becomes a sequential scan of bars. Same rows, a plan that shows why.
  const previousSymbol = ctx.noIndex ? 'p.symbol::text = s.symbol::text' : 'p.symbol = s.symbol';
  return ctx.cached('quotes', 'latest', async () => {
    const { rows } = await ctx.db.query<QuoteRow>(
      'quotes.latest',
      `SELECT s.symbol, s.name, s.sector, s.industry, b.date, b.open, b.high, b.low, b.close, b.volume, b.amount,
              (SELECT p.close FROM bars p WHERE ${previousSymbol} AND p.date < b.date ORDER BY p.date DESC LIMIT 1)
                AS prev_close
         FROM securities s
         JOIN LATERAL (SELECT * FROM bars WHERE bars.symbol = s.symbol ORDER BY date DESC LIMIT 1) b ON true
        ORDER BY s.symbol`,
    );
    return rows.map(toQuote);
  });
}

function toQuote(r: QuoteRow): Quote {
  const prevClose = r.prev_close ?? r.open;
  const change = r.close - prevClose;
  return {
    symbol: r.symbol,
    name: r.name,
    sector: r.sector,
    industry: r.industry,
    date: r.date,
    price: r.close,
    prevClose,
    change: round2(change),
    changePct: round2((change / prevClose) * 100),
    open: r.open,
    high: r.high,
    low: r.low,
    volume: r.volume,
    amount: r.amount,
  };
}

/** One quote; 404 for a symbol the seed does not list. */
export async function quoteOf(ctx: Ctx, symbol: string): Promise<Quote> {
  const quote = (await latestQuotes(ctx)).find((q) => q.symbol === symbol);
  if (quote === undefined) throw notFound(`unknown symbol ${symbol}`);
  return quote;
}

/** Quotes filtered by sector and sorted (ties by symbol ascending), all rows. */
export async function sortedQuotes(ctx: Ctx, q: Pick<QuotesQuery, 'sort' | 'order' | 'sector'>): Promise<Quote[]> {
  const all = await latestQuotes(ctx);
  const rows = q.sector === undefined ? [...all] : all.filter((x) => x.sector === q.sector);
  const dir = q.order === 'desc' ? -1 : 1;
  rows.sort((a, b) => {
    const x = a[q.sort];
    const y = b[q.sort];
    // Strings compare by code unit (no locale), so the order is the same on every machine.
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : x < y ? -1 : x > y ? 1 : 0;
    return c !== 0 ? c * dir : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
  });
  return rows;
}

/** One page of sorted quotes. */
export async function quotesPage(ctx: Ctx, q: QuotesQuery) {
  const rows = await sortedQuotes(ctx, q);
  const start = (q.page - 1) * q.pageSize;
  return {
    items: rows.slice(start, start + q.pageSize),
    page: q.page,
    pageSize: q.pageSize,
    total: rows.length,
    totalPages: Math.ceil(rows.length / q.pageSize),
    sort: q.sort,
    order: q.order,
    sector: q.sector ?? null,
  };
}

/** Indices, breadth and the day's top movers. */
export function overview(ctx: Ctx): Promise<Overview> {
  return ctx.cached('market-overview', 'all', async () => {
    const quotes = await latestQuotes(ctx);
    const { rows } = await ctx.db.query<{
      code: string;
      name: string;
      date: string;
      close: number;
      volume: number;
      amount: number;
      prev_close: number | null;
    }>(
      'indices.latest',
      `SELECT i.code, i.name, b.date, b.close, b.volume, b.amount,
              (SELECT p.close FROM index_bars p WHERE p.code = i.code AND p.date < b.date ORDER BY p.date DESC LIMIT 1)
                AS prev_close
         FROM market_indices i
         JOIN LATERAL (SELECT * FROM index_bars WHERE index_bars.code = i.code ORDER BY date DESC LIMIT 1) b ON true
        ORDER BY i.code`,
    );
    const bySymbol = (a: Quote, b: Quote) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);
    const gainers = [...quotes].sort((a, b) => b.changePct - a.changePct || bySymbol(a, b));
    const losers = [...quotes].sort((a, b) => a.changePct - b.changePct || bySymbol(a, b));
    const asOf = [quotes.map((q) => q.date), rows.map((r) => r.date)].flat().sort().at(-1) ?? '';
    return {
      asOf,
      indices: rows.map((r) => {
        const prev = r.prev_close ?? r.close;
        return {
          code: r.code,
          name: r.name,
          price: r.close,
          change: round2(r.close - prev),
          changePct: round2(((r.close - prev) / prev) * 100),
          volume: r.volume,
          amount: r.amount,
        };
      }),
      breadth: {
        advancers: quotes.filter((q) => q.change > 0).length,
        decliners: quotes.filter((q) => q.change < 0).length,
        unchanged: quotes.filter((q) => q.change === 0).length,
      },
      topGainers: gainers.slice(0, 5),
      topLosers: losers.slice(0, 5),
    };
  });
}

/** Symbols starting with q, then names containing it (case-insensitive), each group by symbol. */
export function search(ctx: Ctx, q: string, limit: number) {
  return ctx.cached('search', `${limit}:${q.toLowerCase()}`, async () => {
    const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
    const { rows } = await ctx.db.query<{ symbol: string; name: string; sector: string }>(
      'securities.search',
      `SELECT symbol, name, sector FROM securities
        WHERE symbol LIKE $1 || '%' OR name ILIKE '%' || $1 || '%'
        ORDER BY (symbol LIKE $1 || '%') DESC, symbol
        LIMIT $2`,
      [escaped, limit],
    );
    return { items: rows };
  });
}

/** Sectors with their industries, both alphabetical. */
export function sectors(ctx: Ctx) {
  return ctx.cached('sectors', 'all', async () => {
    const { rows } = await ctx.db.query<{ sector: string; industries: string[] }>(
      'securities.sectors',
      `SELECT sector, array_agg(DISTINCT industry ORDER BY industry) AS industries
         FROM securities GROUP BY sector ORDER BY sector`,
    );
    return { items: rows };
  });
}
