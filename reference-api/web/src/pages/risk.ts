// /risk (session required): portfolio risk cards (market value, VaR 95/99, max drawdown, volatility, beta,
// Sharpe), the positions table, alert rules (list, validated create form, delete) and an SMA-crossover
// backtest whose result shows the summary figures, an equity-curve chart and the trades.
import { ApiError, api } from '../api.ts';
import { COLORS, chartBox } from '../components/chart.ts';
import { metricCard } from '../components/metric.ts';
import { asyncBlock, errorText, errorView, loadingView } from '../components/states.ts';
import { type Column, dataTable, numberColumn } from '../components/table.ts';
import { type Child, h, replace, uid } from '../dom.ts';
import { type Field, inputField, selectField } from '../form.ts';
import { fractionPct, int, num, pct, signed } from '../format.ts';
import { type PageRender, pageHeading } from '../page.ts';
import type { AlertMetric, AlertRule, Backtest, BacktestTrade, Portfolio, Position } from '../types.ts';

const METRICS: [AlertMetric, string][] = [
  ['price_above', 'Price above'],
  ['price_below', 'Price below'],
  ['var95_above', 'VaR 95% above'],
  ['drawdown_above', 'Drawdown above'],
];
const metricLabel = (m: AlertMetric) => METRICS.find(([k]) => k === m)?.[1] ?? m;
const isPriceMetric = (m: string) => m === 'price_above' || m === 'price_below';
const SYMBOL_RE = /^\d{6}$/;

function thresholdText(rule: { metric: AlertMetric; threshold: number }): string {
  return isPriceMetric(rule.metric) ? num(rule.threshold) : fractionPct(rule.threshold);
}

function section(title: string, ...children: Child[]): HTMLElement {
  const id = uid('h');
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** A form card named by its own <h3> title; the page checks its fields (novalidate) when it is submitted. */
function inlineForm(title: string, onSubmit: (e: Event) => void, ...children: Child[]): HTMLFormElement {
  const id = uid('h');
  return h(
    'form',
    { 'aria-labelledby': id, class: 'card form inline-form', novalidate: true, onsubmit: onSubmit },
    h('h3', { id }, title),
    ...children,
  );
}

const positionColumns: Column<Position>[] = [
  {
    key: 'symbol',
    label: 'Symbol',
    value: (p) => p.symbol,
    display: (p) => h('a', { href: `/charts/${p.symbol}` }, p.symbol),
  },
  { key: 'name', label: 'Name', value: (p) => p.name },
  { key: 'sector', label: 'Sector', value: (p) => p.sector },
  numberColumn('quantity', 'Quantity', (p) => p.quantity, int),
  numberColumn('costPrice', 'Cost price', (p) => p.costPrice, num),
  numberColumn('price', 'Price', (p) => p.price, num),
  numberColumn('marketValue', 'Market value', (p) => p.marketValue, num),
  numberColumn('pnl', 'P&L', (p) => p.pnl, signed, { trend: true }),
  numberColumn('pnlPct', 'P&L %', (p) => p.pnlPct, pct, { trend: true }),
  numberColumn('weight', 'Weight', (p) => p.weight, fractionPct),
];

const tradeColumns: Column<BacktestTrade>[] = [
  { key: 'date', label: 'Date', value: (t) => t.date },
  { key: 'side', label: 'Side', value: (t) => t.side, display: (t) => (t.side === 'buy' ? 'Buy' : 'Sell') },
  numberColumn('price', 'Price', (t) => t.price, num),
  numberColumn('quantity', 'Quantity', (t) => t.quantity, int),
  numberColumn('cashAfter', 'Cash after', (t) => t.cashAfter, num),
];

/** One year before an ISO date (the backtest's default start). */
function yearBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.toISOString().slice(0, 10);
}

