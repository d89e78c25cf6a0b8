import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { boll, ema, isoWeekKey, kdj, macd, resampleBars, rsi, sma } from './indicators.ts';
import type { Bar } from './types.ts';

/** Asserts two series match element by element: nulls exactly, numbers within `eps`. */
function assertSeries(actual: (number | null)[], expected: (number | null)[], eps = 1e-9): void {
  assert.equal(actual.length, expected.length, 'length');
  expected.forEach((e, i) => {
    const a = actual[i];
    if (e === null) assert.equal(a, null, `index ${i} should be null`);
    else {
      assert.equal(typeof a, 'number', `index ${i} should be a number`);
      assert.ok(Math.abs((a as number) - e) <= eps, `index ${i}: expected ${e}, got ${a}`);
    }
  });
}

describe('sma', () => {
  test('averages each full window and leaves the first period - 1 days null', () => {
    assertSeries(sma([1, 2, 3, 4, 5], 3), [null, null, 2, 3, 4]);
  });
  test('is all null when the period is longer than the data', () => {
    assertSeries(sma([1, 2], 5), [null, null]);
  });
  test('of a constant series is that constant', () => {
    assertSeries(sma([7, 7, 7, 7], 2), [null, 7, 7, 7]);
  });
  test('rejects a period that is not a positive integer', () => {
    assert.throws(() => sma([1, 2, 3], 0), RangeError);
    assert.throws(() => sma([1, 2, 3], 1.5), RangeError);
  });
});

describe('ema', () => {
  test('starts at the first value and then weights each new value by 2 / (period + 1)', () => {
    // period 3 -> alpha 0.5: 10; 0.5*20 + 0.5*10 = 15; 0.5*30 + 0.5*15 = 22.5
    assertSeries(ema([10, 20, 30], 3), [10, 15, 22.5]);
  });
  test('of an empty series is empty', () => {
    assert.deepEqual(ema([], 5), []);
  });
});

describe('macd', () => {
  test('matches a 2/3/2 MACD worked out by hand with fractions', () => {
    // EMA2 (alpha 2/3) of 10,12,11,13: 10, 34/3, 100/9, 334/27
    // EMA3 (alpha 1/2):               10, 11, 11, 12
    // DIF: 0, 1/3, 1/9, 10/27
    // DEA (EMA2 of DIF): 0, 2/9, 4/27, 8/27
    // bar = 2 (DIF - DEA): 0, 2/9, -2/27, 4/27
    const { dif, dea, histogram } = macd([10, 12, 11, 13], 2, 3, 2);
    assertSeries(dif, [0, 1 / 3, 1 / 9, 10 / 27]);
    assertSeries(dea, [0, 2 / 9, 4 / 27, 8 / 27]);
    assertSeries(histogram, [0, 2 / 9, -2 / 27, 4 / 27]);
  });
  test('is flat zero on a constant series', () => {
    const { dif, dea, histogram } = macd([5, 5, 5, 5, 5]);
    for (const line of [dif, dea, histogram]) assertSeries(line, [0, 0, 0, 0, 0]);
  });
  test('rejects a fast period that is not shorter than the slow one', () => {
    assert.throws(() => macd([1, 2, 3], 26, 12), /fast \(26\) must be shorter than slow \(12\)/);
  });
});

describe('rsi', () => {
  // Wilder's classic 14-day example closes, with 16 values: the first RSI lands on index 14, one
  // smoothed step follows on index 15.
  const closes = [
    44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0,
  ];
  test('follows Wilder smoothing on a 16-value series', () => {
    // Changes 1..14: -0.25 +0.06 -0.54 +0.72 +0.50 +0.27 +0.32 +0.42 +0.24 -0.19 +0.14 -0.42 +0.67 0.00
    const gains14 = 0.06 + 0.72 + 0.5 + 0.27 + 0.32 + 0.42 + 0.24 + 0.14 + 0.67; // 3.34
    const losses14 = 0.25 + 0.54 + 0.19 + 0.42; // 1.40
    const avgGain14 = gains14 / 14;
    const avgLoss14 = losses14 / 14;
    const rsi14 = 100 - 100 / (1 + avgGain14 / avgLoss14);
    // Change 15: 46.00 - 46.28 = -0.28, a loss.
    const avgGain15 = (avgGain14 * 13 + 0) / 14;
    const avgLoss15 = (avgLoss14 * 13 + 0.28) / 14;
    const rsi15 = 100 - 100 / (1 + avgGain15 / avgLoss15);
    const expected: (number | null)[] = Array(14).fill(null);
    expected.push(rsi14, rsi15);
    assertSeries(rsi(closes, 14), expected, 1e-9);
    assert.ok(Math.abs(rsi14 - 70.464) < 0.001, 'sanity: the hand value is about 70.46');
  });
  test('is 100 when prices only rise, and 100 on a flat series (average loss is zero)', () => {
    assertSeries(rsi([1, 2, 3, 4], 2), [null, null, 100, 100]);
    assertSeries(rsi([3, 3, 3, 3], 2), [null, null, 100, 100]);
  });
  test('is 0 when prices only fall', () => {
    assertSeries(rsi([4, 3, 2, 1], 2), [null, null, 0, 0]);
  });
  test('is all null when there are not more closes than the period', () => {
    assertSeries(rsi([1, 2, 3], 3), [null, null, null]);
  });
});

