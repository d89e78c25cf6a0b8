// The states every block of data on a page can be in: loading (role=status "Loading <what>…"), an error
// (role=alert "Could not load <what>: <message>" with a Retry button), or its content.
import type { Locator } from '@playwright/test';
import { step } from '../step.ts';

export class AsyncBlock {
  /** The error alert of this block. */
  readonly error: Locator;
  /** The alert's sentence alone ("Could not load <what>: <message>"), without the Retry button's text. */
  readonly errorMessage: Locator;
  /** The loading status of this block. */
  readonly loading: Locator;
  private readonly retryButton: Locator;
  private readonly what: string;

  /** `what` as the page words it: "quotes", "fund flow", "K-line data", ... */
  constructor(scope: Locator, what: string) {
    this.what = what;
    this.error = scope.getByRole('alert').filter({ hasText: `Could not load ${what}` });
    this.loading = scope.getByRole('status').filter({ hasText: `Loading ${what}` });
    this.errorMessage = this.error.locator('p');
    this.retryButton = this.error.getByRole('button', { name: 'Retry' });
  }

  async retry(): Promise<void> {
    await step(`retry loading ${this.what}`, () => this.retryButton.click());
  }
}
