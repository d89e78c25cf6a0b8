// GET /api/export/:dataset.:format (docs/api.md, "Export"): the rows of the matching JSON endpoint rendered
// by export/ as CSV, XLSX or PDF. Session required.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, notFound } from '../../errors.ts';
import { CONTENT_TYPES, EXPORT_FORMATS, type ExportTable, exportFileName, renderExport } from '../../export/index.ts';
import { klineQuerySchema } from '../../schemas/charts.ts';
import { symbolSchema } from '../../schemas/common.ts';
import { fundFlowQuerySchema } from '../../schemas/fund-flow.ts';
import { quotesQuerySchema } from '../../schemas/market.ts';
import { parseOr400 } from '../../schemas/validate.ts';
import { kline } from '../../services/charts.ts';
import { type Ctx, ctxOf } from '../../services/context.ts';
import { fundFlow } from '../../services/fund-flow.ts';
import { sortedQuotes } from '../../services/market.ts';
import { portfolio } from '../../services/risk.ts';

export const EXPORT_DATASETS = ['quotes', 'fund-flow', 'risk-report', 'kline'] as const;

const QUOTE_COLUMNS = [
  ['symbol', 'Symbol'],
  ['name', 'Name'],
  ['sector', 'Sector'],
  ['industry', 'Industry'],
  ['date', 'Date'],
  ['price', 'Price'],
  ['prevClose', 'Prev close'],
  ['change', 'Change'],
  ['changePct', 'Change %'],
  ['open', 'Open'],
  ['high', 'High'],
  ['low', 'Low'],
  ['volume', 'Volume'],
  ['amount', 'Amount'],
] as const;

const columns = (list: readonly (readonly [string, string])[]) => list.map(([key, header]) => ({ key, header }));

async function quotesTable(ctx: Ctx, query: unknown): Promise<ExportTable> {
  const q = parseOr400(quotesQuerySchema.pick({ sort: true, order: true, sector: true }), query);
  const rows = await sortedQuotes(ctx, q);
  const to =
    rows
      .map((r) => r.date)
      .sort()
      .at(-1) ?? 'empty';
  return { title: `Quotes ${to}`, fileBase: `quotes-${to}`, columns: columns(QUOTE_COLUMNS), rows };
}

async function fundFlowTable(ctx: Ctx, query: unknown): Promise<ExportTable> {
  const q = parseOr400(fundFlowQuerySchema.pick({ scope: true, period: true }), query);
  const flow = await fundFlow(ctx, q);
  return {
    title: `Fund flow by ${flow.scope}, ${flow.period} (${flow.from} to ${flow.to})`,
    fileBase: `fund-flow-${flow.to}`,
    columns: columns([
      ['key', 'Key'],
      ['name', 'Name'],
      ['sector', 'Sector'],
      ['mainNetInflow', 'Main net inflow'],
      ['retailNetInflow', 'Retail net inflow'],
      ['totalNetInflow', 'Total net inflow'],
    ]),
    rows: flow.items,
  };
}

async function riskTable(ctx: Ctx, userId: number): Promise<ExportTable> {
  const p = await portfolio(ctx, userId);
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  return {
    title: `Risk report ${p.asOf}`,
    fileBase: `risk-report-${p.asOf}`,
    columns: columns([
      ['symbol', 'Symbol'],
      ['name', 'Name'],
      ['sector', 'Sector'],
      ['quantity', 'Quantity'],
      ['costPrice', 'Cost price'],
      ['price', 'Price'],
      ['marketValue', 'Market value'],
      ['pnl', 'P&L'],
      ['pnlPct', 'P&L %'],
      ['weight', 'Weight'],
    ]),
    rows: p.positions,
    summary: [
      ['As of', p.asOf],
      ['Market value', p.marketValue.toFixed(2)],
      ['VaR 95 %', `${pct(p.var95)} (${p.var95Amount.toFixed(2)})`],
      ['VaR 99 %', `${pct(p.var99)} (${p.var99Amount.toFixed(2)})`],
      ['Max drawdown', pct(p.maxDrawdown)],
      ['Volatility', pct(p.volatility)],
      ['Beta', p.beta.toFixed(4)],
      ['Sharpe', p.sharpe.toFixed(4)],
      ['Benchmark', `${p.benchmark.code} ${p.benchmark.name}`],
      ['Lookback days', String(p.lookbackDays)],
    ],
  };
}

async function klineTable(ctx: Ctx, query: unknown): Promise<ExportTable> {
  const raw = (query ?? {}) as Record<string, unknown>;
  if (raw.symbol === undefined || raw.symbol === '') throw badRequest('symbol', 'is required');
  const symbol = parseOr400(symbolSchema, raw.symbol);
  const q = parseOr400(klineQuerySchema.pick({ period: true, from: true, to: true }), query);
  const k = await kline(ctx, symbol, { ...q, indicators: [] });
  const to = k.bars.at(-1)?.date ?? q.to ?? 'empty';
  return {
    title: `${k.symbol} ${k.name}, ${k.period} bars`,
    fileBase: `kline-${symbol}-${to}`,
    columns: columns([
      ['date', 'Date'],
      ['open', 'Open'],
      ['high', 'High'],
      ['low', 'Low'],
      ['close', 'Close'],
      ['volume', 'Volume'],
      ['amount', 'Amount'],
    ]),
    rows: k.bars,
  };
}

const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.requireUser);
  app.get(
    '/api/export/:dataset.:format',
    {
      schema: {
        params: z.object({ dataset: z.string(), format: z.enum(EXPORT_FORMATS) }),
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(app, request);
      const { dataset, format } = request.params;
      let table: ExportTable;
      if (dataset === 'quotes') table = await quotesTable(ctx, request.query);
      else if (dataset === 'fund-flow') table = await fundFlowTable(ctx, request.query);
      else if (dataset === 'risk-report') table = await riskTable(ctx, request.user!.id);
      else if (dataset === 'kline') table = await klineTable(ctx, request.query);
      else throw notFound(`unknown dataset ${dataset} (known: ${EXPORT_DATASETS.join(', ')})`);
      const body = await renderExport(table, format);
      return reply
        .header('content-type', CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${exportFileName(table.fileBase, format)}"`)
        .send(body);
    },
  );
};

export default exportRoutes;
