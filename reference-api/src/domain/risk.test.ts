import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  annualisedVolatility,
  beta,
  dailyReturns,
  historicalVaR,
  maxDrawdown,
  portfolioRisk,
  portfolioValueSeries,
  sharpeRatio,
} from './risk.ts';
import type { Bar } from './types.ts';

/** Asserts |actual − expected| <= eps. */
function near(actual: number, expected: number, eps = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);
}

// Twenty daily returns. Sorted ascending the worst five are -0.05, -0.035, -0.025, -0.02, -0.015.
const twenty = [
  0.01, -0.02, 0.015, -0.035, 0.005, 0.002, -0.01, 0.03, -0.005, 0.012, -0.05, 0.008, 0, -0.015, 0.02, -0.001, 0.007,
  -0.025, 0.004, 0.011,
];

describe('dailyReturns', () => {
  test('gives simple returns, one fewer than the values', () => {
    const r = dailyReturns([100, 110, 99]);
    assert.equal(r.length, 2);
    near(r[0]!, 0.1);
    near(r[1]!, -0.1);
  });
});

describe('historicalVaR', () => {
  test('at 95 % over 20 returns is the second-worst loss (index floor(0.05 * 20) = 1)', () => {
    assert.equal(historicalVaR(twenty, 0.95), 0.035);
  });
  test('at 99 % over 20 returns is the worst loss (index floor(0.01 * 20) = 0)', () => {
    assert.equal(historicalVaR(twenty, 0.99), 0.05);
  });
  test('at 99 % over 100 returns is the second-worst loss, and at 95 % the sixth-worst', () => {
    // -0.050, -0.049, ..., 0.049 in a scrambled order (37 is coprime to 100, so i*37 mod 100 is a permutation).
    const hundred = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) / 1000 - 0.05);
    near(historicalVaR(hundred, 0.99), 0.049);
    near(historicalVaR(hundred, 0.95), 0.045);
  });
  test('is zero when even the worst day is a gain', () => {
    assert.equal(historicalVaR([0.01, 0.02, 0.03], 0.95), 0);
  });
  test('rejects an empty series and a confidence outside (0, 1)', () => {
    assert.throws(() => historicalVaR([], 0.95), RangeError);
    assert.throws(() => historicalVaR(twenty, 95), /confidence must be in \(0, 1\)/);
  });
});

describe('maxDrawdown', () => {
  test('finds the deepest fall from a running peak, not the first one', () => {
    // 110 -> 99 is 10 %; 120 -> 90 is 25 %, from index 4 to index 5.
    assert.deepEqual(maxDrawdown([100, 110, 99, 105, 120, 90, 95, 130]), {
      maxDrawdown: 0.25,
      peakIndex: 4,
      troughIndex: 5,
    });
  });
  test('is zero for a series that never falls', () => {
    assert.deepEqual(maxDrawdown([1, 2, 2, 3]), { maxDrawdown: 0, peakIndex: 0, troughIndex: 0 });
  });
});

