// Smoke: the login page validates, names a wrong password and rate limiting, returns to the page asked for,
// and the navigation bar's Log out ends the session. Runs without the shared session.
import { expect, test } from './fixtures.ts';

test.use({ storageState: { cookies: [], origins: [] } });

test('asks for both fields before sending anything', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByText('Enter your username.')).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Username').fill('demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByText('Enter your password.')).toBeVisible();
  await expect(page.getByLabel('Password')).toBeFocused();
});

test.describe('refused logins', () => {
  // The browser logs the 401 and 429 answers itself; they are the expected answers here.
  test.use({ allowedConsoleErrors: [/status of 40[19]|status of 429/] });

  test('says so for a wrong password', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Username').fill('demo');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Invalid username or password.');
    await expect(page).toHaveURL(/\/login$/);
  });

  test('says so when attempts are rate limited', async ({ page }) => {
    // A user of its own, so the demo user's budget stays untouched; the limit is per (address, username).
    const username = `ratelimit-${Date.now().toString(36)}`;
    let status = 0;
    for (let i = 0; i < 50 && status !== 429; i++) {
      status = (
        await page.request.post('/api/auth/login', { data: { username, password: 'wrong-password' } })
      ).status();
    }
    expect(status).toBe(429);
    await page.goto('/login');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toContainText('Too many login attempts');
  });
});

test('returns to the protected page after login, and Log out ends the session', async ({ page }) => {
  await page.goto('/risk');
  await expect(page).toHaveURL(/\/login\?next=%2Frisk$/);
  await page.getByLabel('Username').fill('demo');
  await page.getByLabel('Password').fill('demo-pass');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/risk$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Risk' })).toBeVisible();

  const me = (await (await page.request.get('/api/auth/me')).json()) as { user: { displayName: string } };
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toContainText(`Signed in as ${me.user.displayName}`);
  await nav.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(nav.getByRole('link', { name: 'Log in' })).toBeVisible();
  expect((await page.request.get('/api/auth/me')).status()).toBe(401);
  await page.goto('/export');
  await expect(page).toHaveURL(/\/login\?next=%2Fexport$/);
});
