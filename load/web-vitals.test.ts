// Web Vitals bounds and judgement: the SLO file's optional webVitals block (absent bounds are Google's "good"
// ones), a bad bound named with its location, and each page's P75 from an aggregate keyed as Artillery's
// Playwright engine keys it (`browser.page.<VITAL>.<page>`) judged against them. The live run, healthy and with
// a slow API route, is in docs/performance.md.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pageMetricName } from './thresholds.ts';
import {
  GOOD_WEB_VITALS,
  journeySteps,
  judgeJourneySteps,
  judgeWebVitals,
  pageVitals,
  webVitalLimits,
} from './web-vitals.ts';

const dir = mkdtempSync(join(tmpdir(), 'web-vitals-test-'));
const seedConfig = readFileSync(new URL('../slo/slo-config.yaml', import.meta.url), 'utf8');
const withBlock = (block: string): string => {
  const path = join(dir, `slo-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, seedConfig.replace(/^slos:/m, `${block}\nslos:`));
  return path;
};

describe('Web Vitals', () => {
  test('without a webVitals block the bounds are Google\'s "good" ones', async () => {
    const { limits, source } = await webVitalLimits();
    assert.deepEqual(limits, GOOD_WEB_VITALS);
    assert.match(source, /Google's "good" bounds/);
  });

  test('a webVitals block sets the bounds it names and leaves the others at "good"', async () => {
    const { limits } = await webVitalLimits(withBlock('webVitals:\n  lcpMs: 4000\n  cls: 0.25'));
    assert.deepEqual(limits, { ...GOOD_WEB_VITALS, LCP: 4000, CLS: 0.25 });
  });

  test('a negative bound is an error naming the field and its line', async () => {
    await assert.rejects(
      webVitalLimits(withBlock('webVitals:\n  lcpMs: -1')),
      /webVitals\.lcpMs: must be positive .*:\d+:\d+/,
    );
  });

  test('each page is judged at P75, and a slow page fails', () => {
    const vitals = pageVitals({
      counters: { 'browser.http_requests': 39 },
      summaries: {
        'browser.page.LCP.http://127.0.0.1:3000/market': { p75: 3100, count: 3, p50: 2000 },
        'browser.page.CLS.http://127.0.0.1:3000/market': { p75: 0.02, count: 3 },
        'browser.page.LCP.http://127.0.0.1:3000/login': { p75: 900, count: 3 },
        'http.response_time': { p75: 10, count: 3 },
      },
    });
    const results = judgeWebVitals(vitals, GOOD_WEB_VITALS, 'test');
    assert.deepEqual(
      results.map((r) => [r.name, r.value, r.ok]),
      [
        ['web-vitals LCP http://127.0.0.1:3000/login', 900, true],
        ['web-vitals LCP http://127.0.0.1:3000/market', 3100, false],
        ['web-vitals CLS http://127.0.0.1:3000/market', 0.02, true],
      ],
    );
  });

  test("the journey's timed steps are held to the LCP bound at P75", () => {
    const steps = journeySteps({
      summaries: {
        'browser.step.market_quotes_shown': { p75: 3200, count: 4 },
        'browser.step.chart_drawn': { p75: 600, count: 4 },
        'browser.page.LCP.http://127.0.0.1:3000/login': { p75: 900, count: 4 },
      },
    });
    const results = judgeJourneySteps(steps, { ...GOOD_WEB_VITALS, LCP: 3000 }, 'test');
    assert.deepEqual(
      results.map((r) => [r.name, r.value, r.limit, r.ok]),
      [
        ['page step chart_drawn', 600, 3000, true],
        ['page step market_quotes_shown', 3200, 3000, false],
      ],
    );
  });

  test('a page metric is keyed by its route: no origin, a chart symbol as :symbol, no query', () => {
    assert.deepEqual(
      [
        'browser.page.LCP.http://127.0.0.1:40125/charts/600519',
        'browser.page.CLS.http://127.0.0.1:40125/charts/000001',
        'browser.page.TTFB.https://stocks.example.com:8443/login?next=%2Fmarket',
        'browser.page.dominteractive.http://127.0.0.1:40125/market',
        'browser.page.codes.200',
        'browser.step.chart_drawn',
      ].map(pageMetricName),
      [
        'browser.page.LCP./charts/:symbol',
        'browser.page.CLS./charts/:symbol',
        'browser.page.TTFB./login',
        'browser.page.dominteractive./market',
        'browser.page.codes.200',
        'browser.step.chart_drawn',
      ],
    );
  });
});