export const renderRisk: PageRender = (main, ctx) => {
  const cleanups: (() => void)[] = [];
  const subtitle = h('p', { class: 'muted', 'data-testid': 'risk-as-of' });

  // ---- portfolio: cards + positions
  const portfolioHost = h('div');
  asyncBlock<Portfolio>(portfolioHost, {
    what: 'portfolio risk',
    signal: ctx.signal,
    load: (signal) => api<Portfolio>('/api/risk/portfolio', { signal }),
    render: (p) => {
      subtitle.textContent = `As of ${p.asOf} · ${p.lookbackDays}-day lookback · benchmark ${p.benchmark.name}`;
      subtitle.dataset.asOf = p.asOf;
      fillBacktestDefaults(p);
      return [
        section(
          'Portfolio risk',
          h(
            'div',
            { class: 'cards' },
            metricCard({
              key: 'marketValue',
              label: 'Market value',
              value: p.marketValue,
              display: num(p.marketValue),
            }),
            metricCard({
              key: 'var95',
              label: 'VaR 95%',
              value: p.var95,
              display: fractionPct(p.var95),
              detail: h('span', { 'data-value': p.var95Amount }, `${num(p.var95Amount)} CNY one-day`),
            }),
            metricCard({
              key: 'var99',
              label: 'VaR 99%',
              value: p.var99,
              display: fractionPct(p.var99),
              detail: h('span', { 'data-value': p.var99Amount }, `${num(p.var99Amount)} CNY one-day`),
            }),
            metricCard({
              key: 'maxDrawdown',
              label: 'Max drawdown',
              value: p.maxDrawdown,
              display: fractionPct(p.maxDrawdown),
            }),
            metricCard({
              key: 'volatility',
              label: 'Volatility',
              value: p.volatility,
              display: fractionPct(p.volatility),
              detail: 'annualised',
            }),
            metricCard({
              key: 'beta',
              label: 'Beta',
              value: p.beta,
              display: num(p.beta),
              detail: `vs ${p.benchmark.name}`,
            }),
            metricCard({ key: 'sharpe', label: 'Sharpe ratio', value: p.sharpe, display: num(p.sharpe) }),
          ),
        ),
        section(
          'Positions',
          p.positions.length === 0
            ? h('p', { class: 'state state-empty' }, 'The portfolio holds no positions.')
            : dataTable({
                caption: 'Positions',
                captionHidden: true,
                columns: positionColumns,
                rows: p.positions,
                rowKey: (r) => r.symbol,
              }),
        ),
      ];
    },
  });

  // ---- alert rules
  const alertStatus = h('p', { role: 'status', class: 'form-status', 'data-testid': 'alert-status' });
  const alertsHost = h('div');
  const alerts = asyncBlock<{ items: AlertRule[] }>(alertsHost, {
    what: 'alert rules',
    signal: ctx.signal,
    load: (signal) => api<{ items: AlertRule[] }>('/api/risk/alerts', { signal }),
    isEmpty: (a) => a.items.length === 0,
    emptyText: 'No alert rules yet. Create one below.',
    render: (a) =>
      dataTable<AlertRule>({
        caption: 'Alert rules',
        captionHidden: true,
        rowKey: (r) => String(r.id),
        rows: a.items,
        columns: [
          { key: 'symbol', label: 'Symbol', value: (r) => r.symbol, display: (r) => r.symbol ?? 'Portfolio' },
          { key: 'metric', label: 'Metric', value: (r) => r.metric, display: (r) => metricLabel(r.metric) },
          { key: 'threshold', label: 'Threshold', numeric: true, value: (r) => r.threshold, display: thresholdText },
          { key: 'createdAt', label: 'Created', value: (r) => r.createdAt, display: (r) => r.createdAt.slice(0, 10) },
          {
            key: 'triggered',
            label: 'Status',
            value: (r) => r.triggered,
            display: (r) =>
              h('span', { class: r.triggered ? 'badge badge-warn' : 'badge' }, r.triggered ? 'Triggered' : 'Watching'),
          },
          {
            key: 'actions',
            label: 'Actions',
            value: () => null,
            display: (r) =>
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn btn-danger btn-small',
                  'aria-label': `Delete alert: ${metricLabel(r.metric)} ${thresholdText(r)}${r.symbol ? ` for ${r.symbol}` : ''}`,
                  onclick: (e: Event) => void deleteAlert(r, e.currentTarget as HTMLButtonElement),
                },
                'Delete',
              ),
          },
        ],
      }),
  });

  async function deleteAlert(rule: AlertRule, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    alertStatus.textContent = '';
    try {
      await api(`/api/risk/alerts/${encodeURIComponent(String(rule.id))}`, { method: 'DELETE', signal: ctx.signal });
      await alerts.reload({ quiet: true });
      alertStatus.textContent = `Alert deleted: ${metricLabel(rule.metric)} ${thresholdText(rule)}.`;
      alertForm.querySelector('select')?.focus();
    } catch (error) {
      if (ctx.signal.aborted) return;
      button.disabled = false;
      replace(
        alertFormError,
        h('p', { role: 'alert', class: 'state state-error' }, `Could not delete the alert: ${errorText(error)}`),
      );
    }
  }

  const metricField = selectField('Metric', METRICS, { name: 'metric', value: 'price_above' });
  const symbolField = inputField(
    'Symbol',
    { name: 'symbol', inputmode: 'numeric', maxlength: '6', autocomplete: 'off' },
    '6-digit code; price rules only.',
  );
  const thresholdField = inputField(
    'Threshold',
    { name: 'threshold', type: 'number', step: 'any', min: '0', inputmode: 'decimal' },
    'Price in CNY.',
  );
  const thresholdHint = thresholdField.element.querySelector('.field-hint')!;
  const syncMetric = () => {
    const price = isPriceMetric(metricField.control.value);
    symbolField.control.disabled = !price;
    if (!price) {
      symbolField.control.value = '';
      symbolField.setError(null);
    }
    thresholdHint.textContent = price ? 'Price in CNY.' : 'A fraction below 1, e.g. 0.05 for 5%.';
  };
  metricField.control.addEventListener('change', syncMetric);
  const alertFormError = h('div');
  const createButton = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create alert');
  const alertFieldsByName: Record<string, Field<HTMLInputElement | HTMLSelectElement>> = {
    metric: metricField,
    symbol: symbolField,
    threshold: thresholdField,
  };

  async function createAlert(e: Event): Promise<void> {
    e.preventDefault();
    replace(alertFormError);
    alertStatus.textContent = '';
    const metric = metricField.control.value as AlertMetric;
    const symbol = symbolField.control.value.trim();
    const thresholdRaw = thresholdField.control.value.trim();
    const threshold = Number(thresholdRaw);
    const errors: [Field<HTMLInputElement | HTMLSelectElement>, string][] = [];
    if (isPriceMetric(metric) && !SYMBOL_RE.test(symbol)) errors.push([symbolField, 'Enter a 6-digit symbol.']);
    if (!thresholdRaw || !Number.isFinite(threshold) || threshold <= 0)
      errors.push([thresholdField, 'Enter a threshold greater than 0.']);
    else if (!isPriceMetric(metric) && threshold >= 1)
      errors.push([thresholdField, 'Enter a fraction below 1, e.g. 0.05 for 5%.']);
    for (const f of Object.values(alertFieldsByName)) f.setError(errors.find(([ef]) => ef === f)?.[1] ?? null);
    if (errors.length) {
      errors[0]![0].control.focus();
      return;
    }
    createButton.disabled = true;
    try {
      const created = await api<AlertRule>('/api/risk/alerts', {
        method: 'POST',
        body: { symbol: isPriceMetric(metric) ? symbol : null, metric, threshold },
        signal: ctx.signal,
      });
      symbolField.control.value = '';
      thresholdField.control.value = '';
      await alerts.reload({ quiet: true });
      alertStatus.textContent = `Alert created: ${metricLabel(created.metric)} ${thresholdText(created)}${created.symbol ? ` for ${created.symbol}` : ''}.`;
    } catch (error) {
      if (ctx.signal.aborted) return;
      const field = error instanceof ApiError && error.field ? alertFieldsByName[error.field] : undefined;
      if (field && error instanceof ApiError) {
        field.setError(error.message);
        field.control.focus();
      } else {
        replace(
          alertFormError,
          h('p', { role: 'alert', class: 'state state-error' }, `Could not create the alert: ${errorText(error)}`),
        );
      }
    } finally {
      createButton.disabled = false;
    }
  }

  const alertForm = inlineForm(
    'New alert rule',
    (e) => void createAlert(e),
    alertFormError,
    h('div', { class: 'form-row' }, metricField.element, symbolField.element, thresholdField.element),
    createButton,
  );

  // ---- backtest
  const bt = {
    symbol: inputField('Symbol', { name: 'symbol', inputmode: 'numeric', maxlength: '6', autocomplete: 'off' }),
    from: inputField('Start date', { name: 'from', type: 'date' }),
    to: inputField('End date', { name: 'to', type: 'date' }),
    fast: inputField('Fast MA (days)', { name: 'fast', type: 'number', min: '1', step: '1', value: '5' }),
    slow: inputField('Slow MA (days)', { name: 'slow', type: 'number', min: '2', step: '1', value: '20' }),
    initialCash: inputField('Initial cash (CNY)', {
      name: 'initialCash',
      type: 'number',
      min: '1',
      step: 'any',
      value: '1000000',
    }),
  };
  const btResult = h('div', { class: 'backtest-result', 'aria-live': 'polite' });
  const btChart = chartBox('Equity curve', 300, { 'data-testid': 'equity-chart' });
  cleanups.push(() => btChart.dispose());
  const runButton = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Run backtest');

  function fillBacktestDefaults(p: Portfolio): void {
    if (!bt.symbol.control.value && p.positions[0]) bt.symbol.control.value = p.positions[0].symbol;
    if (!bt.to.control.value) bt.to.control.value = p.asOf;
    if (!bt.from.control.value) bt.from.control.value = yearBefore(p.asOf);
  }

  function validateBacktest(): { body: Record<string, unknown> } | undefined {
    const v = {
      symbol: bt.symbol.control.value.trim(),
      from: bt.from.control.value,
      to: bt.to.control.value,
      fast: Number(bt.fast.control.value),
      slow: Number(bt.slow.control.value),
      initialCash: Number(bt.initialCash.control.value),
    };
    const errors = new Map<Field<HTMLInputElement>, string>();
    if (!SYMBOL_RE.test(v.symbol)) errors.set(bt.symbol, 'Enter a 6-digit symbol.');
    if (!v.from) errors.set(bt.from, 'Choose a start date.');
    if (!v.to) errors.set(bt.to, 'Choose an end date.');
    if (v.from && v.to && v.from > v.to) errors.set(bt.from, 'The start date must be on or before the end date.');
    if (!Number.isInteger(v.fast) || v.fast < 1) errors.set(bt.fast, 'Enter a whole number of days, 1 or more.');
    if (!Number.isInteger(v.slow) || v.slow < 2) errors.set(bt.slow, 'Enter a whole number of days, 2 or more.');
    else if (Number.isInteger(v.fast) && v.fast >= v.slow)
      errors.set(bt.slow, 'The slow average must be longer than the fast one.');
    if (!Number.isFinite(v.initialCash) || v.initialCash <= 0)
      errors.set(bt.initialCash, 'Enter an amount greater than 0.');
    for (const f of Object.values(bt)) f.setError(errors.get(f) ?? null);
    const first = [...errors.keys()][0];
    if (first) {
      first.control.focus();
      return undefined;
    }
    return { body: v };
  }

  function showBacktest(r: Backtest): HTMLElement {
    btChart.element.setAttribute(
      'aria-label',
      `Equity curve of the ${r.fast}/${r.slow} crossover on ${r.symbol}, ${r.from} to ${r.to}`,
    );
    btChart.element.dataset.points = String(r.equityCurve.length);
    btChart.setOption({
      grid: { left: 8, right: 16, top: 16, bottom: 24, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? num(v) : String(v)) },
      xAxis: { type: 'category', data: r.equityCurve.map((p) => p.date), boundaryGap: false },
      yAxis: {
        type: 'value',
        scale: true,
        axisLabel: { formatter: (v: number) => num(v, 0) },
        splitLine: { lineStyle: { color: COLORS.grid } },
      },
      series: [
        {
          name: 'Equity',
          type: 'line',
          showSymbol: false,
          data: r.equityCurve.map((p) => p.equity),
          lineStyle: { color: COLORS.lines[0], width: 2 },
          areaStyle: { color: 'rgba(47,111,223,0.08)' },
        },
      ],
    });
    return h(
      'div',
      { 'data-testid': 'backtest-result', 'data-symbol': r.symbol },
      h(
        'div',
        { class: 'cards', role: 'group', 'aria-label': 'Backtest summary' },
        metricCard({
          key: 'totalReturn',
          label: 'Total return',
          value: r.totalReturn,
          display: fractionPct(r.totalReturn),
          trend: r.totalReturn,
        }),
        metricCard({
          key: 'maxDrawdown',
          label: 'Max drawdown',
          value: r.maxDrawdown,
          display: fractionPct(r.maxDrawdown),
        }),
        metricCard({ key: 'tradeCount', label: 'Trades', value: r.tradeCount, display: int(r.tradeCount) }),
        metricCard({ key: 'winRate', label: 'Win rate', value: r.winRate, display: fractionPct(r.winRate) }),
        metricCard({ key: 'finalEquity', label: 'Final equity', value: r.finalEquity, display: num(r.finalEquity) }),
      ),
      h('div', { class: 'card chart-card' }, btChart.element),
      r.trades.length === 0
        ? h('p', { class: 'state state-empty' }, 'No trades: the moving averages did not cross in this range.')
        : dataTable({
            caption: 'Backtest trades',
            columns: tradeColumns,
            rows: r.trades,
            rowKey: (t) => `${t.date}-${t.side}`,
          }),
    );
  }

  let btController: AbortController | undefined;
  async function runBacktest(e?: Event): Promise<void> {
    e?.preventDefault();
    const valid = validateBacktest();
    if (!valid) return;
    btController?.abort();
    btController = new AbortController();
    const mine = btController;
    runButton.disabled = true;
    btResult.setAttribute('aria-busy', 'true');
    replace(btResult, loadingView('backtest result'));
    try {
      const r = await api<Backtest>('/api/risk/backtest', {
        method: 'POST',
        body: valid.body,
        signal: AbortSignal.any([ctx.signal, mine.signal]),
      });
      if (mine !== btController) return;
      replace(btResult, showBacktest(r));
    } catch (error) {
      if (ctx.signal.aborted || mine !== btController) return;
      const field = error instanceof ApiError && error.field ? bt[error.field as keyof typeof bt] : undefined;
      if (field && error instanceof ApiError) {
        field.setError(error.message);
        replace(btResult);
      } else
        replace(
          btResult,
          errorView('backtest result', error, () => void runBacktest()),
        );
    } finally {
      if (mine === btController) {
        runButton.disabled = false;
        btResult.setAttribute('aria-busy', 'false');
      }
    }
  }

  const backtestForm = inlineForm(
    'Moving-average crossover backtest',
    (e) => void runBacktest(e),
    h(
      'p',
      { class: 'muted' },
      'Buys whole lots when the fast average crosses above the slow one, sells all when it crosses below; at the close, no fees.',
    ),
    h(
      'div',
      { class: 'form-row' },
      Object.values(bt).map((f) => f.element),
    ),
    runButton,
  );

  replace(
    main,
    pageHeading('Risk'),
    subtitle,
    portfolioHost,
    section('Alert rules', alertsHost, alertStatus, alertForm),
    section('Backtest', backtestForm, btResult),
  );
  return () => {
    btController?.abort();
    for (const fn of cleanups) fn();
  };
};
