// /login: the "Log in" form (Username, Password, button "Log in"), field validation ("Enter your username.",
// aria-invalid) and the form's alert for a refused login (wrong password, rate limited, server error).
import type { Locator, Page } from '@playwright/test';
import { BasePage } from './base-page.ts';
import { step } from './step.ts';

export class LoginPage extends BasePage {
  /** The form named "Log in". */
  readonly form: Locator;
  readonly username: Locator;
  readonly password: Locator;
  /** The form's alert (wrong password, rate limited, login failed). */
  readonly alert: Locator;
  private readonly submitButton: Locator;

  constructor(page: Page) {
    super(page);
    this.form = page.getByRole('form', { name: 'Log in' });
    this.username = this.form.getByLabel('Username');
    this.password = this.form.getByLabel('Password');
    this.alert = this.form.getByRole('alert');
    this.submitButton = this.form.getByRole('button', { name: 'Log in' });
  }

  /** Opens /login, optionally with the page to return to afterwards. */
  async goto(next?: string): Promise<void> {
    await step(`open the login page${next ? ` (next: ${next})` : ''}`, async () => {
      await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
    });
  }

  /** Fills in the form as given (empty strings leave a field empty) and presses "Log in". */
  async logIn(username: string, password: string): Promise<void> {
    await step(`log in as "${username}"`, async () => {
      await this.username.fill(username);
      await this.password.fill(password);
      await this.submitButton.click();
    });
  }

  /** Presses "Log in" without touching the fields. */
  async submit(): Promise<void> {
    await step('press "Log in"', () => this.submitButton.click());
  }

  /** The validation message shown under a field. */
  fieldError(text: string): Locator {
    return this.form.getByText(text, { exact: true });
  }
}
