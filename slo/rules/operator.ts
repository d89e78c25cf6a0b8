// The same rules wrapped in a Prometheus Operator `PrometheusRule` resource (monitoring.coreos.com/v1), for
// teams whose Prometheus is run by the operator: it picks the resource up by its labels (ruleSelector).
import { parse, stringify } from 'yaml';

/** Options of the resource: its name and namespace, and the labels the operator's ruleSelector matches. */
export interface PrometheusRuleOptions {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}

/** Wraps a rule file (the text `renderRules` gives) in a PrometheusRule resource. */
export function wrapPrometheusRule(rulesYaml: string, options: PrometheusRuleOptions): string {
  const { groups } = parse(rulesYaml) as { groups: unknown[] };
  const resource = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: options.name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'mystocks-harness', ...options.labels },
    },
    spec: { groups },
  };
  return stringify(resource, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
}
