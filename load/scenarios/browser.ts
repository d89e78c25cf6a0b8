// Browser-level load on Artillery's Playwright engine: a few virtual users, each a real Chromium session that
// signs in through the login page and reads the market page and a symbol's chart, while the engine reports Web
// Vitals (TTFB, FCP, LCP, CLS, INP) per page. Run with `harness load --profile smoke --scenario browser`.
//
// The vitals see page loads only. After signing in, the market page is reached without a page load (the pages
// route on the client), and a page's largest paint is its heading or a skeleton, painted before the data that
// the user came for. So the journey also times the moments a user waits for, as Artillery steps
// (`browser.step.<name>`, judged in load/web-vitals.ts like LCP): the quotes table shown after sign-in, and a
// symbol's K-line drawn after opening its chart. A slow API route behind a page shows there.
//
// The page interactions are the E2E suites' own page objects (pages/), so a change to a page is made in one place
// for both; the browser context's baseURL lets their relative paths resolve against the target.
import type { Page } from '@playwright/test';
import type { Config, Scenario, VUContext, VUEvents } from 'artillery';
import { OFFLINE_CHROMIUM_ARGS } from '../../core/chromium.ts';
import { ChartsPage } from '../../pages/charts-page.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { MarketPage } from '../../pages/market-page.ts';
import { loadData, pickPopular } from '../data.ts';
import { baseConfig, readPlan } from '../plan.ts';
import { phaseSeconds } from '../profiles.ts';
import { METRIC, pageMetricName } from '../thresholds.ts';

const plan = readPlan();
// The whole schedule, pauses included (a generator given no share of a phase still spends its time).
const seconds = plan.phases.reduce((sum, phase) => sum + phaseSeconds(phase), 0);

/** Names of the timed steps (`browser.step.<name>` in Artillery's report). */
export const STEPS = { quotesShown: 'market_quotes_shown', chartDrawn: 'chart_drawn' } as const;

/** Artillery's Playwright engine passes this as the test function's fourth argument. */
interface StepTimer {
  step(name: string, actions: () => Promise<void>): Promise<void>;
}

/** Signs a fresh user in through the UI, then the market page and one chart. */
async function browseAsTrader(page: Page, context: VUContext, events: VUEvents, test: StepTimer): Promise<void> {
  events.emit('counter', METRIC.checkFailures, 0);
  const base = String(context.vars.target);
  const username = `lb-${Math.random().toString(36).slice(2, 12)}`;
  const password = `pw-${Math.random().toString(36).slice(2, 14)}`;
  try {
    // Each virtual user its own account: login is rate-limited per (IP, username).
    const registered = await page.request.post(`${base}/api/auth/register`, {
      data: { username, password, displayName: 'Browser Load' },
      timeout: 10_000,
    });
    if (registered.status() !== 201) throw new Error(`register answered ${registered.status()}`);
    const login = new LoginPage(page);
    await login.goto('/market');
    await login.logIn(username, password);
    await page.waitForURL('**/market');
    // From the market route to its first quote row: the quotes request and the table's render.
    await test.step(STEPS.quotesShown, () => new MarketPage(page).quotes.rows.first().waitFor());
    const charts = new ChartsPage(page);
    // From the chart page's request to its K-line drawn (data-rendered="true"): the page load, the K-line
    // request and the drawing.
    await test.step(STEPS.chartDrawn, async () => {
      await charts.goto(pickPopular(loadData().symbols).symbol);
      await charts.chart.root.and(page.locator('[data-rendered="true"]')).waitFor();
    });
    await charts.heading.waitFor();
    await page.request.delete(`${base}/api/auth/me`, { timeout: 10_000 });
  } catch (error) {
    events.emit('counter', METRIC.checkFailures, 1);
    throw error;
  }
}

const base = baseConfig(plan, 'browser');

export const config: Config = {
  ...base,
  // A few browsers, whatever the profile's API rate: Chromium sessions are heavy, and Web Vitals need few.
  phases: [
    {
      name: 'browsers',
      duration: Math.max(1, seconds),
      arrivalCount: Math.max(1, Math.min(5, Math.round(seconds / 12))),
      maxVusers: 3,
    },
  ],
  variables: { ...base.variables, target: plan.target },
  engines: {
    playwright: {
      launchOptions: {
        headless: true,
        // Debian's Chromium, where Playwright's own browser is not installed (MACHINE.md).
        executablePath: plan.chromiumPath ?? '/usr/bin/chromium',
        args: OFFLINE_CHROMIUM_ARGS,
      },
      // Page objects navigate by path (`/login`, `/charts/600519`), as in the E2E suites.
      contextOptions: { baseURL: plan.target },
      defaultTimeout: 15,
      // Per page, not per scenario: Web Vitals are judged page by page (a page is its route: $rewriteMetricName).
      aggregateByName: false,
    },
  },
};

/** Artillery's hook for metric names: page metrics are keyed by the page's route, not its full URL. */
export const $rewriteMetricName = (name: string): string => pageMetricName(name);

export const scenarios: Scenario[] = [{ name: 'browser', engine: 'playwright', testFunction: browseAsTrader }];
