// Claims of the docs checked against the code: docs/metrics.md against the reference service's /metrics
// snapshot and its registry's buckets; every runbook link of the generated alerts against the headings of
// docs/slo.md; and no doc pointing at a DESIGN.md the repository does not hold.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { createMetrics } from '../reference-api/src/plugins/app/metrics.ts';
import { DEFAULT_CONFIG_PATH, loadSloConfig } from '../slo/load.ts';
import { renderRules } from '../slo/rules/rules.ts';

const root = join(import.meta.dirname, '..');
const docs = join(root, 'docs');
const metricsDoc = readFileSync(join(docs, 'metrics.md'), 'utf8');

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces as dashes. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe('docs/metrics.md', () => {
  it("lists exactly the reference service's metrics, types and label sets (its /metrics snapshot)", () => {
    const snapshot = readFileSync(join(root, 'reference-api/src/plugins/app/metrics.expected.txt'), 'utf8');
    const rows = [...metricsDoc.matchAll(/^\| `(\w+)` \| (\w+) \|([^|]*)\|/gm)].map((m) => {
      const labels = [...m[3]!.matchAll(/`(\w+)`/g)].map((l) => l[1]!).sort();
      return `${m[1]} ${m[2]} {${labels.join(',')}}`;
    });
    assert.ok(rows.length > 0, 'no metric table found');
    assert.equal(`${rows.sort().join('\n')}\n`, snapshot);
  });

  it("gives each histogram's buckets as the service's registry has them", async () => {
    const metrics = createMetrics();
    // The HTTP histogram keeps exemplars, so prom-client takes its observation in the exemplar form.
    metrics.httpDuration.observe({ labels: { endpoint: '/x', method: 'GET', status_code: '200' }, value: 0.01 });
    metrics.dbDuration.observe({ operation: 'x' }, 0.01);
    const text = await metrics.registry.metrics();
    for (const name of ['http_request_duration_seconds', 'db_query_duration_seconds']) {
      const served = [...text.matchAll(new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"`, 'gm'))]
        .map((m) => m[1]!)
        .filter((le) => le !== '+Inf');
      const documented = new RegExp(`\`${name}\` buckets: ([0-9., ]+)`).exec(metricsDoc)?.[1];
      assert.ok(documented, `${name}: no bucket line in docs/metrics.md`);
      assert.deepEqual(
        documented.split(',').map((b) => Number(b.trim())),
        served.map(Number),
        name,
      );
    }
  });

  it('is linked from the external-deployment quickstart', () => {
    const quickstarts = readFileSync(join(docs, 'quickstarts.md'), 'utf8');
    const section = quickstarts.slice(quickstarts.indexOf('## Your own deployment'));
    assert.match(section, /\]\(metrics\.md\)/);
  });
});

describe('runbook links', () => {
  it('every runbook_url of the seed rules points at a heading of docs/slo.md', async () => {
    const slo = readFileSync(join(docs, 'slo.md'), 'utf8');
    const anchors = new Set([...slo.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!)));
    const { model } = await loadSloConfig(DEFAULT_CONFIG_PATH);
    const rules = parse(renderRules(model)) as { groups: { rules: { annotations?: Record<string, string> }[] }[] };
    const links = rules.groups
      .flatMap((group) => group.rules)
      .flatMap((rule) => (rule.annotations?.runbook_url ? [rule.annotations.runbook_url] : []));
    // Every alerting seed SLO links a runbook: a ticket or page without one leaves the on-call guessing.
    assert.equal(new Set(links).size, model.slos.length);
    for (const link of links) {
      const match = /\/docs\/slo\.md#(.+)$/.exec(link);
      assert.ok(match, `${link} does not point into docs/slo.md`);
      assert.ok(anchors.has(match[1]!), `${link}: docs/slo.md has no heading #${match[1]}`);
    }
  });

  it('the anchor check catches a link to no heading', () => {
    assert.equal(anchor('availability'), 'availability');
    assert.equal(anchor('Dashboards (`harness slo dashboard`)'), 'dashboards-harness-slo-dashboard');
    assert.notEqual(anchor('The seed SLOs and their formulas'), 'availability');
  });
});

describe('doc links', () => {
  it('no doc points at a DESIGN.md the repository does not hold', () => {
    const offenders = readdirSync(docs)
      .filter((name) => name.endsWith('.md') && name !== 'conventions.md' && name !== 'architecture.md')
      .filter((name) => readFileSync(join(docs, name), 'utf8').includes('DESIGN.md'));
    assert.equal(existsSync(join(root, 'DESIGN.md')), false);
    assert.deepEqual(offenders, []);
  });
});
