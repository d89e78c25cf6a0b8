import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backtestMaCrossover } from './backtest.ts';
import type { Bar } from './types.ts';

/** Bars on consecutive January days from closes (only date and close matter to the strategy). */
function bars(closes: number[]): Bar[] {
  return closes.map((close, i) => ({
    date: `2026-01-${String(i + 1).padStart(2, '0')}`,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1000,
    amount: close * 1000,
  }));
}

/** Asserts |actual − expected| <= 1e-12. */
function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12, `expected ${expected}, got ${actual}`);
}

describe('backtestMaCrossover', () => {
  test('buys on a cross up, ignores a touch, sells on the cross down and buys again (2/3-day SMAs)', () => {
    // day:    1   2   3   4   5   6   7   8     9   10
    // close: 10  10  10  11  13  14  12  11.5  12   13
    // SMA2:   -  10  10 10.5 12 13.5  13 11.75 11.75 12.5
    // SMA3:   -   -  10 10.33 11.33 12.67 13 12.5 11.83 12.17
    // f - s:  -   -   0  +   +   +    0   -    -    +
    // Day 4: 0 -> + is a cross up: buy floor(5000 / 1100) = 4 lots = 400 at 11, cash 600.
    // Day 7: + -> 0 only touches. Day 8: 0 -> - crosses down: sell 400 at 11.5, cash 600 + 4600 = 5200 (a win).
    // Day 10: - -> + crosses up: buy floor(5200 / 1300) = 4 lots = 400 at 13, cash 0; still open at the end.
    const result = backtestMaCrossover(bars([10, 10, 10, 11, 13, 14, 12, 11.5, 12, 13]), {
      fast: 2,
      slow: 3,
      initialCash: 5000,
    });
    assert.deepEqual(result.trades, [
      { date: '2026-01-04', side: 'buy', price: 11, quantity: 400, cashAfter: 600 },
      { date: '2026-01-08', side: 'sell', price: 11.5, quantity: 400, cashAfter: 5200 },
      { date: '2026-01-10', side: 'buy', price: 13, quantity: 400, cashAfter: 0 },
    ]);
    // Equity = cash + shares * close: 5000 x3, 600+4400, 600+5200, 600+5600, 600+4800, 5200, 5200, 0+5200.
    assert.deepEqual(
      result.equityCurve.map((p) => p.equity),
      [5000, 5000, 5000, 5000, 5800, 6200, 5400, 5200, 5200, 5200],
    );
    assert.equal(result.finalEquity, 5200);
    near(result.totalReturn, 0.04);
    near(result.maxDrawdown, 1000 / 6200);
    assert.equal(result.tradeCount, 3);
    assert.equal(result.winRate, 1, 'one completed round trip, sold above cost; the open one does not count');
  });

  test('counts a round trip sold below cost as a loss', () => {
    // close: 10 9 8 9 11 12 10 8 9; SMA2 - SMA3 from day 3: -0.5, -0.17, +0.67, +0.83, 0, -1, -0.5
    // Day 5 buys floor(10000 / 1100) = 9 lots = 900 at 11 (cash 100); day 8 sells 900 at 8 (cash 7300).
    const result = backtestMaCrossover(bars([10, 9, 8, 9, 11, 12, 10, 8, 9]), {
      fast: 2,
      slow: 3,
      initialCash: 10000,
    });
    assert.deepEqual(
      result.trades.map((t) => [t.date, t.side, t.quantity, t.cashAfter]),
      [
        ['2026-01-05', 'buy', 900, 100],
        ['2026-01-08', 'sell', 900, 7300],
      ],
    );
    assert.equal(result.finalEquity, 7300);
    near(result.totalReturn, -0.27);
    assert.equal(result.winRate, 0);
    near(result.maxDrawdown, 3600 / 10900); // peak 100 + 900 * 12 = 10900 on day 6, trough 7300
  });

  test('buys in the given lot size and skips a buy it cannot afford', () => {
    const series = bars([10, 10, 10, 11, 13]);
    const tenLots = backtestMaCrossover(series, { fast: 2, slow: 3, initialCash: 5000, lotSize: 10 });
    assert.equal(tenLots.trades[0]?.quantity, 450); // floor(5000 / 110) = 45 lots of 10
    const tooPoor = backtestMaCrossover(series, { fast: 2, slow: 3, initialCash: 1000 }); // one lot costs 1100
    assert.equal(tooPoor.tradeCount, 0);
    assert.equal(tooPoor.finalEquity, 1000);
  });

  test('never trades when there are fewer bars than the slow period', () => {
    const result = backtestMaCrossover(bars([1, 2, 3]), { fast: 2, slow: 5, initialCash: 100 });
    assert.equal(result.tradeCount, 0);
    assert.equal(result.equityCurve.length, 3);
    assert.equal(result.totalReturn, 0);
  });

  test('rejects invalid options with a message naming the option', () => {
    const series = bars([1, 2, 3]);
    assert.throws(() => backtestMaCrossover(series, { fast: 5, slow: 5, initialCash: 100 }), {
      name: 'RangeError',
      message: 'fast (5) must be shorter than slow (5)',
    });
    assert.throws(() => backtestMaCrossover(series, { fast: 0, slow: 5, initialCash: 100 }), /fast must be a positive/);
    assert.throws(() => backtestMaCrossover(series, { fast: 2, slow: 5, initialCash: -1 }), /initialCash must be/);
    assert.throws(
      () => backtestMaCrossover(series, { fast: 2, slow: 5, initialCash: 100, lotSize: 2.5 }),
      /lotSize must be a positive integer/,
    );
  });
});
