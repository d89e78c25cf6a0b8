// Data tables as real <table>s: a <caption>, <th scope="col"> headers (sortable ones hold a button and carry
// aria-sort), and every cell's raw value in data-value (numbers unformatted, so a test compares with the API
// without parsing "1,234.50") plus its column key in data-column.
import { type Child, h } from '../dom.ts';
import { trendClass } from '../format.ts';

export interface Column<T> {
  /** Stable key: the API field name where there is one; goes into data-column. */
  key: string;
  label: string;
  /** Raw value, written to data-value. */
  value: (row: T) => string | number | boolean | null | undefined;
  /** Display text (or node); defaults to the raw value. */
  display?: (row: T) => Child;
  numeric?: boolean;
  /** Colour the cell by the sign of its value. */
  trend?: boolean;
  sortable?: boolean;
  /** The cell is the row's header cell (<th scope="row">), naming the row for screen readers. */
  rowHeader?: boolean;
}

/**
 * A numeric column (right-aligned): `value(row)` is the cell's raw number (data-value), shown through `format`;
 * `options` makes it sortable, or coloured by the value's sign (trend).
 */
export function numberColumn<T>(
  key: string,
  label: string,
  value: (row: T) => number | null | undefined,
  format: (value: number | null | undefined) => Child,
  options: Pick<Column<T>, 'sortable' | 'trend'> = {},
): Column<T> {
  return { key, label, numeric: true, ...options, value, display: (row) => format(value(row)) };
}

export interface TableOptions<T> {
  caption: Child;
  columns: Column<T>[];
  rows: T[];
  /** Current sort, shown with aria-sort. */
  sort?: { key: string; order: 'asc' | 'desc' };
  /** Called with the column key when its header button is pressed. */
  onSort?: (key: string) => void;
  /** data-key of each row (e.g. the symbol), for tests. */
  rowKey?: (row: T) => string;
  /** Extra class on the <table>. */
  className?: string;
  /** Visually hide the caption (when a heading right above already says the same). */
  captionHidden?: boolean;
}

/** Renders a table wrapped in a horizontally scrollable, keyboard-focusable box (narrow screens). */
export function dataTable<T>(opts: TableOptions<T>): HTMLElement {
  const head = h(
    'tr',
    null,
    opts.columns.map((col) => {
      const sorted = opts.sort?.key === col.key ? opts.sort.order : undefined;
      const ariaSort = sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined;
      const content = col.sortable
        ? h(
            'button',
            { type: 'button', class: 'sort-button', onclick: () => opts.onSort?.(col.key) },
            col.label,
            h(
              'span',
              { class: 'sort-icon', 'aria-hidden': 'true' },
              sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕',
            ),
          )
        : col.label;
      return h(
        'th',
        { scope: 'col', 'aria-sort': ariaSort, class: col.numeric ? 'num' : undefined, 'data-column': col.key },
        content,
      );
    }),
  );
  const body = opts.rows.map((row) =>
    h(
      'tr',
      { 'data-key': opts.rowKey?.(row) },
      opts.columns.map((col) => {
        const raw = col.value(row);
        const classes = [col.numeric ? 'num' : '', col.trend && typeof raw === 'number' ? trendClass(raw) : '']
          .filter(Boolean)
          .join(' ');
        const attrs = {
          class: classes || undefined,
          'data-column': col.key,
          'data-value': raw === null || raw === undefined ? '' : String(raw),
        };
        const content = col.display ? col.display(row) : raw === null || raw === undefined ? '—' : String(raw);
        return col.rowHeader ? h('th', { ...attrs, scope: 'row' }, content) : h('td', attrs, content);
      }),
    ),
  );
  const table = h(
    'table',
    { class: ['data-table', opts.className].filter(Boolean).join(' ') },
    h('caption', { class: opts.captionHidden ? 'visually-hidden' : undefined }, opts.caption),
    h('thead', null, head),
    h('tbody', null, body),
  );
  return h('div', { class: 'table-wrap', tabindex: '0' }, table);
}
