// `harness slo validate`, `harness slo rules` and `harness slo convert` (partial by default) as users run them (the CLI in
// a child process): validate exits 0 for valid files of every format and 2 with the located error for an
// invalid one; rules written from OpenSLO's `counter: true` and from a folder of OpenSLO files that promtool
// accepts, and none for a query without its window; a partial conversion exits 1, naming what it left out, and
// with --strict exits 2 with the same reasons, writing nothing.
// What validate finds in each file is pinned by slo/validate.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findBinary, runCommand } from '../stack/process.ts';
import { runHarness } from './testing/cli.ts';

const testdata = join(import.meta.dirname, 'formats', 'testdata');
const work = mkdtempSync(join(tmpdir(), 'slo-validate-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The CLI from the repository root (slo/testing/cli.ts), its reports in this test's folder. */
const cli = (args: string[]) => runHarness(args, { reportsDir: work });

describe('harness slo validate', () => {
  it('exits 0 for valid files of each format and an OpenSLO folder', async () => {
    const ran = await cli([
      'slo',
      'validate',
      'slo/slo-config.yaml',
      'slo/rules/testdata/sloth/in-multi.yaml',
      'slo/formats/testdata/openslo-sdk-list.yaml',
      'slo/formats/testdata/openslo-sdk-folder',
    ]);
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(
      ran.stdout,
      [
        'slo/slo-config.yaml: ok (harness, 6 SLOs)',
        'slo/rules/testdata/sloth/in-multi.yaml: ok (sloth, 2 SLOs)',
        'slo/formats/testdata/openslo-sdk-list.yaml: ok (openslo, 2 SLOs)',
        'slo/formats/testdata/openslo-sdk-folder: ok (openslo, 2 SLOs)',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 when any file has an error, each located; --format json says the same', async () => {
    const files = ['slo/formats/testdata/validate/sloth-no-window.yaml', 'slo/slo-config.yaml'];
    const ran = await cli(['slo', 'validate', ...files]);
    assert.equal(ran.code, 2);
    assert.equal(
      ran.stdout,
      [
        'slo/formats/testdata/validate/sloth-no-window.yaml: 1 error',
        '  slo "requests": sli.events.total_query: reads no window, so every window judged or recorded reads the same all-time ratio: read the counters over [{{.window}}] (slo/formats/testdata/validate/sloth-no-window.yaml:10:22)',
        'slo/slo-config.yaml: ok (harness, 6 SLOs)',
        '',
      ].join('\n'),
    );
    const json = await cli(['slo', 'validate', '--format', 'json', ...files]);
    assert.equal(json.code, 2);
    const parsed = JSON.parse(json.stdout) as {
      ok: boolean;
      files: { path: string; issues: { line: number; field: string }[] }[];
      harnessVersion: string;
    };
    assert.equal(parsed.ok, false);
    assert.match(parsed.harnessVersion, /^\d+\.\d+\.\d+/, 'the JSON names the harness that wrote it');
    assert.deepEqual(
      parsed.files.map((file) => [file.path, file.issues.map((issue) => `${issue.line}:${issue.field}`)]),
      [
        [files[0], ['10:slos[0].sli.events.total_query']],
        [files[1], []],
      ],
    );
  });

  it('exits 2 with a one-line usage error when given no file', async () => {
    const ran = await cli(['slo', 'validate']);
    assert.equal(ran.code, 2);
    assert.equal(
      ran.stderr,
      'harness slo validate: give one or more SLO files to validate (harness slo validate --help)\n',
    );
  });
});

describe('harness slo rules from OpenSLO as its tools write it', () => {
  it('writes rules promtool accepts for counter: true (the SDK list) and for a folder, a window per recording', async () => {
    for (const [config, name] of [
      [join(testdata, 'openslo-sdk-list.yaml'), 'sdk-list.rules.yaml'],
      [join(testdata, 'openslo-sdk-folder'), 'sdk-folder.rules.yaml'],
    ] as const) {
      const out = join(work, name);
      const ran = await cli(['slo', 'rules', '--slo-config', config, '--out', out]);
      assert.equal(ran.code, 0, ran.stderr);
      const { stdout } = await runCommand(findBinary('promtool'), ['check', 'rules', out]);
      assert.match(stdout, /SUCCESS/);
    }
  });

  it('refuses, exit 2, to write rules for a query that reads no window', async () => {
    const file = join(work, 'no-window.yaml');
    writeFileSync(
      file,
      'version: prometheus/v1\nservice: shop\nslos:\n  - name: requests\n    objective: 99\n    sli:\n      events:\n        error_query: sum(rate(errors_total[{{.window}}]))\n        total_query: sum(requests_total)\n    alerting:\n      name: ShopRequests\n',
    );
    const ran = await cli(['slo', 'rules', '--slo-config', file]);
    assert.equal(ran.code, 2);
    assert.equal(ran.stdout, '');
    assert.match(ran.stderr, /slo "requests": its total query reads the same for the 5m and 30m windows/);
  });
});

describe('harness slo convert: what the target can hold, the rest named', () => {
  // Why Sloth cannot hold two of the seed file's SLOs: both are thresholds, and db-query-p95's window is 15 days
  // besides. Every ratio SLO of the seed is over 30 days, Sloth's period, and is written.
  const SEED_TO_SLOTH_REFUSALS = [
    'slo "latency-p95": a threshold SLI cannot be written as Sloth (Sloth SLOs are ratios)',
    'slo "db-query-p95": a threshold SLI cannot be written as Sloth (Sloth SLOs are ratios)',
    'slo "db-query-p95": window 15d: Sloth files have no period; Sloth uses 30d',
  ];

  it('writes what Sloth can hold of the seed file, names each SLO left out on stderr, and exits 1', async () => {
    const out = join(work, 'seed.sloth.yaml');
    const ran = await cli(['slo', 'convert', '--to', 'sloth', 'slo/slo-config.yaml', '--out', out]);
    assert.equal(ran.code, 1);
    // latency-300ms, a latency SLI, is a ratio and is written; its good query becomes Sloth's error query, and its
    // noise control, for which Sloth has no field, is left out with a note.
    assert.equal(
      ran.stderr,
      [
        'note: slo "latency-300ms": good query written as error_query: (total) - (good), read back as good\n',
        `note: slo "latency-300ms": noise control (/healthz P95) not written: Sloth has no field for it and the rules do not use it; the gate judges the Sloth file's SLO without it\n`,
        'note: slo "cache-hit-rate": good query written as error_query: (total) - (good), read back as good\n',
        ...SEED_TO_SLOTH_REFUSALS.map((reason) => `left out: ${reason}\n`),
      ].join(''),
    );
    const written = readFileSync(out, 'utf8');
    assert.deepEqual(
      [...written.matchAll(/^ {2}- name: (.+)$/gm)].map((m) => m[1]),
      ['availability', 'latency-300ms', 'error-rate', 'cache-hit-rate'],
    );
    // What fits whole exits 0; what fits not at all is refused, nothing written, exit 2.
    assert.equal((await cli(['slo', 'convert', '--to', 'openslo', 'slo/slo-config.yaml'])).code, 0);
    const thresholds = join(work, 'thresholds.yaml');
    writeFileSync(
      thresholds,
      'version: 1\nservice: shop\nslos:\n  - name: p95\n    window: 30d\n    sli:\n      threshold:\n        query: histogram_quantile(0.95, sum by (le) (rate(d_bucket[{{window}}])))\n        operator: "<="\n        bound: 0.3\n        unit: seconds\n',
    );
    const none = join(work, 'none.yaml');
    const refused = await cli(['slo', 'convert', '--to', 'sloth', thresholds, '--out', none]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /cannot convert to sloth, nothing written:\n {2}slo "p95": a threshold SLI cannot be written as Sloth/,
    );
    assert.equal(existsSync(none), false);
  });

  it('with --strict refuses the whole seed file to Sloth, naming every SLO it cannot hold, exit 2, nothing written', async () => {
    const out = join(work, 'refused-sloth.yaml');
    const refused = await cli(['slo', 'convert', '--to', 'sloth', '--strict', 'slo/slo-config.yaml', '--out', out]);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      [
        'harness: cannot convert to sloth, nothing written:',
        ...SEED_TO_SLOTH_REFUSALS.map((reason) => `  ${reason}`),
        '',
      ].join('\n'),
    );
    assert.equal(existsSync(out), false);
  });
});
