// Every endpoint on its happy path and on bad input, against real PostgreSQL and Redis (docs/api.md).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEnv, type TestEnv } from '../../stack/local/api-test-support.ts';
import { backtestMaCrossover } from './domain/backtest.ts';
import { resampleBars } from './domain/indicators.ts';
import { portfolioRisk } from './domain/risk.ts';
import { generateSeedData } from './domain/seed-data.ts';
import type { Bar } from './domain/types.ts';
import { cookieOf, sampleValue } from './test-helper.ts';

const seed = generateSeedData();
const lastDay = seed.tradingDays.at(-1)!;
let env: TestEnv;
let cookie: string;

before(async () => {
  env = await startTestEnv({ config: { loginRateLimit: 3, webDistDir: '/nonexistent-dist/' } });
  cookie = await env.login();
});
after(async () => env?.close());

const get = (url: string, headers: Record<string, string> = {}) => env.app.inject({ method: 'GET', url, headers });
/** The app's metrics, from its metrics listener (the app port has no /metrics). */
const scrape = async () => (await env.app.metricsServer.inject('/metrics')).body;
const json = (res: { body: string }) => JSON.parse(res.body);

/**
 * The answer of a 400, exactly: its message, which reads `<field>: <reason>` (docs/api.md), and the field it
 * names first.
 */
async function assert400(res: Promise<{ statusCode: number; body: string }>, message: string) {
  const r = await res;
  const field = message.split(': ')[0];
  assert.equal(r.statusCode, 400, r.body);
  assert.deepEqual(json(r), { statusCode: 400, error: 'Bad Request', message, field });
}

function expectedQuote(symbol: string) {
  const sec = seed.securities.find((s) => s.symbol === symbol)!;
  const bars = seed.bars.filter((b) => b.symbol === symbol);
  const last = bars.at(-1)!;
  const prev = bars.at(-2)!;
  const change = last.close - prev.close;
  return {
    ...sec,
    date: last.date,
    price: last.close,
    prevClose: prev.close,
    change: Math.round(change * 100) / 100,
    changePct: Math.round((change / prev.close) * 10_000) / 100,
    open: last.open,
    high: last.high,
    low: last.low,
    volume: last.volume,
    amount: last.amount,
  };
}

