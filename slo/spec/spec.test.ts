import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../cli/commands/slo.ts';
import { HarnessError } from '../../core/outcome.ts';
import { loadSloConfig, parseSloConfig, SloConfigError } from '../load.ts';
import { loadThresholds } from '../model/model.ts';
import { harnessConfig } from '../testing/configs.ts';

const here = import.meta.dirname;
const malformedDir = join(here, 'testdata', 'malformed');
const goldenPath = join(here, 'testdata', 'malformed.golden.txt');
const valid = readFileSync(join(here, 'testdata', 'valid.yaml'), 'utf8');

function messagesOf(text: string, file: string): string[] {
  try {
    parseSloConfig(text, file);
  } catch (error) {
    assert.ok(error instanceof SloConfigError, `expected SloConfigError, got ${error}`);
    assert.equal(error.verdict, 'inconclusive');
    return error.issues.map((issue) => issue.text);
  }
  assert.fail(`${file} was accepted`);
}

describe('SLO config validation', () => {
  const files = readdirSync(malformedDir)
    // Broken YAML is kept as .txt so that Biome, which lints YAML, leaves it alone.
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.txt'))
    .sort();

  it('has at least 20 malformed configs to check', () => {
    assert.ok(files.length >= 20, `only ${files.length}`);
  });

  it('gives the exact golden messages for every malformed config (UPDATE_GOLDEN=1 rewrites them)', () => {
    const actual = files
      .map((name) => {
        const file = `testdata/malformed/${name}`;
        return `== ${name}\n${messagesOf(readFileSync(join(malformedDir, name), 'utf8'), file).join('\n')}\n`;
      })
      .join('\n');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, actual);
    assert.equal(actual, readFileSync(goldenPath, 'utf8'));
  });

  for (const name of files) {
    it(`names the file, line and column of every error in ${name}`, () => {
      for (const text of messagesOf(readFileSync(join(malformedDir, name), 'utf8'), `testdata/malformed/${name}`)) {
        assert.match(text, new RegExp(`\\(testdata/malformed/${name.replace('.', '\\.')}:\\d+:\\d+\\)$`));
      }
    });
  }

  it('exits 2 from `harness slo check` with every message when the config is malformed', async () => {
    for (const name of files) {
      await assert.rejects(
        run(['check', '--config', join(malformedDir, name), '--prometheus', 'http://127.0.0.1:9']),
        (error: unknown) => {
          assert.ok(error instanceof HarnessError);
          assert.equal(error.verdict, 'inconclusive');
          assert.match(error.message, new RegExp(`${name.replace('.', '\\.')}:\\d+:\\d+`));
          return true;
        },
      );
    }
  });
});

describe('SLO config field checks (one field of a known-good config changed)', () => {
  const cases: { name: string; from: string; to: string; messages: string[] }[] = [
    {
      name: 'an objective above 100 is out of range',
      from: 'objective: 99.9',
      to: 'objective: 101',
      messages: ['slo "error-rate": objective: must be between 0 and 100 (a percentage, exclusive) (t.yaml:6:16)'],
    },
    {
      name: 'a window without a unit is not a duration',
      from: '    window: 30d\n    objective',
      to: '    window: "30"\n    objective',
      messages: ['slo "error-rate": window: must be a Prometheus duration such as 5m, 1h or 30d (t.yaml:5:13)'],
    },
    {
      name: 'a misspelt key is unknown and gets a suggestion',
      from: 'operator:',
      to: 'operater:',
      messages: [
        'slo "latency-p95": sli.threshold.operator: is required (t.yaml:15:9)',
        'slo "latency-p95": sli.threshold.operater: unknown field (did you mean "operator"?) (t.yaml:16:9)',
      ],
    },
    {
      name: 'a bound that is text is the wrong type',
      from: 'bound: 0.3',
      to: 'bound: fast',
      messages: ['slo "latency-p95": sli.threshold.bound: must be a number, got the string "fast" (t.yaml:17:16)'],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.ok(valid.includes(testCase.from));
      assert.deepEqual(messagesOf(valid.replace(testCase.from, testCase.to), 't.yaml'), testCase.messages);
    });
  }
});

