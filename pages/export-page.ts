// /export (session required): the "Export data" form: Dataset, format radios (CSV, Excel, PDF) and the
// dataset's options (Sector; Scope and Period; Symbol, Bar period, Start date, End date), then "Download":
// the file arrives under the server's Content-Disposition name and export-status says "Downloaded <file>.".
import type { Download, Locator, Page } from '@playwright/test';
import { BasePage } from './base-page.ts';
import { step } from './step.ts';

export type DatasetLabel = 'Quotes' | 'Fund flow' | 'Risk report' | 'K-line';
export type FormatLabel = 'CSV' | 'Excel' | 'PDF';

export interface ExportInput {
  dataset: DatasetLabel;
  format: FormatLabel;
  /** Quotes: a sector name ('' for all). */
  sector?: string;
  /** Fund flow: option labels. */
  scope?: 'Sector' | 'Industry' | 'Stock';
  period?: '1 day' | '5 days' | '20 days';
  /** K-line. */
  symbol?: string;
  barPeriod?: 'Day' | 'Week' | 'Month';
  from?: string;
  to?: string;
}

export class ExportPage extends BasePage {
  readonly form: Locator;
  /** "Downloaded <file>." with data-filename. */
  readonly status: Locator;
  /** The form's alert ("The export failed: …"). */
  readonly alert: Locator;
  private readonly fields: {
    dataset: Locator;
    sector: Locator;
    scope: Locator;
    period: Locator;
    symbol: Locator;
    barPeriod: Locator;
    from: Locator;
    to: Locator;
    download: Locator;
  };

  constructor(page: Page) {
    super(page);
    this.form = page.getByRole('form', { name: 'Export data' });
    this.status = page.getByTestId('export-status');
    this.alert = this.form.getByRole('alert');
    this.fields = {
      dataset: this.form.getByLabel('Dataset'),
      sector: this.form.getByLabel('Sector'),
      scope: this.form.getByLabel('Scope'),
      period: this.form.getByLabel('Period', { exact: true }),
      symbol: this.form.getByLabel('Symbol'),
      barPeriod: this.form.getByLabel('Bar period'),
      from: this.form.getByLabel('Start date'),
      to: this.form.getByLabel('End date'),
      download: this.form.getByRole('button', { name: 'Download' }),
    };
  }

  async goto(): Promise<void> {
    await step('open the export page', () => this.page.goto('/export'));
  }

  /** A field of the form, to read its value, state or error. */
  field(label: 'Dataset' | 'Sector' | 'Scope' | 'Symbol' | 'Bar period' | 'Start date' | 'End date'): Locator {
    return this.form.getByLabel(label, { exact: true });
  }

  format(label: FormatLabel): Locator {
    return this.form.getByRole('radio', { name: label, exact: true });
  }

  /** A validation message inside the form. */
  message(text: string): Locator {
    return this.form.getByText(text, { exact: true });
  }

  /** Fills in the form for `input` without downloading. */
  async fill(input: ExportInput): Promise<void> {
    await step(`choose ${input.dataset} as ${input.format}`, async () => {
      const f = this.fields;
      await f.dataset.selectOption({ label: input.dataset });
      await this.format(input.format).check();
      if (input.sector !== undefined) await f.sector.selectOption(input.sector);
      if (input.scope !== undefined) await f.scope.selectOption({ label: input.scope });
      if (input.period !== undefined) await f.period.selectOption({ label: input.period });
      if (input.symbol !== undefined) await f.symbol.fill(input.symbol);
      if (input.barPeriod !== undefined) await f.barPeriod.selectOption({ label: input.barPeriod });
      if (input.from !== undefined) await f.from.fill(input.from);
      if (input.to !== undefined) await f.to.fill(input.to);
    });
  }

  /**
   * Presses "Download" and returns the browser's download. When the page answers with its error alert
   * instead, this fails at once with the page's words, rather than waiting out the test's timeout.
   */
  async download(): Promise<Download> {
    return step('press "Download" and wait for the file', async () => {
      const download = this.page.waitForEvent('download');
      const refused = this.alert.waitFor().then(async () => (await this.alert.textContent())?.trim());
      // Whichever loses the race is left to settle on its own.
      refused.catch(() => undefined);
      await this.fields.download.click();
      const first = await Promise.race([download, refused]);
      if (typeof first === 'object' && first !== null) return first;
      download.catch(() => undefined);
      // Worded for the report: Allure files this under product defects (see playwright.config.ts).
      throw new Error(`No file was downloaded: the export page showed the error "${first}"`);
    });
  }

  /** Presses "Download" when no file is expected (a refused form). */
  async pressDownload(): Promise<void> {
    await step('press "Download"', () => this.fields.download.click());
  }

  /** Fills in the form and downloads. */
  async export(input: ExportInput): Promise<Download> {
    await this.fill(input);
    return this.download();
  }
}
