// /market: index cards and market breadth, the symbol search with suggestions, and the quotes table with
// sector filter, page size, server-side sorting and pagination. Table state is in the URL
// (?sort=&order=&sector=&page=&pageSize=); ?refresh=<seconds> sets the auto-refresh (0 turns it off).
import type { Locator, Page } from '@playwright/test';
import { BasePage } from './base-page.ts';
import { AsyncBlock } from './components/async-block.ts';
import { DataTable } from './components/data-table.ts';
import { MetricCard } from './components/metric.ts';
import { step } from './step.ts';

export interface MarketQuery {
  sort?: string;
  order?: 'asc' | 'desc';
  sector?: string;
  page?: number;
  pageSize?: number;
  /** Auto-refresh in seconds; 0 (the default here) keeps the page still while a test reads it. */
  refresh?: number;
}

export class MarketPage extends BasePage {
  readonly indices: Locator;
  readonly quotesRegion: Locator;
  /** The quotes table ("Quotes", or "Quotes in <sector>" when filtered). */
  readonly quotes: DataTable;
  readonly quotesState: AsyncBlock;
  readonly overviewState: AsyncBlock;
  /** "Page N of M · a–b of total", with data-page, data-total-pages, data-total. */
  readonly pageInfo: Locator;
  /** The <time> of the last successful load. */
  readonly lastUpdated: Locator;
  readonly searchBox: Locator;
  readonly suggestions: Locator;
  readonly sectorSelect: Locator;
  readonly pageSizeSelect: Locator;
  /** Empty-state text of the quotes block. */
  readonly quotesEmpty: Locator;
  private readonly pagination: Locator;
  private readonly nextButton: Locator;
  private readonly previousButton: Locator;
  private readonly refreshButton: Locator;

  constructor(page: Page) {
    super(page);
    this.indices = page.getByRole('region', { name: 'Indices' });
    this.quotesRegion = page.getByRole('region', { name: 'Quotes', exact: true });
    this.quotes = new DataTable(this.quotesRegion.getByRole('table', { name: /^Quotes/ }));
    this.quotesState = new AsyncBlock(this.quotesRegion, 'quotes');
    this.overviewState = new AsyncBlock(this.indices, 'market overview');
    this.pagination = this.quotesRegion.getByRole('navigation', { name: 'Quotes pages' });
    this.pageInfo = page.getByTestId('page-info');
    this.lastUpdated = page.getByTestId('last-updated').locator('time');
    this.searchBox = page.getByRole('combobox', { name: 'Search symbols' });
    this.suggestions = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
    this.sectorSelect = this.quotesRegion.getByLabel('Sector');
    this.pageSizeSelect = this.quotesRegion.getByLabel('Rows per page');
    this.quotesEmpty = this.quotesRegion.locator('.state-empty');
    this.nextButton = this.pagination.getByRole('button', { name: 'Next page' });
    this.previousButton = this.pagination.getByRole('button', { name: 'Previous page' });
    this.refreshButton = page.getByRole('button', { name: 'Refresh' });
  }

  async goto(query: MarketQuery = {}): Promise<void> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ refresh: 0, ...query })) if (v !== undefined) params.set(k, String(v));
    await step(`open the market page ?${params}`, () => this.page.goto(`/market?${params}`));
  }

  /** The card of one index, by its name. */
  indexCard(name: string): MetricCard {
    return new MetricCard(this.indices, name);
  }

  /** A figure of the "Market breadth" card: Advancers, Decliners or Unchanged. */
  breadth(label: 'Advancers' | 'Decliners' | 'Unchanged'): Locator {
    return this.indices.getByRole('group', { name: 'Market breadth' }).locator(`dt:text-is("${label}") + dd`);
  }

  async search(text: string): Promise<void> {
    await step(`type "${text}" into the symbol search`, () => this.searchBox.fill(text));
  }

  async pickSuggestion(index: number): Promise<void> {
    await step(`pick suggestion ${index + 1}`, () => this.suggestions.nth(index).click());
  }

  async filterBySector(sector: string): Promise<void> {
    await step(`filter quotes by sector "${sector || 'All sectors'}"`, async () => {
      await this.sectorSelect.selectOption(sector);
    });
  }

  async setRowsPerPage(size: number): Promise<void> {
    await step(`show ${size} rows per page`, async () => {
      await this.pageSizeSelect.selectOption(String(size));
    });
  }

  async sortBy(label: string): Promise<void> {
    await this.quotes.sortBy(label);
  }

  async nextPage(): Promise<void> {
    await step('go to the next quotes page', () => this.nextButton.click());
  }

  async previousPage(): Promise<void> {
    await step('go to the previous quotes page', () => this.previousButton.click());
  }

  /** Whether "Next page" can be pressed. */
  async hasNextPage(): Promise<boolean> {
    return this.nextButton.isEnabled();
  }

  async refresh(): Promise<void> {
    await step('press "Refresh"', () => this.refreshButton.click());
  }
}
