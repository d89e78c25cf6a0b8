// Model -> a Grafana dashboard (JSON, typed by @grafana/schema; no Grafana server is needed or used).
// Per SLO: the SLI against its objective, the error budget left over the period and the burn rate at each
// alert window, all read from the recording rules of `harness slo rules` (the same names Sloth uses, so the
// panels work on Sloth's rules too). For the service: request rate, P95 and error share per endpoint, cache
// hit rate by level and DB query P95, read from the metrics of docs/metrics.md (names from core/service-metrics.ts).
import type { Dashboard, DataQuery, Panel } from '@grafana/schema';
import { formatDuration } from '../../core/duration.ts';
import { bucketsOf, SERVICE_METRICS } from '../../core/service-metrics.ts';
import type { Slo, SloModel } from '../model/model.ts';

/** The alert windows whose burn rate is shown (those of the multiwindow, multi-burn-rate alerts). */
export const BURN_RATE_PANEL_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/** Grafana's reference to the dashboard's `datasource` variable (Grafana syntax, built to keep it literal). */
const DATASOURCE_VARIABLE = `$${'{'}datasource}`;

/** Options of the dashboard. */
export interface DashboardOptions {
  /** The scrape job of the service's metrics (default mystocks-api); a dashboard variable, so it can change. */
  job?: string;
  /** Grafana data source uid of the Prometheus (default: a `datasource` variable the user picks). */
  datasourceUid?: string;
}

/** One panel's query with where it is shown, so tests can run every one against a real Prometheus. */
export interface PanelQuery {
  panel: string;
  refId: string;
  expr: string;
}

interface PrometheusQuery extends DataQuery {
  expr: string;
  legendFormat?: string;
}

/** `{sloth_id="svc-slo", sloth_service="svc", sloth_slo="slo"}`: one SLO's recordings. */
function sloSelector(slo: Slo): string {
  return `{sloth_id="${slo.service}-${slo.name}", sloth_service="${slo.service}", sloth_slo="${slo.name}"}`;
}

/** One panel: its title, kind, unit and queries. */
interface PanelSpec {
  title: string;
  type: string;
  unit: string;
  targets: PrometheusQuery[];
}

/** A panel's query. */
function q(refId: string, expr: string, legendFormat?: string): PrometheusQuery {
  return { refId, expr, ...(legendFormat ? { legendFormat } : {}) };
}

/** The dashboard's panels and their queries; Grafana variables ($job, $__rate_interval) left in. */
function panels(model: SloModel): PanelSpec[] {
  return [...model.slos.flatMap(sloPanels), ...servicePanels()];
}

/**
 * One SLO's panels, from its recording rules: a ratio SLO's SLI against the objective, its budget left and its
 * burn rates; a threshold SLO's SLI against its bound.
 */
function sloPanels(slo: Slo): PanelSpec[] {
  const list: PanelSpec[] = [];
  const sel = sloSelector(slo);
  if (slo.sli.kind === 'ratio') {
    list.push({
      title: `${slo.name}: SLI against objective (${slo.objective} % over ${slo.window})`,
      type: 'timeseries',
      unit: 'percentunit',
      targets: [
        q('A', `1 - max(slo:sli_error:ratio_rate5m${sel}) without (sloth_window)`, 'SLI (5m)'),
        q('B', `max(slo:objective:ratio${sel})`, 'objective'),
      ],
    });
    list.push({
      title: `${slo.name}: error budget remaining over ${slo.window}`,
      type: 'stat',
      unit: 'percentunit',
      targets: [q('A', `max(slo:period_error_budget_remaining:ratio${sel})`)],
    });
    list.push({
      title: `${slo.name}: burn rate at the alert windows`,
      type: 'timeseries',
      unit: 'none',
      targets: BURN_RATE_PANEL_WINDOWS.map((window, index) =>
        q(
          String.fromCharCode(65 + index),
          `max(slo:sli_error:ratio_rate${window}${sel}) without (sloth_window) / on (sloth_id) group_left max by (sloth_id) (slo:error_budget:ratio${sel})`,
          window,
        ),
      ),
    });
  } else {
    list.push({
      title: `${slo.name}: SLI against its bound (${slo.sli.operator} ${slo.sli.bound} ${slo.sli.unit} over ${slo.window})`,
      type: 'timeseries',
      unit: slo.sli.unit === 'seconds' ? 's' : 'none',
      targets: [
        q('A', `max(slo:sli_value:1h${sel}) without (sloth_window)`, 'SLI (1h)'),
        q('B', `vector(${slo.sli.bound})`, 'bound'),
      ],
    });
  }
  return list;
}

