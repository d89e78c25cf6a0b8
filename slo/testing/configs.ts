// SLO files written inline by the tests that read one SLO's query (its PromQL forms, the --job rewrite).

/**
 * A harness file with one quantile SLO, `p95` over 1 h, P95 <= 0.3 s: its entry is line 4, its query line 8
 * (column 16), and `extra` lines of its threshold follow the unit. The query is written as a JSON string, which
 * is a YAML double-quoted scalar: it arrives exactly as written, line breaks included.
 */
export function quantileSloConfig(query: string, extra = ''): string {
  return [
    'version: 1',
    'service: shop',
    'slos:',
    '  - name: p95',
    '    window: 1h',
    '    sli:',
    '      threshold:',
    `        query: ${JSON.stringify(query)}`,
    '        operator: "<="',
    '        bound: 0.3',
    '        unit: seconds',
    extra,
  ].join('\n');
}
