// Functions the journeys call (Artillery `function`, `beforeScenario`, `afterResponse`, `ifTrue`). Artillery bundles
// this file with esbuild into CommonJS and loads it in every worker, so it must not use `import.meta`.
//
// Checks: every response is held to its endpoint's contract (docs/api.md): a 5xx counts as a server error (the
// error-rate threshold), any other unexpected status or a body of the wrong shape counts as a check failure
// (the `checks` threshold). Every request leaves one sample (load/samples.ts), a request that got no response
// too (`recordNoResponse`): the run is judged on those samples. The two counters are also emitted on every
// response, with 0 when all is well, for the progress lines and the Pushgateway.
import { randomBytes } from 'node:crypto';
import type { AfterResponseHookFunction, BeforeRequestHookFunction, HookDone, VUContext, VUEvents } from 'artillery';
import { z } from 'zod';
import { loadData, pickAny, pickPopular } from './data.ts';
import { appendSample, SAMPLES_ENV } from './samples.ts';
import { ScheduleWatch } from './schedule.ts';
import { METRIC } from './thresholds.ts';

const quote = z.object({
  symbol: z.string().regex(/^\d{6}$/),
  name: z.string(),
  price: z.number(),
  changePct: z.number(),
  volume: z.number(),
});

/** Response shapes by route template (the request's `name`); only the fields the pages rely on. */
const SHAPES: Record<string, z.ZodType> = {
  '/api/market/overview': z.object({
    asOf: z.string(),
    indices: z.array(z.object({ code: z.string(), price: z.number() })).min(1),
    breadth: z.object({ advancers: z.number(), decliners: z.number(), unchanged: z.number() }),
    topGainers: z.array(quote),
    topLosers: z.array(quote),
  }),
  '/api/market/quotes': z.object({
    items: z.array(quote),
    page: z.number(),
    pageSize: z.number(),
    total: z.number(),
    totalPages: z.number(),
  }),
  '/api/market/quotes/:symbol': quote,
  '/api/market/search': z.object({ items: z.array(z.object({ symbol: z.string(), name: z.string() })) }),
  '/api/market/sectors': z.object({
    items: z.array(z.object({ sector: z.string(), industries: z.array(z.string()) })),
  }),
  '/api/fund-flow': z.object({
    scope: z.string(),
    period: z.string(),
    items: z.array(z.object({ key: z.string(), mainNetInflow: z.number(), totalNetInflow: z.number() })).min(1),
  }),
  '/api/charts/kline/:symbol': z.object({
    symbol: z.string(),
    bars: z.array(z.object({ date: z.string(), close: z.number() })).min(1),
    indicators: z.record(z.string(), z.unknown()),
  }),
  '/api/auth/register': z.object({ user: z.object({ username: z.string() }) }),
  '/api/auth/login': z.object({ user: z.object({ username: z.string() }) }),
  '/api/auth/me': z.object({ user: z.object({ username: z.string() }) }),
  '/api/risk/portfolio': z.object({ asOf: z.string().nullable().optional(), positions: z.array(z.unknown()) }),
  '/api/risk/alerts': z.object({ items: z.array(z.unknown()) }),
  '/api/risk/backtest': z.object({ symbol: z.string(), equityCurve: z.array(z.unknown()), totalReturn: z.number() }),
};

/**
 * A W3C traceparent on every request: one trace id per virtual user (its whole journey is one trace), a new
 * parent span id per request, flag 01 (sampled), so the service keeps the journey's spans whatever its
 * default sampling ratio.
 */
export const traceRequest: BeforeRequestHookFunction = (requestParams, context, _events, done) => {
  // A virtual user sends one request at a time: its start, for the wait of a request that gets no response.
  context.vars.requestStartedAt = Date.now();
  context.vars.traceId ??= randomBytes(16).toString('hex');
  requestParams.headers = {
    ...requestParams.headers,
    traceparent: `00-${context.vars.traceId}-${randomBytes(8).toString('hex')}-01`,
  };
  return done();
};

/** Sets this virtual user's test data: symbols by popularity, a sector, a search term, a preset range. */
export function pickData(context: VUContext, _events: VUEvents, done: HookDone): void {
  const data = loadData();
  const vars = context.vars;
  const first = pickPopular(data.symbols);
  const second = pickPopular(data.symbols);
  const range = pickAny(data.ranges);
  vars.symbol = first.symbol;
  vars.symbol2 = second.symbol;
  vars.sector = pickPopular(data.sectors);
  vars.searchTerm = pickPopular(data.searchTerms);
  // Most people stay on the first pages of a sorted table.
  vars.page = pickPopular([1, 2, 3, 4, 5]);
  vars.from = range.from;
  vars.to = range.to;
  vars.period = pickPopular(['day', 'week', 'month']);
  vars.indicators = pickPopular(['ma,macd', 'ma,macd,rsi,kdj,boll', 'ma,boll', 'ma,rsi']);
  vars.flowPeriod = pickPopular(['1d', '5d', '20d']);
  vars.backtestFrom = data.backtestRange.from;
  vars.backtestTo = data.backtestRange.to;
  done();
}

