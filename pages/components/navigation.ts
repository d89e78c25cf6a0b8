// The navigation bar every page shares: links to the six areas (the current one has aria-current="page"), and
// either "Signed in as <name>" with a "Log out" button, or a "Log in" link.
import type { Locator, Page } from '@playwright/test';
import { step } from '../step.ts';

/** The names of the main navigation's links. */
export type NavLinkName = 'Market' | 'Fund flow' | 'Risk' | 'Charts' | 'Export';

export class MainNavigation {
  /** The `navigation` landmark named "Main". */
  readonly root: Locator;
  /** "Signed in as <displayName>" text, present while a user is signed in. */
  readonly signedInAs: Locator;
  /** The "Log out" button (signed in). */
  readonly logOutButton: Locator;
  /** The "Log in" link (signed out). */
  readonly logInLink: Locator;
  /** The link marked as the current page. */
  readonly currentLink: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('navigation', { name: 'Main' });
    this.signedInAs = this.root.getByText(/^Signed in as /);
    this.logOutButton = this.root.getByRole('button', { name: 'Log out' });
    this.logInLink = this.root.getByRole('link', { name: 'Log in', exact: true });
    this.currentLink = this.root.locator('a[aria-current="page"]');
  }

  /** The link to one area. */
  link(name: NavLinkName): Locator {
    return this.root.getByRole('link', { name, exact: true });
  }

  async open(name: NavLinkName): Promise<void> {
    await step(`open "${name}" from the navigation`, () => this.link(name).click());
  }

  async logOut(): Promise<void> {
    await step('log out', () => this.logOutButton.click());
  }
}
