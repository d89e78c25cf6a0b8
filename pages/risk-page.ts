// /risk (session required): portfolio figures (Market value, VaR 95%/99% with their CNY amounts, Max drawdown,
// Volatility, Beta, Sharpe ratio), the positions table, alert rules (table, create form, delete per row) and
// the moving-average crossover backtest (form, summary figures, equity chart, trades).
import type { Locator, Page } from '@playwright/test';
import { BasePage } from './base-page.ts';
import { AsyncBlock } from './components/async-block.ts';
import { Chart } from './components/chart.ts';
import { DataTable } from './components/data-table.ts';
import { MetricCard } from './components/metric.ts';
import { step } from './step.ts';

export type RiskFigure =
  | 'Market value'
  | 'VaR 95%'
  | 'VaR 99%'
  | 'Max drawdown'
  | 'Volatility'
  | 'Beta'
  | 'Sharpe ratio';
export type BacktestFigure = 'Total return' | 'Max drawdown' | 'Trades' | 'Win rate' | 'Final equity';
/** Option labels of the alert form's Metric select. */
export type AlertMetricLabel = 'Price above' | 'Price below' | 'VaR 95% above' | 'Drawdown above';

export interface AlertInput {
  metric: AlertMetricLabel;
  symbol?: string;
  /** As typed: a price, or a fraction for VaR and drawdown. */
  threshold: string;
}

export interface BacktestInput {
  symbol?: string;
  from?: string;
  to?: string;
  fast?: number;
  slow?: number;
  initialCash?: number;
}

export class RiskPage extends BasePage {
  readonly portfolio: Locator;
  readonly portfolioState: AsyncBlock;
  readonly positions: DataTable;
  /** "As of <date> · <n>-day lookback · benchmark <name>", with data-as-of. */
  readonly asOf: Locator;
  readonly alertRules: DataTable;
  readonly alertsRegion: Locator;
  /** "No alert rules yet. Create one below." */
  readonly alertsEmpty: Locator;
  /** "Alert created: …" / "Alert deleted: …" */
  readonly alertStatus: Locator;
  readonly alertForm: Locator;
  readonly backtestForm: Locator;
  readonly backtestSummary: Locator;
  readonly equityChart: Chart;
  readonly trades: DataTable;
  readonly backtestRegion: Locator;
  private readonly alertFields: { metric: Locator; symbol: Locator; threshold: Locator; create: Locator };
  private readonly backtestFields: {
    symbol: Locator;
    from: Locator;
    to: Locator;
    fast: Locator;
    slow: Locator;
    initialCash: Locator;
    run: Locator;
  };

  constructor(page: Page) {
    super(page);
    this.portfolio = page.getByRole('region', { name: 'Portfolio risk' });
    this.portfolioState = new AsyncBlock(page.locator('main'), 'portfolio risk');
    this.positions = new DataTable(page.getByRole('region', { name: 'Positions' }).getByRole('table'));
    this.asOf = page.getByTestId('risk-as-of');
    this.alertsRegion = page.getByRole('region', { name: 'Alert rules' });
    this.alertRules = new DataTable(this.alertsRegion.getByRole('table', { name: 'Alert rules' }));
    this.alertsEmpty = this.alertsRegion.getByText('No alert rules yet.');
    this.alertStatus = page.getByTestId('alert-status');
    this.alertForm = page.getByRole('form', { name: 'New alert rule' });
    this.alertFields = {
      metric: this.alertForm.getByLabel('Metric'),
      symbol: this.alertForm.getByLabel('Symbol'),
      threshold: this.alertForm.getByLabel('Threshold'),
      create: this.alertForm.getByRole('button', { name: 'Create alert' }),
    };
    this.backtestRegion = page.getByRole('region', { name: 'Backtest' });
    this.backtestForm = this.backtestRegion.getByRole('form', { name: 'Moving-average crossover backtest' });
    this.backtestFields = {
      symbol: this.backtestForm.getByLabel('Symbol'),
      from: this.backtestForm.getByLabel('Start date'),
      to: this.backtestForm.getByLabel('End date'),
      fast: this.backtestForm.getByLabel('Fast MA (days)'),
      slow: this.backtestForm.getByLabel('Slow MA (days)'),
      initialCash: this.backtestForm.getByLabel('Initial cash (CNY)'),
      run: this.backtestForm.getByRole('button', { name: 'Run backtest' }),
    };
    this.backtestSummary = this.backtestRegion.getByRole('group', { name: 'Backtest summary' });
    this.equityChart = new Chart(this.backtestRegion.getByTestId('equity-chart'));
    this.trades = new DataTable(this.backtestRegion.getByRole('table', { name: 'Backtest trades' }));
  }

  async goto(): Promise<void> {
    await step('open the risk page', () => this.page.goto('/risk'));
  }

  figure(name: RiskFigure): MetricCard {
    return new MetricCard(this.portfolio, name);
  }

  backtestFigure(name: BacktestFigure): MetricCard {
    return new MetricCard(this.backtestSummary, name);
  }

  /** A field of the alert form, to read its value or error. */
  alertField(name: 'Metric' | 'Symbol' | 'Threshold'): Locator {
    return this.alertForm.getByLabel(name);
  }

  /** A field of the backtest form, to read its value or error. */
  backtestField(name: 'Symbol' | 'Start date' | 'End date' | 'Fast MA (days)' | 'Slow MA (days)'): Locator {
    return this.backtestForm.getByLabel(name);
  }

  /** A validation message inside one of the forms. */
  formMessage(form: 'alert' | 'backtest', text: string): Locator {
    return (form === 'alert' ? this.alertForm : this.backtestForm).getByText(text, { exact: true });
  }

  async createAlert(input: AlertInput): Promise<void> {
    const what = `${input.metric} ${input.threshold}${input.symbol ? ` for ${input.symbol}` : ''}`;
    await step(`create the alert rule "${what}"`, async () => {
      await this.alertFields.metric.selectOption({ label: input.metric });
      if (input.symbol !== undefined) await this.alertFields.symbol.fill(input.symbol);
      await this.alertFields.threshold.fill(input.threshold);
      await this.alertFields.create.click();
    });
  }

  /** Presses "Delete" in the alert row keyed by the rule's id. */
  async deleteAlert(id: number | string): Promise<void> {
    await step(`delete alert rule ${id}`, () =>
      this.alertRules
        .row(String(id))
        .getByRole('button', { name: /^Delete alert: / })
        .click(),
    );
  }

  /** Fills in the fields given (others keep their defaults) and presses "Run backtest". */
  async runBacktest(input: BacktestInput = {}): Promise<void> {
    await step(`run the backtest ${JSON.stringify(input)}`, async () => {
      const f = this.backtestFields;
      if (input.symbol !== undefined) await f.symbol.fill(input.symbol);
      if (input.from !== undefined) await f.from.fill(input.from);
      if (input.to !== undefined) await f.to.fill(input.to);
      if (input.fast !== undefined) await f.fast.fill(String(input.fast));
      if (input.slow !== undefined) await f.slow.fill(String(input.slow));
      if (input.initialCash !== undefined) await f.initialCash.fill(String(input.initialCash));
      await f.run.click();
    });
  }
}