/** The service's own panels (SERVICE_METRICS): rate, P95 and 5xx share per endpoint, cache hit rate, DB P95. */
function servicePanels(): PanelSpec[] {
  const job = 'job="$job"';
  const { httpTotal, httpDuration, cacheHits, cacheMisses, dbDuration } = SERVICE_METRICS;
  const rate = (metric: string, extra = '') => `rate(${metric}{${job}${extra}}[$__rate_interval])`;
  return [
    {
      title: 'Request rate per endpoint',
      type: 'timeseries',
      unit: 'reqps',
      targets: [q('A', `sum by (endpoint) (${rate(httpTotal)})`, '{{endpoint}}')],
    },
    {
      title: 'P95 latency per endpoint',
      type: 'timeseries',
      unit: 's',
      targets: [
        q('A', `histogram_quantile(0.95, sum by (le, endpoint) (${rate(bucketsOf(httpDuration))}))`, '{{endpoint}}'),
      ],
    },
    {
      title: 'Error share (5xx) per endpoint',
      type: 'timeseries',
      unit: 'percentunit',
      // `or ... * 0`: an endpoint without errors has no 5xx series; it must show 0, not vanish.
      targets: [
        q(
          'A',
          `(sum by (endpoint) (${rate(httpTotal, ',status_code=~"5.."')}) or sum by (endpoint) (${rate(httpTotal)}) * 0) / sum by (endpoint) (${rate(httpTotal)})`,
          '{{endpoint}}',
        ),
      ],
    },
    {
      title: 'Cache hit rate by level',
      type: 'timeseries',
      unit: 'percentunit',
      targets: [
        q(
          'A',
          `sum by (level) (${rate(cacheHits)}) / (sum by (level) (${rate(cacheHits)}) + sum by (level) (${rate(cacheMisses)}))`,
          '{{level}}',
        ),
      ],
    },
    {
      title: 'DB query P95',
      type: 'timeseries',
      unit: 's',
      targets: [
        q('A', `histogram_quantile(0.95, sum by (le) (${rate(bucketsOf(dbDuration))}))`, 'all'),
        q('B', `histogram_quantile(0.95, sum by (le, operation) (${rate(bucketsOf(dbDuration))}))`, '{{operation}}'),
      ],
    },
  ];
}

/** Every panel's PromQL with the dashboard's variables filled in, as Grafana would send it. */
export function dashboardQueries(model: SloModel, options: { job?: string; rateInterval?: string } = {}): PanelQuery[] {
  const job = options.job ?? 'mystocks-api';
  const interval = options.rateInterval ?? '1m';
  return panels(model).flatMap((panel) =>
    panel.targets.map((target) => ({
      panel: panel.title,
      refId: target.refId,
      expr: target.expr.replaceAll('$__rate_interval', interval).replaceAll('$job', job),
    })),
  );
}

/** The Grafana dashboard for a model. */
export function buildDashboard(model: SloModel, options: DashboardOptions = {}): Dashboard {
  const job = options.job ?? 'mystocks-api';
  // Grafana's own variable syntax (not a JS template): the dashboard's `datasource` variable.
  const datasource = { type: 'prometheus', uid: options.datasourceUid ?? DATASOURCE_VARIABLE };
  const width = 8;
  const height = 8;
  const list: Panel[] = panels(model).map((panel, index) => ({
    id: index + 1,
    type: panel.type,
    title: panel.title,
    datasource,
    gridPos: { x: (index % 3) * width, y: Math.floor(index / 3) * height, w: width, h: height },
    fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
    options: {},
    targets: panel.targets.map((target) => ({ ...target, datasource })),
  }));
  const periods = [...new Set(model.slos.map((slo) => formatDuration(slo.windowMs)))].join(', ');
  return {
    title: `${model.service} SLOs`,
    uid: `harness-${model.service}`.slice(0, 40),
    description: `Generated by harness slo dashboard from ${model.file} (SLO periods: ${periods}).`,
    tags: ['slo', 'mystocks-harness'],
    editable: true,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    timezone: 'browser',
    refresh: '30s',
    graphTooltip: 1,
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' },
        {
          name: 'job',
          type: 'custom',
          label: 'job',
          query: job,
          current: { text: job, value: job },
          options: [{ text: job, value: job, selected: true }],
        },
      ],
    },
    panels: list,
  };
}