describe('operations', () => {
  test('healthz answers ok and readyz reports database and cache', async () => {
    assert.deepEqual(json(await get('/healthz')), { status: 'ok' });
    const ready = await get('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(json(ready), { status: 'ready', checks: { database: 'ok', cache: 'ok' } });
  });
  test('readyz pings PostgreSQL on a connection of its own, timed as health.ping, even with the pool exhausted', async () => {
    // The ping is db-query-p95's noise control (slo-config.yaml): it must not queue behind the service's own
    // statements, or a slow statement would raise the control with it and explain its own breach away.
    const pool = env.app.db.pool;
    const max = pool.options.max!;
    let finished = 0;
    const busy = Promise.all(
      Array.from({ length: max + 1 }, () =>
        env.app.db.query('test.sleep', 'SELECT pg_sleep(2)').finally(() => {
          finished += 1;
        }),
      ),
    );
    // Every pooled connection is checked out and one more statement waits for one.
    // (The pool opens connections lazily: statements wait while they connect, so wait for the steady state.)
    const exhausted = () => pool.totalCount === max && pool.idleCount === 0 && pool.waitingCount === 1;
    for (let i = 0; i < 500 && !exhausted(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(exhausted(), `pool: ${pool.totalCount} open, ${pool.idleCount} idle, ${pool.waitingCount} waiting`);
    const pingsBefore = sampleValue(await scrape(), 'db_query_duration_seconds_count', {
      operation: 'health.ping',
    });
    const ready = await get('/readyz');
    assert.deepEqual(json(ready), { status: 'ready', checks: { database: 'ok', cache: 'ok' } });
    assert.equal(finished, 0, '/readyz answered while every pooled connection was still busy');
    const pingsAfter = sampleValue(await scrape(), 'db_query_duration_seconds_count', {
      operation: 'health.ping',
    });
    assert.equal(pingsAfter, pingsBefore + 1);
    await busy;
  });
  test('every response carries x-request-id, taken from the request when given', async () => {
    assert.match(String((await get('/healthz')).headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.equal((await get('/healthz', { 'x-request-id': 'abc-123' })).headers['x-request-id'], 'abc-123');
  });
  test('an unknown route answers 404 in the error shape', async () => {
    const r = await get('/api/nope');
    assert.equal(r.statusCode, 404);
    assert.deepEqual(json(r), { statusCode: 404, error: 'Not Found', message: 'Route GET /api/nope not found' });
  });
});

describe('market', () => {
  test('a quote is the latest seed bar with change against the previous close', async () => {
    const symbol = seed.positions[0]!.symbol;
    assert.deepEqual(json(await get(`/api/market/quotes/${symbol}`)), expectedQuote(symbol));
  });
  test('quote detail: 400 unless 6 digits, 404 for an unknown symbol', async () => {
    await assert400(get('/api/market/quotes/12345'), 'symbol: must be a 6-digit code');
    const r = await get('/api/market/quotes/999999');
    assert.equal(r.statusCode, 404);
    assert.equal(json(r).message, 'unknown symbol 999999');
  });
  test('quotes sort, filter by sector and page, ties by symbol', async () => {
    const sector = seed.securities[0]!.sector;
    const body = json(
      await get(`/api/market/quotes?sort=changePct&order=desc&sector=${encodeURIComponent(sector)}&page=2&pageSize=3`),
    );
    const expected = seed.securities
      .filter((s) => s.sector === sector)
      .map((s) => expectedQuote(s.symbol))
      .sort((a, b) => b.changePct - a.changePct || (a.symbol < b.symbol ? -1 : 1));
    assert.deepEqual(body.items, expected.slice(3, 6));
    assert.deepEqual(
      { ...body, items: undefined },
      {
        items: undefined,
        page: 2,
        pageSize: 3,
        total: expected.length,
        totalPages: Math.ceil(expected.length / 3),
        sort: 'changePct',
        order: 'desc',
        sector,
      },
    );
  });
  test('quotes default to symbol ascending, 20 a page', async () => {
    const body = json(await get('/api/market/quotes'));
    const symbols = seed.securities.map((s) => s.symbol).sort();
    assert.deepEqual(
      body.items.map((q: { symbol: string }) => q.symbol),
      symbols.slice(0, 20),
    );
    assert.equal(body.total, 100);
    assert.equal(body.totalPages, 5);
    assert.equal(body.sector, null);
  });
  test('quotes reject bad paging and sort with the field named', async () => {
    await assert400(get('/api/market/quotes?pageSize=101'), 'pageSize: Too big: expected number to be <=100');
    await assert400(get('/api/market/quotes?page=0'), 'page: Too small: expected number to be >=1');
    await assert400(get('/api/market/quotes?page=x'), 'page: Invalid input: expected number, received NaN');
    await assert400(
      get('/api/market/quotes?sort=bogus'),
      'sort: Invalid option: expected one of "symbol"|"name"|"sector"|"price"|"changePct"|"volume"|"amount"',
    );
  });
  test('overview: indices, breadth and top movers of the last day', async () => {
    const body = json(await get('/api/market/overview'));
    assert.equal(body.asOf, lastDay);
    assert.deepEqual(body.indices.map((i: { code: string }) => i.code).sort(), seed.indices.map((i) => i.code).sort());
    const quotes = seed.securities.map((s) => expectedQuote(s.symbol));
    assert.deepEqual(body.breadth, {
      advancers: quotes.filter((q) => q.change > 0).length,
      decliners: quotes.filter((q) => q.change < 0).length,
      unchanged: quotes.filter((q) => q.change === 0).length,
    });
    const gainers = [...quotes].sort((a, b) => b.changePct - a.changePct || (a.symbol < b.symbol ? -1 : 1));
    assert.deepEqual(body.topGainers, gainers.slice(0, 5));
    assert.equal(body.topLosers.length, 5);
  });
  test('search: symbol prefix first, then names, and validates q and limit', async () => {
    const items = json(await get('/api/market/search?q=60&limit=20')).items;
    assert.ok(items.length > 0 && items.length <= 20);
    for (const i of items) assert.ok(i.symbol.startsWith('60'));
    const name = seed.securities[0]!.name.split(' ')[1]!.toLowerCase();
    const byName = json(await get(`/api/market/search?q=${encodeURIComponent(name)}`)).items;
    assert.ok(byName.some((i: { symbol: string }) => i.symbol === seed.securities[0]!.symbol));
    await assert400(get('/api/market/search'), 'q: Invalid input: expected string, received undefined');
    await assert400(get('/api/market/search?q=a&limit=21'), 'limit: Too big: expected number to be <=20');
    await assert400(
      get(`/api/market/search?q=${'x'.repeat(21)}`),
      'q: Too big: expected string to have <=20 characters',
    );
  });
  test('sectors list each sector with its industries', async () => {
    const body = json(await get('/api/market/sectors'));
    const sectors = [...new Set(seed.securities.map((s) => s.sector))].sort();
    assert.deepEqual(
      body.items.map((i: { sector: string }) => i.sector),
      sectors,
    );
    for (const item of body.items) {
      const industries = [
        ...new Set(seed.securities.filter((s) => s.sector === item.sector).map((s) => s.industry)),
      ].sort();
      assert.deepEqual(item.industries, industries);
    }
  });
});

describe('fund flow', () => {
  test('stock scope sums the last 5 days, ranked by main net inflow', async () => {
    const body = json(await get('/api/fund-flow?scope=stock&period=5d&limit=200'));
    const days = seed.tradingDays.slice(-5);
    assert.equal(body.from, days[0]);
    assert.equal(body.to, lastDay);
    assert.equal(body.items.length, 100);
    const symbol = seed.securities[0]!.symbol;
    const flows = seed.fundFlows.filter((f) => f.symbol === symbol && days.includes(f.date));
    const main = Math.round(flows.reduce((s, f) => s + f.mainNetInflow, 0) * 100) / 100;
    const item = body.items.find((i: { key: string }) => i.key === symbol);
    assert.equal(item.mainNetInflow, main);
    assert.equal(item.name, seed.securities[0]!.name);
    for (let i = 1; i < body.items.length; i++)
      assert.ok(body.items[i - 1].mainNetInflow >= body.items[i].mainNetInflow);
  });
  test('sector scope and limit; bad scope, period and limit are 400', async () => {
    const body = json(await get('/api/fund-flow?scope=sector&period=1d&limit=2'));
    assert.equal(body.items.length, 2);
    assert.equal(body.from, lastDay);
    await assert400(
      get('/api/fund-flow?scope=planet'),
      'scope: Invalid option: expected one of "sector"|"industry"|"stock"',
    );
    await assert400(get('/api/fund-flow?period=2d'), 'period: Invalid option: expected one of "1d"|"5d"|"20d"');
    await assert400(get('/api/fund-flow?limit=0'), 'limit: Too small: expected number to be >=1');
  });
});

describe('charts', () => {
  const symbol = seed.securities[1]!.symbol;
  const daily: Bar[] = seed.bars.filter((b) => b.symbol === symbol).map(({ symbol: _s, ...b }) => b);
  test('without a range: the last 250 day bars with warm indicators', async () => {
    const body = json(await get(`/api/charts/kline/${symbol}?indicators=ma,macd,rsi,kdj,boll`));
    assert.deepEqual(body.bars, daily.slice(-250));
    assert.equal(body.indicators.ma.ma20.length, 250);
    assert.notEqual(body.indicators.ma.ma20[0], null);
    assert.deepEqual(Object.keys(body.indicators).sort(), ['boll', 'kdj', 'ma', 'macd', 'rsi']);
  });
  test('week bars are resampled days cut to the range', async () => {
    const body = json(await get(`/api/charts/kline/${symbol}?period=week&from=2025-03-01&to=2025-06-30`));
    const weeks = resampleBars(daily, 'week').filter((b) => b.date >= '2025-03-01' && b.date <= '2025-06-30');
    assert.deepEqual(body.bars, weeks);
    assert.deepEqual(body.indicators, {});
  });
  test('bad indicator, range, period and symbol', async () => {
    await assert400(
      get(`/api/charts/kline/${symbol}?indicators=ma,foo`),
      'indicators: unknown indicator "foo" (known: ma, macd, rsi, kdj, boll)',
    );
    await assert400(
      get(`/api/charts/kline/${symbol}?from=2025-05-01&to=2025-04-01`),
      'from: must not be after to (2025-04-01)',
    );
    await assert400(get(`/api/charts/kline/${symbol}?from=2025-13-01`), 'from: must be a date YYYY-MM-DD');
    await assert400(
      get(`/api/charts/kline/${symbol}?period=year`),
      'period: Invalid option: expected one of "day"|"week"|"month"',
    );
    assert.equal((await get('/api/charts/kline/999999')).statusCode, 404);
  });
});

describe('auth', () => {
  test('login sets an httpOnly SameSite=Lax session cookie; me answers the user', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'demo', password: 'demo-pass' },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(json(res), { user: { username: 'demo', displayName: seed.demoUser.displayName } });
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /^mystocks_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.match(setCookie, /Path=\//);
    const me = await get('/api/auth/me', { cookie: cookieOf(res) });
    assert.deepEqual(json(me), { user: { username: 'demo', displayName: seed.demoUser.displayName } });
  });
  test('wrong credentials: 401 with one message for both cases; 400 on a bad body', async () => {
    for (const payload of [
      { username: 'demo', password: 'nope' },
      { username: 'ghost', password: 'x' },
    ]) {
      const r = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      assert.equal(r.statusCode, 401);
      assert.equal(json(r).message, 'invalid username or password');
    }
    await assert400(
      env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'demo' } }),
      'password: Invalid input: expected string, received undefined',
    );
  });
  test('the login limit answers 429 with Retry-After per (client IP, username)', async () => {
    const attempt = (username: string) =>
      env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'wrong' } });
    for (let i = 0; i < 3; i++) assert.equal((await attempt('limited')).statusCode, 401);
    const limited = await attempt('limited');
    assert.equal(limited.statusCode, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal(json(limited).error, 'Too Many Requests');
    assert.equal((await attempt('other-user')).statusCode, 401);
  });
  test('protected routes answer 401 without a session', async () => {
    for (const url of ['/api/auth/me', '/api/risk/portfolio', '/api/risk/alerts', '/api/export/quotes.csv']) {
      const r = await get(url);
      assert.equal(r.statusCode, 401, url);
      assert.deepEqual(json(r), { statusCode: 401, error: 'Unauthorized', message: 'authentication required' });
    }
    const post = await env.app.inject({ method: 'POST', url: '/api/risk/backtest', payload: {} });
    assert.equal(post.statusCode, 401);
  });
  test('register answers a taken name as a new one and changes nothing; logout ends the session; delete removes the user', async () => {
    const payload = { username: 'tester_1', password: 'secret-pass', displayName: 'Tester' };
    const created = await env.app.inject({ method: 'POST', url: '/api/auth/register', payload });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(json(created), { user: { username: 'tester_1', displayName: 'Tester' } });
    assert.equal(created.headers['set-cookie'], undefined);
    // The same answer for a taken name, so register does not tell which names exist; the account is untouched.
    const again = await env.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { ...payload, password: 'other-pass', displayName: 'Other' },
    });
    assert.equal(again.statusCode, 201);
    assert.deepEqual(json(again), { user: { username: 'tester_1', displayName: 'Other' } });
    const hijack = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'tester_1', password: 'other-pass' },
      // from another address, so it does not use up this address's login limit for tester_1 (3 here)
      remoteAddress: '10.9.9.9',
    });
    assert.equal(hijack.statusCode, 401, hijack.body);
    await assert400(
      env.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { username: 'Bad Name', password: 'secret-pass' },
      }),
      'username: may hold only a-z, 0-9, _ and -',
    );
    await assert400(
      env.app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'okname', password: 'short' } }),
      'password: Too small: expected string to have >=8 characters',
    );
    const session = await env.login('tester_1', 'secret-pass');
    const out = await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session } });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /mystocks_session=;/);
    assert.equal((await get('/api/auth/me', { cookie: session })).statusCode, 401);
    const session2 = await env.login('tester_1', 'secret-pass');
    assert.equal(
      (await env.app.inject({ method: 'DELETE', url: '/api/auth/me', headers: { cookie: session2 } })).statusCode,
      204,
    );
    assert.equal((await get('/api/auth/me', { cookie: session2 })).statusCode, 401);
    const gone = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'tester_1', password: 'secret-pass' },
    });
    assert.equal(gone.statusCode, 401);
  });
});

