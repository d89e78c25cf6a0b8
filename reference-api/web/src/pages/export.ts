// /export (session required): choose a dataset, a format (CSV, Excel, PDF) and its options (for K-line a symbol
// and an optional date range), then download. The file arrives under the server's Content-Disposition name
// (<dataset>[-<symbol>]-<to-date>.<format>); a range whose start is after its end is refused before any request.
import { ApiError, api, apiFetch, apiPath } from '../api.ts';
import { errorText } from '../components/states.ts';
import { h, replace } from '../dom.ts';
import { type Field, inputField, radioGroup, selectField } from '../form.ts';
import { type PageRender, pageHeading } from '../page.ts';
import type { SectorList } from '../types.ts';

type Dataset = 'quotes' | 'fund-flow' | 'risk-report' | 'kline';
type Format = 'csv' | 'xlsx' | 'pdf';

const DATASETS: [Dataset, string][] = [
  ['quotes', 'Quotes'],
  ['fund-flow', 'Fund flow'],
  ['risk-report', 'Risk report'],
  ['kline', 'K-line'],
];
const FORMATS: [Format, string][] = [
  ['csv', 'CSV'],
  ['xlsx', 'Excel'],
  ['pdf', 'PDF'],
];

/** The filename of a Content-Disposition header (RFC 6266 `filename*` first, then `filename`). */
export function dispositionFilename(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  return (plain?.[2] ?? plain?.[1])?.trim() || undefined;
}

export const renderExport: PageRender = (main, ctx) => {
  let format: Format = (FORMATS.find(([f]) => f === ctx.query.get('format'))?.[0] ?? 'csv') as Format;
  const dataset = selectField('Dataset', DATASETS, { name: 'dataset', value: ctx.query.get('dataset') ?? 'quotes' });
  const formatGroup = radioGroup('Format', 'format', FORMATS, format, (v) => {
    format = v as Format;
  });
  const sector = selectField('Sector', [['', 'All sectors']], { name: 'sector' });
  void api<SectorList>('/api/market/sectors', { signal: ctx.signal })
    .then((res) => {
      for (const { sector: s } of res.items) sector.control.append(h('option', { value: s }, s));
    })
    .catch(() => undefined);
  const scope = selectField(
    'Scope',
    [
      ['sector', 'Sector'],
      ['industry', 'Industry'],
      ['stock', 'Stock'],
    ],
    { name: 'scope' },
  );
  const flowPeriod = selectField(
    'Period',
    [
      ['1d', '1 day'],
      ['5d', '5 days'],
      ['20d', '20 days'],
    ],
    { name: 'period' },
  );
  const symbol = inputField(
    'Symbol',
    { name: 'symbol', inputmode: 'numeric', maxlength: '6', autocomplete: 'off', value: ctx.query.get('symbol') ?? '' },
    '6-digit code.',
  );
  const klinePeriod = selectField(
    'Bar period',
    [
      ['day', 'Day'],
      ['week', 'Week'],
      ['month', 'Month'],
    ],
    { name: 'klinePeriod' },
  );
  const from = inputField('Start date', { name: 'from', type: 'date' }, 'Optional.');
  const to = inputField('End date', { name: 'to', type: 'date' }, 'Optional; the last 250 bars when both are empty.');

  const groups: Record<Dataset, HTMLElement> = {
    quotes: h('div', { class: 'form-row' }, sector.element),
    'fund-flow': h('div', { class: 'form-row' }, scope.element, flowPeriod.element),
    'risk-report': h('p', { class: 'muted' }, 'The risk report covers your portfolio as of the last trading day.'),
    kline: h('div', { class: 'form-row' }, symbol.element, klinePeriod.element, from.element, to.element),
  };
  const syncDataset = () => {
    for (const [key, el] of Object.entries(groups)) {
      const on = key === dataset.control.value;
      el.hidden = !on;
      for (const c of el.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) c.disabled = !on;
    }
  };
  dataset.control.addEventListener('change', syncDataset);
  syncDataset();

  const formError = h('div');
  const status = h('p', { role: 'status', class: 'form-status', 'data-testid': 'export-status' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Download');
  const kfields: Record<string, Field<HTMLInputElement | HTMLSelectElement>> = {
    symbol,
    from,
    to,
    period: klinePeriod,
  };

  async function onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    replace(formError);
    status.textContent = '';
    delete status.dataset.filename;
    const ds = dataset.control.value as Dataset;
    let query: Record<string, string> = {};
    if (ds === 'quotes') query = { sector: sector.control.value };
    if (ds === 'fund-flow') query = { scope: scope.control.value, period: flowPeriod.control.value };
    if (ds === 'kline') {
      const s = symbol.control.value.trim();
      const f = from.control.value;
      const t = to.control.value;
      symbol.setError(/^\d{6}$/.test(s) ? null : 'Enter a 6-digit symbol.');
      from.setError(f && t && f > t ? 'The start date must be on or before the end date.' : null);
      to.setError(null);
      if (!/^\d{6}$/.test(s)) {
        symbol.control.focus();
        return;
      }
      if (f && t && f > t) {
        from.control.focus();
        return;
      }
      query = { symbol: s, period: klinePeriod.control.value, from: f, to: t };
    }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    status.textContent = 'Preparing the download…';
    try {
      const res = await apiFetch(apiPath(`/api/export/${ds}.${format}`, query), { signal: ctx.signal });
      const blob = await res.blob();
      const fallback = `${ds}${query.symbol ? `-${query.symbol}` : ''}.${format}`;
      const filename = dispositionFilename(res.headers.get('content-disposition')) ?? fallback;
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: filename, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      status.textContent = `Downloaded ${filename}.`;
      status.dataset.filename = filename;
    } catch (error) {
      if (ctx.signal.aborted) return;
      status.textContent = '';
      const field = error instanceof ApiError && error.field ? kfields[error.field] : undefined;
      if (ds === 'kline' && field && error instanceof ApiError) {
        field.setError(error.message);
        field.control.focus();
      } else {
        replace(
          formError,
          h('p', { role: 'alert', class: 'state state-error' }, `The export failed: ${errorText(error)}`),
        );
      }
    } finally {
      submit.disabled = false;
      form.setAttribute('aria-busy', 'false');
    }
  }

  const form = h(
    'form',
    { 'aria-label': 'Export data', class: 'card form', novalidate: true, onsubmit: (e: Event) => void onSubmit(e) },
    formError,
    h('div', { class: 'form-row' }, dataset.element),
    formatGroup,
    Object.values(groups),
    submit,
    status,
  );
  replace(
    main,
    pageHeading('Export'),
    h('p', { class: 'muted' }, 'Download market data and your risk report as CSV, Excel or PDF.'),
    form,
  );
  return undefined;
};
