// /charts/:symbol: the K-line (candles, volume, indicator panes) with its period radios (Day, Week, Month),
// indicator checkboxes (MA, MACD, RSI, KDJ, BOLL), the crosshair's "Bar details", and the "Show data" table
// holding every drawn value. State in the URL (?period=&indicators=ma,macd; "none" for no indicators).
import type { Locator, Page } from '@playwright/test';
import { BasePage } from './base-page.ts';
import { AsyncBlock } from './components/async-block.ts';
import { KlineChart } from './components/chart.ts';
import { DataTable } from './components/data-table.ts';
import { step } from './step.ts';

export type PeriodLabel = 'Day' | 'Week' | 'Month';
export type IndicatorLabel = 'MA' | 'MACD' | 'RSI' | 'KDJ' | 'BOLL';

export class ChartsPage extends BasePage {
  readonly chart: KlineChart;
  /** The "K-line data: <name> (<symbol>), <period> bars" table behind "Show data". */
  readonly data: DataTable;
  readonly state: AsyncBlock;
  /** "Show data" / "Hide data", with aria-expanded. */
  readonly dataToggle: Locator;
  readonly searchBox: Locator;
  readonly suggestions: Locator;
  /** Empty state: "No bars for this symbol and period." */
  readonly empty: Locator;

  constructor(page: Page) {
    super(page);
    this.chart = new KlineChart(page);
    this.data = new DataTable(page.getByRole('table', { name: /^K-line data: / }));
    this.state = new AsyncBlock(page.locator('main'), 'K-line data');
    this.dataToggle = page.getByRole('button', { name: /^(Show|Hide) data$/ });
    this.searchBox = page.getByRole('combobox', { name: 'Search symbols' });
    this.suggestions = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
    this.empty = page.getByText('No bars for this symbol and period.');
  }

  /** Opens the chart of `symbol`; `indicators` as in the URL (`[]` for none, absent for the page's default). */
  async goto(symbol: string, opts: { period?: string; indicators?: string[] } = {}): Promise<void> {
    const params = new URLSearchParams();
    if (opts.period) params.set('period', opts.period);
    if (opts.indicators) params.set('indicators', opts.indicators.length ? opts.indicators.join(',') : 'none');
    const qs = params.toString();
    await step(`open the chart of ${symbol}${qs ? ` ?${qs}` : ''}`, () =>
      this.page.goto(`/charts/${symbol}${qs ? `?${qs}` : ''}`),
    );
  }

  period(label: PeriodLabel): Locator {
    return this.page.getByRole('radio', { name: label, exact: true });
  }

  indicator(label: IndicatorLabel): Locator {
    return this.page.getByRole('checkbox', { name: label, exact: true });
  }

  async selectPeriod(label: PeriodLabel): Promise<void> {
    await step(`show ${label.toLowerCase()} bars`, () => this.period(label).check());
  }

  async setIndicator(label: IndicatorLabel, on: boolean): Promise<void> {
    await step(`${on ? 'add' : 'remove'} the ${label} indicator`, () => this.indicator(label).setChecked(on));
  }

  /** Opens the data table (no-op when it is already open). */
  async showData(): Promise<void> {
    await step('show the K-line data table', async () => {
      if ((await this.dataToggle.getAttribute('aria-expanded')) !== 'true') await this.dataToggle.click();
    });
  }

  async hideData(): Promise<void> {
    await step('hide the K-line data table', async () => {
      if ((await this.dataToggle.getAttribute('aria-expanded')) === 'true') await this.dataToggle.click();
    });
  }

  async searchSymbol(text: string): Promise<void> {
    await step(`search for "${text}" on the chart page`, () => this.searchBox.fill(text));
  }

  async pickSuggestion(index: number): Promise<void> {
    await step(`pick suggestion ${index + 1}`, () => this.suggestions.nth(index).click());
  }
}
