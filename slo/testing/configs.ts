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
