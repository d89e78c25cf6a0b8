// The scrape job is a deployment's choice, not the SLO's: `--job NAME` points every query of a model at it,
// so one SLO file serves the harness's stacks (job="mystocks-api") and a team's own scrape config alike.
// The queries are read with the PromQL grammar (promql.ts rewriteJobMatchers), never with a regex: a
// matcher written `job=~"x"`, `job='x'` or split over lines moves like `job="x"`, and a query that does
// not parse is a located error, not a query left pointing at the old job without a word.
import { HarnessError } from '../../core/outcome.ts';
import { quantileEvidence, type SloModel } from './model.ts';
import { rewriteJobMatchers } from './promql.ts';

/**
 * The query with every vector selector's `job=` and `job=~` matcher set to `job="JOB"` (see
 * rewriteJobMatchers: a regex is pinned to the one job; negative matchers and selectors without a job
 * matcher stay as written). Throws HarnessError when the query does not parse.
 */
export function withJobLabel(query: string, job: string): string {
  const rewrite = rewriteJobMatchers(query, job);
  if ('syntaxError' in rewrite)
    throw new HarnessError(`cannot point ${query} at job "${job}": it ${rewrite.syntaxError}`);
  return rewrite.query;
}

/**
 * A copy of the model whose every query, and its coverage selector, selects `job` (see withJobLabel).
 * Every query that does not parse is reported at once, each located as the config errors are
 * (`slo "NAME": FIELD: ... (FILE:LINE)`), in one HarnessError (exit 2). A negative job matcher
 * (`job!="x"`, `job!~"x"`) is left as written and reported through `warn`, located the same way: it still
 * reads every job but the excluded ones, which the override cannot decide for the user.
 * FIELD is the field of the harness's own format (`sli.ratio.total`, `sli.threshold.events`, ...) for a
 * model read from any format; the line is the SLO's.
 */
export function modelWithJob(model: SloModel, job: string, warn: (warning: string) => void = () => {}): SloModel {
  const errors: string[] = [];
  const at = (line: number | undefined) => (line ? `${model.file}:${line}` : model.file);
  const moved = (query: string, where: { slo?: string; field: string; line?: number }, quiet = false): string => {
    const rewrite = rewriteJobMatchers(query, job);
    const prefix = [where.slo === undefined ? '' : `slo "${where.slo}"`, where.field].filter(Boolean).join(': ');
    if ('syntaxError' in rewrite) {
      errors.push(`${prefix}: ${rewrite.syntaxError} (${at(where.line)})`);
      return query;
    }
    if (!quiet)
      for (const matcher of rewrite.negative)
        warn(
          `${prefix}: ${matcher} is left as written: --job ${job} sets job= and job=~ matchers only, and this one still reads every job it does not exclude (${at(where.line)})`,
        );
    return rewrite.query;
  };
  const result: SloModel = {
    ...model,
    ...(model.coverageUp === undefined ? {} : { coverageUp: moved(model.coverageUp, { field: 'coverage.up' }) }),
    slos: model.slos.map((slo) => {
      const where = (field: string) => ({ slo: slo.name, field, line: slo.source.line });
      return {
        ...slo,
        sli:
          slo.sli.kind === 'ratio'
            ? {
                ...slo.sli,
                total: moved(slo.sli.total, where('sli.ratio.total')),
                ...(slo.sli.good === undefined ? {} : { good: moved(slo.sli.good, where('sli.ratio.good')) }),
                ...(slo.sli.bad === undefined ? {} : { bad: moved(slo.sli.bad, where('sli.ratio.bad')) }),
                // A latency ratio's noise control reads the same job's no-op endpoint.
                ...(slo.sli.control === undefined
                  ? {}
                  : {
                      control: {
                        ...slo.sli.control,
                        query: moved(slo.sli.control.query, where('sli.ratio.control.query')),
                      },
                    }),
              }
            : {
                ...slo.sli,
                query: moved(slo.sli.query, where('sli.threshold.query')),
                // The evidence count and the noise control read the same job's series. A count derived from
                // the query (quantileEvidence) has the query's matchers: its warnings would repeat the query's.
                ...(slo.sli.events === undefined
                  ? {}
                  : {
                      events: moved(
                        slo.sli.events,
                        where('sli.threshold.events'),
                        slo.sli.events === quantileEvidence(slo.sli.query).events,
                      ),
                    }),
                ...(slo.sli.control === undefined
                  ? {}
                  : {
                      control: {
                        ...slo.sli.control,
                        query: moved(slo.sli.control.query, where('sli.threshold.control.query')),
                      },
                    }),
              },
      };
    }),
  };
  if (errors.length > 0) {
    const count = errors.length === 1 ? 'a query that does' : `${errors.length} queries that do`;
    throw new HarnessError(`--job ${job}: cannot point ${count} not parse at the job:\n  ${errors.join('\n  ')}`);
  }
  return result;
}
