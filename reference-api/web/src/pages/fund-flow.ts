// /fund-flow: scope tabs (sector, industry, stock), a period switch (1, 5, 20 days), a bar chart of main and
// retail net inflow for the top of the ranking, and the table ranked as the API ranks (main net inflow).
// State in the query string: ?scope=&period=.
import { api, apiPath } from '../api.ts';
import { COLORS, chartBox } from '../components/chart.ts';
import { asyncBlock } from '../components/states.ts';
import { type Column, dataTable, numberColumn } from '../components/table.ts';
import { h, replace, uid } from '../dom.ts';
import { radioGroup } from '../form.ts';
import { axisNumber, signedCompact } from '../format.ts';
import { type PageRender, pageHeading, setQuery } from '../page.ts';
import type { FlowPeriod, FlowScope, FundFlow, FundFlowItem } from '../types.ts';

const SCOPES: [FlowScope, string][] = [
  ['sector', 'Sector'],
  ['industry', 'Industry'],
  ['stock', 'Stock'],
];
const PERIODS: [FlowPeriod, string][] = [
  ['1d', '1 day'],
  ['5d', '5 days'],
  ['20d', '20 days'],
];
/** Bars drawn in the chart (the table holds every row). */
const CHART_ROWS = 15;

function columns(scope: FlowScope): Column<FundFlowItem & { rank: number }>[] {
  const cols: Column<FundFlowItem & { rank: number }>[] = [
    { key: 'rank', label: 'Rank', numeric: true, value: (r) => r.rank },
  ];
  if (scope === 'stock') {
    cols.push(
      {
        key: 'key',
        label: 'Symbol',
        value: (r) => r.key,
        display: (r) => h('a', { href: `/charts/${r.key}` }, r.key),
      },
      { key: 'name', label: 'Name', value: (r) => r.name },
    );
  } else {
    cols.push({ key: 'name', label: scope === 'sector' ? 'Sector' : 'Industry', value: (r) => r.name });
  }
  if (scope !== 'sector') cols.push({ key: 'sector', label: 'Sector', value: (r) => r.sector });
  cols.push(
    numberColumn('mainNetInflow', 'Main net inflow', (r) => r.mainNetInflow, signedCompact, { trend: true }),
    numberColumn('retailNetInflow', 'Retail net inflow', (r) => r.retailNetInflow, signedCompact, { trend: true }),
    numberColumn('totalNetInflow', 'Total net inflow', (r) => r.totalNetInflow, signedCompact, { trend: true }),
  );
  return cols;
}

