// Risk: the portfolio figures and positions are the API's; alert rules made, listed and deleted through the
// page are what the API then holds; a backtest shows the same summary and trades as the API for the same
// inputs, and bad inputs are refused with a message. Alert cases act as the worker's own user, so they never
// see each other's rules or the demo user's.
import { expect, test, userTest } from '../fixtures/index.ts';

const POSITION_COLUMNS = [
  'symbol',
  'name',
  'sector',
  'quantity',
  'costPrice',
  'price',
  'marketValue',
  'pnl',
  'pnlPct',
  'weight',
] as const;

test('shows the portfolio risk figures of the API', async ({ riskPage, api }) => {
  const p = await api.portfolio();
  await riskPage.goto();
  await expect(riskPage.heading).toHaveText('Risk');
  const figures = {
    'Market value': p.marketValue,
    'VaR 95%': p.var95,
    'VaR 99%': p.var99,
    'Max drawdown': p.maxDrawdown,
    Volatility: p.volatility,
    Beta: p.beta,
    'Sharpe ratio': p.sharpe,
  } as const;
  for (const [name, value] of Object.entries(figures)) {
    await expect(riskPage.figure(name as keyof typeof figures).value, `${name} card`).toHaveAttribute(
      'data-value',
      String(value),
    );
  }
  await expect(riskPage.figure('VaR 95%').detailValue).toHaveAttribute('data-value', String(p.var95Amount));
  await expect(riskPage.figure('VaR 99%').detailValue).toHaveAttribute('data-value', String(p.var99Amount));
  // The formatted figure a user reads: a fraction shown as a percentage.
  await expect(riskPage.figure('VaR 95%').value).toContainText(`${(p.var95 * 100).toFixed(2)}`);
  await expect(riskPage.asOf).toHaveText(
    `As of ${p.asOf} · ${p.lookbackDays}-day lookback · benchmark ${p.benchmark.name}`,
  );
});

test('lists every position of the API, whose weights make up the whole', async ({ riskPage, api }) => {
  const p = await api.portfolio();
  await riskPage.goto();
  await expect(riskPage.positions.rows, 'rows of the positions table').toHaveCount(p.positions.length);
  const expected = p.positions.map((pos) => Object.fromEntries(POSITION_COLUMNS.map((c) => [c, String(pos[c])])));
  expect(await riskPage.positions.records(POSITION_COLUMNS), 'positions vs GET /api/risk/portfolio').toEqual(expected);
  const weights = (await riskPage.positions.columnValues('weight')).map(Number);
  expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  const marketValues = (await riskPage.positions.columnValues('marketValue')).map(Number);
  expect(marketValues.reduce((a, b) => a + b, 0)).toBeCloseTo(p.marketValue, 0);
});

test('a backtest shows the summary, equity curve and trades the API computes', async ({ riskPage, api }) => {
  const p = await api.portfolio();
  const symbol = p.positions[1]?.symbol ?? p.positions[0]!.symbol;
  const body = { symbol, from: `${Number(p.asOf.slice(0, 4)) - 1}${p.asOf.slice(4)}`, to: p.asOf, fast: 10, slow: 30 };
  const expected = await api.backtest({ ...body, initialCash: 500_000 });

  await riskPage.goto();
  await expect(riskPage.backtestField('Symbol'), 'backtest default: the first position').toHaveValue(
    p.positions[0]!.symbol,
  );
  await expect(riskPage.backtestField('End date'), 'backtest default: the last day').toHaveValue(p.asOf);
  await riskPage.runBacktest({ ...body, initialCash: 500_000 });

  const figures = {
    'Total return': expected.totalReturn,
    'Max drawdown': expected.maxDrawdown,
    Trades: expected.tradeCount,
    'Win rate': expected.winRate,
    'Final equity': expected.finalEquity,
  } as const;
  for (const [name, value] of Object.entries(figures)) {
    await expect(riskPage.backtestFigure(name as keyof typeof figures).value, `backtest ${name}`).toHaveAttribute(
      'data-value',
      String(value),
    );
  }
  await expect(riskPage.equityChart.root).toHaveAttribute('data-rendered', 'true');
  await expect(riskPage.equityChart.root).toHaveAttribute('data-points', String(expected.equityCurve.length));
  expect(expected.trades.length, 'trades in a year of 10/30 crossovers').toBeGreaterThan(0);
  const trades = await riskPage.trades.records(['date', 'side', 'price', 'quantity', 'cashAfter']);
  expect(trades, 'backtest trades vs POST /api/risk/backtest').toEqual(
    expected.trades.map((t) => ({
      date: t.date,
      side: t.side,
      price: String(t.price),
      quantity: String(t.quantity),
      cashAfter: String(t.cashAfter),
    })),
  );
});