// Reference computations written with sums of squares and products, unlike the implementation's
// deviation-from-mean form.
function refVariance(x: number[]): number {
  const n = x.length;
  const s = x.reduce((a, b) => a + b, 0);
  const ss = x.reduce((a, b) => a + b * b, 0);
  return (ss - (s * s) / n) / (n - 1);
}
function refSlope(y: number[], x: number[]): number {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    sy += y[i]!;
    sxy += x[i]! * y[i]!;
    sxx += x[i]! * x[i]!;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

describe('annualisedVolatility, beta and sharpeRatio', () => {
  const market = twenty.map((r, i) => r * 0.8 + (i % 3) * 0.001);

  test('volatility is the sample standard deviation scaled by the square root of 252', () => {
    near(annualisedVolatility(twenty), Math.sqrt(refVariance(twenty)) * Math.sqrt(252), 1e-12);
    near(annualisedVolatility([0.01, -0.01]), Math.sqrt(0.0002) * Math.sqrt(252), 1e-12);
  });
  test('beta equals the least-squares slope of asset returns on market returns', () => {
    near(beta(twenty, market), refSlope(twenty, market), 1e-9);
  });
  test('beta of an asset that moves twice the market plus a constant is 2', () => {
    near(
      beta(
        market.map((m) => 2 * m + 0.001),
        market,
      ),
      2,
      1e-9,
    );
  });
  test('beta is undefined against a flat market', () => {
    assert.throws(() => beta([0.01, 0.02], [0.01, 0.01]), /no variance/);
  });
  test('Sharpe is the mean daily excess return over the sample deviation, annualised by the root of 252', () => {
    const meanDaily = twenty.reduce((a, b) => a + b, 0) / twenty.length;
    const expected = ((meanDaily - 0.02 / 252) * Math.sqrt(252)) / Math.sqrt(refVariance(twenty));
    near(sharpeRatio(twenty), expected, 1e-9);
    near(sharpeRatio(twenty, 0), (meanDaily * Math.sqrt(252)) / Math.sqrt(refVariance(twenty)), 1e-9);
  });
  test('need at least two returns', () => {
    assert.throws(() => annualisedVolatility([0.01]), /at least 2 returns/);
    assert.throws(() => sharpeRatio([]), /at least 2 returns/);
  });
});

/** Bars from closes on consecutive made-up dates d1, d2, ... (only date and close matter here). */
function bars(closes: number[], skip: number[] = []): Bar[] {
  return closes
    .map((close, i) => ({
      date: `2026-01-0${i + 1}`,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
      amount: 1,
    }))
    .filter((_, i) => !skip.includes(i));
}

describe('portfolioValueSeries', () => {
  test('sums quantity times close on the days every holding traded', () => {
    const series = portfolioValueSeries(
      [
        { symbol: 'A', quantity: 100, costPrice: 9 },
        { symbol: 'B', quantity: 200, costPrice: 5 },
      ],
      new Map([
        ['A', bars([10, 11, 12])],
        ['B', bars([5, 5.5, 6], [1])], // B has no bar on day 2
      ]),
    );
    assert.deepEqual(series, [
      { date: '2026-01-01', value: 100 * 10 + 200 * 5 },
      { date: '2026-01-03', value: 100 * 12 + 200 * 6 },
    ]);
  });
  test('rejects a holding without bars', () => {
    assert.throws(
      () => portfolioValueSeries([{ symbol: 'X', quantity: 100, costPrice: 1 }], new Map()),
      /no bars for held symbol X/,
    );
  });
});

describe('portfolioRisk', () => {
  const positions = [
    { symbol: 'A', quantity: 100, costPrice: 10 },
    { symbol: 'B', quantity: 200, costPrice: 5 },
  ];
  const barsBySymbol = new Map([
    ['A', bars([10, 11, 10, 12, 12, 9])],
    ['B', bars([5, 5, 6, 5, 4, 5])],
  ]);
  const index = bars([100, 101, 102, 101, 99, 98]);

  test('uses the last lookbackDays returns and reports VaR, drawdown and value in CNY', () => {
    // Values: 2000, 2100, 2200, 2200, 2000, 1900. A 4-day look-back keeps the last 5: 2100 .. 1900.
    // Returns: 2200/2100 - 1, 0, 2000/2200 - 1 = -1/11, 1900/2000 - 1 = -0.05.
    // 4 returns: both VaR quantiles sit at index 0, the worst return -1/11.
    const risk = portfolioRisk(positions, barsBySymbol, index, { lookbackDays: 4 });
    const returns = [2200 / 2100 - 1, 0, -1 / 11, -0.05];
    const market = [102 / 101 - 1, 101 / 102 - 1, 99 / 101 - 1, 98 / 99 - 1];
    assert.equal(risk.asOf, '2026-01-06');
    assert.equal(risk.marketValue, 1900);
    assert.equal(risk.lookbackDays, 4);
    near(risk.var95, 1 / 11);
    near(risk.var99, 1 / 11);
    assert.equal(risk.var95Amount, 172.73); // 1900 / 11 = 172.727...
    near(risk.maxDrawdown, 300 / 2200); // 2200 -> 1900
    near(risk.volatility, Math.sqrt(refVariance(returns) * 252), 1e-12);
    near(risk.beta, refSlope(returns, market), 1e-9);
    const meanDaily = returns.reduce((a, b) => a + b, 0) / 4;
    near(risk.sharpe, ((meanDaily - 0.02 / 252) / Math.sqrt(refVariance(returns))) * Math.sqrt(252), 1e-9);
  });
  test('uses all history when it is shorter than the look-back', () => {
    assert.equal(portfolioRisk(positions, barsBySymbol, index).lookbackDays, 5);
  });
  test('reports zeros for an empty portfolio', () => {
    const risk = portfolioRisk([], barsBySymbol, index);
    assert.equal(risk.marketValue, 0);
    assert.equal(risk.var95, 0);
    assert.equal(risk.asOf, '2026-01-06');
  });
});