export const renderFundFlow: PageRender = (main, ctx) => {
  const state = {
    scope: (SCOPES.find(([s]) => s === ctx.query.get('scope'))?.[0] ?? 'sector') as FlowScope,
    period: (PERIODS.find(([p]) => p === ctx.query.get('period'))?.[0] ?? '1d') as FlowPeriod,
  };
  const panelId = uid('panel');
  const tabs = SCOPES.map(([scope, label]) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${scope}`,
        'aria-controls': panelId,
        'aria-selected': String(scope === state.scope),
        tabindex: scope === state.scope ? '0' : '-1',
        'data-scope': scope,
        onclick: () => selectScope(scope),
      },
      label,
    ),
  );
  const tablist = h('div', { role: 'tablist', 'aria-label': 'Scope', class: 'tabs' }, tabs);
  // Arrow keys move between tabs (the tab pattern); activation follows focus.
  tablist.addEventListener('keydown', (e) => {
    const i = SCOPES.findIndex(([s]) => s === state.scope);
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = SCOPES[(i + delta + SCOPES.length) % SCOPES.length]![0];
    selectScope(next);
    tabs.find((t) => t.dataset.scope === next)?.focus();
  });

  const chart = chartBox('Net inflow chart', 380, { 'data-testid': 'fund-flow-chart' });
  // Hidden while loading or failed, so a stale chart never sits next to an error.
  const chartCard = h('div', { class: 'card chart-card', hidden: true }, chart.element);
  const rangeText = h('p', { class: 'muted', 'data-testid': 'flow-range' });
  const tableHost = h('div');
  const flow = asyncBlock<FundFlow>(tableHost, {
    what: 'fund flow',
    signal: ctx.signal,
    load: (signal) => {
      chartCard.hidden = true;
      rangeText.textContent = '';
      return api<FundFlow>(apiPath('/api/fund-flow', { scope: state.scope, period: state.period }), { signal });
    },
    isEmpty: (f) => f.items.length === 0,
    emptyText: 'No fund flow data for this period.',
    render: (f) => {
      const scopeLabel = SCOPES.find(([s]) => s === f.scope)?.[1] ?? f.scope;
      const periodLabel = PERIODS.find(([p]) => p === f.period)?.[1] ?? f.period;
      rangeText.textContent = `${f.from} to ${f.to}`;
      rangeText.dataset.from = f.from;
      rangeText.dataset.to = f.to;
      drawChart(f, `${scopeLabel}, ${periodLabel}`);
      return dataTable({
        caption: `Fund flow by ${scopeLabel.toLowerCase()}, ${periodLabel} (${f.from} to ${f.to}), ranked by main net inflow`,
        columns: columns(f.scope),
        rows: f.items.map((item, i) => ({ ...item, rank: i + 1 })),
        rowKey: (r) => r.key,
      });
    },
  });

  function drawChart(f: FundFlow, title: string): void {
    const top = f.items.slice(0, CHART_ROWS);
    chart.element.setAttribute('aria-label', `Bar chart of main and retail net inflow, top ${top.length}: ${title}`);
    chart.element.dataset.keys = top.map((i) => i.key).join(',');
    chartCard.hidden = top.length === 0;
    // Horizontal bars, largest inflow on top (ECharts draws category 0 at the bottom, so reverse).
    const rows = [...top].reverse();
    chart.setOption({
      grid: { left: 8, right: 24, top: 36, bottom: 24, containLabel: true },
      legend: { top: 0, data: ['Main net inflow', 'Retail net inflow'] },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => (typeof v === 'number' ? signedCompact(v) : String(v)),
      },
      xAxis: {
        type: 'value',
        axisLabel: { formatter: (v: number) => axisNumber(v) },
        splitLine: { lineStyle: { color: COLORS.grid } },
      },
      yAxis: {
        type: 'category',
        data: rows.map((r) => (f.scope === 'stock' ? `${r.name} ${r.key}` : r.name)),
        axisLabel: { width: 140, overflow: 'truncate' },
      },
      series: [
        {
          name: 'Main net inflow',
          type: 'bar',
          itemStyle: { color: COLORS.up },
          data: rows.map((r) => ({
            value: r.mainNetInflow,
            itemStyle: { color: r.mainNetInflow >= 0 ? COLORS.up : COLORS.down },
          })),
        },
        {
          name: 'Retail net inflow',
          type: 'bar',
          data: rows.map((r) => r.retailNetInflow),
          itemStyle: { color: '#9aa5b8' },
        },
      ],
    });
  }

  function selectScope(scope: FlowScope): void {
    if (scope === state.scope) return;
    state.scope = scope;
    for (const t of tabs) {
      const selected = t.dataset.scope === scope;
      t.setAttribute('aria-selected', String(selected));
      t.tabIndex = selected ? 0 : -1;
    }
    panel.setAttribute('aria-labelledby', `tab-${scope}`);
    setQuery({ scope: scope === 'sector' ? null : scope });
    void flow.reload();
  }

  const periodSwitch = radioGroup('Period', 'period', PERIODS, state.period, (value) => {
    state.period = value as FlowPeriod;
    setQuery({ period: state.period === '1d' ? null : state.period });
    void flow.reload();
  });

  const panel = h(
    'div',
    { role: 'tabpanel', id: panelId, 'aria-labelledby': `tab-${state.scope}`, class: 'tabpanel' },
    h('div', { class: 'toolbar' }, periodSwitch, rangeText),
    chartCard,
    tableHost,
  );
  replace(main, pageHeading('Fund flow'), tablist, panel);
  return () => chart.dispose();
};
