// /charts/:symbol: K-line (candlesticks) with volume, indicator toggles (MA, MACD, RSI, KDJ, BOLL), a period
// switch (day, week, month), and a crosshair whose bar is described in a role="status" region. What is drawn is
// also in a "Show data" table (date, OHLC, volume, each enabled indicator; raw values in data-value) and in
// data attributes on the chart, so a test compares numbers without reading pixels.
// State in the query string: ?period=week&indicators=ma,macd.
import { api, apiPath } from '../api.ts';
import { type ChartOption, COLORS, chartBox } from '../components/chart.ts';
import { symbolSearch } from '../components/search.ts';
import { asyncBlock } from '../components/states.ts';
import { type Column, dataTable, numberColumn } from '../components/table.ts';
import { h, replace, uid } from '../dom.ts';
import { radioGroup } from '../form.ts';
import { axisNumber, int, num } from '../format.ts';
import { type PageRender, pageHeading, setQuery } from '../page.ts';
import { rememberSymbol } from '../prefs.ts';
import type { BarPeriod, IndicatorName, Kline } from '../types.ts';

const PERIODS: [BarPeriod, string][] = [
  ['day', 'Day'],
  ['week', 'Week'],
  ['month', 'Month'],
];
const INDICATORS: [IndicatorName, string][] = [
  ['ma', 'MA'],
  ['macd', 'MACD'],
  ['rsi', 'RSI'],
  ['kdj', 'KDJ'],
  ['boll', 'BOLL'],
];
const DEFAULT_INDICATORS: IndicatorName[] = ['ma'];

/** One drawn indicator line: API path (data-column), column label, decimals. */
interface SeriesDef {
  indicator: IndicatorName;
  field: string;
  label: string;
  decimals: number;
}
const SERIES: SeriesDef[] = [
  { indicator: 'ma', field: 'ma5', label: 'MA5', decimals: 2 },
  { indicator: 'ma', field: 'ma10', label: 'MA10', decimals: 2 },
  { indicator: 'ma', field: 'ma20', label: 'MA20', decimals: 2 },
  { indicator: 'boll', field: 'upper', label: 'BOLL upper', decimals: 2 },
  { indicator: 'boll', field: 'middle', label: 'BOLL middle', decimals: 2 },
  { indicator: 'boll', field: 'lower', label: 'BOLL lower', decimals: 2 },
  { indicator: 'macd', field: 'dif', label: 'DIF', decimals: 3 },
  { indicator: 'macd', field: 'dea', label: 'DEA', decimals: 3 },
  { indicator: 'macd', field: 'histogram', label: 'MACD histogram', decimals: 3 },
  { indicator: 'rsi', field: 'rsi14', label: 'RSI14', decimals: 2 },
  { indicator: 'kdj', field: 'k', label: 'K', decimals: 2 },
  { indicator: 'kdj', field: 'd', label: 'D', decimals: 2 },
  { indicator: 'kdj', field: 'j', label: 'J', decimals: 2 },
];
const OSCILLATORS: IndicatorName[] = ['macd', 'rsi', 'kdj'];

type Row = { i: number };

function seriesValues(k: Kline, def: SeriesDef): (number | null)[] {
  const group = k.indicators[def.indicator] as Record<string, (number | null)[]> | undefined;
  return group?.[def.field] ?? [];
}

/** The chart's height: price and volume panes, and one pane per oscillator shown. */
function chartHeight(oscillators: readonly IndicatorName[]): number {
  return 420 + oscillators.length * 110;
}

