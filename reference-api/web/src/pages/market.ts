// /market: index cards and breadth from the overview, a symbol search with suggestions, and the quotes table
// (server-side sort on every column, sector filter, pagination). Both refresh on an interval, with a visible
// last-updated time. Table state lives in the query string (?sort=&order=&sector=&page=&pageSize=).
import { api, apiPath } from '../api.ts';
import { metricCard } from '../components/metric.ts';
import { symbolSearch } from '../components/search.ts';
import { asyncBlock } from '../components/states.ts';
import { type Column, dataTable, numberColumn } from '../components/table.ts';
import { h, replace, uid } from '../dom.ts';
import { selectField } from '../form.ts';
import { clockTime, compact, int, num, pct, signed, trendClass } from '../format.ts';
import { type PageRender, pageHeading, setQuery } from '../page.ts';
import type { Overview, Quote, QuoteSort, QuotesPage, SectorList, SortOrder } from '../types.ts';

const SORT_KEYS: QuoteSort[] = ['symbol', 'name', 'sector', 'price', 'changePct', 'volume', 'amount'];
const PAGE_SIZES = ['10', '20', '50', '100'];
/** Default refresh: the overview's cache lifetime (15 s); `?refresh=<seconds>` overrides, 0 turns it off. */
const DEFAULT_REFRESH_MS = 15_000;

declare global {
  interface Window {
    /** Refresh interval override for tests, in milliseconds (0: no refresh). */
    __MYSTOCKS_REFRESH_MS?: number;
  }
}

function refreshMs(query: URLSearchParams): number {
  const param = query.get('refresh');
  if (param !== null && Number.isFinite(Number(param))) return Math.max(0, Number(param) * 1000);
  if (typeof window.__MYSTOCKS_REFRESH_MS === 'number') return window.__MYSTOCKS_REFRESH_MS;
  return DEFAULT_REFRESH_MS;
}

function quoteColumns(): Column<Quote>[] {
  return [
    {
      key: 'symbol',
      label: 'Symbol',
      sortable: true,
      value: (q) => q.symbol,
      display: (q) => h('a', { href: `/charts/${q.symbol}` }, q.symbol),
    },
    { key: 'name', label: 'Name', sortable: true, value: (q) => q.name },
    { key: 'sector', label: 'Sector', sortable: true, value: (q) => q.sector },
    numberColumn('price', 'Price', (q) => q.price, num, { sortable: true }),
    numberColumn('changePct', 'Change %', (q) => q.changePct, pct, { sortable: true, trend: true }),
    numberColumn('volume', 'Volume', (q) => q.volume, int, { sortable: true }),
    numberColumn('amount', 'Amount', (q) => q.amount, compact, { sortable: true }),
  ];
}

