// A data table of the pages: a real <table> named by its caption, sortable headers holding a button (the sorted
// one carries aria-sort), rows keyed by data-key (symbol, date or id), and every cell carrying its API field in
// data-column and its raw value in data-value. Readers return raw values so specs compare them with the API
// without parsing formatted text.
import type { Locator } from '@playwright/test';
import { step } from '../step.ts';

export class DataTable {
  /** The <table> element. */
  readonly root: Locator;
  /** Body rows, in display order. */
  readonly rows: Locator;

  constructor(root: Locator) {
    this.root = root;
    this.rows = root.locator('tbody tr');
  }

  /** The column header labelled `label` (the sort icon is aria-hidden, so not part of the name). */
  header(label: string): Locator {
    return this.root.getByRole('columnheader', { name: label, exact: true });
  }

  /** The row with data-key `key`. */
  row(key: string): Locator {
    return this.root.locator(`tbody tr[data-key="${key}"]`);
  }

  /** The cell of `column` (an API field) in the row keyed `key`. */
  cell(key: string, column: string): Locator {
    return this.row(key).locator(`[data-column="${column}"]`);
  }

  /** Every body cell of one column. */
  column(column: string): Locator {
    return this.rows.locator(`[data-column="${column}"]`);
  }

  /** Raw values (data-value) of one column, top to bottom. */
  async columnValues(column: string): Promise<string[]> {
    return this.column(column).evaluateAll((cells) => cells.map((c) => c.getAttribute('data-value') ?? ''));
  }

  /** The rows' data-key values, top to bottom. */
  async rowKeys(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key') ?? ''));
  }

  /** Every row as { column: raw value } for the given columns. */
  async records(columns: readonly string[]): Promise<Record<string, string>[]> {
    return this.rows.evaluateAll(
      (rows, cols) =>
        rows.map((r) =>
          Object.fromEntries(
            cols.map((c) => [c, r.querySelector(`[data-column="${c}"]`)?.getAttribute('data-value') ?? '']),
          ),
        ),
      columns,
    );
  }

  /** Presses the sort button of the column labelled `label`. */
  async sortBy(label: string): Promise<void> {
    await step(`sort by "${label}"`, () => this.header(label).getByRole('button').click());
  }
}