export const renderCharts: PageRender = (main, ctx) => {
  const symbol = ctx.params.symbol ?? '';
  const fromQuery = (ctx.query.get('indicators') ?? '').split(',').filter((x) => INDICATORS.some(([k]) => k === x));
  const state = {
    period: (PERIODS.find(([p]) => p === ctx.query.get('period'))?.[0] ?? 'day') as BarPeriod,
    indicators: new Set<IndicatorName>(
      ctx.query.has('indicators') ? (fromQuery as IndicatorName[]) : DEFAULT_INDICATORS,
    ),
  };
  if (/^\d{6}$/.test(symbol)) rememberSymbol(symbol);

  const heading = pageHeading(`Chart ${symbol}`);
  // The chart's box has its final height from the start, and is shown while the bars load: a box that appears
  // (or changes height) when they arrive pushes what is below it down, a layout shift Web Vitals count (CLS).
  const chart = chartBox(`K-line chart of ${symbol}`, chartHeight(OSCILLATORS.filter((o) => state.indicators.has(o))), {
    tabindex: '0',
    'data-testid': 'kline-chart',
    'data-symbol': symbol,
  });
  const tooltipId = uid('tip');
  const tooltip = h('div', {
    id: tooltipId,
    role: 'status',
    'aria-label': 'Bar details',
    class: 'bar-details',
    'data-testid': 'bar-details',
  });
  chart.element.setAttribute('aria-describedby', tooltipId);
  const dataRegionId = uid('data');
  const dataRegion = h('div', { id: dataRegionId, hidden: true, class: 'kline-data' });
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      'aria-expanded': 'false',
      'aria-controls': dataRegionId,
      onclick: () => {
        const show = dataRegion.hidden;
        dataRegion.hidden = !show;
        toggle.setAttribute('aria-expanded', String(show));
        toggle.textContent = show ? 'Hide data' : 'Show data';
      },
    },
    'Show data',
  );
  const chartArea = h('div', { class: 'card chart-card' }, chart.element, tooltip);
  let current: Kline | undefined;
  let hovered = -1;

  function describeBar(i: number): void {
    const k = current;
    const bar = k?.bars[i];
    if (!k || !bar) return;
    hovered = i;
    const items: [string, string, number | null, number][] = [
      ['open', 'Open', bar.open, 2],
      ['high', 'High', bar.high, 2],
      ['low', 'Low', bar.low, 2],
      ['close', 'Close', bar.close, 2],
      ['volume', 'Volume', bar.volume, 0],
    ];
    for (const def of SERIES) {
      if (state.indicators.has(def.indicator) && k.indicators[def.indicator]) {
        items.push([`${def.indicator}.${def.field}`, def.label, seriesValues(k, def)[i] ?? null, def.decimals]);
      }
    }
    tooltip.dataset.date = bar.date;
    tooltip.dataset.index = String(i);
    replace(
      tooltip,
      h('p', { class: 'bar-date' }, h('time', { datetime: bar.date }, bar.date)),
      h(
        'dl',
        null,
        // One <div> per pair (allowed in a <dl>) so a label never wraps away from its value.
        items.map(([key, label, value, decimals]) =>
          h(
            'div',
            { class: 'pair' },
            h('dt', null, label),
            h(
              'dd',
              { 'data-column': key, 'data-value': value ?? '' },
              decimals === 0 ? int(value) : num(value, decimals),
            ),
          ),
        ),
      ),
    );
  }

  chart.whenReady((ec) => {
    ec.on('updateAxisPointer', (event: unknown) => {
      const info = (event as { axesInfo?: { value?: unknown }[] }).axesInfo?.[0];
      if (info && typeof info.value === 'number' && info.value !== hovered) describeBar(info.value);
    });
  });
  // Keyboard: with the chart focused, arrows move the crosshair bar by bar (Home/End jump to the ends).
  chart.element.addEventListener('keydown', (e) => {
    const n = current?.bars.length ?? 0;
    if (!n) return;
    const base = hovered < 0 ? n - 1 : hovered;
    const next =
      e.key === 'ArrowLeft'
        ? base - 1
        : e.key === 'ArrowRight'
          ? base + 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : NaN;
    if (Number.isNaN(next)) return;
    e.preventDefault();
    const i = Math.max(0, Math.min(n - 1, next));
    describeBar(i);
  });

  function option(k: Kline): ChartOption {
    const dates = k.bars.map((b) => b.date);
    const oscillators = OSCILLATORS.filter((o) => state.indicators.has(o) && k.indicators[o]);
    const gridCount = 2 + oscillators.length;
    chart.element.style.height = `${chartHeight(oscillators)}px`;
    const grids = [
      { left: 56, right: 16, top: 36, height: 240 },
      { left: 56, right: 16, top: 306, height: 60 },
      ...oscillators.map((_, i) => ({ left: 56, right: 16, top: 384 + i * 110, height: 80 })),
    ];
    const xAxis = grids.map((_, gi) => ({
      type: 'category',
      gridIndex: gi,
      data: dates,
      boundaryGap: true,
      axisLine: { lineStyle: { color: COLORS.grid } },
      axisLabel: { show: gi === gridCount - 1, color: COLORS.text },
      axisTick: { show: false },
    }));
    const yAxis = grids.map((_, gi) => ({
      type: 'value',
      gridIndex: gi,
      scale: true,
      splitNumber: gi === 0 ? 4 : 2,
      axisLabel: { color: COLORS.text, formatter: gi === 1 ? (v: number) => axisNumber(v) : undefined },
      splitLine: { lineStyle: { color: COLORS.grid } },
    }));
    const line = (name: string, data: (number | null)[], gi: number, color: string | undefined) => ({
      name,
      type: 'line',
      xAxisIndex: gi,
      yAxisIndex: gi,
      data,
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 1.2, color },
      itemStyle: { color },
    });
    const series: Record<string, unknown>[] = [
      {
        name: 'K-line',
        type: 'candlestick',
        data: k.bars.map((b) => [b.open, b.close, b.low, b.high]),
        itemStyle: { color: COLORS.up, color0: COLORS.down, borderColor: COLORS.up, borderColor0: COLORS.down },
      },
      {
        name: 'Volume',
        type: 'bar',
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: k.bars.map((b) => ({
          value: b.volume,
          itemStyle: { color: b.close >= b.open ? COLORS.up : COLORS.down },
        })),
      },
    ];
    let colour = 0;
    for (const def of SERIES.filter((d) => d.indicator === 'ma' || d.indicator === 'boll')) {
      if (state.indicators.has(def.indicator) && k.indicators[def.indicator]) {
        series.push(line(def.label, seriesValues(k, def), 0, COLORS.lines[colour++ % COLORS.lines.length]));
      }
    }
    oscillators.forEach((o, oi) => {
      const gi = 2 + oi;
      const defs = SERIES.filter((d) => d.indicator === o);
      defs.forEach((def, di) => {
        if (def.field === 'histogram') {
          series.push({
            name: def.label,
            type: 'bar',
            xAxisIndex: gi,
            yAxisIndex: gi,
            data: seriesValues(k, def).map((v) => ({
              value: v,
              itemStyle: { color: (v ?? 0) >= 0 ? COLORS.up : COLORS.down },
            })),
          });
        } else series.push(line(def.label, seriesValues(k, def), gi, COLORS.lines[di % COLORS.lines.length]));
      });
    });
    const legend = series.map((s) => s.name as string).filter((n) => n !== 'K-line' && n !== 'Volume');
    return {
      legend: { top: 0, data: legend, type: 'scroll' },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'cross' },
        confine: true,
        valueFormatter: (v: unknown) => (typeof v === 'number' ? num(v) : String(v)),
      },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: grids,
      xAxis,
      yAxis,
      // On a phone, open on the last quarter of the bars (pinch or drag to see more); all of them on a desktop.
      dataZoom: [
        {
          type: 'inside',
          xAxisIndex: grids.map((_, i) => i),
          start: chart.element.clientWidth < 600 ? 75 : 0,
          end: 100,
        },
      ],
      series,
    };
  }

  function dataTableFor(k: Kline): HTMLElement {
    const periodLabel = PERIODS.find(([p]) => p === k.period)?.[1] ?? k.period;
    const columns: Column<Row>[] = [
      { key: 'date', label: 'Date', value: (r) => k.bars[r.i]!.date },
      numberColumn('open', 'Open', (r) => k.bars[r.i]!.open, num),
      numberColumn('high', 'High', (r) => k.bars[r.i]!.high, num),
      numberColumn('low', 'Low', (r) => k.bars[r.i]!.low, num),
      numberColumn('close', 'Close', (r) => k.bars[r.i]!.close, num),
      numberColumn('volume', 'Volume', (r) => k.bars[r.i]!.volume, int),
    ];
    for (const def of SERIES) {
      if (!state.indicators.has(def.indicator) || !k.indicators[def.indicator]) continue;
      const values = seriesValues(k, def);
      columns.push(
        numberColumn(
          `${def.indicator}.${def.field}`,
          def.label,
          (r) => values[r.i] ?? null,
          (value) => num(value, def.decimals),
        ),
      );
    }
    return dataTable<Row>({
      caption: `K-line data: ${k.name} (${k.symbol}), ${periodLabel.toLowerCase()} bars`,
      columns,
      rows: k.bars.map((_, i) => ({ i })),
      rowKey: (r) => k.bars[r.i]!.date,
      className: 'compact',
    });
  }

  const chartHost = h('div');
  const kline = asyncBlock<Kline>(chartHost, {
    what: 'K-line data',
    signal: ctx.signal,
    onError: () => {
      chartArea.hidden = true;
    },
    load: (signal) =>
      api<Kline>(
        apiPath(`/api/charts/kline/${encodeURIComponent(symbol)}`, {
          period: state.period,
          indicators: [...state.indicators].join(','),
        }),
        { signal },
      ),
    isEmpty: (k) => {
      if (k.bars.length === 0) chartArea.hidden = true;
      return k.bars.length === 0;
    },
    emptyText: 'No bars for this symbol and period.',
    render: (k) => {
      current = k;
      const periodLabel = PERIODS.find(([p]) => p === k.period)?.[1] ?? k.period;
      heading.textContent = `${k.name} (${k.symbol})`;
      document.title = `${k.name} (${k.symbol}) · MyStocks`;
      const enabled = [...state.indicators].filter((i) => k.indicators[i]);
      chart.element.setAttribute(
        'aria-label',
        `K-line chart of ${k.name} (${k.symbol}), ${periodLabel.toLowerCase()} bars, with volume${enabled.length ? ` and ${enabled.map((i) => i.toUpperCase()).join(', ')}` : ''}. Use the arrow keys to move between bars.`,
      );
      Object.assign(chart.element.dataset, {
        period: k.period,
        indicators: enabled.join(','),
        bars: String(k.bars.length),
        firstDate: k.bars[0]?.date ?? '',
        lastDate: k.bars.at(-1)?.date ?? '',
      });
      chartArea.hidden = false;
      chart.setOption(option(k));
      hovered = -1;
      describeBar(k.bars.length - 1);
      replace(dataRegion, dataTableFor(k));
      return h('div', { class: 'chart-actions' }, toggle);
    },
  });

  const periodSwitch = radioGroup('Period', 'period', PERIODS, state.period, (value) => {
    state.period = value as BarPeriod;
    setQuery({ period: state.period === 'day' ? null : state.period });
    void kline.reload({ quiet: true });
  });
  const indicatorBox = h(
    'fieldset',
    { class: 'segmented checks' },
    h('legend', null, 'Indicators'),
    INDICATORS.map(([key, label]) => {
      const id = uid('ind');
      return h(
        'span',
        { class: 'choice' },
        h('input', {
          type: 'checkbox',
          id,
          value: key,
          checked: state.indicators.has(key),
          onchange: (e: Event) => {
            if ((e.target as HTMLInputElement).checked) state.indicators.add(key);
            else state.indicators.delete(key);
            setQuery({
              indicators:
                INDICATORS.map(([k]) => k)
                  .filter((k) => state.indicators.has(k))
                  .join(',') || 'none',
            });
            void kline.reload({ quiet: true });
          },
        }),
        h('label', { for: id }, label),
      );
    }),
  );

  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      heading,
      symbolSearch((hit) => ctx.navigate(`/charts/${hit.symbol}${window.location.search}`), ctx.signal),
    ),
    h('div', { class: 'toolbar' }, periodSwitch, indicatorBox),
    chartArea,
    chartHost,
    dataRegion,
  );
  return () => chart.dispose();
};
