"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// load/scenarios/api.ts
var api_exports = {};
__export(api_exports, {
  config: () => config,
  scenarios: () => scenarios
});
module.exports = __toCommonJS(api_exports);

// load/journeys.ts
var think = (seconds) => ({ think: seconds });
function get(endpoint, url, qs, extra = {}) {
  return { get: { name: endpoint, url, ...qs ? { qs } : {}, ...extra } };
}
var signIn = [
  { function: "newTrader" },
  {
    post: {
      name: "/api/auth/register",
      url: "/api/auth/register",
      json: { username: "{{ username }}", password: "{{ password }}", displayName: "Load Trader" }
    }
  },
  {
    post: {
      name: "/api/auth/login",
      url: "/api/auth/login",
      json: { username: "{{ username }}", password: "{{ password }}" }
    }
  }
];
var signOut = [{ delete: { name: "/api/auth/me", url: "/api/auth/me" } }];
var JOURNEYS = [
  {
    name: "market-browsing",
    weight: 60,
    what: "overview, quotes pages, search, symbol detail and its chart; refreshes the overview like people do",
    endpoints: [
      "/api/market/overview",
      "/api/market/quotes",
      "/api/market/search",
      "/api/market/quotes/:symbol",
      "/api/charts/kline/:symbol",
      "/api/market/sectors"
    ],
    occasionalEndpoints: [],
    scenario: {
      name: "market-browsing",
      beforeScenario: "pickData",
      afterResponse: "checkResponse",
      flow: [
        get("/api/market/overview", "/api/market/overview"),
        think(1),
        get("/api/market/quotes", "/api/market/quotes"),
        think(1),
        // Most people page once or sort by the day's movers; few go deeper.
        get("/api/market/quotes", "/api/market/quotes", { sort: "changePct", order: "desc", page: "{{ page }}" }),
        get("/api/market/sectors", "/api/market/sectors"),
        think(1),
        get("/api/market/search", "/api/market/search", { q: "{{ searchTerm }}" }),
        get("/api/market/quotes/:symbol", "/api/market/quotes/{{ symbol }}"),
        get("/api/charts/kline/:symbol", "/api/charts/kline/{{ symbol }}", { period: "day" }),
        think(2),
        // Back to the overview: the cache-friendly repeat every trading screen sees.
        get("/api/market/overview", "/api/market/overview"),
        get("/api/market/quotes/:symbol", "/api/market/quotes/{{ symbol2 }}")
      ]
    }
  },
  {
    name: "trader-session",
    weight: 20,
    what: "sign in, portfolio risk, alerts, charts with indicators, a backtest now and then, sign out",
    endpoints: [
      "/api/auth/register",
      "/api/auth/login",
      "/api/auth/me",
      "/api/risk/portfolio",
      "/api/risk/alerts",
      "/api/charts/kline/:symbol",
      "/api/market/quotes/:symbol"
    ],
    occasionalEndpoints: ["/api/risk/backtest"],
    scenario: {
      name: "trader-session",
      beforeScenario: "pickData",
      afterResponse: "checkResponse",
      flow: [
        ...signIn,
        get("/api/auth/me", "/api/auth/me"),
        get("/api/risk/portfolio", "/api/risk/portfolio"),
        think(2),
        get("/api/risk/alerts", "/api/risk/alerts"),
        get("/api/market/quotes/:symbol", "/api/market/quotes/{{ symbol }}"),
        get("/api/charts/kline/:symbol", "/api/charts/kline/{{ symbol }}", {
          period: "{{ period }}",
          indicators: "{{ indicators }}",
          from: "{{ from }}",
          to: "{{ to }}"
        }),
        think(2),
        {
          post: {
            name: "/api/risk/backtest",
            url: "/api/risk/backtest",
            ifTrue: "occasionally",
            json: { symbol: "{{ symbol }}", from: "{{ backtestFrom }}", to: "{{ backtestTo }}", fast: 5, slow: 20 }
          }
        },
        ...signOut
      ]
    }
  },
  {
    name: "fund-flow",
    weight: 15,
    what: "fund flow by sector, industry and stock over 1/5/20 days, then the quotes of the leading sector",
    endpoints: ["/api/fund-flow", "/api/market/quotes"],
    occasionalEndpoints: [],
    scenario: {
      name: "fund-flow",
      beforeScenario: "pickData",
      afterResponse: "checkResponse",
      flow: [
        get("/api/fund-flow", "/api/fund-flow", { scope: "sector", period: "1d" }),
        think(1),
        get("/api/fund-flow", "/api/fund-flow", { scope: "industry", period: "{{ flowPeriod }}" }),
        get("/api/fund-flow", "/api/fund-flow", { scope: "stock", period: "{{ flowPeriod }}", limit: 50 }),
        think(1),
        get("/api/market/quotes", "/api/market/quotes", { sector: "{{ sector }}", sort: "amount", order: "desc" })
      ]
    }
  },
  {
    name: "exports",
    weight: 5,
    what: "a signed-in user downloads quotes (CSV), a K-line (Excel) and now and then a risk report (PDF)",
    endpoints: ["/api/auth/register", "/api/auth/login", "/api/export/:dataset.:format", "/api/auth/me"],
    occasionalEndpoints: [],
    scenario: {
      name: "exports",
      beforeScenario: "pickData",
      afterResponse: "checkResponse",
      flow: [
        ...signIn,
        get("/api/export/:dataset.:format", "/api/export/quotes.csv", { sort: "symbol" }),
        think(1),
        get("/api/export/:dataset.:format", "/api/export/kline.xlsx", {
          symbol: "{{ symbol }}",
          from: "{{ from }}",
          to: "{{ to }}"
        }),
        { get: { name: "/api/export/:dataset.:format", url: "/api/export/risk-report.pdf", ifTrue: "occasionally" } },
        ...signOut
      ]
    }
  }
];
var JOURNEY_NAMES = JOURNEYS.map((j) => j.name);
function selectJourneys(names) {
  if (names.length === 0) return JOURNEYS;
  return names.map((name) => {
    const journey = JOURNEYS.find((j) => j.name === name);
    if (!journey) throw new Error(`unknown scenario '${name}' (known: ${[...JOURNEY_NAMES, "browser"].join(", ")})`);
    return journey;
  });
}
function toScenarios(journeys2) {
  return journeys2.map((j) => ({ ...j.scenario, weight: j.weight }));
}

// load/profiles.ts
var PROFILE_NAMES = ["smoke", "average", "stress", "spike", "soak", "breakpoint"];
var PROFILES = {
  smoke: {
    name: "smoke",
    purpose: "do the scripts work and does the service meet its SLOs under light load (about a minute)",
    phases: [{ name: "light", durationSeconds: 60, arrivalRate: 2 }],
    maxVusers: 50
  },
  average: {
    name: "average",
    purpose: "a normal trading day: ramp up, hold the usual load, ramp down",
    phases: [
      { name: "ramp-up", durationSeconds: 60, arrivalRate: 1, rampTo: 5 },
      { name: "hold", durationSeconds: 300, arrivalRate: 5 },
      { name: "ramp-down", durationSeconds: 30, arrivalRate: 5, rampTo: 1 }
    ],
    maxVusers: 200
  },
  stress: {
    name: "stress",
    purpose: "above-average load (market open, news): does it still meet the SLOs",
    phases: [
      { name: "ramp-up", durationSeconds: 120, arrivalRate: 1, rampTo: 12 },
      { name: "hold", durationSeconds: 300, arrivalRate: 12 },
      { name: "ramp-down", durationSeconds: 60, arrivalRate: 12, rampTo: 1 }
    ],
    maxVusers: 400
  },
  spike: {
    name: "spike",
    purpose: "a sudden burst (a limit-up board, a policy announcement) and the recovery after it",
    phases: [
      { name: "baseline", durationSeconds: 30, arrivalRate: 2 },
      { name: "surge", durationSeconds: 10, arrivalRate: 2, rampTo: 30 },
      { name: "peak", durationSeconds: 60, arrivalRate: 30 },
      { name: "drop", durationSeconds: 10, arrivalRate: 30, rampTo: 2 },
      { name: "recovery", durationSeconds: 60, arrivalRate: 2 }
    ],
    maxVusers: 600
  },
  soak: {
    name: "soak",
    purpose: "average load for hours: leaks, pool exhaustion, cache growth, slow drift",
    phases: [
      { name: "ramp-up", durationSeconds: 60, arrivalRate: 1, rampTo: 5 },
      { name: "hold", durationSeconds: 3 * 3600, arrivalRate: 5 },
      { name: "ramp-down", durationSeconds: 60, arrivalRate: 5, rampTo: 1 }
    ],
    maxVusers: 200
  },
  breakpoint: {
    name: "breakpoint",
    purpose: "arrival rate ramps until a threshold breaks; the report states the rate at which it broke",
    // A slow, steady ramp so each 10 s reporting period sees one rate; bounded, so a service that never
    // breaks still ends the run (the report then says it held up to the last rate).
    phases: [
      { name: "warm-up", durationSeconds: 20, arrivalRate: 1 },
      { name: "ramp", durationSeconds: 600, arrivalRate: 1, rampTo: 60 }
    ],
    maxVusers: 1e3
  }
};
function isProfileName(name) {
  return PROFILE_NAMES.includes(name);
}
function getProfile(name) {
  if (!isProfileName(name)) {
    throw new Error(`unknown load profile '${name}' (known: ${PROFILE_NAMES.join(", ")})`);
  }
  return structuredClone(PROFILES[name]);
}
function toArtilleryPhases(profile) {
  return profile.phases.map((phase) => ({
    name: phase.name,
    duration: phase.durationSeconds,
    arrivalRate: phase.arrivalRate,
    ...phase.rampTo === void 0 ? {} : { rampTo: phase.rampTo },
    maxVusers: profile.maxVusers
  }));
}

// load/thresholds.ts
var METRIC = {
  serverErrors: "mystocks.server_errors",
  checkFailures: "mystocks.check_failures"
};
function ensureExpression(spec) {
  const failed = `(http.requests - http.responses + ${METRIC.serverErrors})`;
  switch (spec.kind) {
    case "latency-p95":
      return `http.response_time.p95 ${spec.comparison} ${spec.limit}`;
    case "error-rate":
      return `${failed} / http.requests * 100 ${spec.comparison} ${spec.limit}`;
    case "availability":
      return `(http.requests - ${failed}) / http.requests * 100 ${spec.comparison} ${spec.limit}`;
    case "checks":
      return `${METRIC.checkFailures} ${spec.comparison} ${spec.limit}`;
  }
}
function toEnsure(specs) {
  return { conditions: specs.map((spec) => ({ expression: ensureExpression(spec), strict: true })) };
}

// load/plan.ts
var PLAN_ENV = "MYSTOCKS_LOAD_PLAN";
var METRIC_PREFIX = "mystocks_load";
function readPlan(env = process.env) {
  const raw = env[PLAN_ENV];
  if (raw) return JSON.parse(raw);
  const target = env.MYSTOCKS_TARGET ?? env.API_URL;
  if (!target) {
    throw new Error(
      `no load plan: run through 'harness load', or set MYSTOCKS_TARGET to the service's base URL (e.g. http://127.0.0.1:3000)`
    );
  }
  const profile = getProfile(env.MYSTOCKS_LOAD_PROFILE ?? "smoke");
  return {
    runId: env.MYSTOCKS_RUN_ID ?? `manual-${Date.now()}`,
    profile: profile.name,
    target,
    phases: toArtilleryPhases(profile),
    scenarios: env.MYSTOCKS_LOAD_SCENARIO ? [env.MYSTOCKS_LOAD_SCENARIO] : [],
    thresholds: [],
    occasionalPct: 10
  };
}
function baseConfig(plan2, scenarioLabel) {
  const plugins = {
    // Response checks are in the processor (status and shape per endpoint); expect stays off.
    // Per-endpoint numbers in the JSON report (and Prometheus), kept out of the console's progress blocks.
    "metrics-by-endpoint": { useOnlyRequestNames: true, stripQueryString: true, suppressOutput: true }
  };
  if (plan2.progressPlugin) plugins["mystocks-progress"] = {};
  if (plan2.thresholds.length > 0) plugins.ensure = toEnsure(plan2.thresholds);
  if (plan2.pushgatewayUrl) {
    plugins["publish-metrics"] = [
      {
        type: "prometheus",
        pushgateway: plan2.pushgatewayUrl,
        prefix: METRIC_PREFIX,
        // Become labels on every pushed series: the SLO check and dashboards select a run by run_id.
        tags: [`run_id:${plan2.runId}`, `scenario:${scenarioLabel}`, `profile:${plan2.profile}`, "app:mystocks"]
      }
    ];
  }
  return {
    target: plan2.target,
    phases: plan2.phases,
    // 10 s periods: the console shows progress that often, and the breakpoint analysis reads these periods.
    statsInterval: 10,
    http: { timeout: 10 },
    plugins,
    variables: { runId: plan2.runId, occasionalPct: plan2.occasionalPct }
  };
}

