import { stringify } from 'yaml';

/** Inputs of the one Prometheus configuration every stack mode uses. */
export interface PrometheusConfigInput {
  /** host:port of the reference API as Prometheus reaches it (a container alias in containers mode). */
  apiTarget: string;
  /** host:port of the Pushgateway, when one runs. */
  pushgatewayTarget?: string;
  /** 1 s for harness runs: a smoke load of a minute still gives rate() windows enough samples. */
  scrapeIntervalSeconds?: number;
  /** Rule files, relative to the config file's directory. */
  ruleFiles?: string[];
}

/** The scrape job of the reference service; its name is the contract used by the SLO queries. */
export const API_JOB = 'mystocks-api';
/** The scrape job of the Pushgateway (load-tool metrics). */
export const PUSHGATEWAY_JOB = 'pushgateway';

/**
 * Renders prometheus.yml: scrapes the API (job `mystocks-api`) and the Pushgateway with honor_labels, so pushed
 * `job`/`instance` labels survive. The remote-write receiver is a command-line flag, not part of this file.
 */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  const interval = `${input.scrapeIntervalSeconds ?? 1}s`;
  const scrapeConfigs: Record<string, unknown>[] = [
    { job_name: API_JOB, metrics_path: '/metrics', static_configs: [{ targets: [input.apiTarget] }] },
  ];
  if (input.pushgatewayTarget) {
    scrapeConfigs.push({
      job_name: PUSHGATEWAY_JOB,
      honor_labels: true,
      static_configs: [{ targets: [input.pushgatewayTarget] }],
    });
  }
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    ...(input.ruleFiles && input.ruleFiles.length > 0 ? { rule_files: input.ruleFiles } : {}),
    scrape_configs: scrapeConfigs,
  });
}