test.describe('backtest inputs', () => {
  // The API's 400 for a too-short range is logged by the browser; the field message is what is checked.
  test.use({ allowedConsoleErrors: [/status of 400/] });

  test('are refused with a message on the field, before or by the API', async ({ riskPage, api, page }) => {
    const p = await api.portfolio();
    let backtestCalls = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/risk/backtest')) backtestCalls += 1;
    });
    await riskPage.goto();
    await expect(riskPage.backtestField('End date')).toHaveValue(p.asOf);

    await riskPage.runBacktest({ fast: 30, slow: 20 });
    await expect(riskPage.formMessage('backtest', 'The slow average must be longer than the fast one.')).toBeVisible();
    await expect(riskPage.backtestField('Slow MA (days)')).toHaveAttribute('aria-invalid', 'true');

    await riskPage.runBacktest({ fast: 5, from: p.asOf, to: '2000-01-03' });
    await expect(riskPage.formMessage('backtest', 'The start date must be on or before the end date.')).toBeVisible();
    expect(backtestCalls, 'backtest requests for inputs the page refuses').toBe(0);

    // One day is fewer bars than the slow average needs: only the API can tell.
    const refused = await api.raw<{ message: string }>('POST', '/api/risk/backtest', {
      symbol: p.positions[0]!.symbol,
      from: p.asOf,
      to: p.asOf,
      fast: 5,
      slow: 20,
      initialCash: 1_000_000,
    });
    expect(refused.status).toBe(400);
    await riskPage.runBacktest({ from: p.asOf, to: p.asOf });
    await expect(riskPage.backtestField('Start date')).toHaveAttribute('aria-invalid', 'true');
    await expect(riskPage.formMessage('backtest', refused.data.message)).toBeVisible();
    await expect(riskPage.backtestSummary).toHaveCount(0);
  });
});