/** A user of this virtual user's own: login is rate-limited per (IP, username). */
export function newTrader(context: VUContext, _events: VUEvents, done: HookDone): void {
  const run = String(context.vars.runId ?? 'run')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(-8);
  context.vars.username = `lt-${run}-${Math.random().toString(36).slice(2, 12)}`;
  context.vars.password = `pw-${Math.random().toString(36).slice(2, 14)}`;
  done();
}

/** `ifTrue` of the occasional steps: true for `occasionalPct` percent of calls. */
export function occasionally(vars: Record<string, unknown>): boolean {
  return Math.random() * 100 < Number(vars.occasionalPct ?? 10);
}

/** This worker's view of the run's schedule (load/schedule.ts): whether it has ended, and pauses that end with it. */
const schedule = new ScheduleWatch();

/** `ifTrue` of every journey's steps (load/journeys.ts): none is sent once the schedule has ended. */
export function whileScheduled(): boolean {
  return !schedule.ended;
}

/** `ifTrue` of the occasional steps, which are scheduled steps too. */
export function occasionallyWhileScheduled(vars: Record<string, unknown>): boolean {
  return whileScheduled() && occasionally(vars);
}

/** A journey's think time (`function: think1s`, ...): the pause ends early when the schedule does. */
const thinkFor =
  (seconds: number) =>
  (_context: VUContext, _events: VUEvents, done: HookDone): void =>
    schedule.pause(seconds, () => done());
export const think1s = thinkFor(1);
export const think2s = thinkFor(2);

/** Holds a response to its endpoint's contract and counts server errors and check failures. */
export const checkResponse: AfterResponseHookFunction = (requestParams, response, context, events, done) => {
  const endpoint = String(requestParams.name ?? requestParams.url ?? 'unnamed');
  const status = response.statusCode ?? 0;
  const serverError = status >= 500;
  // A 5xx on register or login leaves this user without a session; the 401s that follow are its consequence,
  // already counted as a server error, not a second, separate failure.
  if (serverError && (endpoint === '/api/auth/register' || endpoint === '/api/auth/login')) {
    context.vars.authBroken = true;
  }
  const consequence = status === 401 && context.vars.authBroken === true;
  const problem = serverError || consequence ? undefined : checkBody(endpoint, status, response);
  const samplesFile = process.env[SAMPLES_ENV];
  const firstByteMs = (response as { timings?: { phases?: { firstByte?: number } } }).timings?.phases?.firstByte;
  if (samplesFile && firstByteMs !== undefined) {
    appendSample(samplesFile, {
      t: Date.now(),
      endpoint,
      ms: firstByteMs,
      status,
      ...(problem ? { checkFailed: true } : {}),
    });
  }
  events.emit('counter', METRIC.serverErrors, serverError ? 1 : 0);
  events.emit('counter', METRIC.checkFailures, problem ? 1 : 0);
  if (problem) {
    events.emit('counter', `${METRIC.checkFailures}.${endpoint}`, 1);
    // Said once per kind of problem per worker: enough to debug, never a flood.
    warnOnce(`${endpoint}: ${problem}`);
  }
  done();
};

/**
 * Artillery's scenario-level `onError`: a request that got no response (a timeout, a refused or reset
 * connection) is a sample with status 0, so the error rate counts it. Artillery runs these hooks for other
 * errors too (a failed capture on a response that did arrive, whose sample `checkResponse` writes): only an
 * error with a system or got code (ETIMEDOUT, ECONNREFUSED, ECONNRESET, ...) is a missing response, and Artillery
 * can report one failure twice (the request's error event and its promise), hence the mark on the request.
 */
export function recordNoResponse(
  error: Error & { code?: unknown },
  requestParams: { name?: string; url?: string; noResponseRecorded?: boolean },
  context: VUContext,
  _events: VUEvents,
  done: HookDone,
): void {
  const samplesFile = process.env[SAMPLES_ENV];
  if (samplesFile && typeof error.code === 'string' && !requestParams.noResponseRecorded) {
    requestParams.noResponseRecorded = true;
    const startedAt = Number(context.vars.requestStartedAt);
    const now = Date.now();
    const endpoint = String(requestParams.name ?? requestParams.url ?? 'unnamed');
    appendSample(samplesFile, { t: now, endpoint, ms: Number.isFinite(startedAt) ? now - startedAt : 0, status: 0 });
  }
  done();
}

function checkBody(
  endpoint: string,
  status: number,
  response: Parameters<AfterResponseHookFunction>[1],
): string | undefined {
  if (status < 200 || status >= 300) return `unexpected status ${status}`;
  if (status === 204) return undefined;
  const header = (name: string): string => String(response.headers?.[name] ?? '');
  if (endpoint === '/api/export/:dataset.:format') {
    if (!/attachment; filename="[^"]+"/.test(header('content-disposition'))) return 'no attachment filename';
    const body = response.body;
    const size = typeof body === 'string' ? body.length : Buffer.isBuffer(body) ? body.length : 0;
    return size > 0 ? undefined : 'empty export';
  }
  const shape = SHAPES[endpoint];
  if (!shape) return undefined;
  if (!header('content-type').includes('application/json')) return `content-type ${header('content-type') || 'none'}`;
  let json: unknown;
  try {
    json = typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
  } catch {
    return 'body is not JSON';
  }
  const result = shape.safeParse(json);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return `shape: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim();
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message) || warned.size > 50) return;
  warned.add(message);
  console.error(`[mystocks load] check failed: ${message}`);
}
