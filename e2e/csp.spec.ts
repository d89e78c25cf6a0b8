// The six pages, ECharts included, work under the service's Content-Security-Policy (docs/security.md): each
// page is loaded as the signed-in demo user and drawn (its main content, and the canvas where there is a
// chart), and neither the console nor a securitypolicyviolation event reports a violation. The last case
// proves the listener hears one when there is one: an inline script, which the policy forbids.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/index.ts';

/** Collects CSP violations of a page: console messages about the policy and securitypolicyviolation events. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  return async () => [
    ...fromConsole,
    ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)),
  ];
}

test('the six pages draw under the CSP without a single violation', async ({ page, request }) => {
  const quotes = (await (await request.get('/api/market/quotes?pageSize=1')).json()) as {
    items: { symbol: string }[];
  };
  const symbol = quotes.items[0]!.symbol;
  const violations = await watchViolations(page);
  for (const [path, drawn] of [
    ['/login', 'main form, main a'],
    ['/market', 'main table'],
    ['/fund-flow', 'main canvas'],
    ['/risk', 'main canvas, main table'],
    [`/charts/${symbol}`, 'main canvas'],
    ['/export', 'main form'],
  ] as const) {
    const response = await page.goto(path);
    expect(response?.headers()['content-security-policy'], path).toContain("script-src 'self'");
    await expect(page.locator(drawn).first(), path).toBeVisible();
    // Let the charts finish drawing and the tooltips' styles apply before reading the violations.
    await page.waitForLoadState('networkidle');
    expect(await violations(), path).toEqual([]);
  }
});

test.describe('the watch itself', () => {
  // Chromium also logs the blocked script as a console error, which is this test's point, not a page fault.
  test.use({ allowedConsoleErrors: [/Content Security Policy/] });

  test('the violation watch hears an inline script the policy blocks', async ({ page }) => {
    const violations = await watchViolations(page);
    await page.goto('/market', { waitUntil: 'domcontentloaded' });
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
    });
    await expect.poll(violations).toContainEqual(expect.stringMatching(/script-src/));
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
  });
});
