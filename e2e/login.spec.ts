// Login: what a user sees when signing in goes right or wrong, where they land afterwards, and that signing out
// (or a session the server no longer knows) really ends access. Each case signs in as a user of its own from
// the test data factory, so the demo user's session and login budget are never touched.
import { ApiClient } from '../fixtures/api-client.ts';
import { DEMO_STORAGE_STATE, DEMO_USER } from '../fixtures/auth-state.ts';
import { baseUrl, expect, test } from '../fixtures/index.ts';

test.use({ storageState: { cookies: [], origins: [] } });

test('asks for both fields before sending anything', { tag: '@mobile' }, async ({ loginPage, page }) => {
  let loginCalls = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/auth/login')) loginCalls += 1;
  });
  await loginPage.goto();
  await loginPage.submit();
  await expect(loginPage.fieldError('Enter your username.')).toBeVisible();
  await expect(loginPage.username).toHaveAttribute('aria-invalid', 'true');
  await expect(loginPage.username).toBeFocused();

  await loginPage.logIn('demo', '');
  await expect(loginPage.fieldError('Enter your password.')).toBeVisible();
  await expect(loginPage.fieldError('Enter your username.')).toBeHidden();
  await expect(loginPage.password).toHaveAttribute('aria-invalid', 'true');
  await expect(loginPage.password).toBeFocused();
  expect(loginCalls, 'login requests sent for an incomplete form').toBe(0);
});

test.describe('refused logins', () => {
  // The browser logs the 401 and 429 answers itself; they are the answers these tests provoke.
  test.use({ allowedConsoleErrors: [/status of (401|429)/] });

  test('says so for a wrong password, clears it and signs nobody in', async ({ loginPage, factory, page }) => {
    const user = await factory.createUser();
    await loginPage.goto();
    await loginPage.logIn(user.username, 'not-the-password');
    await expect(loginPage.alert).toHaveText('Invalid username or password.');
    await expect(page).toHaveURL(/\/login$/);
    await expect(loginPage.password).toHaveValue('');
    await expect(loginPage.password).toBeFocused();
    await expect(loginPage.nav.logInLink).toBeVisible();
    const session = ApiClient.withCookies(baseUrl(), await page.context().cookies());
    expect((await session.me()).status, 'GET /api/auth/me with the browser cookies').toBe(401);
  });

  test('tells a rate-limited user how long to wait, as the API says', async ({ loginPage, factory }) => {
    // The limit is per (address, username): a name of its own leaves every other login alone.
    const username = factory.uniqueName('limited');
    const api = new ApiClient(baseUrl());
    let status = 0;
    for (let i = 0; i < 50 && status !== 429; i++) status = await api.loginStatus(username, 'wrong-password');
    expect(status, 'API answer after repeated wrong logins').toBe(429);

    await loginPage.goto();
    await loginPage.logIn(username, 'wrong-password');
    await expect(loginPage.alert).toHaveText(/^Too many login attempts\. Try again in \d+ seconds\.$/);
    const shown = Number(/in (\d+) seconds/.exec((await loginPage.alert.textContent()) ?? '')?.[1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(60);
  });
});

test('returns to the protected page asked for and greets the user by name', { tag: '@mobile' }, async ({
  loginPage,
  factory,
  page,
}) => {
  const user = await factory.createUser({ displayName: 'Quinn Analyst' });
  await page.goto('/risk');
  await expect(page).toHaveURL(/\/login\?next=%2Frisk$/);
  await loginPage.logIn(user.username, user.password);
  await expect(page).toHaveURL(/\/risk$/);
  await expect(loginPage.heading).toHaveText('Risk');
  const me = (await user.api.me()).data.user;
  await expect(loginPage.nav.signedInAs).toHaveText(`Signed in as ${me.displayName}`);
  await expect(loginPage.nav.link('Risk')).toHaveAttribute('aria-current', 'page');
});

test('Log out ends the session on the server, not just on the page', async ({ loginPage, factory, page }) => {
  const user = await factory.createUser();
  await loginPage.goto();
  await loginPage.logIn(user.username, user.password);
  await expect(page).toHaveURL(/\/market$/);
  const cookiesWhileSignedIn = await page.context().cookies();
  const oldSession = ApiClient.withCookies(baseUrl(), cookiesWhileSignedIn);
  expect((await oldSession.me()).status, 'the session works before logout').toBe(200);

  await loginPage.nav.logOut();
  await expect(page).toHaveURL(/\/login$/);
  await expect(loginPage.nav.logInLink).toBeVisible();
  await expect(loginPage.nav.signedInAs).toHaveCount(0);
  // The same cookie, replayed: the server must have forgotten it.
  expect((await oldSession.me()).status, 'GET /api/auth/me with the pre-logout cookie').toBe(401);
  await page.goto('/export');
  await expect(page).toHaveURL(/\/login\?next=%2Fexport$/);
});

test.describe('an expired session', () => {
  // The refused call (401) is logged by the browser; the redirect to login is the behaviour under test.
  test.use({ allowedConsoleErrors: [/status of 401/] });

  test('sends the user to log in and back to the page they were on', async ({ loginPage, riskPage, factory, page }) => {
    const user = await factory.createUser();
    const symbol = (await user.api.quotes({ pageSize: 1 })).items[0]!.symbol;
    await loginPage.goto('/risk');
    await loginPage.logIn(user.username, user.password);
    await expect(riskPage.alertForm).toBeVisible();
    // Everything the page loads on its own has arrived: a load still in flight when the session ends would get
    // the 401 and redirect before the user acts (seen once in five verify runs on a busy 2-core machine).
    await expect(riskPage.alertsEmpty).toBeVisible();
    await expect(riskPage.portfolioState.loading).toHaveCount(0);

    // The server ends the session (as when it expires); the browser still holds the cookie.
    await ApiClient.withCookies(baseUrl(), await page.context().cookies()).logout();
    await riskPage.createAlert({ metric: 'Price above', symbol, threshold: '123.45' });
    await expect(page).toHaveURL(/\/login\?next=%2Frisk$/);
    await expect(loginPage.nav.logInLink).toBeVisible();
    expect((await user.api.alerts()).items, 'alert rules created with the expired session').toEqual([]);

    await loginPage.logIn(user.username, user.password);
    await expect(page).toHaveURL(/\/risk$/);
    await expect(riskPage.alertForm).toBeVisible();
  });
});

test.describe('a saved session', () => {
  // The demo user's session as every other spec reuses it: its cookie, and the page's `mystocks.user` hint put
  // back into each new context by the fixtures (fixtures/auth-state.ts), once, before the page's scripts run.
  test.use({ storageState: DEMO_STORAGE_STATE });

  test('names its user on a public page, until the page forgets the hint', async ({ marketPage, page }) => {
    // The market page is public: it shows who is signed in only from the hint, asking the API nothing without one.
    await marketPage.goto();
    await expect(marketPage.nav.signedInAs).toHaveText(`Signed in as ${DEMO_USER.displayName}`);

    // A hint the page dropped stays dropped in the same context, as in a browser: the restore is not repeated.
    await page.evaluate(() => window.localStorage.removeItem('mystocks.user'));
    await page.reload();
    await expect(marketPage.quotes.rows.first()).toBeVisible();
    await expect(marketPage.nav.logInLink).toBeVisible();
    await expect(marketPage.nav.signedInAs).toHaveCount(0);
  });
});
