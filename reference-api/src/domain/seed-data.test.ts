import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_SEED, generateSeedData } from './seed-data.ts';
import type { Bar } from './types.ts';

const data = generateSeedData();
const isCents = (x: number): boolean => Math.abs(Math.round(x * 100) / 100 - x) < 1e-9;

/** Closes of one symbol's bars in date order. */
function closesOf(bars: (Bar & { symbol: string })[], symbol: string): number[] {
  return bars
    .filter((b) => b.symbol === symbol)
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((b) => b.close);
}

/** Least-squares slope of y on x, i.e. beta of y against x. */
function slope(y: number[], x: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (x[i]! - mx) * (y[i]! - my);
    den += (x[i]! - mx) ** 2;
  }
  return num / den;
}

const returnsOf = (closes: number[]): number[] => closes.slice(1).map((c, i) => c / closes[i]! - 1);

describe('generateSeedData', () => {
  test('gives deep-equal data for the same seed and different data for another seed', () => {
    assert.deepEqual(generateSeedData(DEFAULT_SEED), data);
    const other = generateSeedData(DEFAULT_SEED + 1);
    assert.notDeepEqual(other.bars, data.bars);
    assert.deepEqual(other.tradingDays, data.tradingDays, 'the calendar does not depend on the seed');
  });

  test('has about two years of ascending weekday trading days ending on 2026-10-30', () => {
    const days = data.tradingDays;
    assert.ok(days.length >= 480 && days.length <= 520, `${days.length} trading days`);
    assert.equal(days[0], '2024-11-01');
    assert.equal(days.at(-1), '2026-10-30');
    for (let i = 0; i < days.length; i++) {
      const weekday = new Date(`${days[i]}T00:00:00Z`).getUTCDay();
      assert.ok(weekday >= 1 && weekday <= 5, `${days[i]} is a weekday`);
      if (i > 0) assert.ok(days[i - 1]! < days[i]!, 'strictly ascending');
    }
    assert.ok(!days.includes('2025-10-01'), 'National Day is closed');
  });

  test('has 100 securities with unique 6-digit A-share codes and unique names', () => {
    assert.equal(data.securities.length, 100);
    const symbols = data.securities.map((s) => s.symbol);
    assert.equal(new Set(symbols).size, 100);
    assert.equal(new Set(data.securities.map((s) => s.name)).size, 100);
    for (const s of symbols) assert.match(s, /^(60[0-3]\d{3}|688\d{3}|00[0-2]\d{3}|30[01]\d{3})$/);
  });

  test('spreads securities over about 8 sectors of 2-4 industries, each sector holding more than one', () => {
    const bySector = new Map<string, { count: number; industries: Set<string> }>();
    for (const s of data.securities) {
      const entry = bySector.get(s.sector) ?? { count: 0, industries: new Set() };
      entry.count++;
      entry.industries.add(s.industry);
      bySector.set(s.sector, entry);
    }
    assert.equal(bySector.size, 8);
    for (const [sector, { count, industries }] of bySector) {
      assert.ok(count > 1, `${sector} has ${count} securities`);
      assert.ok(industries.size >= 2 && industries.size <= 4, `${sector} has ${industries.size} industries`);
    }
  });

  test('has exactly one bar and one fund-flow row per security per trading day, and index bars for 3 indices', () => {
    const days = data.tradingDays.length;
    assert.equal(data.bars.length, 100 * days);
    assert.equal(data.fundFlows.length, 100 * days);
    assert.deepEqual(
      data.indices.map((i) => i.code),
      ['000001', '399001', '000300'],
    );
    assert.equal(data.indexBars.length, 3 * days);
    const keys = new Set(data.bars.map((b) => `${b.symbol} ${b.date}`));
    assert.equal(keys.size, data.bars.length);
    for (const s of data.securities) {
      assert.deepEqual(
        data.bars.filter((b) => b.symbol === s.symbol).map((b) => b.date),
        data.tradingDays,
      );
    }
  });

  test('keeps every bar consistent: low <= open, close <= high, positive cent prices, whole-lot volume', () => {
    for (const b of [...data.bars, ...data.indexBars]) {
      const where = `${b.symbol} ${b.date}`;
      assert.ok(b.low > 0, `${where}: low > 0`);
      assert.ok(b.low <= Math.min(b.open, b.close), `${where}: low <= min(open, close)`);
      assert.ok(Math.max(b.open, b.close) <= b.high, `${where}: max(open, close) <= high`);
      for (const x of [b.open, b.high, b.low, b.close, b.amount]) assert.ok(isCents(x), `${where}: ${x} has cents`);
      assert.ok(Number.isInteger(b.volume) && b.volume > 0, `${where}: volume is a positive integer`);
    }
    for (const b of data.bars) {
      // Turnover lies between what the volume would cost at the day's low and at its high.
      assert.ok(b.amount >= b.volume * b.low - 0.01 && b.amount <= b.volume * b.high + 0.01, `${b.symbol} ${b.date}`);
      assert.equal(b.volume % 100, 0);
    }
  });

  test('moves stocks with the market, so betas against the CSI 300 are mostly between 0.5 and 1.5', () => {
    const market = returnsOf(closesOf(data.indexBars, '000300'));
    const betas = data.securities.map((s) => slope(returnsOf(closesOf(data.bars, s.symbol)), market));
    for (const b of betas) assert.ok(b > 0.3 && b < 1.8, `beta ${b}`);
    const mid = betas.filter((b) => b >= 0.5 && b <= 1.5).length;
    assert.ok(mid >= 80, `${mid} of 100 betas in [0.5, 1.5]`);
  });

  test('makes main-force flows follow the day return, and keeps flows in cents', () => {
    const symbol = data.securities[0]!.symbol;
    const closes = closesOf(data.bars, symbol);
    const flows = data.fundFlows.filter((f) => f.symbol === symbol).map((f) => f.mainNetInflow);
    const r = returnsOf(closes);
    const sameSign = r.filter((ret, i) => Math.sign(ret) === Math.sign(flows[i + 1]!)).length;
    assert.ok(sameSign / r.length > 0.65, `main flow agrees with the return on ${sameSign} of ${r.length} days`);
    for (const f of data.fundFlows) assert.ok(isCents(f.mainNetInflow) && isCents(f.retailNetInflow));
  });

  test('gives the demo user 10 positions in whole lots across all sectors, costed near a past close', () => {
    assert.deepEqual(
      { username: data.demoUser.username, password: data.demoUser.password },
      { username: 'demo', password: 'demo-pass' },
    );
    assert.equal(data.positions.length, 10);
    assert.equal(new Set(data.positions.map((p) => p.symbol)).size, 10);
    const sectors = new Set<string>();
    for (const p of data.positions) {
      const security = data.securities.find((s) => s.symbol === p.symbol);
      assert.ok(security, `${p.symbol} is a listed security`);
      sectors.add(security.sector);
      assert.ok(p.quantity > 0 && p.quantity % 100 === 0, `${p.symbol}: quantity ${p.quantity}`);
      const closes = closesOf(data.bars, p.symbol);
      assert.ok(p.costPrice >= Math.min(...closes) * 0.97 && p.costPrice <= Math.max(...closes) * 1.03);
    }
    assert.equal(sectors.size, 8);
  });

  test('has two alert rules on known symbols or the whole portfolio', () => {
    assert.equal(data.alertRules.length, 2);
    const symbols = new Set(data.securities.map((s) => s.symbol));
    for (const rule of data.alertRules) {
      assert.ok(rule.symbol === null || symbols.has(rule.symbol));
      assert.ok(['price_above', 'price_below', 'var95_above', 'drawdown_above'].includes(rule.metric));
      assert.ok(rule.threshold > 0);
    }
  });
});
