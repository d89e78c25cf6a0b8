// The PromQL of the diagnosis, in one place. The metric names are the reference service's
// (core/service-metrics.ts, the contract in docs/metrics.md); the queries break an SLO's own series down by
// label, over the same window at the same instant as the SLO was judged.

/** The quantiles every breakdown row shows. */
export const QUANTILES = [0.5, 0.95, 0.99] as const;

/** How a failed SLO is broken down: which histogram, by which labels, and what counts as its bad events. */
export interface BreakdownSpec {
  /** Histogram family (without `_bucket`). */
  histogram: string;
  /** Labels of one row: ['endpoint', 'method'] or ['operation']. */
  by: string[];
  /** Label matchers every query carries, e.g. `job="mystocks-api"`. */
  selector: string;
  /** Counter of requests or queries over the service's slow threshold. */
  slowCounter: string;
  /** Counter with a `status_code` label, for the 5xx share (HTTP only). */
  statusCounter?: string;
}

const SERVER_ERROR = 'status_code=~"5.."';

function matchers(...parts: string[]): string {
  const present = parts.filter((part) => part !== '');
  return present.length === 0 ? '' : `{${present.join(',')}}`;
}

/** PromQL of one breakdown over `window` (a Prometheus duration). */
export function breakdownQueries(spec: BreakdownSpec, window: string) {
  const by = spec.by.join(', ');
  const buckets = `${spec.histogram}_bucket${matchers(spec.selector)}`;
  return {
    /** Cumulative bucket counts per row and `le`: counts, and requests above any bound. */
    buckets: `sum by (${by}, le) (increase(${buckets}[${window}]))`,
    quantile: (q: number) => `histogram_quantile(${q}, sum by (${by}, le) (rate(${buckets}[${window}])))`,
    slow: `sum by (${by}) (increase(${spec.slowCounter}${matchers(spec.selector)}[${window}]))`,
    ...(spec.statusCounter === undefined
      ? {}
      : {
          errors: `sum by (${by}) (increase(${spec.statusCounter}${matchers(spec.selector, SERVER_ERROR)}[${window}]))`,
        }),
  };
}
