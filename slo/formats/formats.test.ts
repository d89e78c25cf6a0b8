// Sloth and OpenSLO files read into the model, every malformed file's exact message (pinned by one golden
// file), and conversions: a round trip A -> B -> A gives the same model.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_CONFIG_PATH, loadSloConfig, parseSloConfig, SloConfigError } from '../load.ts';
import { loadThresholds, type SloFormat, type SloModel } from '../model/model.ts';
import { writeConfig } from './write.ts';

const testdata = join(import.meta.dirname, 'testdata');
const slothdata = join(import.meta.dirname, '..', 'rules', 'testdata', 'sloth');
const work = mkdtempSync(join(tmpdir(), 'slo-formats-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

const read = (path: string, name = path) => parseSloConfig(readFileSync(path, 'utf8'), name).model;

describe('reading Sloth files', () => {
  it('reads prometheus/v1: {{.window}} becomes {{window}}, labels and alerting kept, the period is 30d', () => {
    const model = read(join(slothdata, 'in-checkout.yaml'), 'in-checkout.yaml');
    assert.equal(model.format, 'sloth');
    assert.deepEqual(model.labels, { owner: 'payments' });
    const [availability, latency] = model.slos;
    assert.deepEqual(availability!.sli, {
      kind: 'ratio',
      bad: 'sum(rate(http_requests_total{job="checkout",status_code=~"5.."}[{{window}}]))',
      total: 'sum(rate(http_requests_total{job="checkout"}[{{window}}]))',
    });
    assert.equal(availability!.window, '30d');
    assert.equal(availability!.objective, 99.9);
    assert.deepEqual(availability!.labels, { tier: '1' });
    assert.equal(availability!.alerting.name, 'CheckoutAvailability');
    assert.deepEqual(availability!.alerting.pageLabels, { severity: 'pageteam', routing_key: 'payments' });
    assert.deepEqual(availability!.source, { file: 'in-checkout.yaml', line: 8 });
    // The raw error ratio: bad is the ratio, total is 1.
    assert.equal(latency!.sli.kind === 'ratio' && latency!.sli.total, 'vector(1)');
    assert.equal(latency!.alerting.disabled, true);
  });

  it('reads the PrometheusServiceLevel resource with its camelCase keys and a disabled ticket alert', () => {
    const model = read(join(slothdata, 'in-k8s.yaml'));
    assert.equal(
      model.slos[0]!.sli.kind === 'ratio' && model.slos[0]!.sli.bad,
      'sum(rate(search_queries_total{outcome="error"}[{{window}}]))',
    );
    assert.equal(model.slos[0]!.alerting.ticketDisabled, true);
    assert.deepEqual(model.slos[0]!.alerting.pageAnnotations, { runbook: 'https://example.org/runbooks/search' });
  });

  it('reads several documents (services) of one file, each SLO with its own labels, and the load threshold label', () => {
    const model = read(join(slothdata, 'in-multi.yaml'));
    assert.deepEqual(
      model.slos.map((slo) => [slo.service, slo.name, slo.labels ?? {}]),
      [
        ['api', 'availability', { team: 'core' }],
        ['worker', 'jobs', {}],
      ],
    );
    assert.deepEqual(loadThresholds(model), { availabilityPct: 99.99 });
  });
});

describe('reading OpenSLO files', () => {
  it('reads an indicatorRef in the same file, an inline threshold indicator, targets as 0-1 and harness annotations', () => {
    const model = read(join(testdata, 'openslo-checkout.yaml'));
    assert.equal(model.format, 'openslo');
    const [availability, latency] = model.slos;
    assert.equal(availability!.objective, 99.5);
    assert.equal(availability!.window, '28d');
    assert.equal(
      availability!.sli.kind === 'ratio' && availability!.sli.bad,
      'sum(increase(http_requests_total{job="checkout",status_code=~"5.."}[{{window}}]))',
    );
    assert.deepEqual(latency!.sli, {
      kind: 'threshold',
      query:
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="checkout"}[{{window}}])))',
      operator: '<=',
      bound: 0.4,
      unit: 'seconds',
      // Derived as for a harness file: a P95 stands on the histogram's observations, and needs 1 / 5 % of them.
      quantile: 0.95,
      events: 'sum(increase(http_request_duration_seconds_count{job="checkout"}[{{window}}]))',
    });
    assert.equal(latency!.minEvents, 20);
    assert.equal(latency!.alerting.name, 'CheckoutLatencyP95BoundBreach');
    assert.deepEqual(loadThresholds(model), { availabilityPct: 99.5 });
  });

  it('finds an indicatorRef in another file of the same folder (targetPercent read as percent)', async () => {
    const { model } = await loadSloConfig(join(testdata, 'openslo-folder', 'slo.yaml'));
    assert.equal(model.slos[0]!.objective, 99);
    assert.equal(
      model.slos[0]!.sli.kind === 'ratio' && model.slos[0]!.sli.good,
      'sum(rate(search_queries_total{outcome="ok"}[{{window}}]))',
    );
  });
});