userTest.describe('alert rules', () => {
  userTest('lists the rules the API holds for the user', async ({ riskPage, workerUser, factory, api }) => {
    const symbol = (await api.quotes({ pageSize: 1 })).items[0]!.symbol;
    const price = await factory.createAlert(workerUser.api, {
      symbol,
      metric: 'price_below',
      threshold: 3.5,
    });
    const drawdown = await factory.createAlert(workerUser.api, {
      symbol: null,
      metric: 'drawdown_above',
      threshold: 0.2,
    });
    const held = (await workerUser.api.alerts()).items;
    await riskPage.goto();
    await expect(riskPage.alertRules.rows, 'rows of the alert rules table').toHaveCount(held.length);
    expect(await riskPage.alertRules.rowKeys()).toEqual(held.map((a) => String(a.id)));
    expect(await riskPage.alertRules.records(['symbol', 'metric', 'threshold', 'triggered'])).toEqual(
      held.map((a) => ({
        symbol: a.symbol ?? '',
        metric: a.metric,
        threshold: String(a.threshold),
        triggered: String(a.triggered),
      })),
    );
    await expect(riskPage.alertRules.cell(String(drawdown.id), 'symbol')).toHaveText('Portfolio');
    await expect(riskPage.alertRules.cell(String(drawdown.id), 'threshold')).toContainText('20');
    await expect(riskPage.alertRules.cell(String(price.id), 'metric')).toHaveText('Price below');
  });

  userTest(
    'a rule created through the form is the one the API then holds',
    async ({ riskPage, workerUser, factory, api }) => {
      const symbol = (await api.quotes({ pageSize: 1 })).items[0]!.symbol;
      factory.onCleanup(async () => {
        for (const a of (await workerUser.api.alerts()).items) await workerUser.api.deleteAlert(a.id);
      });
      await riskPage.goto();
      await expect(riskPage.alertsEmpty).toBeVisible();
      await riskPage.createAlert({ metric: 'Price above', threshold: '' });
      await expect(riskPage.formMessage('alert', 'Enter a 6-digit symbol.')).toBeVisible();
      await expect(riskPage.formMessage('alert', 'Enter a threshold greater than 0.')).toBeVisible();
      await expect(riskPage.alertField('Symbol')).toBeFocused();
      expect((await workerUser.api.alerts()).items, 'rules after a refused form').toEqual([]);

      await riskPage.createAlert({ metric: 'Price above', symbol, threshold: '98765.43' });
      await expect(riskPage.alertStatus).toHaveText(`Alert created: Price above 98,765.43 for ${symbol}.`);
      const held = (await workerUser.api.alerts()).items;
      expect(held.map((a) => ({ symbol: a.symbol, metric: a.metric, threshold: a.threshold }))).toEqual([
        { symbol, metric: 'price_above', threshold: 98765.43 },
      ]);
      await expect(riskPage.alertRules.row(String(held[0]!.id))).toBeVisible();
      await expect(riskPage.alertField('Threshold'), 'the form is emptied for the next rule').toHaveValue('');
    },
  );

  userTest('deleting a rule on the page deletes it in the API', async ({ riskPage, workerUser, factory, api }) => {
    const symbol = (await api.quotes({ pageSize: 1 })).items[0]!.symbol;
    const keep = await factory.createAlert(workerUser.api, { symbol, metric: 'price_above', threshold: 77 });
    const doomed = await factory.createAlert(workerUser.api, { symbol: null, metric: 'var95_above', threshold: 0.05 });
    await riskPage.goto();
    await expect(riskPage.alertRules.rows).toHaveCount(2);
    await riskPage.deleteAlert(doomed.id);
    await expect(riskPage.alertStatus).toHaveText('Alert deleted: VaR 95% above 5.00%.');
    await expect(riskPage.alertRules.row(String(doomed.id))).toHaveCount(0);
    await expect(riskPage.alertRules.row(String(keep.id))).toBeVisible();
    expect((await workerUser.api.alerts()).items.map((a) => a.id)).toEqual([keep.id]);
  });

  userTest.describe('refused by the API', () => {
    userTest.use({ allowedConsoleErrors: [/status of 400/] });

    userTest(
      'portfolio rules take fractions, and an unknown symbol is named by the API',
      async ({ riskPage, workerUser, factory }) => {
        factory.onCleanup(async () => {
          for (const a of (await workerUser.api.alerts()).items) await workerUser.api.deleteAlert(a.id);
        });
        await riskPage.goto();
        await riskPage.createAlert({ metric: 'VaR 95% above', threshold: '5' });
        await expect(riskPage.alertField('Symbol')).toBeDisabled();
        await expect(riskPage.formMessage('alert', 'Enter a fraction below 1, e.g. 0.05 for 5%.')).toBeVisible();
        await riskPage.createAlert({ metric: 'VaR 95% above', threshold: '0.05' });
        await expect(riskPage.alertStatus).toHaveText('Alert created: VaR 95% above 5.00%.');
        expect(
          (await workerUser.api.alerts()).items.map(({ symbol, metric, threshold }) => ({ symbol, metric, threshold })),
        ).toEqual([{ symbol: null, metric: 'var95_above', threshold: 0.05 }]);

        const refused = await workerUser.api.raw<{ message: string; field: string }>('POST', '/api/risk/alerts', {
          symbol: '999999',
          metric: 'price_below',
          threshold: 1,
        });
        expect(refused.status).toBe(400);
        await riskPage.createAlert({ metric: 'Price below', symbol: '999999', threshold: '1' });
        await expect(riskPage.alertField('Symbol')).toHaveAttribute('aria-invalid', 'true');
        await expect(riskPage.formMessage('alert', refused.data.message)).toBeVisible();
        expect((await workerUser.api.alerts()).items).toHaveLength(1);
      },
    );
  });

  userTest('a new user sees an empty portfolio and no rules, not an error', async ({ riskPage, workerUser }) => {
    const p = await workerUser.api.portfolio();
    expect(p.positions).toEqual([]);
    await riskPage.goto();
    await expect(riskPage.figure('Market value').value).toHaveAttribute('data-value', '0');
    await expect(riskPage.page.getByText('The portfolio holds no positions.')).toBeVisible();
    await expect(riskPage.alertsEmpty).toBeVisible();
    await expect(riskPage.portfolioState.error).toHaveCount(0);
    await expect(riskPage.nav.signedInAs).toHaveText(`Signed in as ${workerUser.displayName}`);
  });
});