describe('risk', () => {
  test('portfolio VaR, drawdown and the other figures equal the domain maths over the seed', async () => {
    const body = json(await get('/api/risk/portfolio', { cookie }));
    const barsBySymbol = new Map<string, Bar[]>();
    for (const p of seed.positions)
      barsBySymbol.set(
        p.symbol,
        seed.bars.filter((b) => b.symbol === p.symbol),
      );
    const expected = portfolioRisk(
      seed.positions,
      barsBySymbol,
      seed.indexBars.filter((b) => b.symbol === '000300'),
    );
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      assert.equal(body[key], expected[key], key);
    }
    assert.deepEqual(body.benchmark, { code: '000300', name: 'CSI 300' });
    assert.equal(body.positions.length, seed.positions.length);
    const weights = body.positions.reduce((s: number, p: { weight: number }) => s + p.weight, 0);
    assert.ok(Math.abs(weights - 1) < 0.001);
    const p0 = body.positions.find((p: { symbol: string }) => p.symbol === seed.positions[0]!.symbol);
    const q0 = expectedQuote(p0.symbol);
    assert.equal(p0.price, q0.price);
    assert.equal(
      p0.pnl,
      Math.round((q0.price - seed.positions[0]!.costPrice) * seed.positions[0]!.quantity * 100) / 100,
    );
  });
  test("alerts: the seeded two, create, validation, delete, 404 when not the user's", async () => {
    const list = json(await get('/api/risk/alerts', { cookie })).items;
    assert.deepEqual(
      list.map((a: { symbol: string | null; metric: string; threshold: number }) => ({
        symbol: a.symbol,
        metric: a.metric,
        threshold: a.threshold,
      })),
      seed.alertRules,
    );
    const post = (payload: unknown) =>
      env.app.inject({ method: 'POST', url: '/api/risk/alerts', headers: { cookie }, payload: payload as object });
    const symbol = seed.positions[1]!.symbol;
    const created = await post({ symbol, metric: 'price_above', threshold: 1 });
    assert.equal(created.statusCode, 201);
    const alert = json(created);
    assert.equal(alert.triggered, true);
    assert.equal(alert.symbol, symbol);
    assert.match(alert.createdAt, /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(json(await get('/api/risk/alerts', { cookie })).items.length, 3, 'the cached list was invalidated');
    await assert400(post({ symbol: '999999', metric: 'price_below', threshold: 5 }), 'symbol: unknown symbol 999999');
    await assert400(post({ symbol: null, metric: 'price_below', threshold: 5 }), 'symbol: is required for price_below');
    await assert400(
      post({ symbol: null, metric: 'var95_above', threshold: 2 }),
      'threshold: must be a fraction below 1 for var95_above',
    );
    await assert400(
      post({ symbol: null, metric: 'var95_above', threshold: 0 }),
      'threshold: must be at least 0.000001 (thresholds keep 6 decimals)',
    );
    // Each of these was a 500 (PostgreSQL's numeric(18, 6) overflow and its CHECK (threshold > 0)).
    await assert400(
      post({ symbol: '600519', metric: 'price_above', threshold: 1e13 }),
      'threshold: must be at most 999999999999',
    );
    await assert400(
      post({ symbol: null, metric: 'var95_above', threshold: 1e-9 }),
      'threshold: must be at least 0.000001 (thresholds keep 6 decimals)',
    );
    await assert400(
      post({ symbol: null, metric: 'vol', threshold: 0.1 }),
      'metric: Invalid option: expected one of "price_above"|"price_below"|"var95_above"|"drawdown_above"',
    );
    await env.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { username: 'other', password: 'other-pass' },
    });
    const other = await env.login('other', 'other-pass');
    assert.equal(
      (await env.app.inject({ method: 'DELETE', url: `/api/risk/alerts/${alert.id}`, headers: { cookie: other } }))
        .statusCode,
      404,
    );
    assert.equal(
      (await env.app.inject({ method: 'DELETE', url: `/api/risk/alerts/${alert.id}`, headers: { cookie } })).statusCode,
      204,
    );
    assert.equal(
      (await env.app.inject({ method: 'DELETE', url: `/api/risk/alerts/${alert.id}`, headers: { cookie } })).statusCode,
      404,
    );
    await assert400(
      env.app.inject({ method: 'DELETE', url: '/api/risk/alerts/abc', headers: { cookie } }),
      'id: Invalid input: expected number, received NaN',
    );
    assert.equal(json(await get('/api/risk/alerts', { cookie })).items.length, 2);
  });
  test('backtest runs the MA crossover and rejects bad ranges and windows', async () => {
    const post = (payload: object) =>
      env.app.inject({ method: 'POST', url: '/api/risk/backtest', headers: { cookie }, payload });
    const symbol = seed.positions[0]!.symbol;
    const body = json(await post({ symbol, from: '2025-01-01', to: lastDay }));
    const bars = seed.bars
      .filter((b) => b.symbol === symbol && b.date >= '2025-01-01')
      .map(({ symbol: _s, ...b }) => b);
    const opts = { fast: 5, slow: 20, initialCash: 1_000_000 };
    assert.deepEqual(body, { symbol, from: '2025-01-01', to: lastDay, ...opts, ...backtestMaCrossover(bars, opts) });
    await assert400(post({ symbol, from: '2025-05-01', to: '2025-01-01' }), 'from: must not be after to (2025-01-01)');
    await assert400(
      post({ symbol, from: '2025-01-01', to: lastDay, fast: 20, slow: 10 }),
      'fast: must be less than slow (10)',
    );
    await assert400(
      post({ symbol, from: '2025-01-02', to: '2025-01-10' }),
      'from: the range holds 7 trading days, fewer than slow (20)',
    );
    await assert400(post({ symbol: 'x', from: '2025-01-01', to: lastDay }), 'symbol: must be a 6-digit code');
    assert.equal((await post({ symbol: '999999', from: '2025-01-01', to: lastDay })).statusCode, 404);
  });
});

