// A figure card: role="group" named by its label, the raw figure in data-value of its metric-value element.
import type { Locator } from '@playwright/test';

export class MetricCard {
  /** The card (role group named by its label). */
  readonly root: Locator;
  /** The figure; its raw value is in data-value, the formatted one is the text. */
  readonly value: Locator;
  /** Secondary figure with its own data-value (e.g. the VaR amount in CNY). */
  readonly detailValue: Locator;

  constructor(scope: Locator, label: string) {
    this.root = scope.getByRole('group', { name: label, exact: true });
    this.value = this.root.getByTestId('metric-value');
    this.detailValue = this.root.locator('.metric-detail [data-value]');
  }
}
