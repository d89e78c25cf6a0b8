// The journeys: what real MyStocks users do, as weighted Artillery scenarios. Each request is named by the route
// template the service labels its metrics with (`endpoint`), so Artillery's per-endpoint numbers, the
// processor's response checks and the service's own http_requests_total line up. Data (symbols, sectors, search
// terms, date ranges) comes from the processor's `pickData`, drawn from the reference data set (./data.ts).
import type { HttpFlowStep, Scenario } from 'artillery';

/** A journey: an Artillery scenario plus what it claims to hit, so a test can hold it to that. */
export interface Journey {
  name: string;
  /** Share of arrivals relative to the other journeys of the mix. */
  weight: number;
  what: string;
  /** Route templates every run of the journey requests. */
  endpoints: string[];
  /** Route templates requested only now and then (`occasionalPct` of runs). */
  occasionalEndpoints: string[];
  scenario: Scenario;
}

/**
 * A think time: the processor's `think1s`/`think2s`, Artillery's `think` except that it ends early when the run's
 * schedule ends (load/schedule.ts), and the journey's later steps are then not sent (`scheduled` below).
 */
const think = (seconds: 1 | 2): HttpFlowStep => ({ function: `think${seconds}s` });

/** A GET named by its route template. */
function get(endpoint: string, url: string, qs?: Record<string, unknown>, extra: object = {}): HttpFlowStep {
  return { get: { name: endpoint, url, ...(qs ? { qs } : {}), ...extra } };
}

/** Register a throw-away user for this virtual user and sign in (login is rate-limited per user). */
const signIn: HttpFlowStep[] = [
  { function: 'newTrader' },
  {
    post: {
      name: '/api/auth/register',
      url: '/api/auth/register',
      json: { username: '{{ username }}', password: '{{ password }}', displayName: 'Load Trader' },
    },
  },
  {
    post: {
      name: '/api/auth/login',
      url: '/api/auth/login',
      json: { username: '{{ username }}', password: '{{ password }}' },
    },
  },
];

/** Delete the user again (with its sessions), so long runs do not grow the users table. */
const signOut: HttpFlowStep[] = [{ delete: { name: '/api/auth/me', url: '/api/auth/me' } }];

/**
 * Every request of a journey carries a W3C traceparent (processor `traceRequest`: one trace per virtual user's
 * journey, sampled) and names the journey in x-harness-origin, so a slow request in the diagnosis (picked by
 * its trace id) says which journey sent it. And every request is a scheduled one: none is sent after the run's
 * schedule has ended (processor `whileScheduled`; an occasional step keeps its own odds as well).
 */
function traced(journey: Journey): Journey {
  const origin = { 'x-harness-origin': `load journey ${journey.name}` };
  // The HTTP journeys' scenarios (not the browser one) have a flow of request steps.
  const scenario = journey.scenario as Scenario & { flow: HttpFlowStep[] };
  const flow = scenario.flow.map((step) => {
    const method = (['get', 'post', 'put', 'patch', 'delete'] as const).find((m) => m in step);
    if (method === undefined) return step;
    const request = (step as Record<string, { headers?: Record<string, string>; ifTrue?: string }>)[method]!;
    const ifTrue = request.ifTrue === 'occasionally' ? 'occasionallyWhileScheduled' : 'whileScheduled';
    if (request.ifTrue !== undefined && request.ifTrue !== 'occasionally') {
      throw new Error(`journey ${journey.name}: ifTrue '${request.ifTrue}' has no scheduled form`);
    }
    return {
      [method]: { ...request, ifTrue, headers: { ...request.headers, ...origin } },
    } as unknown as HttpFlowStep;
  });
  // onError: a request that gets no response still leaves its sample (processor `recordNoResponse`).
  return {
    ...journey,
    scenario: { ...scenario, beforeRequest: 'traceRequest', onError: 'recordNoResponse', flow } as Scenario,
  };
}

