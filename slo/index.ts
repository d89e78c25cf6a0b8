/**
 * The SLO checker: SLOs as code, one file for the CI gate, the load thresholds and production alerting.
 *
 * Layers, each in its folder: spec (YAML + zod; every error with file, line, column and field; warnings
 * apart) -> model (normalized SLOs, no I/O) -> evaluate (PromQL over the Prometheus HTTP API: verdicts,
 * budgets, burn rates, baseline comparison); rules (Sloth-style recording rules and multiwindow, multi-burn-rate
 * alerts) beside them. A report is data: report/slo/ renders it (table, JSON, JUnit, Markdown, Allure).
 *
 * A complete config (the seed's file is slo/slo-config.yaml; the format is in docs/slo.md):
 *
 * ```yaml
 * version: 1                      # spec version
 * service: mystocks-api           # sloth_service label, alert names
 * labels: { team: mystocks }      # added to every generated rule
 * defaults:
 *   noData: inconclusive          # no data / NaN / zero events: inconclusive | pass | fail
 *   baseline: { maxRegressionPct: 10 }
 * slos:
 *   - name: error-rate            # lower-case, digits, dashes
 *     description: At most 0.1 % of requests fail over 30 days.
 *     window: 30d                 # the SLO period, a Prometheus duration
 *     objective: 99.9             # percent of good events (ratio SLIs only)
 *     loadThreshold: maxErrorRatePct   # the load tool's ensure threshold comes from here
 *     sli:
 *       ratio:                    # good or bad, and total; {{window}} is filled in
 *         bad: sum(increase(http_requests_total{job="mystocks-api",status_code=~"5.."}[{{window}}])) or vector(0)
 *         total: sum(increase(http_requests_total{job="mystocks-api"}[{{window}}]))
 *     alerting:
 *       name: MystocksApiErrorRateBudgetBurn
 *       labels: { team: mystocks }
 *       annotations: { runbook_url: https://example.org/runbooks/error-rate }
 *       page: { labels: { route: pager } }
 *       ticket: { labels: { route: tickets } }
 *   - name: latency-p95
 *     window: 30d
 *     noData: inconclusive
 *     baseline: { maxRegressionPct: 10 }
 *     loadThreshold: p95LatencyMs
 *     sli:
 *       threshold:                # a value against a bound
 *         query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="mystocks-api"}[{{window}}])))
 *         operator: "<="
 *         bound: 0.3
 *         unit: seconds
 * ```
 *
 * Typical use:
 * ```ts
 * const { model, warnings } = await loadSloConfig('slo/slo-config.yaml');
 * const report = await evaluateSlos(model, { prometheusUrl, start, end });
 * console.log(renderTable(report)); // report/slo/render.ts; report.status: pass | fail | inconclusive
 * ```
 */

export { formatDuration, parseDuration } from '../core/duration.ts';
export { type AlertmanagerOptions, renderAlertmanagerConfig } from './alertmanager/alertmanager.ts';
export { buildDashboard, type DashboardOptions, dashboardQueries, type PanelQuery } from './dashboard/dashboard.ts';
export { compareWithBaseline, loadBaseline } from './evaluate/baseline.ts';
export {
  type BaselineComparison,
  type EvaluateOptions,
  evaluateSlo,
  evaluateSlos,
  type QueryRecord,
  resolveRunWindow,
  type SloReport,
  type SloResult,
} from './evaluate/evaluate.ts';
export {
  createLimiter,
  PrometheusClient,
  type PrometheusClientOptions,
  type QueryOutcome,
  type VectorOutcome,
  type VectorSample,
} from './evaluate/prometheus.ts';
export {
  discoverScrapeInterval,
  latestScrape,
  PROMETHEUS_DEFAULT_SCRAPE_SECONDS,
  type SettleOptions,
  settle,
} from './evaluate/settle.ts';
export { detectFormat } from './formats/detect.ts';
export { ConvertError, type WrittenConfig, writeConfig } from './formats/write.ts';
export { DEFAULT_CONFIG_PATH, type LoadedSloConfig, loadSloConfig, parseSloConfig, SloConfigError } from './load.ts';
export { modelWithJob, withJobLabel } from './model/job.ts';
export {
  buildModel,
  compare,
  errorBudget,
  type LoadThresholds,
  loadThresholds,
  type NoDataPolicy,
  type Operator,
  type RatioSli,
  renderQuery,
  type SliUnit,
  type Slo,
  type SloAlerting,
  type SloFormat,
  type SloModel,
  type ThresholdSli,
} from './model/model.ts';
export { type PrometheusRuleOptions, wrapPrometheusRule } from './rules/operator.ts';
export { BURN_RATE_WINDOWS, type BurnRateWindow, burnRateFactor, errorRatioExpr, renderRules } from './rules/rules.ts';
export { renderSlothRules } from './rules/sloth-rules.ts';
export type { ConfigIssue } from './spec/parse.ts';