export const renderMarket: PageRender = (main, ctx) => {
  const q = ctx.query;
  const state = {
    sort: (SORT_KEYS as string[]).includes(q.get('sort') ?? '') ? (q.get('sort') as QuoteSort) : 'symbol',
    order: (q.get('order') === 'desc' ? 'desc' : 'asc') as SortOrder,
    sector: q.get('sector') ?? '',
    page: Math.max(1, Number.parseInt(q.get('page') ?? '1', 10) || 1),
    pageSize: PAGE_SIZES.includes(q.get('pageSize') ?? '') ? Number(q.get('pageSize')) : 20,
  };
  const syncUrl = () =>
    setQuery({
      sort: state.sort === 'symbol' ? null : state.sort,
      order: state.order === 'asc' ? null : state.order,
      sector: state.sector || null,
      page: state.page === 1 ? null : String(state.page),
      pageSize: state.pageSize === 20 ? null : String(state.pageSize),
    });

  // ---- header: last updated + refresh
  const updatedTime = h('time', null, '—');
  const lastUpdated = h(
    'p',
    { class: 'last-updated muted', 'data-testid': 'last-updated' },
    'Last updated ',
    updatedTime,
  );
  const markUpdated = () => {
    const now = new Date();
    updatedTime.dateTime = now.toISOString();
    updatedTime.textContent = clockTime(now);
  };

  // ---- overview
  const indicesHeading = uid('h');
  const overviewHost = h('div');
  const overview = asyncBlock<Overview>(overviewHost, {
    what: 'market overview',
    signal: ctx.signal,
    load: (signal) => api<Overview>('/api/market/overview', { signal }),
    isEmpty: (o) => o.indices.length === 0,
    emptyText: 'No index data is available.',
    render: (o) =>
      h(
        'div',
        { class: 'cards', 'data-as-of': o.asOf },
        o.indices.map((i) =>
          metricCard({
            key: i.code,
            label: i.name,
            value: i.price,
            display: num(i.price),
            trend: i.change,
            detail: h(
              'span',
              { class: trendClass(i.change), 'data-change': i.change, 'data-change-pct': i.changePct },
              `${signed(i.change)} (${pct(i.changePct)})`,
            ),
          }),
        ),
        h(
          'div',
          { role: 'group', 'aria-label': 'Market breadth', class: 'card metric breadth' },
          h('p', { class: 'metric-label', 'aria-hidden': 'true' }, 'Market breadth'),
          h(
            'dl',
            { class: 'breadth-list' },
            h('dt', null, 'Advancers'),
            h('dd', { class: 'up', 'data-value': o.breadth.advancers }, int(o.breadth.advancers)),
            h('dt', null, 'Decliners'),
            h('dd', { class: 'down', 'data-value': o.breadth.decliners }, int(o.breadth.decliners)),
            h('dt', null, 'Unchanged'),
            h('dd', { 'data-value': o.breadth.unchanged }, int(o.breadth.unchanged)),
          ),
        ),
      ),
  });

  // ---- quotes toolbar
  const sectorField = selectField('Sector', [['', 'All sectors']], { value: state.sector });
  const pageSizeField = selectField(
    'Rows per page',
    PAGE_SIZES.map((s) => [s, s]),
    { value: String(state.pageSize) },
  );
  // Sectors come from their own endpoint; the filter works with "All sectors" alone if that call fails.
  void api<SectorList>('/api/market/sectors', { signal: ctx.signal })
    .then((res) => {
      for (const { sector } of res.items)
        sectorField.control.append(h('option', { value: sector, selected: sector === state.sector }, sector));
    })
    .catch(() => undefined);
  sectorField.control.addEventListener('change', () => {
    state.sector = sectorField.control.value;
    state.page = 1;
    syncUrl();
    void quotes.reload();
  });
  pageSizeField.control.addEventListener('change', () => {
    state.pageSize = Number(pageSizeField.control.value);
    state.page = 1;
    syncUrl();
    void quotes.reload();
  });

  // ---- quotes table
  const quotesHeading = uid('h');
  const quotesHost = h('div');
  const columns = quoteColumns();
  const quotes = asyncBlock<QuotesPage>(quotesHost, {
    what: 'quotes',
    signal: ctx.signal,
    load: (signal) =>
      api<QuotesPage>(
        apiPath('/api/market/quotes', {
          sort: state.sort,
          order: state.order,
          sector: state.sector,
          page: state.page,
          pageSize: state.pageSize,
        }),
        { signal },
      ),
    isEmpty: (p) => p.items.length === 0,
    emptyText: () => (state.sector ? 'No quotes match this filter.' : 'No quotes are available.'),
    render: (p) => {
      const first = p.total === 0 ? 0 : (p.page - 1) * p.pageSize + 1;
      const last = Math.min(p.total, p.page * p.pageSize);
      const go = (page: number) => {
        state.page = page;
        syncUrl();
        void quotes.reload();
      };
      return [
        dataTable<Quote>({
          caption: p.sector ? `Quotes in ${p.sector}` : 'Quotes',
          captionHidden: true,
          columns,
          rows: p.items,
          sort: { key: p.sort, order: p.order },
          rowKey: (row) => row.symbol,
          onSort: (key) => {
            if (state.sort === key) state.order = state.order === 'asc' ? 'desc' : 'asc';
            else {
              state.sort = key as QuoteSort;
              state.order = 'asc';
            }
            state.page = 1;
            syncUrl();
            // Quiet: the old rows stay while loading, and focus returns to the header that was pressed.
            void quotes.reload({ quiet: true }).then(() => {
              quotesHost.querySelector<HTMLButtonElement>(`th[data-column="${key}"] button`)?.focus();
            });
          },
        }),
        h(
          'nav',
          { 'aria-label': 'Quotes pages', class: 'pagination' },
          h(
            'button',
            { type: 'button', class: 'btn', disabled: p.page <= 1, onclick: () => go(p.page - 1) },
            'Previous page',
          ),
          h(
            'p',
            {
              class: 'page-info',
              'data-testid': 'page-info',
              'data-page': p.page,
              'data-total-pages': p.totalPages,
              'data-total': p.total,
            },
            `Page ${p.page} of ${p.totalPages} · ${first}–${last} of ${p.total}`,
          ),
          h(
            'button',
            { type: 'button', class: 'btn', disabled: p.page >= p.totalPages, onclick: () => go(p.page + 1) },
            'Next page',
          ),
        ),
      ];
    },
    onLoaded: markUpdated,
  });

  const refreshButton = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-quiet',
      onclick: () => {
        void overview.reload({ quiet: true });
        void quotes.reload({ quiet: true });
      },
    },
    'Refresh',
  );

  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      pageHeading('Market'),
      h('div', { class: 'page-tools' }, lastUpdated, refreshButton),
    ),
    h('section', { 'aria-labelledby': indicesHeading }, h('h2', { id: indicesHeading }, 'Indices'), overviewHost),
    symbolSearch((hit) => ctx.navigate(`/charts/${hit.symbol}`), ctx.signal),
    h(
      'section',
      { 'aria-labelledby': quotesHeading },
      h('h2', { id: quotesHeading }, 'Quotes'),
      h('div', { class: 'toolbar' }, sectorField.element, pageSizeField.element),
      quotesHost,
    ),
  );

  const every = refreshMs(ctx.query);
  const timer =
    every > 0
      ? setInterval(() => {
          if (document.hidden) return;
          void overview.reload({ quiet: true });
          void quotes.reload({ quiet: true });
        }, every)
      : undefined;
  return () => clearInterval(timer);
};
