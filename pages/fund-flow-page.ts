// /fund-flow: scope tabs (Sector, Industry, Stock), period radios (1 day, 5 days, 20 days), the net inflow bar
// chart of the top of the ranking (data-keys) and the ranking table. State in the URL (?scope=&period=).
import type { Locator, Page } from '@playwright/test';
import { BasePage } from './base-page.ts';
import { AsyncBlock } from './components/async-block.ts';
import { Chart } from './components/chart.ts';
import { DataTable } from './components/data-table.ts';
import { step } from './step.ts';

export type FlowScopeTab = 'Sector' | 'Industry' | 'Stock';
export type FlowPeriodLabel = '1 day' | '5 days' | '20 days';

export class FundFlowPage extends BasePage {
  /** The tabpanel (named after the selected tab). */
  readonly panel: Locator;
  /** The ranking table, "Fund flow by <scope>, <period> (<from> to <to>), ranked by main net inflow". */
  readonly table: DataTable;
  readonly chart: Chart;
  /** "<from> to <to>", with data-from and data-to. */
  readonly range: Locator;
  readonly state: AsyncBlock;
  private readonly tabs: Locator;
  private readonly periods: Locator;

  constructor(page: Page) {
    super(page);
    this.tabs = page.getByRole('tablist', { name: 'Scope' });
    this.panel = page.getByRole('tabpanel');
    this.table = new DataTable(this.panel.getByRole('table', { name: /^Fund flow by / }));
    this.chart = new Chart(page.getByTestId('fund-flow-chart'));
    this.range = page.getByTestId('flow-range');
    this.state = new AsyncBlock(this.panel, 'fund flow');
    this.periods = page.getByRole('group', { name: 'Period' });
  }

  async goto(query: { scope?: string; period?: string } = {}): Promise<void> {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
    await step(`open the fund-flow page ?${params}`, () => this.page.goto(`/fund-flow?${params}`));
  }

  tab(name: FlowScopeTab): Locator {
    return this.tabs.getByRole('tab', { name, exact: true });
  }

  period(label: FlowPeriodLabel): Locator {
    return this.periods.getByRole('radio', { name: label, exact: true });
  }

  async selectScope(name: FlowScopeTab): Promise<void> {
    await step(`select the "${name}" tab`, () => this.tab(name).click());
  }

  /** Moves between tabs with the keyboard, as the tab pattern allows. */
  async pressOnSelectedTab(key: 'ArrowLeft' | 'ArrowRight'): Promise<void> {
    await step(`press ${key} on the selected tab`, () =>
      this.tabs.locator('[role="tab"][aria-selected="true"]').press(key),
    );
  }

  async selectPeriod(label: FlowPeriodLabel): Promise<void> {
    await step(`choose the period "${label}"`, () => this.period(label).check());
  }
}