describe('kdj', () => {
  test('matches a 4-day, n = 3 series worked out by hand', () => {
    const high = [10, 11, 12, 11];
    const low = [8, 9, 10, 9];
    const close = [9, 10, 11, 10];
    // Day 2: window highs 10,11,12 -> 12; lows 8,9,10 -> 8; RSV = (11 - 8) / (12 - 8) * 100 = 75
    //   K = 2/3*50 + 1/3*75 = 175/3; D = 2/3*50 + 1/3*175/3 = 475/9; J = 3K - 2D = 625/9
    // Day 3: highs 11,12,11 -> 12; lows 9,10,9 -> 9; RSV = (10 - 9) / 3 * 100 = 100/3
    //   K = 2/3*175/3 + 1/3*100/3 = 50; D = 2/3*475/9 + 1/3*50 = 1400/27; J = 150 - 2800/27 = 1250/27
    const { k, d, j } = kdj(high, low, close, 3);
    assertSeries(k, [null, null, 175 / 3, 50]);
    assertSeries(d, [null, null, 475 / 9, 1400 / 27]);
    assertSeries(j, [null, null, 625 / 9, 1250 / 27]);
  });
  test('treats a flat window as RSV 50, so K, D and J stay at 50', () => {
    const flat = [5, 5, 5, 5];
    const { k, d, j } = kdj(flat, flat, flat, 2);
    for (const line of [k, d, j]) assertSeries(line, [null, 50, 50, 50]);
  });
  test('is all null when the window is longer than the data', () => {
    const { k } = kdj([2, 3], [1, 2], [1.5, 2.5], 9);
    assertSeries(k, [null, null]);
  });
  test('rejects series of different lengths', () => {
    assert.throws(() => kdj([1, 2], [1], [1, 2]), RangeError);
  });
});

describe('boll', () => {
  test('uses the population standard deviation of each window', () => {
    // [1,2,3] and [2,3,4]: mean 2 and 3, squared deviations 1+0+1 -> variance 2/3.
    // [3,4,6]: mean 13/3, deviations -4/3, -1/3, 5/3 -> squares 42/9 -> variance 14/9, sigma sqrt(14)/3.
    const { middle, upper, lower } = boll([1, 2, 3, 4, 6], 3, 2);
    const s1 = Math.sqrt(2 / 3);
    const s3 = Math.sqrt(14) / 3;
    assertSeries(middle, [null, null, 2, 3, 13 / 3]);
    assertSeries(upper, [null, null, 2 + 2 * s1, 3 + 2 * s1, 13 / 3 + 2 * s3]);
    assertSeries(lower, [null, null, 2 - 2 * s1, 3 - 2 * s1, 13 / 3 - 2 * s3]);
  });
  test('collapses to the price on a constant series', () => {
    const { upper, lower } = boll([4, 4, 4], 2);
    assertSeries(upper, [null, 4, 4]);
    assertSeries(lower, [null, 4, 4]);
  });
});

describe('resampleBars', () => {
  const bar = (date: string, open: number, high: number, low: number, close: number, volume: number): Bar => ({
    date,
    open,
    high,
    low,
    close,
    volume,
    amount: volume * 10,
  });
  // 2025-12-29 (Mon) .. 2026-01-02 (Fri) are one ISO week, 2026-W01, although they span two calendar years.
  const bars = [
    bar('2025-12-29', 10, 11, 9.5, 10.5, 100),
    bar('2025-12-30', 10.5, 12, 10, 11.5, 200),
    bar('2025-12-31', 11.5, 11.8, 10.8, 11, 300),
    bar('2026-01-02', 11, 13, 10.9, 12.5, 400),
    bar('2026-01-05', 12.5, 12.6, 12, 12.2, 500),
  ];

  test('puts ISO weeks together across a year end and dates each on its last trading day', () => {
    assert.deepEqual(resampleBars(bars, 'week'), [
      { date: '2026-01-02', open: 10, high: 13, low: 9.5, close: 12.5, volume: 1000, amount: 10000 },
      { date: '2026-01-05', open: 12.5, high: 12.6, low: 12, close: 12.2, volume: 500, amount: 5000 },
    ]);
  });
  test('groups calendar months', () => {
    assert.deepEqual(resampleBars(bars, 'month'), [
      { date: '2025-12-31', open: 10, high: 12, low: 9.5, close: 11, volume: 600, amount: 6000 },
      { date: '2026-01-05', open: 11, high: 13, low: 10.9, close: 12.2, volume: 900, amount: 9000 },
    ]);
  });
  test('returns daily bars unchanged and sorted, whatever the input order', () => {
    assert.deepEqual(resampleBars([...bars].reverse(), 'day'), bars);
    assert.deepEqual(resampleBars([...bars].reverse(), 'week'), resampleBars(bars, 'week'));
  });
  test('names ISO weeks by the year of their Thursday', () => {
    assert.equal(isoWeekKey('2025-12-29'), '2026-W01');
    assert.equal(isoWeekKey('2024-12-30'), '2025-W01');
    assert.equal(isoWeekKey('2021-01-03'), '2020-W53');
    assert.equal(isoWeekKey('2026-10-30'), '2026-W44');
  });
});
