// Fund flow: per scope tab and period, the ranking table holds the API's flows in the API's order (which must
// really be by main net inflow, descending), the chart draws the top of that ranking, and the shown range is
// the API's. State survives in the URL.
import type { ApiClient, FundFlow } from '../fixtures/index.ts';
import { expect, test } from '../fixtures/index.ts';
import type { FundFlowPage } from '../pages/index.ts';

const FLOW_COLUMNS = ['key', 'mainNetInflow', 'retailNetInflow', 'totalNetInflow'] as const;

/** The page's call leaves `limit` at the API default (100); the expectation asks the same. */
function apiFlow(api: ApiClient, scope: string, period: string): Promise<FundFlow> {
  return api.fundFlow(scope, period, 100);
}

async function expectTableToEqual(fundFlowPage: FundFlowPage, flow: FundFlow): Promise<void> {
  const expected = flow.items.map((i) => Object.fromEntries(FLOW_COLUMNS.map((c) => [c, String(i[c])])));
  // Sector and industry rows have no key column; their row key (data-key) is the API key. Polled, because the
  // table of the previous scope or period stays until the new answer is drawn.
  await expect
    .poll(
      async () => {
        const keys = await fundFlowPage.table.rowKeys();
        const shown = await fundFlowPage.table.records(FLOW_COLUMNS);
        return shown.map((r, n) => ({ ...r, key: keys[n]! }));
      },
      { message: `fund-flow table vs GET /api/fund-flow?scope=${flow.scope}&period=${flow.period}` },
    )
    .toEqual(expected);
}

test('ranks sectors over one day as the API does, largest main inflow first', async ({ fundFlowPage, api }) => {
  const flow = await apiFlow(api, 'sector', '1d');
  await fundFlowPage.goto();
  await expect(fundFlowPage.heading).toHaveText('Fund flow');
  await expect(fundFlowPage.tab('Sector')).toHaveAttribute('aria-selected', 'true');
  await expect(fundFlowPage.period('1 day')).toBeChecked();
  await expectTableToEqual(fundFlowPage, flow);

  const main = (await fundFlowPage.table.columnValues('mainNetInflow')).map(Number);
  expect(main, 'main net inflow down the ranking').toEqual([...main].sort((a, b) => b - a));
  const ranks = (await fundFlowPage.table.columnValues('rank')).map(Number);
  expect(ranks).toEqual(main.map((_, i) => i + 1));
  await expect(fundFlowPage.range).toHaveText(`${flow.from} to ${flow.to}`);
  await expect(fundFlowPage.table.root).toHaveAccessibleName(
    `Fund flow by sector, 1 day (${flow.from} to ${flow.to}), ranked by main net inflow`,
  );
  await expect(fundFlowPage.chart.root).toHaveAttribute('data-rendered', 'true');
  await expect(fundFlowPage.chart.root).toHaveAttribute(
    'data-keys',
    flow.items
      .slice(0, 15)
      .map((i) => i.key)
      .join(','),
  );
});

test('switching to stocks over 5 days shows that ranking and keeps it in the URL', async ({
  fundFlowPage,
  api,
  page,
}) => {
  const stocks = await apiFlow(api, 'stock', '5d');
  await fundFlowPage.goto();
  await expect(fundFlowPage.table.rows.first()).toBeVisible();
  await fundFlowPage.selectScope('Stock');
  await fundFlowPage.selectPeriod('5 days');
  await expect(page).toHaveURL(/scope=stock/);
  await expect(page).toHaveURL(/period=5d/);
  await expect(fundFlowPage.panel).toHaveAccessibleName('Stock');
  await expect(fundFlowPage.table.root).toHaveAccessibleName(/^Fund flow by stock, 5 days /);
  await expectTableToEqual(fundFlowPage, stocks);
  await expect(fundFlowPage.chart.root).toHaveAttribute('data-keys', new RegExp(`^${stocks.items[0]!.key},`));
  // Every stock row links to its chart.
  const first = stocks.items[0]!;
  await expect(fundFlowPage.table.cell(first.key, 'key').getByRole('link')).toHaveAttribute(
    'href',
    `/charts/${first.key}`,
  );
});

test('a shared link opens industries over 20 days, whose totals add up', async ({ fundFlowPage, api }) => {
  const flow = await apiFlow(api, 'industry', '20d');
  await fundFlowPage.goto({ scope: 'industry', period: '20d' });
  await expect(fundFlowPage.tab('Industry')).toHaveAttribute('aria-selected', 'true');
  await expect(fundFlowPage.period('20 days')).toBeChecked();
  await expectTableToEqual(fundFlowPage, flow);
  for (const row of await fundFlowPage.table.records(FLOW_COLUMNS)) {
    expect(Number(row.totalNetInflow), `total = main + retail for ${row.key}`).toBeCloseTo(
      Number(row.mainNetInflow) + Number(row.retailNetInflow),
      2,
    );
  }
  await expect(fundFlowPage.range).toHaveText(`${flow.from} to ${flow.to}`);
});

test('a longer period sums more days: the figures change to the API ones', async ({ fundFlowPage, api }) => {
  const [day, month] = await Promise.all([apiFlow(api, 'sector', '1d'), apiFlow(api, 'sector', '20d')]);
  expect(month.from < day.from, '20 days start before 1 day').toBe(true);
  await fundFlowPage.goto();
  await expectTableToEqual(fundFlowPage, day);
  await fundFlowPage.selectPeriod('20 days');
  await expect(fundFlowPage.range).toHaveText(`${month.from} to ${month.to}`);
  await expectTableToEqual(fundFlowPage, month);
});

test('arrow keys move between scope tabs, as the tab pattern says', async ({ fundFlowPage, api, page }) => {
  const industries = await apiFlow(api, 'industry', '1d');
  await fundFlowPage.goto();
  await expect(fundFlowPage.table.rows.first()).toBeVisible();
  await fundFlowPage.pressOnSelectedTab('ArrowRight');
  await expect(fundFlowPage.tab('Industry')).toHaveAttribute('aria-selected', 'true');
  await expect(fundFlowPage.tab('Industry')).toBeFocused();
  await expect(fundFlowPage.tab('Sector')).toHaveAttribute('aria-selected', 'false');
  await expect(page).toHaveURL(/scope=industry/);
  await expectTableToEqual(fundFlowPage, industries);
  await fundFlowPage.pressOnSelectedTab('ArrowLeft');
  await fundFlowPage.pressOnSelectedTab('ArrowLeft');
  await expect(fundFlowPage.tab('Stock')).toHaveAttribute('aria-selected', 'true');
});