describe('SLO config warnings', () => {
  it('accepts the known-good config without warnings', () => {
    const { model, warnings } = parseSloConfig(valid, 't.yaml');
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      model.slos.map((slo) => [slo.name, slo.sli.kind, slo.windowMs]),
      [
        ['error-rate', 'ratio', 30 * 86_400_000],
        ['latency-p95', 'threshold', 30 * 86_400_000],
      ],
    );
  });

  it('rejects an objective written as a fraction, which would gate on a target that always passes', () => {
    assert.deepEqual(messagesOf(valid.replace('objective: 99.9', 'objective: 0.999'), 't.yaml'), [
      'slo "error-rate": objective: 0.999 is below 50 %, a target that hardly ever fails (did you mean 99.9?); objectives are percentages from 0 to 100, and a low one needs allowLowObjective: true (t.yaml:6:16)',
    ]);
  });

  it('accepts a low objective stated on purpose, still warning when it reads as a fraction', () => {
    const low = parseSloConfig(
      valid.replace('objective: 99.9', 'objective: 30\n    allowLowObjective: true'),
      't.yaml',
    );
    assert.equal(low.model.slos[0]!.objective, 30);
    assert.deepEqual(low.warnings, []);
    const fraction = parseSloConfig(
      valid.replace('objective: 99.9', 'objective: 0.999\n    allowLowObjective: true'),
      't.yaml',
    );
    assert.deepEqual(
      fraction.warnings.map((warning) => warning.text),
      [
        'slo "error-rate": objective: 0.999 reads as a fraction, but objectives are percentages from 0 to 100 (did you mean 99.9?) (t.yaml:6:16)',
      ],
    );
  });

  it('derives minEvents from the objective (1 / budget), and reads the histogram _count for a quantile', () => {
    const { model } = parseSloConfig(valid, 't.yaml');
    const [ratio, quantile] = model.slos;
    // 99.9 %: budget 0.001 -> 1000 events; p95: budget 0.05 -> 20 observations.
    assert.equal(ratio!.minEvents, 1000);
    assert.equal(quantile!.minEvents, 20);
    assert.equal(
      quantile!.sli.kind === 'threshold' && quantile!.sli.events,
      'sum(increase(http_request_duration_seconds_count[{{window}}]))',
    );
    const set = parseSloConfig(valid.replace('slos:', 'defaults:\n  minEvents: 50\nslos:'), 't.yaml');
    assert.deepEqual(
      set.model.slos.map((slo) => slo.minEvents),
      [50, 50],
    );
  });

  it('warns about a query without {{window}}, which a run window cannot reach', () => {
    const { warnings } = parseSloConfig(valid.replace('[{{window}}]))\n', '[5m]))\n'), 't.yaml');
    assert.deepEqual(
      warnings.map((warning) => warning.field),
      ['slos[0].sli.ratio.total'],
    );
  });

  it("loads the repository SLO file with its six SLOs (the seed report's five and latency-300ms) and no warnings", async () => {
    const { model, warnings } = await loadSloConfig();
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      model.slos.map((slo) => [
        slo.name,
        slo.window,
        slo.objective ?? (slo.sli.kind === 'threshold' ? slo.sli.bound : null),
      ]),
      [
        ['availability', '30d', 99.9],
        ['latency-p95', '30d', 0.3],
        ['latency-300ms', '30d', 99],
        ['error-rate', '30d', 99.9],
        ['cache-hit-rate', '30d', 80],
        ['db-query-p95', '15d', 0.1],
      ],
    );
    // latency-300ms, written as sli.latency, is the ratio of the le="0.3" bucket to the _count, /healthz left out
    // as latency-p95 leaves it out; a 1 % budget needs ceil(1 / 0.01) = 100 events. Its noise control is
    // latency-p95's, /healthz's P95 and the load's probe of it.
    const latency = model.slos.find((slo) => slo.name === 'latency-300ms')!;
    const p95 = model.slos.find((slo) => slo.name === 'latency-p95')!;
    assert.deepEqual(
      [latency.sli, latency.minEvents],
      [
        {
          kind: 'ratio',
          good: 'sum(increase(http_request_duration_seconds_bucket{job="mystocks-api",endpoint!="/healthz",le="0.3"}[{{window}}]))',
          total:
            'sum(increase(http_request_duration_seconds_count{job="mystocks-api",endpoint!="/healthz"}[{{window}}]))',
          control: {
            label: '/healthz P95',
            query:
              'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="mystocks-api",endpoint="/healthz"}[{{window}}])))',
            probe: '/healthz',
          },
        },
        100,
      ],
    );
    assert.deepEqual(latency.sli.control, p95.sli.kind === 'threshold' ? p95.sli.control : undefined);
    // It states no load threshold: the load's P95 stays latency-p95's bound, the others the 99.9 % objectives.
    assert.deepEqual(loadThresholds(model), { availabilityPct: 99.9, p95LatencyMs: 300, maxErrorRatePct: 0.1 });
  });
});

