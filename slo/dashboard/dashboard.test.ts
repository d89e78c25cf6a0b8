// The dashboard's shape: what a user finds on it for the seed SLOs. Its queries are run against a real
// Prometheus under load in slo/live-stack.stack.test.ts; its type is @grafana/schema's Dashboard (checked by tsc).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG_PATH, parseSloConfig } from '../load.ts';
import { buildDashboard, dashboardQueries } from './dashboard.ts';

const seed = parseSloConfig(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'), 'slo-config.yaml').model;

describe('harness slo dashboard', () => {
  it('has, per ratio SLO, SLI against objective, budget remaining and burn rate at the seven alert windows', () => {
    const titles = (buildDashboard(seed).panels ?? []).map((panel) => ('title' in panel ? panel.title : ''));
    for (const name of ['availability', 'latency-300ms', 'error-rate', 'cache-hit-rate']) {
      assert.ok(
        titles.some((t) => t?.startsWith(`${name}: SLI against objective`)),
        name,
      );
      assert.ok(
        titles.some((t) => t?.startsWith(`${name}: error budget remaining`)),
        name,
      );
    }
    const burn = dashboardQueries(seed).filter((q) => q.panel === 'availability: burn rate at the alert windows');
    assert.deepEqual(
      burn.map((q) => /ratio_rate(\w+)\{/.exec(q.expr)?.[1]),
      ['5m', '30m', '1h', '2h', '6h', '1d', '3d'],
    );
    assert.ok(titles.includes('latency-p95: SLI against its bound (<= 0.3 seconds over 30d)'));
  });

  it('has the service panels, each reading the job variable', () => {
    const panels = buildDashboard(seed).panels ?? [];
    const service = panels.filter((panel) =>
      [
        'Request rate per endpoint',
        'P95 latency per endpoint',
        'Error share (5xx) per endpoint',
        'Cache hit rate by level',
        'DB query P95',
      ].includes('title' in panel ? (panel.title ?? '') : ''),
    );
    assert.equal(service.length, 5);
    for (const panel of service) {
      const targets = ('targets' in panel ? panel.targets : []) as { expr: string }[];
      for (const target of targets) assert.match(target.expr, /job="\$job"/);
    }
  });

  it('fills the variables as Grafana would: --job and the rate interval reach every service query', () => {
    const queries = dashboardQueries(seed, { job: 'shop-api', rateInterval: '2m' });
    const service = queries.filter((q) => q.expr.includes('job='));
    assert.ok(service.length >= 6);
    for (const q of service) {
      assert.match(q.expr, /job="shop-api"/);
      assert.doesNotMatch(q.expr, /\$/);
    }
    const variable = buildDashboard(seed, { job: 'shop-api' }).templating?.list?.find((v) => v.name === 'job');
    assert.equal(variable?.query, 'shop-api');
  });
});
