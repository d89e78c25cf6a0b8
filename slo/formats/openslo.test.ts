// OpenSLO as its tools write it: the SDK's one list of objects, `---` documents and a folder of files, with
// inline and referenced SLIs; `counter: true` applied to the queries (so each recorded window reads its own
// window), and the rules generator's refusal of rules that read the same for every window. Pure: files are
// read, and written only into a temp folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { DEFAULT_CONFIG_PATH, loadSloConfig, parseSloConfig, SloConfigError } from '../load.ts';
import type { SloModel } from '../model/model.ts';
import { renderRules } from '../rules/rules.ts';
import { ratioSloConfig } from '../testing/configs.ts';
import { writeConfig } from './write.ts';

const testdata = join(import.meta.dirname, 'testdata');
const work = mkdtempSync(join(tmpdir(), 'slo-openslo-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** What each SLO reads: name, window, objective and SLI (sources left out; they name the file). */
const summary = (model: SloModel) =>
  model.slos.map((slo) => ({ name: slo.name, window: slo.window, objective: slo.objective, sli: slo.sli }));

const SDK_LIST_SLOS = [
  {
    name: 'auth-availability',
    window: '28d',
    objective: 98,
    sli: {
      kind: 'ratio',
      good: 'increase(http_requests_total{job="users-auth",status_code="200"}[{{window}}])',
      total: 'increase(http_requests_total{job="users-auth"}[{{window}}])',
    },
  },
  {
    name: 'auth-errors',
    window: '7d',
    objective: 99.9,
    sli: {
      kind: 'ratio',
      bad: 'sum by (route) (increase(http_requests_total{job="users-auth",status_code=~"5.."}[{{window}}])) or vector(0)',
      total: 'sum by (route) (increase(http_requests_total{job="users-auth"}[{{window}}]))',
    },
  },
];

describe('OpenSLO as its tools write it', () => {
  it("reads the SDK's one list of objects: an indicatorRef to a later item, an inline indicator, counters windowed", () => {
    const text = readFileSync(join(testdata, 'openslo-sdk-list.yaml'), 'utf8');
    const { model, warnings } = parseSloConfig(text, 'openslo-sdk-list.yaml');
    assert.equal(model.format, 'openslo');
    assert.equal(model.service, 'users-auth');
    assert.deepEqual(summary(model), SDK_LIST_SLOS);
    assert.deepEqual(warnings, []);
    // Each SLO located at its own item of the list.
    assert.deepEqual(
      model.slos.map((slo) => slo.source.line),
      [11, 49],
    );
  });

  it('reads the same objects written as --- documents into the same model', () => {
    const items = parse(readFileSync(join(testdata, 'openslo-sdk-list.yaml'), 'utf8')) as object[];
    const documents = items.map((item) => stringify(item)).join('---\n');
    const { model } = parseSloConfig(documents, 'documents.yaml');
    assert.deepEqual(summary(model), SDK_LIST_SLOS);
  });

  it('reads a folder of files (a Service, a list of SLIs, SLO documents): inline and referenced SLIs', async () => {
    const folder = join(testdata, 'openslo-sdk-folder');
    const { model, warnings } = await loadSloConfig(folder);
    assert.equal(model.file, folder.startsWith(process.cwd()) ? folder.slice(process.cwd().length + 1) : folder);
    assert.equal(model.service, 'web-shop');
    assert.deepEqual(warnings, []);
    assert.deepEqual(summary(model), [
      {
        name: 'checkout',
        window: '2w',
        objective: 99,
        sli: {
          kind: 'ratio',
          good: 'sum(increase(shop_checkouts_total{outcome!="error"}[{{window}}]))',
          total: 'sum(increase(shop_checkouts_total[{{window}}]))',
        },
      },
      {
        name: 'search-latency',
        window: '2w',
        objective: undefined,
        sli: {
          kind: 'threshold',
          query: 'histogram_quantile(0.99, sum by (le) (rate(search_duration_seconds_bucket[{{window}}])))',
          operator: '<',
          bound: 0.5,
          unit: 'seconds',
          events: 'sum(increase(search_duration_seconds_count[{{window}}]))',
          quantile: 0.99,
        },
      },
    ]);
    assert.match(model.slos[0]!.source.file, /openslo-sdk-folder\/slos\.yaml$/);
  });

  it('refuses a folder with a file that is not OpenSLO, located in that file, and one without objects', async () => {
    const folder = join(work, 'mixed');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.yaml'), readFileSync(join(testdata, 'openslo-sdk-folder', 'service.yaml')));
    writeFileSync(join(folder, 'b.yml'), 'version: prometheus/v1\nservice: x\nslos: []\n');
    writeFileSync(join(folder, 'notes.txt'), 'not read');
    await assert.rejects(loadSloConfig(folder), (error: unknown) => {
      assert.ok(error instanceof SloConfigError);
      assert.deepEqual(
        error.issues.map((issue) => issue.text.replace(work, 'WORK')),
        ['is not an OpenSLO v1 object (apiVersion: openslo/v1); a folder is read as OpenSLO (WORK/mixed/b.yml:1:1)'],
      );
      return true;
    });
    const empty = join(work, 'empty');
    mkdirSync(empty);
    await assert.rejects(loadSloConfig(empty), /has no OpenSLO object in a \.yaml or \.yml file/);
  });
});

describe('counter: true in the rules: every recorded window reads its own window', () => {
  it('renders increase(...[5m]) ... increase(...[3d]) for the SDK file, a different expression per window', () => {
    const { model } = parseSloConfig(readFileSync(join(testdata, 'openslo-sdk-list.yaml'), 'utf8'), 'sdk.yaml');
    const rules = parse(renderRules(model)) as {
      groups: { rules: { record?: string; expr: string; labels?: Record<string, string> }[] }[];
    };
    const recorded = rules.groups
      .flatMap((group) => group.rules)
      .filter(
        (rule) =>
          rule.record === `slo:sli_error:ratio_rate${rule.labels?.sloth_window}` &&
          rule.labels?.sloth_slo === 'auth-availability',
      );
    const windows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
    assert.deepEqual(
      recorded.slice(0, windows.length).map((rule) => rule.expr),
      windows.map(
        (w) =>
          `(\n  1 - (\n    (increase(http_requests_total{job="users-auth",status_code="200"}[${w}]))\n    /\n    (increase(http_requests_total{job="users-auth"}[${w}]))\n  )\n) >= 0`,
      ),
    );
  });

  it('refuses to write rules whose expression is the same for every window (a query without {{window}})', () => {
    const text = ratioSloConfig('sum(http_requests_total{code=~"5.."})', 'sum(http_requests_total)');
    const { model } = parseSloConfig(text, 'no-window.yaml');
    assert.throws(() => renderRules(model), {
      name: 'HarnessError',
      message:
        'slo "requests": its bad query reads the same for the 5m and 30m windows: it reads no {{window}}, so its rules would record all-time values; read the counters over [{{window}}] (Sloth: [{{.window}}]; OpenSLO: or say counter: true)',
    });
    // One query of a ratio without its window is as wrong: a window's errors over all time's requests.
    const half = text.replace(
      'bad: sum(http_requests_total{code=~"5.."})',
      'bad: sum(increase(http_requests_total{code=~"5.."}[{{window}}]))',
    );
    assert.throws(
      () => renderRules(parseSloConfig(half, 'half.yaml').model),
      /its total query reads the same for the 5m and 30m windows/,
    );
  });
});

/** The fields of a written OpenSLO object this test reads. */
interface WrittenObject {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    indicator?: { spec: { thresholdMetric?: unknown } };
    objectives?: { op?: string; value?: number; target?: number }[];
  };
}

describe('threshold SLOs written to OpenSLO', () => {
  const seed = parseSloConfig(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'), 'slo-config.yaml').model;
  /** The model without where it came from (the file names differ on the way). */
  const comparable = (model: SloModel) => ({
    ...model,
    file: undefined,
    format: undefined,
    slos: model.slos.map((slo) => ({ ...slo, source: undefined })),
  });

  it('get a target OpenSLO accepts (0 <= target < 1) and the annotation saying how the harness judges them', () => {
    const text = writeConfig(seed, 'openslo').text;
    const docs = text.split(/^---$/m).map((doc) => parse(doc) as WrittenObject);
    const thresholds = docs.filter((doc) => doc.spec?.indicator?.spec?.thresholdMetric);
    assert.deepEqual(
      thresholds.map((doc) => [
        doc.metadata.name,
        doc.spec.objectives,
        doc.metadata.annotations?.['mystocks-harness/judge'],
      ]),
      [
        ['latency-p95', [{ op: 'lte', value: 0.3, target: 0.99 }], 'window'],
        ['db-query-p95', [{ op: 'lte', value: 0.1, target: 0.99 }], 'window'],
      ],
    );
    for (const doc of docs.filter((d) => d.kind === 'SLO'))
      for (const objective of doc.spec.objectives ?? [])
        assert.ok(objective.target !== undefined && objective.target >= 0 && objective.target < 1);
  });

  it('read back to the same model (harness -> OpenSLO -> harness)', () => {
    const openslo = parseSloConfig(writeConfig(seed, 'openslo').text, 'seed.openslo.yaml').model;
    const back = parseSloConfig(writeConfig(openslo, 'harness').text, 'seed.back.yaml').model;
    assert.deepEqual(comparable(openslo), comparable(seed));
    assert.deepEqual(comparable(back), comparable(seed));
  });

  it('still reads target: 1, as files written before say it', () => {
    const { model } = parseSloConfig(readFileSync(join(testdata, 'openslo-checkout.yaml'), 'utf8'), 'checkout.yaml');
    assert.equal(model.slos[1]!.sli.kind, 'threshold');
  });
});

describe("a latency ratio's noise control in OpenSLO", () => {
  const seed = parseSloConfig(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'), 'slo-config.yaml').model;
  const docs = () =>
    writeConfig(seed, 'openslo')
      .text.split(/^---$/m)
      .map((doc) => parse(doc) as WrittenObject);
  const sloDoc = (all: WrittenObject[], name: string) => all.find((d) => d.kind === 'SLO' && d.metadata.name === name)!;

  it("travels as the control annotation (JSON), as a threshold's does, and reads back into the ratio", () => {
    const written = docs();
    const control = sloDoc(written, 'latency-300ms').metadata.annotations?.['mystocks-harness/control'];
    assert.deepEqual(JSON.parse(control!), {
      query:
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="mystocks-api",endpoint="/healthz"}[{{window}}])))',
      label: '/healthz P95',
      probe: '/healthz',
    });
    const back = parseSloConfig(written.map((doc) => stringify(doc)).join('---\n'), 'seed.openslo.yaml').model;
    const latency = back.slos.find((slo) => slo.name === 'latency-300ms')!;
    assert.deepEqual(latency.sli, seed.slos.find((slo) => slo.name === 'latency-300ms')!.sli);
  });

  it('is refused, at the annotation, on a ratio written with a bad query', () => {
    const written = docs();
    const errors = sloDoc(written, 'error-rate');
    errors.metadata.annotations = {
      ...errors.metadata.annotations,
      'mystocks-harness/control': sloDoc(written, 'latency-300ms').metadata.annotations!['mystocks-harness/control']!,
    };
    assert.throws(
      () => parseSloConfig(written.map((doc) => stringify(doc)).join('---\n'), 'seed.openslo.yaml'),
      (error: unknown) =>
        error instanceof SloConfigError &&
        /slo "error-rate": metadata\.annotations\.mystocks-harness\/control: needs ratioMetric\.good: a noise control judges a latency ratio, whose good query reads one bucket of a histogram \(seed\.openslo\.yaml:\d+:\d+\)/.test(
          error.message,
        ),
    );
  });
});