describe('export', () => {
  test('quotes as CSV with the attachment name of the last day', async () => {
    const r = await get('/api/export/quotes.csv?sort=price&order=desc', { cookie });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(r.headers['content-disposition'], `attachment; filename="quotes-${lastDay}.csv"`);
    const lines = r.body.trim().split(/\r?\n/);
    assert.equal(lines.length, 101);
    assert.match(lines[0]!, /^Symbol,Name,Sector,Industry,Date,Price/);
  });
  test('fund flow, risk report and K-line in each format', async () => {
    const cases = [
      ['/api/export/fund-flow.xlsx?scope=industry&period=20d', `fund-flow-${lastDay}.xlsx`, /spreadsheetml/],
      ['/api/export/risk-report.pdf', `risk-report-${lastDay}.pdf`, /application\/pdf/],
      [
        `/api/export/kline.csv?symbol=${seed.positions[0]!.symbol}&period=week&to=2025-06-30`,
        `kline-${seed.positions[0]!.symbol}-2025-06-27.csv`,
        /text\/csv/,
      ],
    ] as const;
    for (const [url, file, type] of cases) {
      const r = await get(url, { cookie });
      assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 200)}`);
      assert.match(String(r.headers['content-type']), type);
      assert.equal(r.headers['content-disposition'], `attachment; filename="${file}"`);
      assert.ok(r.rawPayload.length > 100);
    }
  });
  test('missing symbol, bad range, unknown dataset, symbol and format', async () => {
    await assert400(get('/api/export/kline.csv', { cookie }), 'symbol: is required');
    await assert400(
      get('/api/export/kline.csv?symbol=600000&from=2025-02-01&to=2025-01-01', { cookie }),
      'from: must not be after to (2025-01-01)',
    );
    await assert400(
      get('/api/export/quotes.doc', { cookie }),
      'format: Invalid option: expected one of "csv"|"xlsx"|"pdf"',
    );
    await assert400(
      get('/api/export/fund-flow.csv?scope=x', { cookie }),
      'scope: Invalid option: expected one of "sector"|"industry"|"stock"',
    );
    assert.equal((await get('/api/export/bogus.csv', { cookie })).statusCode, 404);
    assert.equal((await get('/api/export/kline.csv?symbol=999999', { cookie })).statusCode, 404);
  });
});

describe('pages', () => {
  test('/ redirects to /market; page paths say the build is missing', async () => {
    const root = await get('/');
    assert.equal(root.statusCode, 302);
    assert.equal(root.headers.location, '/market');
    const page = await get('/market');
    assert.equal(page.statusCode, 503);
    assert.equal(page.body, 'web pages not built: run npm run build:web');
  });
  test('/risk and /export without a session redirect to the login with next', async () => {
    for (const path of ['/risk', '/export']) {
      const r = await get(path);
      assert.equal(r.statusCode, 302);
      assert.equal(r.headers.location, `/login?next=${encodeURIComponent(path)}`);
    }
    assert.equal((await get('/risk', { cookie })).statusCode, 503);
  });
});

describe('logs', () => {
  test('carry the request id and a traceparent trace id, never a password or cookie', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-request-id': 'log-test-1', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      payload: { username: 'demo', password: 'demo-pass' },
    });
    await get('/api/auth/me', { cookie, 'x-request-id': 'log-test-2' });
    const lines = env.logs.filter((l) => l.request_id === 'log-test-1');
    assert.ok(lines.length >= 2, 'request and response lines');
    assert.ok(lines.every((l) => l.trace_id === traceId));
    const raw = env.rawLogs();
    assert.ok(!raw.includes('demo-pass'), 'no password');
    assert.ok(!raw.includes(cookie.split('=')[1]!), 'no session token');
    assert.ok(!raw.includes('mystocks_session='), 'no cookie');
  });
});
