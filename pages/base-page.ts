// What every page has: the navigation bar, the <h1>, and the document's page marker.
import type { Locator, Page } from '@playwright/test';
import { MainNavigation } from './components/navigation.ts';

export abstract class BasePage {
  readonly page: Page;
  /** The shared navigation bar. */
  readonly nav: MainNavigation;
  /** The page's <h1>. */
  readonly heading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.nav = new MainNavigation(page);
    this.heading = page.getByRole('heading', { level: 1 });
  }
}