// load/scenarios/api.ts
var plan = readPlan();
var journeys = selectJourneys(plan.scenarios);
var config = {
  ...baseConfig(plan, plan.scenarios.length === 0 ? "mix" : plan.scenarios.join("+")),
  processor: "../processor.ts"
};
var scenarios = toScenarios(journeys);
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  config,
  scenarios
});
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsiLi4vYXBpLnRzIiwgIi4uLy4uL2pvdXJuZXlzLnRzIiwgIi4uLy4uL3Byb2ZpbGVzLnRzIiwgIi4uLy4uL3RocmVzaG9sZHMudHMiLCAiLi4vLi4vcGxhbi50cyJdLAogICJzb3VyY2VzQ29udGVudCI6IFsiLy8gVGhlIEFQSSBqb3VybmV5cyBvZiBNeVN0b2NrcyBhcyBvbmUgQXJ0aWxsZXJ5IHRlc3Qgc2NyaXB0OiB0aGUgd2VpZ2h0ZWQgbWl4IG9mIC4uL2pvdXJuZXlzLnRzLCBvciB0aGUgam91cm5leXNcbi8vIG5hbWVkIGluIHRoZSBwbGFuLiBSdW4gaXQgd2l0aCBgaGFybmVzcyBsb2FkIC0tcHJvZmlsZSBzbW9rZWAsIG9yIGJ5IGhhbmQ6XG4vLyAgIE1ZU1RPQ0tTX1RBUkdFVD1odHRwOi8vMTI3LjAuMC4xOjMwMDAgQVJUSUxMRVJZX0RJU0FCTEVfVEVMRU1FVFJZPXRydWUgbnB4IGFydGlsbGVyeSBydW4gbG9hZC9zY2VuYXJpb3MvYXBpLnRzXG5pbXBvcnQgdHlwZSB7IENvbmZpZywgU2NlbmFyaW8gfSBmcm9tICdhcnRpbGxlcnknO1xuaW1wb3J0IHsgc2VsZWN0Sm91cm5leXMsIHRvU2NlbmFyaW9zIH0gZnJvbSAnLi4vam91cm5leXMudHMnO1xuaW1wb3J0IHsgYmFzZUNvbmZpZywgcmVhZFBsYW4gfSBmcm9tICcuLi9wbGFuLnRzJztcblxuY29uc3QgcGxhbiA9IHJlYWRQbGFuKCk7XG5jb25zdCBqb3VybmV5cyA9IHNlbGVjdEpvdXJuZXlzKHBsYW4uc2NlbmFyaW9zKTtcblxuZXhwb3J0IGNvbnN0IGNvbmZpZzogQ29uZmlnID0ge1xuICAuLi5iYXNlQ29uZmlnKHBsYW4sIHBsYW4uc2NlbmFyaW9zLmxlbmd0aCA9PT0gMCA/ICdtaXgnIDogcGxhbi5zY2VuYXJpb3Muam9pbignKycpKSxcbiAgcHJvY2Vzc29yOiAnLi4vcHJvY2Vzc29yLnRzJyxcbn07XG5cbmV4cG9ydCBjb25zdCBzY2VuYXJpb3M6IFNjZW5hcmlvW10gPSB0b1NjZW5hcmlvcyhqb3VybmV5cyk7XG4iLCAiLy8gVGhlIGpvdXJuZXlzOiB3aGF0IHJlYWwgTXlTdG9ja3MgdXNlcnMgZG8sIGFzIHdlaWdodGVkIEFydGlsbGVyeSBzY2VuYXJpb3MuIEVhY2ggcmVxdWVzdCBpcyBuYW1lZCBieSB0aGUgcm91dGVcbi8vIHRlbXBsYXRlIHRoZSBzZXJ2aWNlIGxhYmVscyBpdHMgbWV0cmljcyB3aXRoIChgZW5kcG9pbnRgKSwgc28gQXJ0aWxsZXJ5J3MgcGVyLWVuZHBvaW50IG51bWJlcnMsIHRoZVxuLy8gcHJvY2Vzc29yJ3MgcmVzcG9uc2UgY2hlY2tzIGFuZCB0aGUgc2VydmljZSdzIG93biBodHRwX3JlcXVlc3RzX3RvdGFsIGxpbmUgdXAuIERhdGEgKHN5bWJvbHMsIHNlY3RvcnMsIHNlYXJjaFxuLy8gdGVybXMsIGRhdGUgcmFuZ2VzKSBjb21lcyBmcm9tIHRoZSBwcm9jZXNzb3IncyBgcGlja0RhdGFgLCBkcmF3biBmcm9tIHRoZSByZWZlcmVuY2UgZGF0YSBzZXQgKC4vZGF0YS50cykuXG5pbXBvcnQgdHlwZSB7IEh0dHBGbG93U3RlcCwgU2NlbmFyaW8gfSBmcm9tICdhcnRpbGxlcnknO1xuXG4vKiogQSBqb3VybmV5OiBhbiBBcnRpbGxlcnkgc2NlbmFyaW8gcGx1cyB3aGF0IGl0IGNsYWltcyB0byBoaXQsIHNvIGEgdGVzdCBjYW4gaG9sZCBpdCB0byB0aGF0LiAqL1xuZXhwb3J0IGludGVyZmFjZSBKb3VybmV5IHtcbiAgbmFtZTogc3RyaW5nO1xuICAvKiogU2hhcmUgb2YgYXJyaXZhbHMgcmVsYXRpdmUgdG8gdGhlIG90aGVyIGpvdXJuZXlzIG9mIHRoZSBtaXguICovXG4gIHdlaWdodDogbnVtYmVyO1xuICB3aGF0OiBzdHJpbmc7XG4gIC8qKiBSb3V0ZSB0ZW1wbGF0ZXMgZXZlcnkgcnVuIG9mIHRoZSBqb3VybmV5IHJlcXVlc3RzLiAqL1xuICBlbmRwb2ludHM6IHN0cmluZ1tdO1xuICAvKiogUm91dGUgdGVtcGxhdGVzIHJlcXVlc3RlZCBvbmx5IG5vdyBhbmQgdGhlbiAoYG9jY2FzaW9uYWxQY3RgIG9mIHJ1bnMpLiAqL1xuICBvY2Nhc2lvbmFsRW5kcG9pbnRzOiBzdHJpbmdbXTtcbiAgc2NlbmFyaW86IFNjZW5hcmlvO1xufVxuXG5jb25zdCB0aGluayA9IChzZWNvbmRzOiBudW1iZXIpOiBIdHRwRmxvd1N0ZXAgPT4gKHsgdGhpbms6IHNlY29uZHMgfSk7XG5cbi8qKiBBIEdFVCBuYW1lZCBieSBpdHMgcm91dGUgdGVtcGxhdGUuICovXG5mdW5jdGlvbiBnZXQoZW5kcG9pbnQ6IHN0cmluZywgdXJsOiBzdHJpbmcsIHFzPzogUmVjb3JkPHN0cmluZywgdW5rbm93bj4sIGV4dHJhOiBvYmplY3QgPSB7fSk6IEh0dHBGbG93U3RlcCB7XG4gIHJldHVybiB7IGdldDogeyBuYW1lOiBlbmRwb2ludCwgdXJsLCAuLi4ocXMgPyB7IHFzIH0gOiB7fSksIC4uLmV4dHJhIH0gfTtcbn1cblxuLyoqIFJlZ2lzdGVyIGEgdGhyb3ctYXdheSB1c2VyIGZvciB0aGlzIHZpcnR1YWwgdXNlciBhbmQgc2lnbiBpbiAobG9naW4gaXMgcmF0ZS1saW1pdGVkIHBlciB1c2VyKS4gKi9cbmNvbnN0IHNpZ25JbjogSHR0cEZsb3dTdGVwW10gPSBbXG4gIHsgZnVuY3Rpb246ICduZXdUcmFkZXInIH0sXG4gIHtcbiAgICBwb3N0OiB7XG4gICAgICBuYW1lOiAnL2FwaS9hdXRoL3JlZ2lzdGVyJyxcbiAgICAgIHVybDogJy9hcGkvYXV0aC9yZWdpc3RlcicsXG4gICAgICBqc29uOiB7IHVzZXJuYW1lOiAne3sgdXNlcm5hbWUgfX0nLCBwYXNzd29yZDogJ3t7IHBhc3N3b3JkIH19JywgZGlzcGxheU5hbWU6ICdMb2FkIFRyYWRlcicgfSxcbiAgICB9LFxuICB9LFxuICB7XG4gICAgcG9zdDoge1xuICAgICAgbmFtZTogJy9hcGkvYXV0aC9sb2dpbicsXG4gICAgICB1cmw6ICcvYXBpL2F1dGgvbG9naW4nLFxuICAgICAganNvbjogeyB1c2VybmFtZTogJ3t7IHVzZXJuYW1lIH19JywgcGFzc3dvcmQ6ICd7eyBwYXNzd29yZCB9fScgfSxcbiAgICB9LFxuICB9LFxuXTtcblxuLyoqIERlbGV0ZSB0aGUgdXNlciBhZ2FpbiAod2l0aCBpdHMgc2Vzc2lvbnMpLCBzbyBsb25nIHJ1bnMgZG8gbm90IGdyb3cgdGhlIHVzZXJzIHRhYmxlLiAqL1xuY29uc3Qgc2lnbk91dDogSHR0cEZsb3dTdGVwW10gPSBbeyBkZWxldGU6IHsgbmFtZTogJy9hcGkvYXV0aC9tZScsIHVybDogJy9hcGkvYXV0aC9tZScgfSB9XTtcblxuZXhwb3J0IGNvbnN0IEpPVVJORVlTOiBKb3VybmV5W10gPSBbXG4gIHtcbiAgICBuYW1lOiAnbWFya2V0LWJyb3dzaW5nJyxcbiAgICB3ZWlnaHQ6IDYwLFxuICAgIHdoYXQ6ICdvdmVydmlldywgcXVvdGVzIHBhZ2VzLCBzZWFyY2gsIHN5bWJvbCBkZXRhaWwgYW5kIGl0cyBjaGFydDsgcmVmcmVzaGVzIHRoZSBvdmVydmlldyBsaWtlIHBlb3BsZSBkbycsXG4gICAgZW5kcG9pbnRzOiBbXG4gICAgICAnL2FwaS9tYXJrZXQvb3ZlcnZpZXcnLFxuICAgICAgJy9hcGkvbWFya2V0L3F1b3RlcycsXG4gICAgICAnL2FwaS9tYXJrZXQvc2VhcmNoJyxcbiAgICAgICcvYXBpL21hcmtldC9xdW90ZXMvOnN5bWJvbCcsXG4gICAgICAnL2FwaS9jaGFydHMva2xpbmUvOnN5bWJvbCcsXG4gICAgICAnL2FwaS9tYXJrZXQvc2VjdG9ycycsXG4gICAgXSxcbiAgICBvY2Nhc2lvbmFsRW5kcG9pbnRzOiBbXSxcbiAgICBzY2VuYXJpbzoge1xuICAgICAgbmFtZTogJ21hcmtldC1icm93c2luZycsXG4gICAgICBiZWZvcmVTY2VuYXJpbzogJ3BpY2tEYXRhJyxcbiAgICAgIGFmdGVyUmVzcG9uc2U6ICdjaGVja1Jlc3BvbnNlJyxcbiAgICAgIGZsb3c6IFtcbiAgICAgICAgZ2V0KCcvYXBpL21hcmtldC9vdmVydmlldycsICcvYXBpL21hcmtldC9vdmVydmlldycpLFxuICAgICAgICB0aGluaygxKSxcbiAgICAgICAgZ2V0KCcvYXBpL21hcmtldC9xdW90ZXMnLCAnL2FwaS9tYXJrZXQvcXVvdGVzJyksXG4gICAgICAgIHRoaW5rKDEpLFxuICAgICAgICAvLyBNb3N0IHBlb3BsZSBwYWdlIG9uY2Ugb3Igc29ydCBieSB0aGUgZGF5J3MgbW92ZXJzOyBmZXcgZ28gZGVlcGVyLlxuICAgICAgICBnZXQoJy9hcGkvbWFya2V0L3F1b3RlcycsICcvYXBpL21hcmtldC9xdW90ZXMnLCB7IHNvcnQ6ICdjaGFuZ2VQY3QnLCBvcmRlcjogJ2Rlc2MnLCBwYWdlOiAne3sgcGFnZSB9fScgfSksXG4gICAgICAgIGdldCgnL2FwaS9tYXJrZXQvc2VjdG9ycycsICcvYXBpL21hcmtldC9zZWN0b3JzJyksXG4gICAgICAgIHRoaW5rKDEpLFxuICAgICAgICBnZXQoJy9hcGkvbWFya2V0L3NlYXJjaCcsICcvYXBpL21hcmtldC9zZWFyY2gnLCB7IHE6ICd7eyBzZWFyY2hUZXJtIH19JyB9KSxcbiAgICAgICAgZ2V0KCcvYXBpL21hcmtldC9xdW90ZXMvOnN5bWJvbCcsICcvYXBpL21hcmtldC9xdW90ZXMve3sgc3ltYm9sIH19JyksXG4gICAgICAgIGdldCgnL2FwaS9jaGFydHMva2xpbmUvOnN5bWJvbCcsICcvYXBpL2NoYXJ0cy9rbGluZS97eyBzeW1ib2wgfX0nLCB7IHBlcmlvZDogJ2RheScgfSksXG4gICAgICAgIHRoaW5rKDIpLFxuICAgICAgICAvLyBCYWNrIHRvIHRoZSBvdmVydmlldzogdGhlIGNhY2hlLWZyaWVuZGx5IHJlcGVhdCBldmVyeSB0cmFkaW5nIHNjcmVlbiBzZWVzLlxuICAgICAgICBnZXQoJy9hcGkvbWFya2V0L292ZXJ2aWV3JywgJy9hcGkvbWFya2V0L292ZXJ2aWV3JyksXG4gICAgICAgIGdldCgnL2FwaS9tYXJrZXQvcXVvdGVzLzpzeW1ib2wnLCAnL2FwaS9tYXJrZXQvcXVvdGVzL3t7IHN5bWJvbDIgfX0nKSxcbiAgICAgIF0sXG4gICAgfSxcbiAgfSxcbiAge1xuICAgIG5hbWU6ICd0cmFkZXItc2Vzc2lvbicsXG4gICAgd2VpZ2h0OiAyMCxcbiAgICB3aGF0OiAnc2lnbiBpbiwgcG9ydGZvbGlvIHJpc2ssIGFsZXJ0cywgY2hhcnRzIHdpdGggaW5kaWNhdG9ycywgYSBiYWNrdGVzdCBub3cgYW5kIHRoZW4sIHNpZ24gb3V0JyxcbiAgICBlbmRwb2ludHM6IFtcbiAgICAgICcvYXBpL2F1dGgvcmVnaXN0ZXInLFxuICAgICAgJy9hcGkvYXV0aC9sb2dpbicsXG4gICAgICAnL2FwaS9hdXRoL21lJyxcbiAgICAgICcvYXBpL3Jpc2svcG9ydGZvbGlvJyxcbiAgICAgICcvYXBpL3Jpc2svYWxlcnRzJyxcbiAgICAgICcvYXBpL2NoYXJ0cy9rbGluZS86c3ltYm9sJyxcbiAgICAgICcvYXBpL21hcmtldC9xdW90ZXMvOnN5bWJvbCcsXG4gICAgXSxcbiAgICBvY2Nhc2lvbmFsRW5kcG9pbnRzOiBbJy9hcGkvcmlzay9iYWNrdGVzdCddLFxuICAgIHNjZW5hcmlvOiB7XG4gICAgICBuYW1lOiAndHJhZGVyLXNlc3Npb24nLFxuICAgICAgYmVmb3JlU2NlbmFyaW86ICdwaWNrRGF0YScsXG4gICAgICBhZnRlclJlc3BvbnNlOiAnY2hlY2tSZXNwb25zZScsXG4gICAgICBmbG93OiBbXG4gICAgICAgIC4uLnNpZ25JbixcbiAgICAgICAgZ2V0KCcvYXBpL2F1dGgvbWUnLCAnL2FwaS9hdXRoL21lJyksXG4gICAgICAgIGdldCgnL2FwaS9yaXNrL3BvcnRmb2xpbycsICcvYXBpL3Jpc2svcG9ydGZvbGlvJyksXG4gICAgICAgIHRoaW5rKDIpLFxuICAgICAgICBnZXQoJy9hcGkvcmlzay9hbGVydHMnLCAnL2FwaS9yaXNrL2FsZXJ0cycpLFxuICAgICAgICBnZXQoJy9hcGkvbWFya2V0L3F1b3Rlcy86c3ltYm9sJywgJy9hcGkvbWFya2V0L3F1b3Rlcy97eyBzeW1ib2wgfX0nKSxcbiAgICAgICAgZ2V0KCcvYXBpL2NoYXJ0cy9rbGluZS86c3ltYm9sJywgJy9hcGkvY2hhcnRzL2tsaW5lL3t7IHN5bWJvbCB9fScsIHtcbiAgICAgICAgICBwZXJpb2Q6ICd7eyBwZXJpb2QgfX0nLFxuICAgICAgICAgIGluZGljYXRvcnM6ICd7eyBpbmRpY2F0b3JzIH19JyxcbiAgICAgICAgICBmcm9tOiAne3sgZnJvbSB9fScsXG4gICAgICAgICAgdG86ICd7eyB0byB9fScsXG4gICAgICAgIH0pLFxuICAgICAgICB0aGluaygyKSxcbiAgICAgICAge1xuICAgICAgICAgIHBvc3Q6IHtcbiAgICAgICAgICAgIG5hbWU6ICcvYXBpL3Jpc2svYmFja3Rlc3QnLFxuICAgICAgICAgICAgdXJsOiAnL2FwaS9yaXNrL2JhY2t0ZXN0JyxcbiAgICAgICAgICAgIGlmVHJ1ZTogJ29jY2FzaW9uYWxseScsXG4gICAgICAgICAgICBqc29uOiB7IHN5bWJvbDogJ3t7IHN5bWJvbCB9fScsIGZyb206ICd7eyBiYWNrdGVzdEZyb20gfX0nLCB0bzogJ3t7IGJhY2t0ZXN0VG8gfX0nLCBmYXN0OiA1LCBzbG93OiAyMCB9LFxuICAgICAgICAgIH0sXG4gICAgICAgIH0sXG4gICAgICAgIC4uLnNpZ25PdXQsXG4gICAgICBdLFxuICAgIH0sXG4gIH0sXG4gIHtcbiAgICBuYW1lOiAnZnVuZC1mbG93JyxcbiAgICB3ZWlnaHQ6IDE1LFxuICAgIHdoYXQ6ICdmdW5kIGZsb3cgYnkgc2VjdG9yLCBpbmR1c3RyeSBhbmQgc3RvY2sgb3ZlciAxLzUvMjAgZGF5cywgdGhlbiB0aGUgcXVvdGVzIG9mIHRoZSBsZWFkaW5nIHNlY3RvcicsXG4gICAgZW5kcG9pbnRzOiBbJy9hcGkvZnVuZC1mbG93JywgJy9hcGkvbWFya2V0L3F1b3RlcyddLFxuICAgIG9jY2FzaW9uYWxFbmRwb2ludHM6IFtdLFxuICAgIHNjZW5hcmlvOiB7XG4gICAgICBuYW1lOiAnZnVuZC1mbG93JyxcbiAgICAgIGJlZm9yZVNjZW5hcmlvOiAncGlja0RhdGEnLFxuICAgICAgYWZ0ZXJSZXNwb25zZTogJ2NoZWNrUmVzcG9uc2UnLFxuICAgICAgZmxvdzogW1xuICAgICAgICBnZXQoJy9hcGkvZnVuZC1mbG93JywgJy9hcGkvZnVuZC1mbG93JywgeyBzY29wZTogJ3NlY3RvcicsIHBlcmlvZDogJzFkJyB9KSxcbiAgICAgICAgdGhpbmsoMSksXG4gICAgICAgIGdldCgnL2FwaS9mdW5kLWZsb3cnLCAnL2FwaS9mdW5kLWZsb3cnLCB7IHNjb3BlOiAnaW5kdXN0cnknLCBwZXJpb2Q6ICd7eyBmbG93UGVyaW9kIH19JyB9KSxcbiAgICAgICAgZ2V0KCcvYXBpL2Z1bmQtZmxvdycsICcvYXBpL2Z1bmQtZmxvdycsIHsgc2NvcGU6ICdzdG9jaycsIHBlcmlvZDogJ3t7IGZsb3dQZXJpb2QgfX0nLCBsaW1pdDogNTAgfSksXG4gICAgICAgIHRoaW5rKDEpLFxuICAgICAgICBnZXQoJy9hcGkvbWFya2V0L3F1b3RlcycsICcvYXBpL21hcmtldC9xdW90ZXMnLCB7IHNlY3RvcjogJ3t7IHNlY3RvciB9fScsIHNvcnQ6ICdhbW91bnQnLCBvcmRlcjogJ2Rlc2MnIH0pLFxuICAgICAgXSxcbiAgICB9LFxuICB9LFxuICB7XG4gICAgbmFtZTogJ2V4cG9ydHMnLFxuICAgIHdlaWdodDogNSxcbiAgICB3aGF0OiAnYSBzaWduZWQtaW4gdXNlciBkb3dubG9hZHMgcXVvdGVzIChDU1YpLCBhIEstbGluZSAoRXhjZWwpIGFuZCBub3cgYW5kIHRoZW4gYSByaXNrIHJlcG9ydCAoUERGKScsXG4gICAgZW5kcG9pbnRzOiBbJy9hcGkvYXV0aC9yZWdpc3RlcicsICcvYXBpL2F1dGgvbG9naW4nLCAnL2FwaS9leHBvcnQvOmRhdGFzZXQuOmZvcm1hdCcsICcvYXBpL2F1dGgvbWUnXSxcbiAgICBvY2Nhc2lvbmFsRW5kcG9pbnRzOiBbXSxcbiAgICBzY2VuYXJpbzoge1xuICAgICAgbmFtZTogJ2V4cG9ydHMnLFxuICAgICAgYmVmb3JlU2NlbmFyaW86ICdwaWNrRGF0YScsXG4gICAgICBhZnRlclJlc3BvbnNlOiAnY2hlY2tSZXNwb25zZScsXG4gICAgICBmbG93OiBbXG4gICAgICAgIC4uLnNpZ25JbixcbiAgICAgICAgZ2V0KCcvYXBpL2V4cG9ydC86ZGF0YXNldC46Zm9ybWF0JywgJy9hcGkvZXhwb3J0L3F1b3Rlcy5jc3YnLCB7IHNvcnQ6ICdzeW1ib2wnIH0pLFxuICAgICAgICB0aGluaygxKSxcbiAgICAgICAgZ2V0KCcvYXBpL2V4cG9ydC86ZGF0YXNldC46Zm9ybWF0JywgJy9hcGkvZXhwb3J0L2tsaW5lLnhsc3gnLCB7XG4gICAgICAgICAgc3ltYm9sOiAne3sgc3ltYm9sIH19JyxcbiAgICAgICAgICBmcm9tOiAne3sgZnJvbSB9fScsXG4gICAgICAgICAgdG86ICd7eyB0byB9fScsXG4gICAgICAgIH0pLFxuICAgICAgICB7IGdldDogeyBuYW1lOiAnL2FwaS9leHBvcnQvOmRhdGFzZXQuOmZvcm1hdCcsIHVybDogJy9hcGkvZXhwb3J0L3Jpc2stcmVwb3J0LnBkZicsIGlmVHJ1ZTogJ29jY2FzaW9uYWxseScgfSB9LFxuICAgICAgICAuLi5zaWduT3V0LFxuICAgICAgXSxcbiAgICB9LFxuICB9LFxuXTtcblxuLyoqIE5hbWVzIG9mIHRoZSBIVFRQIGpvdXJuZXlzLiAqL1xuZXhwb3J0IGNvbnN0IEpPVVJORVlfTkFNRVMgPSBKT1VSTkVZUy5tYXAoKGopID0+IGoubmFtZSk7XG5cbi8qKiBUaGUgam91cm5leXMgdG8gcnVuOiBhbGwgb2YgdGhlbSAodGhlIHdlaWdodGVkIG1peCkgb3IgdGhlIG5hbWVkIG9uZXM7IHRocm93cyBuYW1pbmcgdGhlIGtub3duIG9uZXMuICovXG5leHBvcnQgZnVuY3Rpb24gc2VsZWN0Sm91cm5leXMobmFtZXM6IHJlYWRvbmx5IHN0cmluZ1tdKTogSm91cm5leVtdIHtcbiAgaWYgKG5hbWVzLmxlbmd0aCA9PT0gMCkgcmV0dXJuIEpPVVJORVlTO1xuICByZXR1cm4gbmFtZXMubWFwKChuYW1lKSA9PiB7XG4gICAgY29uc3Qgam91cm5leSA9IEpPVVJORVlTLmZpbmQoKGopID0+IGoubmFtZSA9PT0gbmFtZSk7XG4gICAgaWYgKCFqb3VybmV5KSB0aHJvdyBuZXcgRXJyb3IoYHVua25vd24gc2NlbmFyaW8gJyR7bmFtZX0nIChrbm93bjogJHtbLi4uSk9VUk5FWV9OQU1FUywgJ2Jyb3dzZXInXS5qb2luKCcsICcpfSlgKTtcbiAgICByZXR1cm4gam91cm5leTtcbiAgfSk7XG59XG5cbi8qKiBBcnRpbGxlcnkgc2NlbmFyaW9zIGZvciB0aGUgc2VsZWN0ZWQgam91cm5leXMsIHdpdGggdGhlaXIgd2VpZ2h0cy4gKi9cbmV4cG9ydCBmdW5jdGlvbiB0b1NjZW5hcmlvcyhqb3VybmV5czogcmVhZG9ubHkgSm91cm5leVtdKTogU2NlbmFyaW9bXSB7XG4gIHJldHVybiBqb3VybmV5cy5tYXAoKGopID0+ICh7IC4uLmouc2NlbmFyaW8sIHdlaWdodDogai53ZWlnaHQgfSkpO1xufVxuIiwgIi8vIFRoZSBsb2FkIHByb2ZpbGVzLCBpbiBvbmUgbW9kdWxlIChRdWlja1BpenphJ3MgaGFiaXQpOiBldmVyeSBzY2VuYXJpbyBzY3JpcHQgdGFrZXMgaXRzIHBoYXNlcyBmcm9tIGhlcmUsIHNvXG4vLyBcImF2ZXJhZ2VcIiBtZWFucyB0aGUgc2FtZSB0cmFmZmljIHdoaWNoZXZlciBqb3VybmV5IHJ1bnMuIFJhdGVzIGFyZSBhcnJpdmFscyBvZiB2aXJ0dWFsIHVzZXJzIHBlciBzZWNvbmQ7XG4vLyBlYWNoIHZpcnR1YWwgdXNlciBydW5zIG9uZSBqb3VybmV5IChzZXZlcmFsIHJlcXVlc3RzIHdpdGggdGhpbmsgdGltZSksIHNvIHJlcXVlc3RzIHBlciBzZWNvbmQgYXJlIGFcbi8vIG11bHRpcGxlIG9mIHRoZSBhcnJpdmFsIHJhdGUgKGFib3V0IDUtOCByZXF1ZXN0cyBwZXIgam91cm5leSBpbiB0aGUgZGVmYXVsdCBtaXgpLlxuaW1wb3J0IHR5cGUgeyBUZXN0UGhhc2UgfSBmcm9tICdhcnRpbGxlcnknO1xuXG4vKiogTmFtZXMgb2YgdGhlIHByb2ZpbGVzLCBpbiB0aGUgb3JkZXIgYGhhcm5lc3MgbG9hZCAtLWhlbHBgIGxpc3RzIHRoZW0uICovXG5leHBvcnQgY29uc3QgUFJPRklMRV9OQU1FUyA9IFsnc21va2UnLCAnYXZlcmFnZScsICdzdHJlc3MnLCAnc3Bpa2UnLCAnc29haycsICdicmVha3BvaW50J10gYXMgY29uc3Q7XG5cbi8qKiBPbmUgb2Yge0BsaW5rIFBST0ZJTEVfTkFNRVN9LiAqL1xuZXhwb3J0IHR5cGUgUHJvZmlsZU5hbWUgPSAodHlwZW9mIFBST0ZJTEVfTkFNRVMpW251bWJlcl07XG5cbi8qKiBBIHBoYXNlIGFzIHRoZSBwcm9maWxlcyBkZWZpbmUgaXQ6IHNlY29uZHMgYW5kIGFycml2YWxzIHBlciBzZWNvbmQsIG5vIHN0cmluZ3MuICovXG5leHBvcnQgaW50ZXJmYWNlIFBoYXNlIHtcbiAgbmFtZTogc3RyaW5nO1xuICBkdXJhdGlvblNlY29uZHM6IG51bWJlcjtcbiAgLyoqIEFycml2YWxzIHBlciBzZWNvbmQgYXQgdGhlIHN0YXJ0IG9mIHRoZSBwaGFzZS4gKi9cbiAgYXJyaXZhbFJhdGU6IG51bWJlcjtcbiAgLyoqIEFycml2YWxzIHBlciBzZWNvbmQgYXQgdGhlIGVuZCBvZiB0aGUgcGhhc2UsIHdoZW4gdGhlIHBoYXNlIHJhbXBzLiAqL1xuICByYW1wVG8/OiBudW1iZXI7XG59XG5cbi8qKiBBIG5hbWVkIGxvYWQgc2hhcGUuICovXG5leHBvcnQgaW50ZXJmYWNlIFByb2ZpbGUge1xuICBuYW1lOiBQcm9maWxlTmFtZTtcbiAgLyoqIFdoYXQgdGhlIHByb2ZpbGUgYW5zd2VycywgZm9yIC0taGVscCBhbmQgdGhlIHJlcG9ydC4gKi9cbiAgcHVycG9zZTogc3RyaW5nO1xuICBwaGFzZXM6IFBoYXNlW107XG4gIC8qKiBDYXAgb24gY29uY3VycmVudGx5IGFjdGl2ZSB2aXJ0dWFsIHVzZXJzLCBzbyBhbiBvdmVybG9hZGVkIHRhcmdldCBjYW5ub3QgbWFrZSB0aGUgY2xpZW50IGV4cGxvZGUuICovXG4gIG1heFZ1c2VyczogbnVtYmVyO1xufVxuXG5jb25zdCBQUk9GSUxFUzogUmVjb3JkPFByb2ZpbGVOYW1lLCBQcm9maWxlPiA9IHtcbiAgc21va2U6IHtcbiAgICBuYW1lOiAnc21va2UnLFxuICAgIHB1cnBvc2U6ICdkbyB0aGUgc2NyaXB0cyB3b3JrIGFuZCBkb2VzIHRoZSBzZXJ2aWNlIG1lZXQgaXRzIFNMT3MgdW5kZXIgbGlnaHQgbG9hZCAoYWJvdXQgYSBtaW51dGUpJyxcbiAgICBwaGFzZXM6IFt7IG5hbWU6ICdsaWdodCcsIGR1cmF0aW9uU2Vjb25kczogNjAsIGFycml2YWxSYXRlOiAyIH1dLFxuICAgIG1heFZ1c2VyczogNTAsXG4gIH0sXG4gIGF2ZXJhZ2U6IHtcbiAgICBuYW1lOiAnYXZlcmFnZScsXG4gICAgcHVycG9zZTogJ2Egbm9ybWFsIHRyYWRpbmcgZGF5OiByYW1wIHVwLCBob2xkIHRoZSB1c3VhbCBsb2FkLCByYW1wIGRvd24nLFxuICAgIHBoYXNlczogW1xuICAgICAgeyBuYW1lOiAncmFtcC11cCcsIGR1cmF0aW9uU2Vjb25kczogNjAsIGFycml2YWxSYXRlOiAxLCByYW1wVG86IDUgfSxcbiAgICAgIHsgbmFtZTogJ2hvbGQnLCBkdXJhdGlvblNlY29uZHM6IDMwMCwgYXJyaXZhbFJhdGU6IDUgfSxcbiAgICAgIHsgbmFtZTogJ3JhbXAtZG93bicsIGR1cmF0aW9uU2Vjb25kczogMzAsIGFycml2YWxSYXRlOiA1LCByYW1wVG86IDEgfSxcbiAgICBdLFxuICAgIG1heFZ1c2VyczogMjAwLFxuICB9LFxuICBzdHJlc3M6IHtcbiAgICBuYW1lOiAnc3RyZXNzJyxcbiAgICBwdXJwb3NlOiAnYWJvdmUtYXZlcmFnZSBsb2FkIChtYXJrZXQgb3BlbiwgbmV3cyk6IGRvZXMgaXQgc3RpbGwgbWVldCB0aGUgU0xPcycsXG4gICAgcGhhc2VzOiBbXG4gICAgICB7IG5hbWU6ICdyYW1wLXVwJywgZHVyYXRpb25TZWNvbmRzOiAxMjAsIGFycml2YWxSYXRlOiAxLCByYW1wVG86IDEyIH0sXG4gICAgICB7IG5hbWU6ICdob2xkJywgZHVyYXRpb25TZWNvbmRzOiAzMDAsIGFycml2YWxSYXRlOiAxMiB9LFxuICAgICAgeyBuYW1lOiAncmFtcC1kb3duJywgZHVyYXRpb25TZWNvbmRzOiA2MCwgYXJyaXZhbFJhdGU6IDEyLCByYW1wVG86IDEgfSxcbiAgICBdLFxuICAgIG1heFZ1c2VyczogNDAwLFxuICB9LFxuICBzcGlrZToge1xuICAgIG5hbWU6ICdzcGlrZScsXG4gICAgcHVycG9zZTogJ2Egc3VkZGVuIGJ1cnN0IChhIGxpbWl0LXVwIGJvYXJkLCBhIHBvbGljeSBhbm5vdW5jZW1lbnQpIGFuZCB0aGUgcmVjb3ZlcnkgYWZ0ZXIgaXQnLFxuICAgIHBoYXNlczogW1xuICAgICAgeyBuYW1lOiAnYmFzZWxpbmUnLCBkdXJhdGlvblNlY29uZHM6IDMwLCBhcnJpdmFsUmF0ZTogMiB9LFxuICAgICAgeyBuYW1lOiAnc3VyZ2UnLCBkdXJhdGlvblNlY29uZHM6IDEwLCBhcnJpdmFsUmF0ZTogMiwgcmFtcFRvOiAzMCB9LFxuICAgICAgeyBuYW1lOiAncGVhaycsIGR1cmF0aW9uU2Vjb25kczogNjAsIGFycml2YWxSYXRlOiAzMCB9LFxuICAgICAgeyBuYW1lOiAnZHJvcCcsIGR1cmF0aW9uU2Vjb25kczogMTAsIGFycml2YWxSYXRlOiAzMCwgcmFtcFRvOiAyIH0sXG4gICAgICB7IG5hbWU6ICdyZWNvdmVyeScsIGR1cmF0aW9uU2Vjb25kczogNjAsIGFycml2YWxSYXRlOiAyIH0sXG4gICAgXSxcbiAgICBtYXhWdXNlcnM6IDYwMCxcbiAgfSxcbiAgc29hazoge1xuICAgIG5hbWU6ICdzb2FrJyxcbiAgICBwdXJwb3NlOiAnYXZlcmFnZSBsb2FkIGZvciBob3VyczogbGVha3MsIHBvb2wgZXhoYXVzdGlvbiwgY2FjaGUgZ3Jvd3RoLCBzbG93IGRyaWZ0JyxcbiAgICBwaGFzZXM6IFtcbiAgICAgIHsgbmFtZTogJ3JhbXAtdXAnLCBkdXJhdGlvblNlY29uZHM6IDYwLCBhcnJpdmFsUmF0ZTogMSwgcmFtcFRvOiA1IH0sXG4gICAgICB7IG5hbWU6ICdob2xkJywgZHVyYXRpb25TZWNvbmRzOiAzICogMzYwMCwgYXJyaXZhbFJhdGU6IDUgfSxcbiAgICAgIHsgbmFtZTogJ3JhbXAtZG93bicsIGR1cmF0aW9uU2Vjb25kczogNjAsIGFycml2YWxSYXRlOiA1LCByYW1wVG86IDEgfSxcbiAgICBdLFxuICAgIG1heFZ1c2VyczogMjAwLFxuICB9LFxuICBicmVha3BvaW50OiB7XG4gICAgbmFtZTogJ2JyZWFrcG9pbnQnLFxuICAgIHB1cnBvc2U6ICdhcnJpdmFsIHJhdGUgcmFtcHMgdW50aWwgYSB0aHJlc2hvbGQgYnJlYWtzOyB0aGUgcmVwb3J0IHN0YXRlcyB0aGUgcmF0ZSBhdCB3aGljaCBpdCBicm9rZScsXG4gICAgLy8gQSBzbG93LCBzdGVhZHkgcmFtcCBzbyBlYWNoIDEwIHMgcmVwb3J0aW5nIHBlcmlvZCBzZWVzIG9uZSByYXRlOyBib3VuZGVkLCBzbyBhIHNlcnZpY2UgdGhhdCBuZXZlclxuICAgIC8vIGJyZWFrcyBzdGlsbCBlbmRzIHRoZSBydW4gKHRoZSByZXBvcnQgdGhlbiBzYXlzIGl0IGhlbGQgdXAgdG8gdGhlIGxhc3QgcmF0ZSkuXG4gICAgcGhhc2VzOiBbXG4gICAgICB7IG5hbWU6ICd3YXJtLXVwJywgZHVyYXRpb25TZWNvbmRzOiAyMCwgYXJyaXZhbFJhdGU6IDEgfSxcbiAgICAgIHsgbmFtZTogJ3JhbXAnLCBkdXJhdGlvblNlY29uZHM6IDYwMCwgYXJyaXZhbFJhdGU6IDEsIHJhbXBUbzogNjAgfSxcbiAgICBdLFxuICAgIG1heFZ1c2VyczogMTAwMCxcbiAgfSxcbn07XG5cbi8qKiBUcnVlIHdoZW4gYG5hbWVgIGlzIG9uZSBvZiB0aGUgcHJvZmlsZXMuICovXG5leHBvcnQgZnVuY3Rpb24gaXNQcm9maWxlTmFtZShuYW1lOiBzdHJpbmcpOiBuYW1lIGlzIFByb2ZpbGVOYW1lIHtcbiAgcmV0dXJuIChQUk9GSUxFX05BTUVTIGFzIHJlYWRvbmx5IHN0cmluZ1tdKS5pbmNsdWRlcyhuYW1lKTtcbn1cblxuLyoqIFRoZSBwcm9maWxlIG9mIHRoYXQgbmFtZTsgdGhyb3dzIG5hbWluZyB0aGUga25vd24gcHJvZmlsZXMgb3RoZXJ3aXNlLiAqL1xuZXhwb3J0IGZ1bmN0aW9uIGdldFByb2ZpbGUobmFtZTogc3RyaW5nKTogUHJvZmlsZSB7XG4gIGlmICghaXNQcm9maWxlTmFtZShuYW1lKSkge1xuICAgIHRocm93IG5ldyBFcnJvcihgdW5rbm93biBsb2FkIHByb2ZpbGUgJyR7bmFtZX0nIChrbm93bjogJHtQUk9GSUxFX05BTUVTLmpvaW4oJywgJyl9KWApO1xuICB9XG4gIHJldHVybiBzdHJ1Y3R1cmVkQ2xvbmUoUFJPRklMRVNbbmFtZV0pO1xufVxuXG4vKiogVG90YWwgc2Vjb25kcyBvZiBhcnJpdmFscyBpbiBhIHByb2ZpbGUgKHZpcnR1YWwgdXNlcnMgc3RpbGwgcnVubmluZyBhdCB0aGUgZW5kIGFkZCB0aGVpciBqb3VybmV5IHRpbWUpLiAqL1xuZXhwb3J0IGZ1bmN0aW9uIHByb2ZpbGVEdXJhdGlvblNlY29uZHMocHJvZmlsZTogUGljazxQcm9maWxlLCAncGhhc2VzJz4pOiBudW1iZXIge1xuICByZXR1cm4gcHJvZmlsZS5waGFzZXMucmVkdWNlKChzdW0sIHBoYXNlKSA9PiBzdW0gKyBwaGFzZS5kdXJhdGlvblNlY29uZHMsIDApO1xufVxuXG4vKiogSG93IHRvIHNob3J0ZW4gKG9yIGxlbmd0aGVuKSBhIHByb2ZpbGU6IGEgZmFjdG9yIG9uIGV2ZXJ5IHBoYXNlLCBvciBhIHRvdGFsIGxlbmd0aCBpbiBzZWNvbmRzLiAqL1xuZXhwb3J0IGludGVyZmFjZSBEdXJhdGlvbk92ZXJyaWRlIHtcbiAgZHVyYXRpb25TY2FsZT86IG51bWJlcjtcbiAgZHVyYXRpb25TZWNvbmRzPzogbnVtYmVyO1xufVxuXG4vKipcbiAqIFRoZSBwcm9maWxlIHdpdGggZXZlcnkgcGhhc2Ugc3RyZXRjaGVkIGJ5IHRoZSBzYW1lIGZhY3Rvciwgc28gaXRzIHNoYXBlIChyYW1wcywgc3Bpa2UsIGhvbGQpIGFuZCBpdHMgcmF0ZXNcbiAqIHN0YXkgYXMgdGhleSBhcmUgYW5kIG9ubHkgdGltZSBjaGFuZ2VzOyBhIHBoYXNlIG5ldmVyIGdldHMgc2hvcnRlciB0aGFuIG9uZSBzZWNvbmQuIEZvciBgc21va2VgIHdpdGhcbiAqIGBkdXJhdGlvblNlY29uZHM6IDE1YCB0aGlzIGdpdmVzIGEgMTUgcyBzbW9rZSBydW4gYXQgdGhlIHNtb2tlIHJhdGUuXG4gKi9cbmV4cG9ydCBmdW5jdGlvbiBzY2FsZVByb2ZpbGUocHJvZmlsZTogUHJvZmlsZSwgb3ZlcnJpZGU6IER1cmF0aW9uT3ZlcnJpZGUgPSB7fSk6IFByb2ZpbGUge1xuICBjb25zdCB7IGR1cmF0aW9uU2NhbGUsIGR1cmF0aW9uU2Vjb25kcyB9ID0gb3ZlcnJpZGU7XG4gIGlmIChkdXJhdGlvblNjYWxlICE9PSB1bmRlZmluZWQgJiYgZHVyYXRpb25TZWNvbmRzICE9PSB1bmRlZmluZWQpIHtcbiAgICB0aHJvdyBuZXcgRXJyb3IoJ2dpdmUgZWl0aGVyIGEgZHVyYXRpb24gc2NhbGUgb3IgYSBkdXJhdGlvbiwgbm90IGJvdGgnKTtcbiAgfVxuICBsZXQgZmFjdG9yID0gMTtcbiAgaWYgKGR1cmF0aW9uU2NhbGUgIT09IHVuZGVmaW5lZCkge1xuICAgIGlmICghKGR1cmF0aW9uU2NhbGUgPiAwKSB8fCAhTnVtYmVyLmlzRmluaXRlKGR1cmF0aW9uU2NhbGUpKSB7XG4gICAgICB0aHJvdyBuZXcgRXJyb3IoYGR1cmF0aW9uIHNjYWxlIG11c3QgYmUgYSBwb3NpdGl2ZSBudW1iZXIsIGdvdCAke2R1cmF0aW9uU2NhbGV9YCk7XG4gICAgfVxuICAgIGZhY3RvciA9IGR1cmF0aW9uU2NhbGU7XG4gIH0gZWxzZSBpZiAoZHVyYXRpb25TZWNvbmRzICE9PSB1bmRlZmluZWQpIHtcbiAgICBpZiAoIShkdXJhdGlvblNlY29uZHMgPj0gMSkgfHwgIU51bWJlci5pc0Zpbml0ZShkdXJhdGlvblNlY29uZHMpKSB7XG4gICAgICB0aHJvdyBuZXcgRXJyb3IoYGR1cmF0aW9uIG11c3QgYmUgYXQgbGVhc3QgMSBzZWNvbmQsIGdvdCAke2R1cmF0aW9uU2Vjb25kc31gKTtcbiAgICB9XG4gICAgZmFjdG9yID0gZHVyYXRpb25TZWNvbmRzIC8gcHJvZmlsZUR1cmF0aW9uU2Vjb25kcyhwcm9maWxlKTtcbiAgfVxuICBpZiAoZmFjdG9yID09PSAxKSByZXR1cm4gcHJvZmlsZTtcbiAgcmV0dXJuIHtcbiAgICAuLi5wcm9maWxlLFxuICAgIHBoYXNlczogcHJvZmlsZS5waGFzZXMubWFwKChwaGFzZSkgPT4gKHtcbiAgICAgIC4uLnBoYXNlLFxuICAgICAgZHVyYXRpb25TZWNvbmRzOiBNYXRoLm1heCgxLCBNYXRoLnJvdW5kKHBoYXNlLmR1cmF0aW9uU2Vjb25kcyAqIGZhY3RvcikpLFxuICAgIH0pKSxcbiAgfTtcbn1cblxuLyoqIFRoZSBwaGFzZXMgaW4gQXJ0aWxsZXJ5J3Mgb3duIGZvcm0uICovXG5leHBvcnQgZnVuY3Rpb24gdG9BcnRpbGxlcnlQaGFzZXMocHJvZmlsZTogUHJvZmlsZSk6IFRlc3RQaGFzZVtdIHtcbiAgcmV0dXJuIHByb2ZpbGUucGhhc2VzLm1hcCgocGhhc2UpID0+ICh7XG4gICAgbmFtZTogcGhhc2UubmFtZSxcbiAgICBkdXJhdGlvbjogcGhhc2UuZHVyYXRpb25TZWNvbmRzLFxuICAgIGFycml2YWxSYXRlOiBwaGFzZS5hcnJpdmFsUmF0ZSxcbiAgICAuLi4ocGhhc2UucmFtcFRvID09PSB1bmRlZmluZWQgPyB7fSA6IHsgcmFtcFRvOiBwaGFzZS5yYW1wVG8gfSksXG4gICAgbWF4VnVzZXJzOiBwcm9maWxlLm1heFZ1c2VycyxcbiAgfSkpO1xufVxuXG4vKipcbiAqIFRoZSBzY2hlZHVsZWQgYXJyaXZhbCByYXRlIChwZXIgc2Vjb25kKSBhdCBgdGAgc2Vjb25kcyBhZnRlciB0aGUgc3RhcnQ6IGxpbmVhciBpbnNpZGUgYSByYW1wLiBVc2VkIHRvIHNheVxuICogYXQgd2hpY2ggcmF0ZSBhIGJyZWFrcG9pbnQgcnVuIGJyb2tlLlxuICovXG5leHBvcnQgZnVuY3Rpb24gc2NoZWR1bGVkUmF0ZUF0KHByb2ZpbGU6IFBpY2s8UHJvZmlsZSwgJ3BoYXNlcyc+LCB0OiBudW1iZXIpOiBudW1iZXIge1xuICBsZXQgc3RhcnQgPSAwO1xuICBmb3IgKGNvbnN0IHBoYXNlIG9mIHByb2ZpbGUucGhhc2VzKSB7XG4gICAgY29uc3QgZW5kID0gc3RhcnQgKyBwaGFzZS5kdXJhdGlvblNlY29uZHM7XG4gICAgaWYgKHQgPCBlbmQpIHtcbiAgICAgIGNvbnN0IHRvID0gcGhhc2UucmFtcFRvID8/IHBoYXNlLmFycml2YWxSYXRlO1xuICAgICAgcmV0dXJuIHBoYXNlLmFycml2YWxSYXRlICsgKCh0byAtIHBoYXNlLmFycml2YWxSYXRlKSAqICh0IC0gc3RhcnQpKSAvIHBoYXNlLmR1cmF0aW9uU2Vjb25kcztcbiAgICB9XG4gICAgc3RhcnQgPSBlbmQ7XG4gIH1cbiAgY29uc3QgbGFzdCA9IHByb2ZpbGUucGhhc2VzLmF0KC0xKTtcbiAgcmV0dXJuIGxhc3QgPyAobGFzdC5yYW1wVG8gPz8gbGFzdC5hcnJpdmFsUmF0ZSkgOiAwO1xufVxuIiwgIi8vIFBhc3MvZmFpbCBsaW5lcyBvZiBhIGxvYWQgcnVuLiBUaGUgbGltaXRzIGFyZSB0aGUgU0xPcyB0aGVtc2VsdmVzOiB0aGV5IGNvbWUgZnJvbSBzbG8vc2xvLWNvbmZpZy55YW1sIHRocm91Z2hcbi8vIHRoZSBTTE8gY2hlY2tlcidzIG1vZGVsIChzZWUgLi9zbG8tbGltaXRzLnRzKSBhbmQgYXJlIG5ldmVyIHdyaXR0ZW4gaGVyZS4gVGhpcyBtb2R1bGUgdHVybnMgdGhlbSBpbnRvXG4vLyBBcnRpbGxlcnkgYGVuc3VyZWAgY29uZGl0aW9ucyAoc28gQXJ0aWxsZXJ5IHByaW50cyBvay9mYWlsIGFuZCBleGl0cyAxKSBhbmQgZXZhbHVhdGVzIHRoZSB2ZXJ5IHNhbWVcbi8vIGZvcm11bGFzIG9uIHRoZSBKU09OIHJlcG9ydCwgc28gdGhlIGhhcm5lc3MgY2FuIHJlcG9ydCB0aGUgbWVhc3VyZWQgdmFsdWUgbmV4dCB0byBlYWNoIGxpbWl0LlxuXG4vKiogVGhlIGNsaWVudC1zaWRlIGxpbWl0cyBhIGxvYWQgcnVuIGlzIGhlbGQgdG8sIGFzIHRoZSBTTE8gbW9kZWwgZ2l2ZXMgdGhlbS4gKi9cbmV4cG9ydCBpbnRlcmZhY2UgU2xvTGltaXRzIHtcbiAgLyoqIFA5NSBsYXRlbmN5IGJvdW5kIGluIG1pbGxpc2Vjb25kcyAodGhlIGxhdGVuY3kgU0xPJ3MgdGhyZXNob2xkKS4gKi9cbiAgcDk1TGF0ZW5jeU1zPzogbnVtYmVyO1xuICAvKiogTGFyZ2VzdCBhY2NlcHRhYmxlIHNoYXJlIG9mIGZhaWxlZCByZXF1ZXN0cywgaW4gcGVyY2VudCAoMTAwIFx1MjIxMiB0aGUgZXJyb3ItcmF0ZSBTTE8ncyBvYmplY3RpdmUpLiAqL1xuICBtYXhFcnJvclJhdGVQY3Q/OiBudW1iZXI7XG4gIC8qKiBTbWFsbGVzdCBhY2NlcHRhYmxlIHNoYXJlIG9mIGFuc3dlcmVkLCBub24tNXh4IHJlcXVlc3RzLCBpbiBwZXJjZW50ICh0aGUgYXZhaWxhYmlsaXR5IG9iamVjdGl2ZSkuICovXG4gIGF2YWlsYWJpbGl0eVBjdD86IG51bWJlcjtcbn1cblxuLyoqIFdoYXQgYSB0aHJlc2hvbGQgbWVhc3VyZXM7IGVhY2gga2luZCBoYXMgb25lIGZvcm11bGEsIHVzZWQgYm90aCBpbiBgZW5zdXJlYCBhbmQgb24gdGhlIHJlcG9ydC4gKi9cbmV4cG9ydCB0eXBlIFRocmVzaG9sZEtpbmQgPSAnbGF0ZW5jeS1wOTUnIHwgJ2Vycm9yLXJhdGUnIHwgJ2F2YWlsYWJpbGl0eScgfCAnY2hlY2tzJztcblxuLyoqIE9uZSBwYXNzL2ZhaWwgbGluZSBvZiBhIHJ1bi4gUGxhaW4gZGF0YTogaXQgdHJhdmVscyB0byB0aGUgQXJ0aWxsZXJ5IHByb2Nlc3MgaW5zaWRlIHRoZSBsb2FkIHBsYW4uICovXG5leHBvcnQgaW50ZXJmYWNlIFRocmVzaG9sZFNwZWMge1xuICAvKiogU3RhYmxlIG5hbWUsIHVzZWQgaW4gbWVzc2FnZXMgYW5kIGFzIHRoZSBBbGx1cmUgdGVzdCBuYW1lIChcImxhdGVuY3ktcDk1XCIpLiAqL1xuICBuYW1lOiBzdHJpbmc7XG4gIGtpbmQ6IFRocmVzaG9sZEtpbmQ7XG4gIC8qKiBUaGUgYm91bmQ7IGZvciBgY2hlY2tzYCBhbHdheXMgMCAobm8gcmVzcG9uc2UgbWF5IGZhaWwgaXRzIHN0YXR1cyBvciBzaGFwZSBjaGVjaykuICovXG4gIGxpbWl0OiBudW1iZXI7XG4gIHVuaXQ6ICdtcycgfCAnJScgfCAncmVzcG9uc2VzJztcbiAgLyoqIERpcmVjdGlvbiBvZiBhIHBhc3M6IHZhbHVlIDw9IGxpbWl0IG9yIHZhbHVlID49IGxpbWl0LiAqL1xuICBjb21wYXJpc29uOiAnPD0nIHwgJz49JztcbiAgLyoqIFdoZXJlIHRoZSBsaW1pdCBjYW1lIGZyb20gKFwic2xvLWNvbmZpZy55YW1sOiBsYXRlbmN5LXA5NSB0aHJlc2hvbGQgMzAwIG1zXCIpLiAqL1xuICBzb3VyY2U6IHN0cmluZztcbn1cblxuLyoqIEEgdGhyZXNob2xkIHdpdGggaXRzIG1lYXN1cmVkIHZhbHVlLiAqL1xuZXhwb3J0IGludGVyZmFjZSBUaHJlc2hvbGRSZXN1bHQge1xuICBuYW1lOiBzdHJpbmc7XG4gIGxpbWl0OiBudW1iZXI7XG4gIC8qKiBNZWFzdXJlZCB2YWx1ZTsgbnVsbCB3aGVuIHRoZSBydW4gcHJvZHVjZWQgbm90aGluZyB0byBtZWFzdXJlICh3aGljaCBmYWlscyB0aGUgdGhyZXNob2xkKS4gKi9cbiAgdmFsdWU6IG51bWJlciB8IG51bGw7XG4gIG9rOiBib29sZWFuO1xuICB1bml0OiBUaHJlc2hvbGRTcGVjWyd1bml0J107XG4gIGNvbXBhcmlzb246IFRocmVzaG9sZFNwZWNbJ2NvbXBhcmlzb24nXTtcbiAgLyoqIFRoZSBgZW5zdXJlYCBleHByZXNzaW9uIEFydGlsbGVyeSBldmFsdWF0ZWQuICovXG4gIGV4cHJlc3Npb246IHN0cmluZztcbiAgc291cmNlOiBzdHJpbmc7XG59XG5cbi8qKlxuICogQ291bnRlcnMgdGhlIHByb2Nlc3NvciBlbWl0cyBvbiBldmVyeSByZXNwb25zZSAod2l0aCAwIHdoZW4gbm90aGluZyBpcyB3cm9uZywgc28gdGhlIGNvdW50ZXIgZXhpc3RzIGFuZCB0aGVcbiAqIGVuc3VyZSBleHByZXNzaW9ucyBhbHdheXMgaGF2ZSBhIHZhbHVlKS4gUGxhaW4gQXJ0aWxsZXJ5IG1ldHJpYyBuYW1lczsgcHVibGlzaC1tZXRyaWNzIHR1cm5zIHRoZW0gaW50b1xuICogYG15c3RvY2tzX2xvYWRfY291bnRlcnN7bWV0cmljPVwibXlzdG9ja3Nfc2VydmVyX2Vycm9yc1wifWAuXG4gKi9cbmV4cG9ydCBjb25zdCBNRVRSSUMgPSB7XG4gIHNlcnZlckVycm9yczogJ215c3RvY2tzLnNlcnZlcl9lcnJvcnMnLFxuICBjaGVja0ZhaWx1cmVzOiAnbXlzdG9ja3MuY2hlY2tfZmFpbHVyZXMnLFxufSBhcyBjb25zdDtcblxuLyoqXG4gKiBUaGUgZW5zdXJlIGV4cHJlc3Npb24gb2YgYSB0aHJlc2hvbGQuIEVycm9yIHJhdGUsIGNsaWVudCBzaWRlOiByZXF1ZXN0cyB0aGF0IGdvdCBubyBhbnN3ZXIgKHRpbWVvdXRzLFxuICogcmVmdXNlZCBjb25uZWN0aW9ucykgcGx1cyBhbnN3ZXJzIHdpdGggYSA1eHggc3RhdHVzLCBvdmVyIHJlcXVlc3RzIHNlbnQ7IHRoZSBzZXJ2aWNlJ3Mgb3duIGVycm9yLXJhdGUgU0xJXG4gKiBjb3VudHMgdGhlIDV4eCBwYXJ0IG9mIHRoZSBzYW1lIHRoaW5nLlxuICovXG5leHBvcnQgZnVuY3Rpb24gZW5zdXJlRXhwcmVzc2lvbihzcGVjOiBUaHJlc2hvbGRTcGVjKTogc3RyaW5nIHtcbiAgY29uc3QgZmFpbGVkID0gYChodHRwLnJlcXVlc3RzIC0gaHR0cC5yZXNwb25zZXMgKyAke01FVFJJQy5zZXJ2ZXJFcnJvcnN9KWA7XG4gIHN3aXRjaCAoc3BlYy5raW5kKSB7XG4gICAgY2FzZSAnbGF0ZW5jeS1wOTUnOlxuICAgICAgcmV0dXJuIGBodHRwLnJlc3BvbnNlX3RpbWUucDk1ICR7c3BlYy5jb21wYXJpc29ufSAke3NwZWMubGltaXR9YDtcbiAgICBjYXNlICdlcnJvci1yYXRlJzpcbiAgICAgIHJldHVybiBgJHtmYWlsZWR9IC8gaHR0cC5yZXF1ZXN0cyAqIDEwMCAke3NwZWMuY29tcGFyaXNvbn0gJHtzcGVjLmxpbWl0fWA7XG4gICAgY2FzZSAnYXZhaWxhYmlsaXR5JzpcbiAgICAgIHJldHVybiBgKGh0dHAucmVxdWVzdHMgLSAke2ZhaWxlZH0pIC8gaHR0cC5yZXF1ZXN0cyAqIDEwMCAke3NwZWMuY29tcGFyaXNvbn0gJHtzcGVjLmxpbWl0fWA7XG4gICAgY2FzZSAnY2hlY2tzJzpcbiAgICAgIHJldHVybiBgJHtNRVRSSUMuY2hlY2tGYWlsdXJlc30gJHtzcGVjLmNvbXBhcmlzb259ICR7c3BlYy5saW1pdH1gO1xuICB9XG59XG5cbi8qKlxuICogVGhlIHRocmVzaG9sZHMgZm9yIHRoZSBnaXZlbiBTTE8gbGltaXRzOiBvbmUgcGVyIGxpbWl0IHByZXNlbnQsIHBsdXMgdGhlIHJlc3BvbnNlLWNoZWNrIHRocmVzaG9sZCwgd2hpY2ggaXNcbiAqIG5vdCBhbiBTTE8gYnV0IGEgY29ycmVjdG5lc3MgbGluZSAoYSBmYXN0IHdyb25nIGFuc3dlciBpcyBub3QgYSBwYXNzKS5cbiAqL1xuZXhwb3J0IGZ1bmN0aW9uIHRocmVzaG9sZHNGcm9tTGltaXRzKGxpbWl0czogU2xvTGltaXRzLCBzb3VyY2VGaWxlID0gJ3Nsby9zbG8tY29uZmlnLnlhbWwnKTogVGhyZXNob2xkU3BlY1tdIHtcbiAgY29uc3Qgc3BlY3M6IFRocmVzaG9sZFNwZWNbXSA9IFtdO1xuICBpZiAobGltaXRzLnA5NUxhdGVuY3lNcyAhPT0gdW5kZWZpbmVkKSB7XG4gICAgc3BlY3MucHVzaCh7XG4gICAgICBuYW1lOiAnbGF0ZW5jeS1wOTUnLFxuICAgICAga2luZDogJ2xhdGVuY3ktcDk1JyxcbiAgICAgIGxpbWl0OiBsaW1pdHMucDk1TGF0ZW5jeU1zLFxuICAgICAgdW5pdDogJ21zJyxcbiAgICAgIGNvbXBhcmlzb246ICc8PScsXG4gICAgICBzb3VyY2U6IGAke3NvdXJjZUZpbGV9OiBQOTUgbGF0ZW5jeSA8PSAke2xpbWl0cy5wOTVMYXRlbmN5TXN9IG1zYCxcbiAgICB9KTtcbiAgfVxuICBpZiAobGltaXRzLm1heEVycm9yUmF0ZVBjdCAhPT0gdW5kZWZpbmVkKSB7XG4gICAgc3BlY3MucHVzaCh7XG4gICAgICBuYW1lOiAnZXJyb3ItcmF0ZScsXG4gICAgICBraW5kOiAnZXJyb3ItcmF0ZScsXG4gICAgICBsaW1pdDogbGltaXRzLm1heEVycm9yUmF0ZVBjdCxcbiAgICAgIHVuaXQ6ICclJyxcbiAgICAgIGNvbXBhcmlzb246ICc8PScsXG4gICAgICBzb3VyY2U6IGAke3NvdXJjZUZpbGV9OiBlcnJvciByYXRlIDw9ICR7bGltaXRzLm1heEVycm9yUmF0ZVBjdH0gJWAsXG4gICAgfSk7XG4gIH1cbiAgaWYgKGxpbWl0cy5hdmFpbGFiaWxpdHlQY3QgIT09IHVuZGVmaW5lZCkge1xuICAgIHNwZWNzLnB1c2goe1xuICAgICAgbmFtZTogJ2F2YWlsYWJpbGl0eScsXG4gICAgICBraW5kOiAnYXZhaWxhYmlsaXR5JyxcbiAgICAgIGxpbWl0OiBsaW1pdHMuYXZhaWxhYmlsaXR5UGN0LFxuICAgICAgdW5pdDogJyUnLFxuICAgICAgY29tcGFyaXNvbjogJz49JyxcbiAgICAgIHNvdXJjZTogYCR7c291cmNlRmlsZX06IGF2YWlsYWJpbGl0eSA+PSAke2xpbWl0cy5hdmFpbGFiaWxpdHlQY3R9ICVgLFxuICAgIH0pO1xuICB9XG4gIHNwZWNzLnB1c2goe1xuICAgIG5hbWU6ICdjaGVja3MnLFxuICAgIGtpbmQ6ICdjaGVja3MnLFxuICAgIGxpbWl0OiAwLFxuICAgIHVuaXQ6ICdyZXNwb25zZXMnLFxuICAgIGNvbXBhcmlzb246ICc8PScsXG4gICAgc291cmNlOiAnbG9hZC9wcm9jZXNzb3IudHM6IGV2ZXJ5IG5vbi01eHggcmVzcG9uc2UgaGFzIHRoZSBleHBlY3RlZCBzdGF0dXMgYW5kIHNoYXBlJyxcbiAgfSk7XG4gIHJldHVybiBzcGVjcztcbn1cblxuLyoqIEFydGlsbGVyeSdzIGBlbnN1cmVgIHNlY3Rpb24gZm9yIHRoZXNlIHRocmVzaG9sZHMgKGFsbCBzdHJpY3Q6IGFueSBmYWlsdXJlIG1ha2VzIEFydGlsbGVyeSBleGl0IDEpLiAqL1xuZXhwb3J0IGZ1bmN0aW9uIHRvRW5zdXJlKHNwZWNzOiByZWFkb25seSBUaHJlc2hvbGRTcGVjW10pOiB7IGNvbmRpdGlvbnM6IHsgZXhwcmVzc2lvbjogc3RyaW5nOyBzdHJpY3Q6IGJvb2xlYW4gfVtdIH0ge1xuICByZXR1cm4geyBjb25kaXRpb25zOiBzcGVjcy5tYXAoKHNwZWMpID0+ICh7IGV4cHJlc3Npb246IGVuc3VyZUV4cHJlc3Npb24oc3BlYyksIHN0cmljdDogdHJ1ZSB9KSkgfTtcbn1cblxuLyoqIFRoZSBwYXJ0IG9mIEFydGlsbGVyeSdzIEpTT04gcmVwb3J0IHRoZSB0aHJlc2hvbGRzIHJlYWQgKGl0cyBgYWdncmVnYXRlYCkuICovXG5leHBvcnQgaW50ZXJmYWNlIFJlcG9ydEFnZ3JlZ2F0ZSB7XG4gIGNvdW50ZXJzPzogUmVjb3JkPHN0cmluZywgbnVtYmVyPjtcbiAgc3VtbWFyaWVzPzogUmVjb3JkPHN0cmluZywgUmVjb3JkPHN0cmluZywgbnVtYmVyPj47XG59XG5cbi8qKiBUaGUgbWVhc3VyZWQgdmFsdWUgb2Ygb25lIHRocmVzaG9sZCBpbiBhIHJlcG9ydCwgb3IgbnVsbCB3aGVuIHRoZXJlIGlzIG5vdGhpbmcgdG8gbWVhc3VyZS4gKi9cbmV4cG9ydCBmdW5jdGlvbiBtZWFzdXJlKHNwZWM6IFRocmVzaG9sZFNwZWMsIGFnZ3JlZ2F0ZTogUmVwb3J0QWdncmVnYXRlKTogbnVtYmVyIHwgbnVsbCB7XG4gIGNvbnN0IGNvdW50ZXIgPSAobmFtZTogc3RyaW5nKTogbnVtYmVyID0+IGFnZ3JlZ2F0ZS5jb3VudGVycz8uW25hbWVdID8/IDA7XG4gIGNvbnN0IHJlcXVlc3RzID0gY291bnRlcignaHR0cC5yZXF1ZXN0cycpO1xuICBjb25zdCBmYWlsZWQgPSByZXF1ZXN0cyAtIGNvdW50ZXIoJ2h0dHAucmVzcG9uc2VzJykgKyBjb3VudGVyKE1FVFJJQy5zZXJ2ZXJFcnJvcnMpO1xuICBzd2l0Y2ggKHNwZWMua2luZCkge1xuICAgIGNhc2UgJ2xhdGVuY3ktcDk1Jzoge1xuICAgICAgY29uc3QgcDk1ID0gYWdncmVnYXRlLnN1bW1hcmllcz8uWydodHRwLnJlc3BvbnNlX3RpbWUnXT8ucDk1O1xuICAgICAgcmV0dXJuIHR5cGVvZiBwOTUgPT09ICdudW1iZXInID8gcDk1IDogbnVsbDtcbiAgICB9XG4gICAgY2FzZSAnZXJyb3ItcmF0ZSc6XG4gICAgICByZXR1cm4gcmVxdWVzdHMgPiAwID8gcm91bmQoKGZhaWxlZCAvIHJlcXVlc3RzKSAqIDEwMCkgOiBudWxsO1xuICAgIGNhc2UgJ2F2YWlsYWJpbGl0eSc6XG4gICAgICByZXR1cm4gcmVxdWVzdHMgPiAwID8gcm91bmQoKChyZXF1ZXN0cyAtIGZhaWxlZCkgLyByZXF1ZXN0cykgKiAxMDApIDogbnVsbDtcbiAgICBjYXNlICdjaGVja3MnOlxuICAgICAgcmV0dXJuIGFnZ3JlZ2F0ZS5jb3VudGVycz8uW01FVFJJQy5jaGVja0ZhaWx1cmVzXSA9PT0gdW5kZWZpbmVkICYmIHJlcXVlc3RzID09PSAwXG4gICAgICAgID8gbnVsbFxuICAgICAgICA6IGNvdW50ZXIoTUVUUklDLmNoZWNrRmFpbHVyZXMpO1xuICB9XG59XG5cbi8qKiBFdmVyeSB0aHJlc2hvbGQgd2l0aCBpdHMgdmFsdWUgYW5kIHZlcmRpY3QsIGluIHRoZSBvcmRlciBnaXZlbi4gKi9cbmV4cG9ydCBmdW5jdGlvbiBldmFsdWF0ZVRocmVzaG9sZHMoc3BlY3M6IHJlYWRvbmx5IFRocmVzaG9sZFNwZWNbXSwgYWdncmVnYXRlOiBSZXBvcnRBZ2dyZWdhdGUpOiBUaHJlc2hvbGRSZXN1bHRbXSB7XG4gIHJldHVybiBzcGVjcy5tYXAoKHNwZWMpID0+IHtcbiAgICBjb25zdCB2YWx1ZSA9IG1lYXN1cmUoc3BlYywgYWdncmVnYXRlKTtcbiAgICBjb25zdCBvayA9IHZhbHVlICE9PSBudWxsICYmIChzcGVjLmNvbXBhcmlzb24gPT09ICc8PScgPyB2YWx1ZSA8PSBzcGVjLmxpbWl0IDogdmFsdWUgPj0gc3BlYy5saW1pdCk7XG4gICAgcmV0dXJuIHtcbiAgICAgIG5hbWU6IHNwZWMubmFtZSxcbiAgICAgIGxpbWl0OiBzcGVjLmxpbWl0LFxuICAgICAgdmFsdWUsXG4gICAgICBvayxcbiAgICAgIHVuaXQ6IHNwZWMudW5pdCxcbiAgICAgIGNvbXBhcmlzb246IHNwZWMuY29tcGFyaXNvbixcbiAgICAgIGV4cHJlc3Npb246IGVuc3VyZUV4cHJlc3Npb24oc3BlYyksXG4gICAgICBzb3VyY2U6IHNwZWMuc291cmNlLFxuICAgIH07XG4gIH0pO1xufVxuXG4vKiogXCJsYXRlbmN5LXA5NTogNDEyIG1zID4gMzAwIG1zIChGQUlMKVwiICovXG5leHBvcnQgZnVuY3Rpb24gZGVzY3JpYmVSZXN1bHQocmVzdWx0OiBUaHJlc2hvbGRSZXN1bHQpOiBzdHJpbmcge1xuICBjb25zdCB1bml0ID0gcmVzdWx0LnVuaXQgPT09ICdyZXNwb25zZXMnID8gJyBmYWlsZWQgcmVzcG9uc2VzJyA6IGAgJHtyZXN1bHQudW5pdH1gO1xuICBpZiAocmVzdWx0LnZhbHVlID09PSBudWxsKSByZXR1cm4gYCR7cmVzdWx0Lm5hbWV9OiBubyBkYXRhIChsaW1pdCAke3Jlc3VsdC5jb21wYXJpc29ufSAke3Jlc3VsdC5saW1pdH0ke3VuaXR9KSBGQUlMYDtcbiAgY29uc3QgcmVsYXRpb24gPSByZXN1bHQub2sgPyByZXN1bHQuY29tcGFyaXNvbiA6IHJlc3VsdC5jb21wYXJpc29uID09PSAnPD0nID8gJz4nIDogJzwnO1xuICByZXR1cm4gYCR7cmVzdWx0Lm5hbWV9OiAke3Jlc3VsdC52YWx1ZX0ke3VuaXR9ICR7cmVsYXRpb259ICR7cmVzdWx0LmxpbWl0fSR7dW5pdH0gJHtyZXN1bHQub2sgPyAnb2snIDogJ0ZBSUwnfWA7XG59XG5cbmZ1bmN0aW9uIHJvdW5kKHZhbHVlOiBudW1iZXIpOiBudW1iZXIge1xuICByZXR1cm4gTWF0aC5yb3VuZCh2YWx1ZSAqIDEwMDApIC8gMTAwMDtcbn1cbiIsICIvLyBUaGUgY29udHJhY3QgYmV0d2VlbiB0aGUgaGFybmVzcyAod2hpY2ggZGVjaWRlcykgYW5kIHRoZSBBcnRpbGxlcnkgdGVzdCBzY3JpcHRzICh3aGljaCBydW4pLiBUaGUgcnVubmVyXG4vLyB3cml0ZXMgb25lIExvYWRQbGFuIGFzIEpTT04gaW50byBNWVNUT0NLU19MT0FEX1BMQU47IGV2ZXJ5IHNjcmlwdCBidWlsZHMgaXRzIGBjb25maWdgIGZyb20gaXQsIGluIHRoZSBtYWluXG4vLyBBcnRpbGxlcnkgcHJvY2VzcyBhbmQgYWdhaW4gaW4gZWFjaCB3b3JrZXIgKEFydGlsbGVyeSByZS1ldmFsdWF0ZXMgVHlwZVNjcmlwdCBzY3JpcHRzIHBlciB3b3JrZXIpLCBzbyB0aGVcbi8vIHBsYW4gbXVzdCBiZSBwbGFpbiBkYXRhLiBBIHNjcmlwdCBydW4gYnkgaGFuZCAoYG5weCBhcnRpbGxlcnkgcnVuIGxvYWQvc2NlbmFyaW9zL2FwaS50c2ApIGdldHMgYSBwbGFuIGZyb21cbi8vIE1ZU1RPQ0tTX1RBUkdFVCBhbmQgdGhlIHNtb2tlIHByb2ZpbGUgaW5zdGVhZCwgd2l0aG91dCB0aHJlc2hvbGRzLlxuaW1wb3J0IHR5cGUgeyBDb25maWcgfSBmcm9tICdhcnRpbGxlcnknO1xuaW1wb3J0IHsgZ2V0UHJvZmlsZSwgdHlwZSBQcm9maWxlTmFtZSwgdG9BcnRpbGxlcnlQaGFzZXMgfSBmcm9tICcuL3Byb2ZpbGVzLnRzJztcbmltcG9ydCB7IHR5cGUgVGhyZXNob2xkU3BlYywgdG9FbnN1cmUgfSBmcm9tICcuL3RocmVzaG9sZHMudHMnO1xuXG4vKiogTmFtZSBvZiB0aGUgZW52aXJvbm1lbnQgdmFyaWFibGUgdGhhdCBjYXJyaWVzIHRoZSBwbGFuLiAqL1xuZXhwb3J0IGNvbnN0IFBMQU5fRU5WID0gJ01ZU1RPQ0tTX0xPQURfUExBTic7XG5cbi8qKiBXaGF0IG9uZSBydW4gZG9lcy4gKi9cbmV4cG9ydCBpbnRlcmZhY2UgTG9hZFBsYW4ge1xuICBydW5JZDogc3RyaW5nO1xuICBwcm9maWxlOiBQcm9maWxlTmFtZTtcbiAgLyoqIEJhc2UgVVJMIG9mIHRoZSBzZXJ2aWNlIHVuZGVyIHRlc3QgKHBhZ2VzIGFuZCAvYXBpIHNoYXJlIGl0KS4gKi9cbiAgdGFyZ2V0OiBzdHJpbmc7XG4gIHBoYXNlczogUmV0dXJuVHlwZTx0eXBlb2YgdG9BcnRpbGxlcnlQaGFzZXM+O1xuICAvKiogSm91cm5leSBuYW1lcyB0byBydW47IGVtcHR5IG1lYW5zIHRoZSB3aG9sZSB3ZWlnaHRlZCBtaXguICovXG4gIHNjZW5hcmlvczogc3RyaW5nW107XG4gIHRocmVzaG9sZHM6IFRocmVzaG9sZFNwZWNbXTtcbiAgLyoqIFdoZXJlIGNsaWVudC1zaWRlIG1ldHJpY3MgZ28gKFByb21ldGhldXMgUHVzaGdhdGV3YXkpOyBub25lIHdoZW4gYWJzZW50LiAqL1xuICBwdXNoZ2F0ZXdheVVybD86IHN0cmluZztcbiAgLyoqIFBlcmNlbnQgb2Ygam91cm5leXMgdGhhdCB0YWtlIHRoZWlyIG9jY2FzaW9uYWwgc3RlcHMgKGEgYmFja3Rlc3QsIGEgUERGIGV4cG9ydCk7IDEwMCBpbiBzY3JpcHQgdGVzdHMuICovXG4gIG9jY2FzaW9uYWxQY3Q6IG51bWJlcjtcbiAgLyoqIFdyaXRlIGVhY2ggMTAgcyBwZXJpb2QgdG8gTVlTVE9DS1NfTE9BRF9TVEFUU19GSUxFIChwbHVnaW4gaW4gbG9hZC9wbHVnaW5zOyB0aGUgcnVubmVyIHNldHMgYm90aCkuICovXG4gIHByb2dyZXNzUGx1Z2luPzogYm9vbGVhbjtcbiAgLyoqIENocm9taXVtIGZvciB0aGUgYnJvd3NlciBzY2VuYXJpby4gKi9cbiAgY2hyb21pdW1QYXRoPzogc3RyaW5nO1xufVxuXG4vKiogUHJlZml4IG9mIGV2ZXJ5IGNsaWVudC1zaWRlIG1ldHJpYyBpbiBQcm9tZXRoZXVzOiBteXN0b2Nrc19sb2FkX2NvdW50ZXJzLCBfcmF0ZXMsIF9zdW1tYXJpZXMuICovXG5leHBvcnQgY29uc3QgTUVUUklDX1BSRUZJWCA9ICdteXN0b2Nrc19sb2FkJztcblxuLyoqIFRoZSBwbGFuIG9mIHRoaXMgcHJvY2VzczogZnJvbSBNWVNUT0NLU19MT0FEX1BMQU4sIG9yIGEgc21va2UgcGxhbiBhZ2FpbnN0IE1ZU1RPQ0tTX1RBUkdFVC4gKi9cbmV4cG9ydCBmdW5jdGlvbiByZWFkUGxhbihlbnY6IE5vZGVKUy5Qcm9jZXNzRW52ID0gcHJvY2Vzcy5lbnYpOiBMb2FkUGxhbiB7XG4gIGNvbnN0IHJhdyA9IGVudltQTEFOX0VOVl07XG4gIGlmIChyYXcpIHJldHVybiBKU09OLnBhcnNlKHJhdykgYXMgTG9hZFBsYW47XG4gIGNvbnN0IHRhcmdldCA9IGVudi5NWVNUT0NLU19UQVJHRVQgPz8gZW52LkFQSV9VUkw7XG4gIGlmICghdGFyZ2V0KSB7XG4gICAgdGhyb3cgbmV3IEVycm9yKFxuICAgICAgYG5vIGxvYWQgcGxhbjogcnVuIHRocm91Z2ggJ2hhcm5lc3MgbG9hZCcsIG9yIHNldCBNWVNUT0NLU19UQVJHRVQgdG8gdGhlIHNlcnZpY2UncyBiYXNlIFVSTCAoZS5nLiBodHRwOi8vMTI3LjAuMC4xOjMwMDApYCxcbiAgICApO1xuICB9XG4gIGNvbnN0IHByb2ZpbGUgPSBnZXRQcm9maWxlKGVudi5NWVNUT0NLU19MT0FEX1BST0ZJTEUgPz8gJ3Ntb2tlJyk7XG4gIHJldHVybiB7XG4gICAgcnVuSWQ6IGVudi5NWVNUT0NLU19SVU5fSUQgPz8gYG1hbnVhbC0ke0RhdGUubm93KCl9YCxcbiAgICBwcm9maWxlOiBwcm9maWxlLm5hbWUsXG4gICAgdGFyZ2V0LFxuICAgIHBoYXNlczogdG9BcnRpbGxlcnlQaGFzZXMocHJvZmlsZSksXG4gICAgc2NlbmFyaW9zOiBlbnYuTVlTVE9DS1NfTE9BRF9TQ0VOQVJJTyA/IFtlbnYuTVlTVE9DS1NfTE9BRF9TQ0VOQVJJT10gOiBbXSxcbiAgICB0aHJlc2hvbGRzOiBbXSxcbiAgICBvY2Nhc2lvbmFsUGN0OiAxMCxcbiAgfTtcbn1cblxuLyoqIFRoZSBjb21tb24gcGFydCBvZiBldmVyeSBzY3JpcHQncyBgY29uZmlnYDogdGFyZ2V0LCBwaGFzZXMsIHRocmVzaG9sZHMsIG1ldHJpYyBwdWJsaXNoaW5nLiAqL1xuZXhwb3J0IGZ1bmN0aW9uIGJhc2VDb25maWcocGxhbjogTG9hZFBsYW4sIHNjZW5hcmlvTGFiZWw6IHN0cmluZyk6IENvbmZpZyB7XG4gIGNvbnN0IHBsdWdpbnM6IE5vbk51bGxhYmxlPENvbmZpZ1sncGx1Z2lucyddPiA9IHtcbiAgICAvLyBSZXNwb25zZSBjaGVja3MgYXJlIGluIHRoZSBwcm9jZXNzb3IgKHN0YXR1cyBhbmQgc2hhcGUgcGVyIGVuZHBvaW50KTsgZXhwZWN0IHN0YXlzIG9mZi5cbiAgICAvLyBQZXItZW5kcG9pbnQgbnVtYmVycyBpbiB0aGUgSlNPTiByZXBvcnQgKGFuZCBQcm9tZXRoZXVzKSwga2VwdCBvdXQgb2YgdGhlIGNvbnNvbGUncyBwcm9ncmVzcyBibG9ja3MuXG4gICAgJ21ldHJpY3MtYnktZW5kcG9pbnQnOiB7IHVzZU9ubHlSZXF1ZXN0TmFtZXM6IHRydWUsIHN0cmlwUXVlcnlTdHJpbmc6IHRydWUsIHN1cHByZXNzT3V0cHV0OiB0cnVlIH0sXG4gIH07XG4gIGlmIChwbGFuLnByb2dyZXNzUGx1Z2luKSBwbHVnaW5zWydteXN0b2Nrcy1wcm9ncmVzcyddID0ge307XG4gIC8vIEFydGlsbGVyeSBsb2FkcyBgZW5zdXJlYCBvbmx5IGFzIGEgcGx1Z2luOyBpdHMgY29uZGl0aW9ucyBhcmUgdGhlIHRocmVzaG9sZHMsIGFuZCBhIGZhaWxlZCBvbmUgbWFrZXMgaXQgZXhpdCAxLlxuICBpZiAocGxhbi50aHJlc2hvbGRzLmxlbmd0aCA+IDApIHBsdWdpbnMuZW5zdXJlID0gdG9FbnN1cmUocGxhbi50aHJlc2hvbGRzKTtcbiAgaWYgKHBsYW4ucHVzaGdhdGV3YXlVcmwpIHtcbiAgICBwbHVnaW5zWydwdWJsaXNoLW1ldHJpY3MnXSA9IFtcbiAgICAgIHtcbiAgICAgICAgdHlwZTogJ3Byb21ldGhldXMnLFxuICAgICAgICBwdXNoZ2F0ZXdheTogcGxhbi5wdXNoZ2F0ZXdheVVybCxcbiAgICAgICAgcHJlZml4OiBNRVRSSUNfUFJFRklYLFxuICAgICAgICAvLyBCZWNvbWUgbGFiZWxzIG9uIGV2ZXJ5IHB1c2hlZCBzZXJpZXM6IHRoZSBTTE8gY2hlY2sgYW5kIGRhc2hib2FyZHMgc2VsZWN0IGEgcnVuIGJ5IHJ1bl9pZC5cbiAgICAgICAgdGFnczogW2BydW5faWQ6JHtwbGFuLnJ1bklkfWAsIGBzY2VuYXJpbzoke3NjZW5hcmlvTGFiZWx9YCwgYHByb2ZpbGU6JHtwbGFuLnByb2ZpbGV9YCwgJ2FwcDpteXN0b2NrcyddLFxuICAgICAgfSxcbiAgICBdO1xuICB9XG4gIHJldHVybiB7XG4gICAgdGFyZ2V0OiBwbGFuLnRhcmdldCxcbiAgICBwaGFzZXM6IHBsYW4ucGhhc2VzLFxuICAgIC8vIDEwIHMgcGVyaW9kczogdGhlIGNvbnNvbGUgc2hvd3MgcHJvZ3Jlc3MgdGhhdCBvZnRlbiwgYW5kIHRoZSBicmVha3BvaW50IGFuYWx5c2lzIHJlYWRzIHRoZXNlIHBlcmlvZHMuXG4gICAgc3RhdHNJbnRlcnZhbDogMTAsXG4gICAgaHR0cDogeyB0aW1lb3V0OiAxMCB9LFxuICAgIHBsdWdpbnMsXG4gICAgdmFyaWFibGVzOiB7IHJ1bklkOiBwbGFuLnJ1bklkLCBvY2Nhc2lvbmFsUGN0OiBwbGFuLm9jY2FzaW9uYWxQY3QgfSxcbiAgfTtcbn1cbiJdLAogICJtYXBwaW5ncyI6ICI7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7O0FBQUE7QUFBQTtBQUFBO0FBQUE7QUFBQTtBQUFBOzs7QUNtQkEsSUFBTSxRQUFRLENBQUMsYUFBbUMsRUFBRSxPQUFPLFFBQVE7QUFHbkUsU0FBUyxJQUFJLFVBQWtCLEtBQWEsSUFBOEIsUUFBZ0IsQ0FBQyxHQUFpQjtBQUMxRyxTQUFPLEVBQUUsS0FBSyxFQUFFLE1BQU0sVUFBVSxLQUFLLEdBQUksS0FBSyxFQUFFLEdBQUcsSUFBSSxDQUFDLEdBQUksR0FBRyxNQUFNLEVBQUU7QUFDekU7QUFHQSxJQUFNLFNBQXlCO0FBQUEsRUFDN0IsRUFBRSxVQUFVLFlBQVk7QUFBQSxFQUN4QjtBQUFBLElBQ0UsTUFBTTtBQUFBLE1BQ0osTUFBTTtBQUFBLE1BQ04sS0FBSztBQUFBLE1BQ0wsTUFBTSxFQUFFLFVBQVUsa0JBQWtCLFVBQVUsa0JBQWtCLGFBQWEsY0FBYztBQUFBLElBQzdGO0FBQUEsRUFDRjtBQUFBLEVBQ0E7QUFBQSxJQUNFLE1BQU07QUFBQSxNQUNKLE1BQU07QUFBQSxNQUNOLEtBQUs7QUFBQSxNQUNMLE1BQU0sRUFBRSxVQUFVLGtCQUFrQixVQUFVLGlCQUFpQjtBQUFBLElBQ2pFO0FBQUEsRUFDRjtBQUNGO0FBR0EsSUFBTSxVQUEwQixDQUFDLEVBQUUsUUFBUSxFQUFFLE1BQU0sZ0JBQWdCLEtBQUssZUFBZSxFQUFFLENBQUM7QUFFbkYsSUFBTSxXQUFzQjtBQUFBLEVBQ2pDO0FBQUEsSUFDRSxNQUFNO0FBQUEsSUFDTixRQUFRO0FBQUEsSUFDUixNQUFNO0FBQUEsSUFDTixXQUFXO0FBQUEsTUFDVDtBQUFBLE1BQ0E7QUFBQSxNQUNBO0FBQUEsTUFDQTtBQUFBLE1BQ0E7QUFBQSxNQUNBO0FBQUEsSUFDRjtBQUFBLElBQ0EscUJBQXFCLENBQUM7QUFBQSxJQUN0QixVQUFVO0FBQUEsTUFDUixNQUFNO0FBQUEsTUFDTixnQkFBZ0I7QUFBQSxNQUNoQixlQUFlO0FBQUEsTUFDZixNQUFNO0FBQUEsUUFDSixJQUFJLHdCQUF3QixzQkFBc0I7QUFBQSxRQUNsRCxNQUFNLENBQUM7QUFBQSxRQUNQLElBQUksc0JBQXNCLG9CQUFvQjtBQUFBLFFBQzlDLE1BQU0sQ0FBQztBQUFBO0FBQUEsUUFFUCxJQUFJLHNCQUFzQixzQkFBc0IsRUFBRSxNQUFNLGFBQWEsT0FBTyxRQUFRLE1BQU0sYUFBYSxDQUFDO0FBQUEsUUFDeEcsSUFBSSx1QkFBdUIscUJBQXFCO0FBQUEsUUFDaEQsTUFBTSxDQUFDO0FBQUEsUUFDUCxJQUFJLHNCQUFzQixzQkFBc0IsRUFBRSxHQUFHLG1CQUFtQixDQUFDO0FBQUEsUUFDekUsSUFBSSw4QkFBOEIsaUNBQWlDO0FBQUEsUUFDbkUsSUFBSSw2QkFBNkIsa0NBQWtDLEVBQUUsUUFBUSxNQUFNLENBQUM7QUFBQSxRQUNwRixNQUFNLENBQUM7QUFBQTtBQUFBLFFBRVAsSUFBSSx3QkFBd0Isc0JBQXNCO0FBQUEsUUFDbEQsSUFBSSw4QkFBOEIsa0NBQWtDO0FBQUEsTUFDdEU7QUFBQSxJQUNGO0FBQUEsRUFDRjtBQUFBLEVBQ0E7QUFBQSxJQUNFLE1BQU07QUFBQSxJQUNOLFFBQVE7QUFBQSxJQUNSLE1BQU07QUFBQSxJQUNOLFdBQVc7QUFBQSxNQUNUO0FBQUEsTUFDQTtBQUFBLE1BQ0E7QUFBQSxNQUNBO0FBQUEsTUFDQTtBQUFBLE1BQ0E7QUFBQSxNQUNBO0FBQUEsSUFDRjtBQUFBLElBQ0EscUJBQXFCLENBQUMsb0JBQW9CO0FBQUEsSUFDMUMsVUFBVTtBQUFBLE1BQ1IsTUFBTTtBQUFBLE1BQ04sZ0JBQWdCO0FBQUEsTUFDaEIsZUFBZTtBQUFBLE1BQ2YsTUFBTTtBQUFBLFFBQ0osR0FBRztBQUFBLFFBQ0gsSUFBSSxnQkFBZ0IsY0FBYztBQUFBLFFBQ2xDLElBQUksdUJBQXVCLHFCQUFxQjtBQUFBLFFBQ2hELE1BQU0sQ0FBQztBQUFBLFFBQ1AsSUFBSSxvQkFBb0Isa0JBQWtCO0FBQUEsUUFDMUMsSUFBSSw4QkFBOEIsaUNBQWlDO0FBQUEsUUFDbkUsSUFBSSw2QkFBNkIsa0NBQWtDO0FBQUEsVUFDakUsUUFBUTtBQUFBLFVBQ1IsWUFBWTtBQUFBLFVBQ1osTUFBTTtBQUFBLFVBQ04sSUFBSTtBQUFBLFFBQ04sQ0FBQztBQUFBLFFBQ0QsTUFBTSxDQUFDO0FBQUEsUUFDUDtBQUFBLFVBQ0UsTUFBTTtBQUFBLFlBQ0osTUFBTTtBQUFBLFlBQ04sS0FBSztBQUFBLFlBQ0wsUUFBUTtBQUFBLFlBQ1IsTUFBTSxFQUFFLFFBQVEsZ0JBQWdCLE1BQU0sc0JBQXNCLElBQUksb0JBQW9CLE1BQU0sR0FBRyxNQUFNLEdBQUc7QUFBQSxVQUN4RztBQUFBLFFBQ0Y7QUFBQSxRQUNBLEdBQUc7QUFBQSxNQUNMO0FBQUEsSUFDRjtBQUFBLEVBQ0Y7QUFBQSxFQUNBO0FBQUEsSUFDRSxNQUFNO0FBQUEsSUFDTixRQUFRO0FBQUEsSUFDUixNQUFNO0FBQUEsSUFDTixXQUFXLENBQUMsa0JBQWtCLG9CQUFvQjtBQUFBLElBQ2xELHFCQUFxQixDQUFDO0FBQUEsSUFDdEIsVUFBVTtBQUFBLE1BQ1IsTUFBTTtBQUFBLE1BQ04sZ0JBQWdCO0FBQUEsTUFDaEIsZUFBZTtBQUFBLE1BQ2YsTUFBTTtBQUFBLFFBQ0osSUFBSSxrQkFBa0Isa0JBQWtCLEVBQUUsT0FBTyxVQUFVLFFBQVEsS0FBSyxDQUFDO0FBQUEsUUFDekUsTUFBTSxDQUFDO0FBQUEsUUFDUCxJQUFJLGtCQUFrQixrQkFBa0IsRUFBRSxPQUFPLFlBQVksUUFBUSxtQkFBbUIsQ0FBQztBQUFBLFFBQ3pGLElBQUksa0JBQWtCLGtCQUFrQixFQUFFLE9BQU8sU0FBUyxRQUFRLG9CQUFvQixPQUFPLEdBQUcsQ0FBQztBQUFBLFFBQ2pHLE1BQU0sQ0FBQztBQUFBLFFBQ1AsSUFBSSxzQkFBc0Isc0JBQXNCLEVBQUUsUUFBUSxnQkFBZ0IsTUFBTSxVQUFVLE9BQU8sT0FBTyxDQUFDO0FBQUEsTUFDM0c7QUFBQSxJQUNGO0FBQUEsRUFDRjtBQUFBLEVBQ0E7QUFBQSxJQUNFLE1BQU07QUFBQSxJQUNOLFFBQVE7QUFBQSxJQUNSLE1BQU07QUFBQSxJQUNOLFdBQVcsQ0FBQyxzQkFBc0IsbUJBQW1CLGdDQUFnQyxjQUFjO0FBQUEsSUFDbkcscUJBQXFCLENBQUM7QUFBQSxJQUN0QixVQUFVO0FBQUEsTUFDUixNQUFNO0FBQUEsTUFDTixnQkFBZ0I7QUFBQSxNQUNoQixlQUFlO0FBQUEsTUFDZixNQUFNO0FBQUEsUUFDSixHQUFHO0FBQUEsUUFDSCxJQUFJLGdDQUFnQywwQkFBMEIsRUFBRSxNQUFNLFNBQVMsQ0FBQztBQUFBLFFBQ2hGLE1BQU0sQ0FBQztBQUFBLFFBQ1AsSUFBSSxnQ0FBZ0MsMEJBQTBCO0FBQUEsVUFDNUQsUUFBUTtBQUFBLFVBQ1IsTUFBTTtBQUFBLFVBQ04sSUFBSTtBQUFBLFFBQ04sQ0FBQztBQUFBLFFBQ0QsRUFBRSxLQUFLLEVBQUUsTUFBTSxnQ0FBZ0MsS0FBSywrQkFBK0IsUUFBUSxlQUFlLEVBQUU7QUFBQSxRQUM1RyxHQUFHO0FBQUEsTUFDTDtBQUFBLElBQ0Y7QUFBQSxFQUNGO0FBQ0Y7QUFHTyxJQUFNLGdCQUFnQixTQUFTLElBQUksQ0FBQyxNQUFNLEVBQUUsSUFBSTtBQUdoRCxTQUFTLGVBQWUsT0FBcUM7QUFDbEUsTUFBSSxNQUFNLFdBQVcsRUFBRyxRQUFPO0FBQy9CLFNBQU8sTUFBTSxJQUFJLENBQUMsU0FBUztBQUN6QixVQUFNLFVBQVUsU0FBUyxLQUFLLENBQUMsTUFBTSxFQUFFLFNBQVMsSUFBSTtBQUNwRCxRQUFJLENBQUMsUUFBUyxPQUFNLElBQUksTUFBTSxxQkFBcUIsSUFBSSxhQUFhLENBQUMsR0FBRyxlQUFlLFNBQVMsRUFBRSxLQUFLLElBQUksQ0FBQyxHQUFHO0FBQy9HLFdBQU87QUFBQSxFQUNULENBQUM7QUFDSDtBQUdPLFNBQVMsWUFBWUEsV0FBMEM7QUFDcEUsU0FBT0EsVUFBUyxJQUFJLENBQUMsT0FBTyxFQUFFLEdBQUcsRUFBRSxVQUFVLFFBQVEsRUFBRSxPQUFPLEVBQUU7QUFDbEU7OztBQ3hMTyxJQUFNLGdCQUFnQixDQUFDLFNBQVMsV0FBVyxVQUFVLFNBQVMsUUFBUSxZQUFZO0FBeUJ6RixJQUFNLFdBQXlDO0FBQUEsRUFDN0MsT0FBTztBQUFBLElBQ0wsTUFBTTtBQUFBLElBQ04sU0FBUztBQUFBLElBQ1QsUUFBUSxDQUFDLEVBQUUsTUFBTSxTQUFTLGlCQUFpQixJQUFJLGFBQWEsRUFBRSxDQUFDO0FBQUEsSUFDL0QsV0FBVztBQUFBLEVBQ2I7QUFBQSxFQUNBLFNBQVM7QUFBQSxJQUNQLE1BQU07QUFBQSxJQUNOLFNBQVM7QUFBQSxJQUNULFFBQVE7QUFBQSxNQUNOLEVBQUUsTUFBTSxXQUFXLGlCQUFpQixJQUFJLGFBQWEsR0FBRyxRQUFRLEVBQUU7QUFBQSxNQUNsRSxFQUFFLE1BQU0sUUFBUSxpQkFBaUIsS0FBSyxhQUFhLEVBQUU7QUFBQSxNQUNyRCxFQUFFLE1BQU0sYUFBYSxpQkFBaUIsSUFBSSxhQUFhLEdBQUcsUUFBUSxFQUFFO0FBQUEsSUFDdEU7QUFBQSxJQUNBLFdBQVc7QUFBQSxFQUNiO0FBQUEsRUFDQSxRQUFRO0FBQUEsSUFDTixNQUFNO0FBQUEsSUFDTixTQUFTO0FBQUEsSUFDVCxRQUFRO0FBQUEsTUFDTixFQUFFLE1BQU0sV0FBVyxpQkFBaUIsS0FBSyxhQUFhLEdBQUcsUUFBUSxHQUFHO0FBQUEsTUFDcEUsRUFBRSxNQUFNLFFBQVEsaUJBQWlCLEtBQUssYUFBYSxHQUFHO0FBQUEsTUFDdEQsRUFBRSxNQUFNLGFBQWEsaUJBQWlCLElBQUksYUFBYSxJQUFJLFFBQVEsRUFBRTtBQUFBLElBQ3ZFO0FBQUEsSUFDQSxXQUFXO0FBQUEsRUFDYjtBQUFBLEVBQ0EsT0FBTztBQUFBLElBQ0wsTUFBTTtBQUFBLElBQ04sU0FBUztBQUFBLElBQ1QsUUFBUTtBQUFBLE1BQ04sRUFBRSxNQUFNLFlBQVksaUJBQWlCLElBQUksYUFBYSxFQUFFO0FBQUEsTUFDeEQsRUFBRSxNQUFNLFNBQVMsaUJBQWlCLElBQUksYUFBYSxHQUFHLFFBQVEsR0FBRztBQUFBLE1BQ2pFLEVBQUUsTUFBTSxRQUFRLGlCQUFpQixJQUFJLGFBQWEsR0FBRztBQUFBLE1BQ3JELEVBQUUsTUFBTSxRQUFRLGlCQUFpQixJQUFJLGFBQWEsSUFBSSxRQUFRLEVBQUU7QUFBQSxNQUNoRSxFQUFFLE1BQU0sWUFBWSxpQkFBaUIsSUFBSSxhQUFhLEVBQUU7QUFBQSxJQUMxRDtBQUFBLElBQ0EsV0FBVztBQUFBLEVBQ2I7QUFBQSxFQUNBLE1BQU07QUFBQSxJQUNKLE1BQU07QUFBQSxJQUNOLFNBQVM7QUFBQSxJQUNULFFBQVE7QUFBQSxNQUNOLEVBQUUsTUFBTSxXQUFXLGlCQUFpQixJQUFJLGFBQWEsR0FBRyxRQUFRLEVBQUU7QUFBQSxNQUNsRSxFQUFFLE1BQU0sUUFBUSxpQkFBaUIsSUFBSSxNQUFNLGFBQWEsRUFBRTtBQUFBLE1BQzFELEVBQUUsTUFBTSxhQUFhLGlCQUFpQixJQUFJLGFBQWEsR0FBRyxRQUFRLEVBQUU7QUFBQSxJQUN0RTtBQUFBLElBQ0EsV0FBVztBQUFBLEVBQ2I7QUFBQSxFQUNBLFlBQVk7QUFBQSxJQUNWLE1BQU07QUFBQSxJQUNOLFNBQVM7QUFBQTtBQUFBO0FBQUEsSUFHVCxRQUFRO0FBQUEsTUFDTixFQUFFLE1BQU0sV0FBVyxpQkFBaUIsSUFBSSxhQUFhLEVBQUU7QUFBQSxNQUN2RCxFQUFFLE1BQU0sUUFBUSxpQkFBaUIsS0FBSyxhQUFhLEdBQUcsUUFBUSxHQUFHO0FBQUEsSUFDbkU7QUFBQSxJQUNBLFdBQVc7QUFBQSxFQUNiO0FBQ0Y7QUFHTyxTQUFTLGNBQWMsTUFBbUM7QUFDL0QsU0FBUSxjQUFvQyxTQUFTLElBQUk7QUFDM0Q7QUFHTyxTQUFTLFdBQVcsTUFBdUI7QUFDaEQsTUFBSSxDQUFDLGNBQWMsSUFBSSxHQUFHO0FBQ3hCLFVBQU0sSUFBSSxNQUFNLHlCQUF5QixJQUFJLGFBQWEsY0FBYyxLQUFLLElBQUksQ0FBQyxHQUFHO0FBQUEsRUFDdkY7QUFDQSxTQUFPLGdCQUFnQixTQUFTLElBQUksQ0FBQztBQUN2QztBQThDTyxTQUFTLGtCQUFrQixTQUErQjtBQUMvRCxTQUFPLFFBQVEsT0FBTyxJQUFJLENBQUMsV0FBVztBQUFBLElBQ3BDLE1BQU0sTUFBTTtBQUFBLElBQ1osVUFBVSxNQUFNO0FBQUEsSUFDaEIsYUFBYSxNQUFNO0FBQUEsSUFDbkIsR0FBSSxNQUFNLFdBQVcsU0FBWSxDQUFDLElBQUksRUFBRSxRQUFRLE1BQU0sT0FBTztBQUFBLElBQzdELFdBQVcsUUFBUTtBQUFBLEVBQ3JCLEVBQUU7QUFDSjs7O0FDNUdPLElBQU0sU0FBUztBQUFBLEVBQ3BCLGNBQWM7QUFBQSxFQUNkLGVBQWU7QUFDakI7QUFPTyxTQUFTLGlCQUFpQixNQUE2QjtBQUM1RCxRQUFNLFNBQVMscUNBQXFDLE9BQU8sWUFBWTtBQUN2RSxVQUFRLEtBQUssTUFBTTtBQUFBLElBQ2pCLEtBQUs7QUFDSCxhQUFPLDBCQUEwQixLQUFLLFVBQVUsSUFBSSxLQUFLLEtBQUs7QUFBQSxJQUNoRSxLQUFLO0FBQ0gsYUFBTyxHQUFHLE1BQU0sMEJBQTBCLEtBQUssVUFBVSxJQUFJLEtBQUssS0FBSztBQUFBLElBQ3pFLEtBQUs7QUFDSCxhQUFPLG9CQUFvQixNQUFNLDJCQUEyQixLQUFLLFVBQVUsSUFBSSxLQUFLLEtBQUs7QUFBQSxJQUMzRixLQUFLO0FBQ0gsYUFBTyxHQUFHLE9BQU8sYUFBYSxJQUFJLEtBQUssVUFBVSxJQUFJLEtBQUssS0FBSztBQUFBLEVBQ25FO0FBQ0Y7QUFrRE8sU0FBUyxTQUFTLE9BQTRGO0FBQ25ILFNBQU8sRUFBRSxZQUFZLE1BQU0sSUFBSSxDQUFDLFVBQVUsRUFBRSxZQUFZLGlCQUFpQixJQUFJLEdBQUcsUUFBUSxLQUFLLEVBQUUsRUFBRTtBQUNuRzs7O0FDbkhPLElBQU0sV0FBVztBQXVCakIsSUFBTSxnQkFBZ0I7QUFHdEIsU0FBUyxTQUFTLE1BQXlCLFFBQVEsS0FBZTtBQUN2RSxRQUFNLE1BQU0sSUFBSSxRQUFRO0FBQ3hCLE1BQUksSUFBSyxRQUFPLEtBQUssTUFBTSxHQUFHO0FBQzlCLFFBQU0sU0FBUyxJQUFJLG1CQUFtQixJQUFJO0FBQzFDLE1BQUksQ0FBQyxRQUFRO0FBQ1gsVUFBTSxJQUFJO0FBQUEsTUFDUjtBQUFBLElBQ0Y7QUFBQSxFQUNGO0FBQ0EsUUFBTSxVQUFVLFdBQVcsSUFBSSx5QkFBeUIsT0FBTztBQUMvRCxTQUFPO0FBQUEsSUFDTCxPQUFPLElBQUksbUJBQW1CLFVBQVUsS0FBSyxJQUFJLENBQUM7QUFBQSxJQUNsRCxTQUFTLFFBQVE7QUFBQSxJQUNqQjtBQUFBLElBQ0EsUUFBUSxrQkFBa0IsT0FBTztBQUFBLElBQ2pDLFdBQVcsSUFBSSx5QkFBeUIsQ0FBQyxJQUFJLHNCQUFzQixJQUFJLENBQUM7QUFBQSxJQUN4RSxZQUFZLENBQUM7QUFBQSxJQUNiLGVBQWU7QUFBQSxFQUNqQjtBQUNGO0FBR08sU0FBUyxXQUFXQyxPQUFnQixlQUErQjtBQUN4RSxRQUFNLFVBQTBDO0FBQUE7QUFBQTtBQUFBLElBRzlDLHVCQUF1QixFQUFFLHFCQUFxQixNQUFNLGtCQUFrQixNQUFNLGdCQUFnQixLQUFLO0FBQUEsRUFDbkc7QUFDQSxNQUFJQSxNQUFLLGVBQWdCLFNBQVEsbUJBQW1CLElBQUksQ0FBQztBQUV6RCxNQUFJQSxNQUFLLFdBQVcsU0FBUyxFQUFHLFNBQVEsU0FBUyxTQUFTQSxNQUFLLFVBQVU7QUFDekUsTUFBSUEsTUFBSyxnQkFBZ0I7QUFDdkIsWUFBUSxpQkFBaUIsSUFBSTtBQUFBLE1BQzNCO0FBQUEsUUFDRSxNQUFNO0FBQUEsUUFDTixhQUFhQSxNQUFLO0FBQUEsUUFDbEIsUUFBUTtBQUFBO0FBQUEsUUFFUixNQUFNLENBQUMsVUFBVUEsTUFBSyxLQUFLLElBQUksWUFBWSxhQUFhLElBQUksV0FBV0EsTUFBSyxPQUFPLElBQUksY0FBYztBQUFBLE1BQ3ZHO0FBQUEsSUFDRjtBQUFBLEVBQ0Y7QUFDQSxTQUFPO0FBQUEsSUFDTCxRQUFRQSxNQUFLO0FBQUEsSUFDYixRQUFRQSxNQUFLO0FBQUE7QUFBQSxJQUViLGVBQWU7QUFBQSxJQUNmLE1BQU0sRUFBRSxTQUFTLEdBQUc7QUFBQSxJQUNwQjtBQUFBLElBQ0EsV0FBVyxFQUFFLE9BQU9BLE1BQUssT0FBTyxlQUFlQSxNQUFLLGNBQWM7QUFBQSxFQUNwRTtBQUNGOzs7QUpoRkEsSUFBTSxPQUFPLFNBQVM7QUFDdEIsSUFBTSxXQUFXLGVBQWUsS0FBSyxTQUFTO0FBRXZDLElBQU0sU0FBaUI7QUFBQSxFQUM1QixHQUFHLFdBQVcsTUFBTSxLQUFLLFVBQVUsV0FBVyxJQUFJLFFBQVEsS0FBSyxVQUFVLEtBQUssR0FBRyxDQUFDO0FBQUEsRUFDbEYsV0FBVztBQUNiO0FBRU8sSUFBTSxZQUF3QixZQUFZLFFBQVE7IiwKICAibmFtZXMiOiBbImpvdXJuZXlzIiwgInBsYW4iXQp9Cg==
