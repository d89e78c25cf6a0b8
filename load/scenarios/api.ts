// The API journeys of MyStocks as one Artillery test script: the weighted mix of ../journeys.ts, or the journeys
// named in the plan. Run it with `harness load --profile smoke`, or by hand:
//   MYSTOCKS_TARGET=http://127.0.0.1:3000 ARTILLERY_DISABLE_TELEMETRY=true npx artillery run load/scenarios/api.ts
import type { Config, Scenario } from 'artillery';
import { selectJourneys, toScenarios } from '../journeys.ts';
import { baseConfig, readPlan } from '../plan.ts';

const plan = readPlan();
const journeys = selectJourneys(plan.scenarios);

export const config: Config = {
  ...baseConfig(plan, plan.scenarios.length === 0 ? 'mix' : plan.scenarios.join('+')),
  processor: '../processor.ts',
};

export const scenarios: Scenario[] = toScenarios(journeys);