describe('latency SLI (sli.latency)', () => {
  /** A file of service shop whose one SLO, fast, holds 99 % over 7 d with `sli` (a YAML flow mapping). */
  const fast = (sli: string) =>
    harnessConfig('shop', ['  - name: fast', '    window: 7d', '    objective: 99', `    sli: ${sli}`]);

  it('reads as the ratio of its le bucket to its _count over {{window}}, with a budget like any ratio', () => {
    const { model, warnings } = parseSloConfig(
      readFileSync(join(here, 'testdata', 'latency-ratio.yaml'), 'utf8'),
      'latency-ratio.yaml',
    );
    assert.deepEqual(warnings, []);
    const [slo] = model.slos;
    assert.deepEqual(slo!.sli, {
      kind: 'ratio',
      good: 'sum(increase(http_request_duration_seconds_bucket{job="mystocks-api",le="0.3"}[{{window}}]))',
      total: 'sum(increase(http_request_duration_seconds_count{job="mystocks-api"}[{{window}}]))',
    });
    assert.equal(slo!.alerting.name, 'MystocksApiLatencyUnder300msBudgetBurn');
  });

  it('needs no selector, and takes a bound of a histogram it does not know as written', () => {
    const text = fast('{ latency: { histogram: my_seconds, bound: 0.25 } }');
    assert.deepEqual(parseSloConfig(text, 'shop.yaml').model.slos[0]!.sli, {
      kind: 'ratio',
      good: 'sum(increase(my_seconds_bucket{le="0.25"}[{{window}}]))',
      total: 'sum(increase(my_seconds_count[{{window}}]))',
    });
    assert.deepEqual(messagesOf(text.replace('objective: 99', 'description: no objective'), 'shop.yaml'), [
      'slo "fast": objective: is required for a latency SLI (the target share of good events, in percent) (shop.yaml:4:5)',
    ]);
  });

  it('carries a noise control, written on sli.latency or on the ratio it states (as slo convert writes it), alike', () => {
    const control = '{ label: /healthz P95, query: \'h{endpoint="/healthz"}\', probe: /healthz }';
    const latency = parseSloConfig(
      fast(`{ latency: { histogram: my_seconds, bound: 0.25, control: ${control} } }`),
      'a.yaml',
    );
    const ratio = parseSloConfig(
      fast(
        `{ ratio: { good: 'sum(increase(my_seconds_bucket{le="0.25"}[{{window}}]))', total: 'sum(increase(my_seconds_count[{{window}}]))', control: ${control} } }`,
      ),
      'b.yaml',
    );
    assert.deepEqual(latency.model.slos[0]!.sli, {
      kind: 'ratio',
      good: 'sum(increase(my_seconds_bucket{le="0.25"}[{{window}}]))',
      total: 'sum(increase(my_seconds_count[{{window}}]))',
      control: { label: '/healthz P95', query: 'h{endpoint="/healthz"}', probe: '/healthz' },
    });
    assert.deepEqual(ratio.model.slos[0]!.sli, latency.model.slos[0]!.sli);
  });
});