describe('malformed Sloth and OpenSLO files', () => {
  const dir = join(testdata, 'malformed');
  it('gives each one its exact located message (testdata/malformed.golden.txt; UPDATE_GOLDEN=1 rewrites it)', () => {
    const lines: string[] = [];
    for (const name of readdirSync(dir).sort()) {
      try {
        parseSloConfig(readFileSync(join(dir, name), 'utf8'), name);
        lines.push(`${name}: accepted`);
      } catch (error) {
        assert.ok(error instanceof SloConfigError, `${name}: ${(error as Error).stack}`);
        lines.push(`${name}:\n${error.message.replace(/^/gm, '  ')}`);
      }
    }
    const actual = `${lines.join('\n')}\n`;
    const golden = join(testdata, 'malformed.golden.txt');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, actual);
    assert.equal(actual, readFileSync(golden, 'utf8'));
    assert.doesNotMatch(actual, /: accepted$/m, 'every malformed file must be refused');
  });
});

/** The model without where it came from; queries without surrounding whitespace (PromQL ignores it). */
function comparable(model: SloModel): unknown {
  return {
    service: model.service,
    labels: model.labels,
    slos: model.slos.map(({ source: _source, ...slo }) => ({
      ...slo,
      sli: Object.fromEntries(Object.entries(slo.sli).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])),
    })),
  };
}

function convert(model: SloModel, to: SloFormat, name: string): SloModel {
  const file = join(work, name);
  writeFileSync(file, writeConfig(model, to).text);
  const back = read(file, name);
  assert.equal(back.format, to);
  return back;
}

describe('convert round trips (A -> B -> A gives an equal model)', () => {
  const seed = read(DEFAULT_CONFIG_PATH, 'slo-config.yaml');
  it('harness (the seed file, all five SLOs) -> OpenSLO -> harness', () => {
    const back = convert(convert(seed, 'openslo', 'seed-openslo.yaml'), 'harness', 'seed-back.yaml');
    assert.deepEqual(comparable(back), comparable(seed));
  });

  it('harness (the seed 30-day ratio SLOs) -> Sloth -> harness', () => {
    const ratios = { ...seed, slos: seed.slos.filter((slo) => slo.sli.kind === 'ratio' && slo.window === '30d') };
    assert.equal(ratios.slos.length, 2);
    const back = convert(convert(ratios, 'sloth', 'seed-sloth.yaml'), 'harness', 'seed-sloth-back.yaml');
    assert.deepEqual(comparable(back), comparable(ratios));
  });

  it('Sloth (events and raw SLIs, every alerting option) -> harness -> Sloth', () => {
    const sloth = read(join(slothdata, 'in-checkout.yaml'));
    const back = convert(convert(sloth, 'harness', 'checkout-harness.yaml'), 'sloth', 'checkout-back.yaml');
    assert.deepEqual(comparable(back), comparable(sloth));
  });

  it('OpenSLO -> Sloth is refused for a threshold SLI, with the reason', () => {
    const openslo = read(join(testdata, 'openslo-checkout.yaml'));
    assert.throws(() => writeConfig(openslo, 'sloth'), /slo "availability": window 28d: Sloth files have no period/);
  });

  it('OpenSLO -> harness -> OpenSLO', () => {
    const openslo = read(join(testdata, 'openslo-checkout.yaml'));
    const back = convert(convert(openslo, 'harness', 'openslo-harness.yaml'), 'openslo', 'openslo-back.yaml');
    assert.deepEqual(comparable(back), comparable(openslo));
  });
});
