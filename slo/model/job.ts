// The scrape job is a deployment's choice, not the SLO's: `--job NAME` points every query of a model at it,
// so one SLO file serves the harness's stacks (job="mystocks-api") and a team's own scrape config alike.
import type { SloModel } from './model.ts';

/** An equality matcher on `job` inside a PromQL selector: `job="x"` or `job = 'x'` (not `job=~` or `job!=`). */
const JOB_MATCHER = /\bjob\s*=\s*(["'])(?:\\.|(?!\1).)*\1/g;

/** The query with every `job="..."` equality matcher set to `job`; other matchers are left alone. */
export function withJobLabel(query: string, job: string): string {
  return query.replace(JOB_MATCHER, `job=${JSON.stringify(job)}`);
}

/** A copy of the model whose every query, and its coverage selector, selects `job` (see withJobLabel). */
export function modelWithJob(model: SloModel, job: string): SloModel {
  return {
    ...model,
    ...(model.coverageUp === undefined ? {} : { coverageUp: withJobLabel(model.coverageUp, job) }),
    slos: model.slos.map((slo) => ({
      ...slo,
      sli:
        slo.sli.kind === 'ratio'
          ? {
              ...slo.sli,
              total: withJobLabel(slo.sli.total, job),
              ...(slo.sli.good === undefined ? {} : { good: withJobLabel(slo.sli.good, job) }),
              ...(slo.sli.bad === undefined ? {} : { bad: withJobLabel(slo.sli.bad, job) }),
            }
          : {
              ...slo.sli,
              query: withJobLabel(slo.sli.query, job),
              // The evidence count and the noise control read the same job's series.
              ...(slo.sli.events === undefined ? {} : { events: withJobLabel(slo.sli.events, job) }),
              ...(slo.sli.control === undefined
                ? {}
                : { control: { ...slo.sli.control, query: withJobLabel(slo.sli.control.query, job) } }),
            },
    })),
  };
}