export const JOURNEYS: Journey[] = [
  {
    name: 'market-browsing',
    weight: 60,
    what: 'overview, quotes pages, search, symbol detail and its chart; refreshes the overview like people do',
    endpoints: [
      '/api/market/overview',
      '/api/market/quotes',
      '/api/market/search',
      '/api/market/quotes/:symbol',
      '/api/charts/kline/:symbol',
      '/api/market/sectors',
    ],
    occasionalEndpoints: [],
    scenario: {
      name: 'market-browsing',
      beforeScenario: 'pickData',
      afterResponse: 'checkResponse',
      flow: [
        get('/api/market/overview', '/api/market/overview'),
        think(1),
        get('/api/market/quotes', '/api/market/quotes'),
        think(1),
        // Most people page once or sort by the day's movers; few go deeper.
        get('/api/market/quotes', '/api/market/quotes', { sort: 'changePct', order: 'desc', page: '{{ page }}' }),
        get('/api/market/sectors', '/api/market/sectors'),
        think(1),
        get('/api/market/search', '/api/market/search', { q: '{{ searchTerm }}' }),
        get('/api/market/quotes/:symbol', '/api/market/quotes/{{ symbol }}'),
        get('/api/charts/kline/:symbol', '/api/charts/kline/{{ symbol }}', { period: 'day' }),
        think(2),
        // Back to the overview: the cache-friendly repeat every trading screen sees.
        get('/api/market/overview', '/api/market/overview'),
        get('/api/market/quotes/:symbol', '/api/market/quotes/{{ symbol2 }}'),
      ],
    },
  },
  {
    name: 'trader-session',
    weight: 20,
    what: 'sign in, portfolio risk, alerts, charts with indicators, a backtest now and then, sign out',
    endpoints: [
      '/api/auth/register',
      '/api/auth/login',
      '/api/auth/me',
      '/api/risk/portfolio',
      '/api/risk/alerts',
      '/api/charts/kline/:symbol',
      '/api/market/quotes/:symbol',
    ],
    occasionalEndpoints: ['/api/risk/backtest'],
    scenario: {
      name: 'trader-session',
      beforeScenario: 'pickData',
      afterResponse: 'checkResponse',
      flow: [
        ...signIn,
        get('/api/auth/me', '/api/auth/me'),
        get('/api/risk/portfolio', '/api/risk/portfolio'),
        think(2),
        get('/api/risk/alerts', '/api/risk/alerts'),
        get('/api/market/quotes/:symbol', '/api/market/quotes/{{ symbol }}'),
        get('/api/charts/kline/:symbol', '/api/charts/kline/{{ symbol }}', {
          period: '{{ period }}',
          indicators: '{{ indicators }}',
          from: '{{ from }}',
          to: '{{ to }}',
        }),
        think(2),
        {
          post: {
            name: '/api/risk/backtest',
            url: '/api/risk/backtest',
            ifTrue: 'occasionally',
            json: { symbol: '{{ symbol }}', from: '{{ backtestFrom }}', to: '{{ backtestTo }}', fast: 5, slow: 20 },
          },
        },
        ...signOut,
      ],
    },
  },
  {
    name: 'fund-flow',
    weight: 15,
    what: 'fund flow by sector, industry and stock over 1/5/20 days, then the quotes of the leading sector',
    endpoints: ['/api/fund-flow', '/api/market/quotes'],
    occasionalEndpoints: [],
    scenario: {
      name: 'fund-flow',
      beforeScenario: 'pickData',
      afterResponse: 'checkResponse',
      flow: [
        get('/api/fund-flow', '/api/fund-flow', { scope: 'sector', period: '1d' }),
        think(1),
        get('/api/fund-flow', '/api/fund-flow', { scope: 'industry', period: '{{ flowPeriod }}' }),
        get('/api/fund-flow', '/api/fund-flow', { scope: 'stock', period: '{{ flowPeriod }}', limit: 50 }),
        think(1),
        get('/api/market/quotes', '/api/market/quotes', { sector: '{{ sector }}', sort: 'amount', order: 'desc' }),
      ],
    },
  },
  {
    name: 'exports',
    weight: 5,
    what: 'a signed-in user downloads quotes (CSV), a K-line (Excel) and now and then a risk report (PDF)',
    endpoints: ['/api/auth/register', '/api/auth/login', '/api/export/:dataset.:format', '/api/auth/me'],
    occasionalEndpoints: [],
    scenario: {
      name: 'exports',
      beforeScenario: 'pickData',
      afterResponse: 'checkResponse',
      flow: [
        ...signIn,
        get('/api/export/:dataset.:format', '/api/export/quotes.csv', { sort: 'symbol' }),
        think(1),
        get('/api/export/:dataset.:format', '/api/export/kline.xlsx', {
          symbol: '{{ symbol }}',
          from: '{{ from }}',
          to: '{{ to }}',
        }),
        { get: { name: '/api/export/:dataset.:format', url: '/api/export/risk-report.pdf', ifTrue: 'occasionally' } },
        ...signOut,
      ],
    },
  },
].map(traced);

/** Names of the HTTP journeys. */
export const JOURNEY_NAMES = JOURNEYS.map((j) => j.name);

/** The journeys to run: all of them (the weighted mix) or the named ones; throws naming the known ones. */
export function selectJourneys(names: readonly string[]): Journey[] {
  if (names.length === 0) return JOURNEYS;
  return names.map((name) => {
    const journey = JOURNEYS.find((j) => j.name === name);
    if (!journey) throw new Error(`unknown scenario '${name}' (known: ${[...JOURNEY_NAMES, 'browser'].join(', ')})`);
    return journey;
  });
}

/** Artillery scenarios for the selected journeys, with their weights. */
export function toScenarios(journeys: readonly Journey[]): Scenario[] {
  return journeys.map((j) => ({ ...j.scenario, weight: j.weight }));
}
