// SLO files written inline by the tests: a harness file's head around the SLOs a test writes out, and the
// one-SLO files that several tests share (a quantile SLO's PromQL forms and --job rewrite, a 99 % ratio).
import { parseSloConfig } from '../load.ts';
import type { SloModel } from '../model/model.ts';

/**
 * A harness file of `service` whose `slos:` list holds `slos`, each line as it stands in the file (indented
 * from column 0): the file's head is always the same three lines, so a test writes out only its SLOs.
 */
export function harnessConfig(service: string, slos: string[]): string {
  return ['version: 1', `service: ${service}`, 'slos:', ...slos].join('\n');
}

/**
 * The model of a harness file of the reference service (`service: mystocks-api`, whose series the data sets of
 * datasets.ts hold) with `slos` (harnessConfig); its warnings are not read.
 */
export function referenceServiceModel(slos: string[]): SloModel {
  return parseSloConfig(harnessConfig('mystocks-api', slos), 'mystocks-api.yaml').model;
}

/**
 * A harness file with one quantile SLO, `p95` over 1 h, P95 <= 0.3 s: its entry is line 4, its query line 8
 * (column 16), and `extra` lines of its threshold follow the unit. The query is written as a JSON string, which
 * is a YAML double-quoted scalar: it arrives exactly as written, line breaks included.
 */
export function quantileSloConfig(query: string, extra = ''): string {
  return harnessConfig('shop', [
    '  - name: p95',
    '    window: 1h',
    '    sli:',
    '      threshold:',
    `        query: ${JSON.stringify(query)}`,
    '        operator: "<="',
    '        bound: 0.3',
    '        unit: seconds',
    extra,
  ]);
}

/**
 * A harness file with one ratio SLO, `requests` of service `shop`, objective 99 % over 30 d (budget 1 %), its
 * SLI `bad` of `total`: its entry is line 4, its bad query line 9.
 */
export function ratioSloConfig(bad: string, total: string): string {
  return harnessConfig('shop', [
    '  - name: requests',
    '    window: 30d',
    '    objective: 99',
    '    sli:',
    '      ratio:',
    `        bad: ${bad}`,
    `        total: ${total}`,
  ]);
}

/**
 * The SLO file of a short `harness verify` that must still be judgeable: the shipped availability SLO at 99 %
 * (its default minEvents is ceil(1 / 0.01) = 100, docs/slo.md "Minimum evidence": a 20-30 s smoke load makes
 * several hundred requests, where the shipped 99.9 % needs 1000), and, with `latencyP95`, the shipped latency-p95.
 * Each SLO's loadThreshold gives the load its threshold. Used where verify runs from outside the checkout (the
 * harness image, the kube play), whose tests cannot afford the minute the shipped file needs.
 */
export function shortVerifySloFile(options: { latencyP95?: boolean } = {}): string {
  return `version: 1
service: mystocks-api
coverage:
  up: up{job="mystocks-api"}
slos:
  - name: availability
    description: 99 % of API requests are answered without a server error.
    window: 30d
    objective: 99
    loadThreshold: availabilityPct
    sli:
      ratio:
        bad: sum(increase(http_requests_total{job="mystocks-api",status_code=~"5.."}[{{window}}])) or vector(0)
        total: sum(increase(http_requests_total{job="mystocks-api"}[{{window}}]))
${options.latencyP95 ? LATENCY_P95 : ''}`;
}

const LATENCY_P95 = `  - name: latency-p95
    description: 95 % of API requests are served within 300 ms.
    window: 30d
    loadThreshold: p95LatencyMs
    sli:
      threshold:
        query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="mystocks-api",endpoint!="/healthz"}[{{window}}])))
        operator: "<="
        bound: 0.3
        unit: seconds
        control:
          label: /healthz P95
          query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="mystocks-api",endpoint="/healthz"}[{{window}}])))
          probe: /healthz
`;
