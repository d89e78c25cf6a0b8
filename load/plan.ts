// The contract between the harness (which decides) and the Artillery test scripts (which run). The runner
// writes one LoadPlan as JSON into MYSTOCKS_LOAD_PLAN; every script builds its `config` from it, in the main
// Artillery process and again in each worker (Artillery re-evaluates TypeScript scripts per worker), so the
// plan must be plain data. A script run by hand (`npx artillery run load/scenarios/api.ts`) gets a plan from
// MYSTOCKS_TARGET and the smoke profile instead. The plan carries no thresholds: Artillery runs, the harness judges.
import type { Config } from 'artillery';
import { generatorPhases, getProfile, type PlanPhase, type ProfileName, toArtilleryPhases } from './profiles.ts';

/** Name of the environment variable that carries the plan. */
export const PLAN_ENV = 'MYSTOCKS_LOAD_PLAN';

/** What one run does. */
export interface LoadPlan {
  runId: string;
  profile: ProfileName;
  /** Base URL of the service under test (pages and /api share it). */
  target: string;
  /** The phases as Artillery runs them; a generator's share holds a pause where its share of a phase is none. */
  phases: PlanPhase[];
  /** Journey names to run; empty means the whole weighted mix. */
  scenarios: string[];
  /** Where client-side metrics go (Prometheus Pushgateway); none when absent. */
  pushgatewayUrl?: string;
  /** Percent of journeys that take their occasional steps (a backtest, a PDF export); 100 in script tests. */
  occasionalPct: number;
  /** Write each 10 s period to MYSTOCKS_LOAD_STATS_FILE (plugin in load/plugins; the runner sets both). */
  progressPlugin?: boolean;
  /** Chromium for the browser scenario. */
  chromiumPath?: string;
}

/**
 * Generator `index` (from 0) of `count`: its share of every phase (`generatorPhases`: the division Artillery makes
 * among its own local workers) and its Pushgateway grouping key (WORKER_ID, which publish-metrics pushes under), so
 * no generator's metrics overwrite another's while all keep the run's `run_id` label. The same whether the `count`
 * generators run side by side in one `harness load --generators N`, or each in a process of its own
 * (`--generators N --generator-index I`: one pod of deploy/k8s/load-generator's Indexed Job).
 */
export function generatorShare(plan: LoadPlan, count: number, index: number): { plan: LoadPlan; workerId: string } {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`generator ${index} of ${count}: the index must be a whole number from 0 to ${count - 1}`);
  }
  return {
    plan: { ...plan, phases: generatorPhases(plan.phases, count, index) },
    workerId: `${plan.runId}-g${index + 1}`,
  };
}

/** Prefix of every client-side metric in Prometheus: mystocks_load_counters, _rates, _summaries. */
export const METRIC_PREFIX = 'mystocks_load';

/** The plan of this process: from MYSTOCKS_LOAD_PLAN, or a smoke plan against MYSTOCKS_TARGET. */
export function readPlan(env: NodeJS.ProcessEnv = process.env): LoadPlan {
  const raw = env[PLAN_ENV];
  if (raw) return JSON.parse(raw) as LoadPlan;
  const target = env.MYSTOCKS_TARGET ?? env.API_URL;
  if (!target) {
    throw new Error(
      `no load plan: run through 'harness load', or set MYSTOCKS_TARGET to the service's base URL (e.g. http://127.0.0.1:3000)`,
    );
  }
  const profile = getProfile(env.MYSTOCKS_LOAD_PROFILE ?? 'smoke');
  return {
    runId: env.MYSTOCKS_RUN_ID ?? `manual-${Date.now()}`,
    profile: profile.name,
    target,
    phases: toArtilleryPhases(profile),
    scenarios: env.MYSTOCKS_LOAD_SCENARIO ? [env.MYSTOCKS_LOAD_SCENARIO] : [],
    occasionalPct: 10,
  };
}

/** The common part of every script's `config`: target, phases, metric publishing. */
export function baseConfig(plan: LoadPlan, scenarioLabel: string): Config {
  const plugins: NonNullable<Config['plugins']> = {
    // Response checks are in the processor (status and shape per endpoint); expect stays off.
    // Per-endpoint numbers in the JSON report (and Prometheus), kept out of the console's progress blocks.
    // (suppressOutput is read by the plugin but missing from Artillery's types.)
    'metrics-by-endpoint': {
      useOnlyRequestNames: true,
      stripQueryString: true,
      ...({ suppressOutput: true } as object),
    },
  };
  if (plan.progressPlugin) plugins['mystocks-progress'] = {};
  // No `ensure`: the harness judges the run itself, on the samples of the judged window (load/thresholds.ts).
  if (plan.pushgatewayUrl) {
    plugins['publish-metrics'] = [
      {
        type: 'prometheus',
        pushgateway: plan.pushgatewayUrl,
        prefix: METRIC_PREFIX,
        // Become labels on every pushed series: the SLO check and dashboards select a run by run_id.
        tags: [`run_id:${plan.runId}`, `scenario:${scenarioLabel}`, `profile:${plan.profile}`, 'app:mystocks'],
      },
    ];
  }
  return {
    target: plan.target,
    phases: plan.phases,
    // 10 s periods: the console shows progress that often, and the breakpoint analysis reads these periods.
    statsInterval: 10,
    http: { timeout: 10 },
    plugins,
    variables: { runId: plan.runId, occasionalPct: plan.occasionalPct },
    // For a script run by hand (`npx artillery run load/scenarios/api.ts`): Artillery bundles the TypeScript
    // processor with esbuild-wasm in the main process and again in every worker, and leaving zod out of the
    // bundle saves seconds per start. The harness bundles natively itself, with the same externals
    // (load/run-script.ts).
    bundling: { external: ['zod'] },
  };
}
