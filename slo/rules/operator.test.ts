import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_CONFIG_PATH, parseSloConfig } from '../load.ts';
import { wrapPrometheusRule } from './operator.ts';
import { renderRules } from './rules.ts';

describe('harness slo rules --format prometheus-operator', () => {
  it('wraps exactly the rule groups of the plain file in a monitoring.coreos.com/v1 PrometheusRule', () => {
    const model = parseSloConfig(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'), 'slo-config.yaml').model;
    const rules = renderRules(model);
    const resource = parse(wrapPrometheusRule(rules, { name: 'mystocks-api-slos', namespace: 'mystocks' }));
    assert.equal(resource.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(resource.kind, 'PrometheusRule');
    assert.deepEqual(resource.metadata, {
      name: 'mystocks-api-slos',
      namespace: 'mystocks',
      labels: { 'app.kubernetes.io/managed-by': 'mystocks-harness' },
    });
    assert.deepEqual(resource.spec.groups, parse(rules).groups);
  });
});
