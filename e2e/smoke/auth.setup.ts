// Logs the demo user in once through the login page and saves the session (cookie plus the page's session hint
// in localStorage) for every test; see playwright.config.ts. One login per run keeps well under the
// login rate limit (10 a minute per user and address).
import { expect, test as setup } from '@playwright/test';
import { DEMO_STORAGE_STATE } from '../../playwright.config.ts';

setup('log in as the demo user', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('demo');
  await page.getByLabel('Password').fill('demo-pass');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/market$/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Log out' })).toBeVisible();
  await page.context().storageState({ path: DEMO_STORAGE_STATE });
});
