// Sloth and OpenSLO files read into the model, every malformed file's exact message (pinned by one golden
// file), warnings, and conversions: a round trip A -> B -> A gives the same model, field by field (the table
// of docs/slo.md#convert), and the same verdicts on a real Prometheus backfilled with known data
// (slo/testing/datasets.ts, plus two hours of this file's own: a scrape gap and an hour without errors).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluateSlos, type SloReport } from '../evaluate/evaluate.ts';
import { DEFAULT_CONFIG_PATH, loadSloConfig, parseSloConfig, SloConfigError } from '../load.ts';
import { loadThresholds, type SloFormat, type SloModel } from '../model/model.ts';
import { renderRules } from '../rules/rules.ts';
import {
  type BackfilledPrometheus,
  type Family,
  startBackfilledPrometheus,
  toOpenMetrics,
} from '../testing/backfill.ts';
import { runHarness } from '../testing/cli.ts';
import { referenceServiceModel } from '../testing/configs.ts';
import { counter, HOUR, PHASES, referenceFamilies, T0 } from '../testing/datasets.ts';
import { ConvertError, writeConfig } from './write.ts';

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

/** The model with no ratio SLI's noise control: what Sloth holds of it. */
function withoutControls(model: SloModel): SloModel {
  return {
    ...model,
    slos: model.slos.map((slo) => {
      if (slo.sli.kind !== 'ratio') return slo;
      const { control: _control, ...sli } = slo.sli;
      return { ...slo, sli };
    }),
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
  it('harness (the seed file, all six SLOs) -> OpenSLO -> harness', () => {
    const openslo = convert(seed, 'openslo', 'seed-openslo.yaml');
    // The OpenSLO file itself reads to the same model, alerts from its alert policies (not a JSON annotation)
    // included, and so gives the same rules, alerts and all.
    assert.deepEqual(comparable(openslo), comparable(seed));
    assert.match(readFileSync(join(work, 'seed-openslo.yaml'), 'utf8'), /kind: AlertPolicy/);
    const body = (rules: string) => rules.slice(rules.indexOf('groups:'));
    assert.equal(body(renderRules(openslo)), body(renderRules(seed)));
    const back = convert(openslo, 'harness', 'seed-back.yaml');
    assert.deepEqual(comparable(back), comparable(seed));
  });

  it('harness (the seed ratio SLOs, all over 30 days, latency-300ms and cache-hit-rate among them) -> Sloth -> harness', () => {
    const ratios = { ...seed, slos: seed.slos.filter((slo) => slo.sli.kind === 'ratio') };
    assert.deepEqual(
      ratios.slos.map((slo) => [slo.name, slo.window]),
      [
        ['availability', '30d'],
        ['latency-300ms', '30d'],
        ['error-rate', '30d'],
        ['cache-hit-rate', '30d'],
      ],
    );
    const back = convert(convert(ratios, 'sloth', 'seed-sloth.yaml'), 'harness', 'seed-sloth-back.yaml');
    // Except latency-300ms's noise control: Sloth has no field for it, and the note says so (write.ts).
    assert.deepEqual(comparable(back), comparable(withoutControls(ratios)));
    assert.ok(
      writeConfig(ratios, 'sloth').notes.includes(
        `slo "latency-300ms": noise control (/healthz P95) not written: Sloth has no field for it and the rules do not use it; the gate judges the Sloth file's SLO without it`,
      ),
    );
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

describe('warnings on load: a bad query without a series while nothing fails', () => {
  it("warns, located, on Sloth's own style without `or vector(0)`, and names the fix", () => {
    const { warnings } = parseSloConfig(readFileSync(join(slothdata, 'in-checkout.yaml'), 'utf8'), 'in-checkout.yaml');
    // The raw latency ratio reads buckets (le), which exist from the first observation: no warning for it.
    assert.deepEqual(
      warnings.map((warning) => warning.text),
      [
        'slo "requests-availability": sli.events.error_query: returns no data while nothing fails (status_code=~"5.." selects no series until the first error), and no data is inconclusive, not 0 errors: append `or vector(0)` (in-checkout.yaml:15:22)',
      ],
    );
  });

  it('warns on an OpenSLO bad query the same way, and not once it has `or vector(0)`', () => {
    const text = readFileSync(join(testdata, 'openslo-checkout.yaml'), 'utf8');
    const { warnings } = parseSloConfig(text, 'openslo-checkout.yaml');
    assert.deepEqual(
      warnings.map((warning) => [warning.field, warning.message.split(' (')[0]]),
      [['spec.ratioMetric.bad.metricSource.spec.query', 'returns no data while nothing fails']],
    );
    const fixed = text.replace('status_code=~"5.."}[{{window}}]))', 'status_code=~"5.."}[{{window}}])) or vector(0)');
    assert.notEqual(fixed, text);
    assert.deepEqual(parseSloConfig(fixed, 'fixed.yaml').warnings, []);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// On a real Prometheus: the reference data sets, plus two hours of this file's own after them.
//   gap hour (ends T0 + 9h): the API answered 100 requests a minute for 20 minutes, all 200, then died:
//     Prometheus scraped it 61 times, up 1 for the first 21 scrapes and 0 after (a dead target, as in
//     slo/evaluate/coverage.stack.test.ts); its counters have no samples after minute 20.
//   clean hour (ends T0 + 11h): 10000 requests, all 200, no 5xx series at all; up 61 of 61.
const GAP = T0 + 9 * HOUR;
const CLEAN = T0 + 11 * HOUR;

function withOwnHours(families: Family[]): Family[] {
  const series = (family: string, name: string, status?: string) => {
    const found = families
      .find((f) => f.name === family)!
      .series.find((s) => s.name === name && (status === undefined || s.labels.status_code === status));
    assert.ok(found, `${name} ${status ?? ''} in the reference families`);
    return found;
  };
  const up = series('up', 'up');
  const ok = series('http_requests', 'http_requests_total', '200');
  up.samples.push(...Array.from({ length: 61 }, (_, k): [number, number] => [GAP - HOUR + k * 60, k <= 20 ? 1 : 0]));
  ok.samples.push(...Array.from({ length: 21 }, (_, k): [number, number] => [GAP - HOUR + k * 60, 1000 + 100 * k]));
  up.samples.push(...Array.from({ length: 61 }, (_, k): [number, number] => [CLEAN - HOUR + k * 60, 1]));
  ok.samples.push(...counter(CLEAN, 10_000));
  return families;
}

let prometheus: BackfilledPrometheus;
before(async () => {
  prometheus = await startBackfilledPrometheus(toOpenMetrics(withOwnHours(referenceFamilies())));
});
after(async () => {
  await prometheus?.stop();
});

/** A model over one hour of the data, judged at its end (as harness slo check --window 1h at that time). */
function judge(model: SloModel, end: number): Promise<SloReport> {
  return evaluateSlos(model, { prometheusUrl: prometheus.url, window: '1h', time: new Date(end * 1000) });
}

/** What a reader compares of two reports: per SLO, verdict, reason, SLI and events. */
function verdicts(report: SloReport): unknown[] {
  return report.slos.map((slo) => [slo.name, slo.status, slo.reason ?? '', slo.sli, slo.events ?? null]);
}

/** The Sloth example of docs/slo.md, as a user copies it. */
function docsSlothExample(): string {
  const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'slo.md'), 'utf8');
  const section = docs.slice(docs.indexOf('### Sloth ('));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'docs/slo.md has a yaml block under "### Sloth"');
  return block[1]!;
}

describe("a Sloth file in Sloth's own rate style, judged on a real Prometheus", () => {
  it("counts events, not a per-second rate: docs/slo.md's example passes the healthy hour and fails the unhealthy one", async () => {
    const { model, warnings } = parseSloConfig(docsSlothExample(), 'docs-sloth.yaml');
    assert.deepEqual(warnings, []);
    assert.match((model.slos[0]!.sli as { bad: string }).bad, /^sum\(rate\(http_requests_total\{/);
    // Healthy hour: 5 of 10000 requests were 5xx (9990 200s, 5 404s, 5 500s): 99.95 % >= 99.9 %, 10000 events
    // (as a per-second rate they would be 10000 / 3600 = 2.78, far below the 1000 that 99.9 % needs).
    const healthy = (await judge(model, PHASES.healthy)).slos[0]!;
    assert.deepEqual([healthy.status, healthy.sli, healthy.events, healthy.minEvents], ['pass', 99.95, 10000, 1000]);
    // The query Prometheus was asked: the rate over the window counted as increase, the rest as written.
    assert.equal(
      healthy.queries.find((q) => q.role === 'total')!.query,
      'sum(increase(http_requests_total{job="mystocks-api"}[1h]))',
    );
    // Unhealthy hour: 100 of 10000 were 5xx: 99 %, error ratio 0.01 over a 0.001 budget = burn rate 10.
    const unhealthy = (await judge(model, PHASES.unhealthy)).slos[0]!;
    assert.deepEqual([unhealthy.status, unhealthy.sli, unhealthy.events, unhealthy.burnRate], ['fail', 99, 10000, 10]);
    // An hour without a single 5xx: `or vector(0)` reads the missing 5xx series as 0 errors, 100 %.
    const clean = (await judge(model, CLEAN)).slos[0]!;
    assert.deepEqual([clean.status, clean.sli, clean.events], ['pass', 100, 10000]);
  });

  it('without `or vector(0)`, warns on load and is inconclusive on an hour without errors, never a pass', async () => {
    const text = docsSlothExample().replace(/\) or vector\(0\)/, ')');
    assert.notEqual(text, docsSlothExample());
    const { model, warnings } = parseSloConfig(text, 'no-vector.yaml');
    assert.deepEqual(
      warnings.map((warning) => warning.message),
      [
        'returns no data while nothing fails (status_code=~"5.." selects no series until the first error), and no data is inconclusive, not 0 errors: append `or vector(0)`',
      ],
    );
    const clean = (await judge(model, CLEAN)).slos[0]!;
    assert.deepEqual(
      [clean.status, clean.reason],
      [
        'inconclusive',
        'bad query returned no data; query: sum(increase(http_requests_total{job="mystocks-api",status_code=~"5.."}[1h]))',
      ],
    );
    // Where the errors exist, the same file is judged as the one with `or vector(0)`.
    assert.equal((await judge(model, PHASES.healthy)).slos[0]!.status, 'pass');
  });

  it("counts a harness file's rate terms as events too", async () => {
    const model = referenceServiceModel([
      '  - name: availability',
      '    window: 30d',
      '    objective: 99.9',
      '    sli:',
      '      ratio:',
      '        bad: sum(rate(http_requests_total{job="mystocks-api",status_code=~"5.."}[{{window}}])) or vector(0)',
      '        total: sum(rate(http_requests_total{job="mystocks-api"}[{{window}}]))',
    ]);
    const healthy = (await judge(model, PHASES.healthy)).slos[0]!;
    assert.deepEqual([healthy.status, healthy.sli, healthy.events], ['pass', 99.95, 10000]);
  });
});

describe("an OpenSLO file with counter: true (the SDK's list form), judged on a real Prometheus", () => {
  // Counters as OpenSLO's tools write them: no window in the query, `counter: true` says the tool applies it.
  const text = [
    '- apiVersion: openslo/v1',
    '  kind: SLO',
    '  metadata:',
    '    name: availability',
    '  spec:',
    '    budgetingMethod: Occurrences',
    '    indicator:',
    '      metadata:',
    '        name: availability-sli',
    '      spec:',
    '        ratioMetric:',
    '          counter: true',
    '          good:',
    '            metricSource:',
    '              spec:',
    '                query: sum(http_requests_total{job="mystocks-api",status_code!~"5.."})',
    '              type: Prometheus',
    '          total:',
    '            metricSource:',
    '              spec:',
    '                query: sum(http_requests_total{job="mystocks-api"})',
    '              type: Prometheus',
    '    objectives:',
    '    - target: 0.999',
    '    service: mystocks-api',
    '    timeWindow:',
    '    - duration: 30d',
    '      isRolling: true',
  ].join('\n');

  it("counts the window's events, not the counters' all-time values: the healthy hour passes, the unhealthy one fails", async () => {
    const { model } = parseSloConfig(text, 'counter.yaml');
    // Healthy hour: 9995 of 10000 requests without a 5xx (99.95 %), over the hour only.
    const healthy = (await judge(model, PHASES.healthy)).slos[0]!;
    assert.deepEqual([healthy.status, healthy.sli, healthy.events], ['pass', 99.95, 10000]);
    assert.equal(
      healthy.queries.find((q) => q.role === 'total')!.query,
      'sum(increase(http_requests_total{job="mystocks-api"}[1h]))',
    );
    // Unhealthy hour: 100 of 10000 were 5xx: 99 %, burn rate 10 (the same verdict as the Sloth example above).
    const unhealthy = (await judge(model, PHASES.unhealthy)).slos[0]!;
    assert.deepEqual([unhealthy.status, unhealthy.sli, unhealthy.events, unhealthy.burnRate], ['fail', 99, 10000, 10]);
  });
});

/**
 * `harness slo convert --to FORMAT FILE --out OUT` (slo/testing/cli.ts), read back: exit 0, nothing dropped, and
 * on stderr only the `notes` (how a field was written), none by default.
 */
async function convertWithCli(file: string, to: SloFormat, out: string, notes: string[] = []): Promise<SloModel> {
  const path = join(work, out);
  const ran = await runHarness(['slo', 'convert', '--to', to, file, '--out', path], { reportsDir: work });
  assert.deepEqual([ran.code, ran.stderr], [0, notes.map((note) => `note: ${note}\n`).join('')]);
  return (await loadSloConfig(path)).model;
}

describe('convert keeps the verdicts: the seed config and its conversions judged on the same data', () => {
  it('gives the same verdicts as OpenSLO and, for the ratio SLOs (all over 30 days), as Sloth: healthy, unhealthy and a scrape gap', async () => {
    const seed = (await loadSloConfig()).model;
    const openslo = await convertWithCli(DEFAULT_CONFIG_PATH, 'openslo', 'seed.openslo.yaml');
    const ratios = { ...seed, slos: seed.slos.filter((slo) => slo.sli.kind === 'ratio') };
    const ratiosFile = join(work, 'seed-ratios.yaml');
    writeFileSync(ratiosFile, writeConfig(ratios, 'harness').text);
    const sloth = await convertWithCli(ratiosFile, 'sloth', 'seed.sloth.yaml', [
      'slo "latency-300ms": good query written as error_query: (total) - (good), read back as good',
      `slo "latency-300ms": noise control (/healthz P95) not written: Sloth has no field for it and the rules do not use it; the gate judges the Sloth file's SLO without it`,
      'slo "cache-hit-rate": good query written as error_query: (total) - (good), read back as good',
    ]);
    assert.equal(openslo.coverageUp, 'up{job="mystocks-api"}');
    assert.equal(sloth.coverageUp, 'up{job="mystocks-api"}');
    for (const [phase, end] of [
      ['healthy', PHASES.healthy],
      ['unhealthy', PHASES.unhealthy],
      ['gap', GAP],
    ] as const) {
      const original = await judge(seed, end);
      assert.deepEqual(verdicts(await judge(openslo, end)), verdicts(original), `OpenSLO, ${phase} hour`);
      const originalRatios = await judge(ratios, end);
      assert.deepEqual(verdicts(await judge(sloth, end)), verdicts(originalRatios), `Sloth, ${phase} hour`);
    }
    // The gap hour: the API's own counters saw 2000-odd requests and no 5xx, which alone reads 100 %; its
    // scrapes say otherwise: 60 expected (one target, an hour at 60 s), 21 with up 1, so 39 missing or
    // down, 65 %, above the tolerance max(2 per target, 5 % of 60) = 3. Seed and conversions: inconclusive.
    const gap = await judge(openslo, GAP);
    const availability = gap.slos.find((slo) => slo.name === 'availability')!;
    assert.equal(availability.status, 'inconclusive');
    assert.equal(
      availability.reason,
      'scrape gaps: up{job="mystocks-api"} was missing or down for 39 of 60 expected scrapes (65 %), more than the tolerance of 3 (onGaps: inconclusive)',
    );
    assert.equal((await judge(sloth, GAP)).slos[0]!.reason, availability.reason);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Field by field: how each part of the model travels to Sloth and to OpenSLO, as the rows of the table in
// docs/slo.md#convert (checked below): model fields | Sloth | OpenSLO. A model field that no row names fails the
// first test.
const FIELD_TABLE = [
  '| `service`, `slos.service` | `service` (one service per file) | `spec.service`, and a `Service` object |',
  '| `labels` | file `labels` | annotation `fileLabels` (JSON) |',
  '| `coverageUp` | file label `harness_coverage_up` | annotation `coverageUp` |',
  '| `webVitals` | file label `harness_web_vitals` (JSON) | annotation `webVitals` (JSON) |',
  '| `slos.name` | `name` | `metadata.name` |',
  '| `slos.description` | `description` | `spec.description` |',
  '| `slos.window`, `slos.windowMs` | refused unless 30d (Sloth has no period field) | `timeWindow[0].duration`, rolling |',
  '| `slos.objective` | `objective` | `objectives[0].target` (0-1) |',
  '| `slos.noData` | label `harness_no_data` | annotation `noData` |',
  '| `slos.onWarnings` | label `harness_on_warnings` | annotation `onWarnings` |',
  '| `slos.onGaps` | label `harness_on_gaps` | annotation `onGaps` |',
  '| `slos.minEvents` | label `harness_min_events` (when not the default) | annotation `minEvents` (when not the default) |',
  '| `slos.maxRegressionPct` | label `harness_max_regression_pct` | annotation `maxRegressionPct` |',
  '| `slos.loadThreshold` | label `harness_load_threshold` | annotation `loadThreshold` |',
  '| `slos.labels` | SLO `labels` | annotation `labels` (JSON) |',
  '| `slos.sli.bad`, `slos.sli.total` | `events.error_query`, `total_query`; a raw ratio (total `vector(1)`) `raw.error_ratio_query` | `ratioMetric.bad`, `total` |',
  '| `slos.sli.good` | `error_query: (total) - (good)`, read back as good | `ratioMetric.good` |',
  '| `slos.sli.query`, `slos.sli.operator`, `slos.sli.bound` | refused (Sloth SLOs are ratios) | `thresholdMetric`, `objectives[0].op`, `value`, `target: 0.99` with annotation `judge: window` |',
  '| `slos.sli.unit`, `slos.sli.events` | refused (threshold SLI) | annotations `unit`, `events` (when not derived) |',
  "| `slos.sli.control` | a threshold's refused; a latency ratio's not written, with a note (the rules do not use it) | annotation `control` (JSON) |",
  '| `slos.sli.quantile` | refused (threshold SLI) | derived again from the query |',
  '| `slos.alerting.name`, `slos.alerting.labels`, `slos.alerting.annotations` | `alerting.name`, `labels`, `annotations` | annotation `alerting` (JSON) |',
  '| `slos.alerting.pageLabels`, `slos.alerting.pageAnnotations`, `slos.alerting.ticketLabels`, `slos.alerting.ticketAnnotations` | `page_alert`, `ticket_alert`: `labels`, `annotations` | annotation `alerting` (JSON) |',
  "| `slos.alerting.pageDisabled`, `slos.alerting.ticketDisabled` | `page_alert`, `ticket_alert`: `disable` | a ratio SLO's `alertPolicies` of that severity with `alertWhenBreaching: false`; a threshold SLO's: annotation `alerting` (JSON) |",
  "| `slos.alerting.disabled` | `disable` on both alerts | a ratio SLO's `alertPolicies: []`; a threshold SLO's: annotation `alerting` (JSON) |",
  '| `file`, `format`, `slos.source` | not carried: where and how the file is written | not carried: where and how the file is written |',
];

/** The model fields a row of FIELD_TABLE names: the code spans of its first cell. */
const fieldsOf = (row: string) => [...row.split(' | ')[0]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

/** A harness file that sets every field of the model to something other than its default. */
const FULL = `version: 1
service: shop
labels: { team: shop }
coverage: { up: 'up{job="shop"}' }
webVitals: { lcpMs: 2000, cls: 0.05 }
slos:
  - name: availability
    description: Requests answered without a 5xx.
    window: 30d
    objective: 99.5
    noData: pass
    onWarnings: judge
    onGaps: downtime
    minEvents: 7
    labels: { tier: "1" }
    loadThreshold: availabilityPct
    baseline: { maxRegressionPct: 12.5 }
    sli:
      ratio:
        good: sum(increase(http_requests_total{job="shop",status_code!~"5.."}[{{window}}]))
        total: sum(increase(http_requests_total{job="shop"}[{{window}}]))
    alerting:
      name: ShopAvailability
      labels: { category: availability }
      annotations: { runbook: https://example.org/runbooks/availability }
      page: { labels: { severity: page }, annotations: { summary: fast burn }, disabled: true }
      ticket: { labels: { severity: ticket }, annotations: { summary: slow burn } }
  - name: cheap-errors
    window: 30d
    objective: 40
    allowLowObjective: true
    sli:
      ratio:
        bad: sum(rate(jobs_failed_total{job="shop"}[{{window}}])) or vector(0)
        total: sum(rate(jobs_total{job="shop"}[{{window}}]))
    alerting: { disabled: true }
  - name: latency
    window: 7d
    noData: fail
    sli:
      threshold:
        query: histogram_quantile(0.99, sum by (le) (rate(d_bucket{job="shop",path!="/healthz"}[{{window}}])))
        operator: "<"
        bound: 0.5
        unit: seconds
        events: sum(increase(d_count{job="shop"}[{{window}}]))
        control: { query: 'histogram_quantile(0.99, sum by (le) (rate(d_bucket{job="shop",path="/healthz"}[{{window}}])))', label: /healthz P99, probe: /healthz, multiple: 3 }
    alerting: { ticket: { disabled: true } }
`;

describe('convert, field by field (the table of docs/slo.md#convert)', () => {
  const full = parseSloConfig(FULL, 'full.yaml').model;

  it('names every field of the model in the table', () => {
    const keys = new Set(Object.keys(full).filter((key) => key !== 'slos'));
    for (const slo of full.slos) {
      for (const key of Object.keys(slo)) if (key !== 'sli' && key !== 'alerting') keys.add(`slos.${key}`);
      for (const key of Object.keys(slo.sli)) if (key !== 'kind') keys.add(`slos.sli.${key}`);
      for (const key of Object.keys(slo.alerting)) keys.add(`slos.alerting.${key}`);
    }
    const named = new Set(FIELD_TABLE.flatMap(fieldsOf));
    assert.deepEqual(
      [...keys].filter((key) => !named.has(key)),
      [],
      'fields the table does not name',
    );
    assert.deepEqual(
      [...named].filter((key) => !keys.has(key)),
      [],
      'rows for fields the full model lacks',
    );
  });

  it('is the table docs/slo.md shows', () => {
    const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'slo.md'), 'utf8');
    const section = docs.slice(docs.indexOf('## Convert ('));
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| model field') && !line.startsWith('|--'));
    assert.deepEqual(rows, FIELD_TABLE);
  });

  it('harness -> OpenSLO -> harness and OpenSLO -> harness -> OpenSLO give the same model, every field set', () => {
    const back = convert(convert(full, 'openslo', 'full.openslo.yaml'), 'harness', 'full.back.yaml');
    assert.deepEqual(comparable(back), comparable(full));
    assert.deepEqual(back.webVitals, { lcpMs: 2000, cls: 0.05 });
    const openslo = convert(full, 'openslo', 'full.openslo.yaml');
    const again = convert(convert(openslo, 'harness', 'full.harness.yaml'), 'openslo', 'full.openslo2.yaml');
    assert.deepEqual(comparable(again), comparable(openslo));
  });

  it('harness -> Sloth -> harness gives the same model for what Sloth holds; the rest is refused, every reason named', () => {
    assert.throws(
      () => writeConfig(full, 'sloth'),
      (error: unknown) =>
        error instanceof ConvertError &&
        assert.deepEqual(error.reasons, [
          'slo "latency": a threshold SLI cannot be written as Sloth (Sloth SLOs are ratios)',
          'slo "latency": window 7d: Sloth files have no period; Sloth uses 30d',
        ]) === undefined,
    );
    const ratios = { ...full, slos: full.slos.filter((slo) => slo.sli.kind === 'ratio') };
    const sloth = convert(ratios, 'sloth', 'full.sloth.yaml');
    // What Sloth itself sees: the settings as labels, the good SLI as error = total - good.
    const written = readFileSync(join(work, 'full.sloth.yaml'), 'utf8');
    for (const line of [
      '  harness_coverage_up: up{job="shop"}',
      '  harness_web_vitals: \'{"lcpMs":2000,"cls":0.05}\'',
      '      harness_no_data: pass',
      '      harness_on_warnings: judge',
      '      harness_on_gaps: downtime',
      '      harness_min_events: "7"',
      '      harness_max_regression_pct: "12.5"',
      '      harness_load_threshold: availabilityPct',
      '        error_query: (sum(increase(http_requests_total{job="shop"}[{{.window}}]))) - (sum(increase(http_requests_total{job="shop",status_code!~"5.."}[{{.window}}])))',
    ])
      assert.ok(written.split('\n').includes(line), `${line}\nnot in\n${written}`);
    assert.deepEqual(comparable(sloth), comparable(ratios));
    assert.deepEqual(comparable(convert(sloth, 'harness', 'full.sloth.back.yaml')), comparable(ratios));
    // Sloth puts a file's and an SLO's labels on every rule; so do the harness's Sloth rules of that file.
    const rules = renderRules(sloth);
    const firstRecording = rules.slice(rules.indexOf('- record: slo:sli_error:ratio_rate5m'));
    const labels = firstRecording.slice(firstRecording.indexOf('labels:'), firstRecording.indexOf('- record:', 1));
    for (const label of ['harness_coverage_up', 'harness_web_vitals', 'harness_no_data', 'harness_min_events'])
      assert.match(labels, new RegExp(`\\n\\s+${label}: `), `${label} on the rule:\n${labels}`);
  });

  it('says so when page and ticket alerts, disabled one by one, come back from Sloth as alerting disabled', () => {
    const model = parseSloConfig(
      FULL.replace(
        'ticket: { labels: { severity: ticket }, annotations: { summary: slow burn } }',
        'ticket: { disabled: true }',
      ),
      'both.yaml',
    ).model;
    const availability = { ...model, slos: model.slos.slice(0, 1) };
    assert.deepEqual(writeConfig(availability, 'sloth').notes, [
      'slo "availability": good query written as error_query: (total) - (good), read back as good',
      'slo "availability": page and ticket alerts both disabled, read back as alerting disabled',
    ]);
    const back = convert(availability, 'sloth', 'both.sloth.yaml').slos[0]!.alerting;
    assert.deepEqual([back.disabled, back.pageDisabled, back.ticketDisabled], [true, undefined, undefined]);
  });

  it('refuses a Sloth label that a harness setting would overwrite', () => {
    const model = parseSloConfig(
      FULL.replace('labels: { tier: "1" }', 'labels: { harness_on_gaps: "x" }'),
      'x.yaml',
    ).model;
    assert.throws(
      () => writeConfig({ ...model, slos: model.slos.slice(0, 1) }, 'sloth'),
      /slo "availability": label harness_on_gaps: the name of a harness setting in a Sloth file; rename the label/,
    );
  });

  it('refuses a name the harness format does not take (Sloth -> harness)', () => {
    const model = read(join(slothdata, 'in-checkout.yaml'));
    model.slos[0]!.name = 'Requests_Availability';
    assert.throws(
      () => writeConfig(model, 'harness'),
      /slo "Requests_Availability": the name must be lower-case letters, digits and dashes in the harness format/,
    );
  });
});
