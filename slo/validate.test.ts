// `harness slo validate`'s findings on every malformed file of the project (the harness's own format's corpus,
// Sloth's and OpenSLO's, and the queries only validate refuses), and on the valid files of each format,
// pinned by one golden file; the CLI's exit codes are in validate.int.test.ts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderValidation, validateSloFile } from './validate.ts';

const root = join(import.meta.dirname, '..');
const formats = join(import.meta.dirname, 'formats', 'testdata');
const golden = join(formats, 'validate.golden.txt');

/** Every file of a folder, in name order. */
const filesOf = (dir: string) =>
  readdirSync(dir)
    .sort()
    .map((name) => join(dir, name));

const MALFORMED = [
  ...filesOf(join(import.meta.dirname, 'spec', 'testdata', 'malformed')),
  ...filesOf(join(formats, 'malformed')),
  ...filesOf(join(formats, 'validate')),
];
const VALID = [
  join(import.meta.dirname, 'slo-config.yaml'),
  join(formats, 'openslo-checkout.yaml'),
  join(formats, 'openslo-folder', 'slo.yaml'),
  join(formats, 'openslo-sdk-list.yaml'),
  join(formats, 'openslo-sdk-folder'),
  ...filesOf(join(import.meta.dirname, 'rules', 'testdata', 'sloth')).filter((file) => /\/in-[^/]*\.yaml$/.test(file)),
  join(import.meta.dirname, 'spec', 'testdata', 'latency-ratio.yaml'),
];

/** Paths as the repository names them, wherever the test runs from. */
const fromRoot = (text: string) => text.replaceAll(`${root}/`, '');

describe('harness slo validate', () => {
  it('gives every malformed file its located errors, and the valid files of each format ok (testdata/validate.golden.txt; UPDATE_GOLDEN=1 rewrites it)', async () => {
    const results = [];
    for (const file of [...MALFORMED, ...VALID]) results.push(await validateSloFile(file));
    const { text, ok } = renderValidation(results);
    const actual = fromRoot(text);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, actual);
    assert.equal(actual, readFileSync(golden, 'utf8'));
    assert.equal(ok, false);
    // Every malformed file refused, every valid one passed.
    assert.deepEqual(
      results.filter((result) => result.issues.length > 0 !== MALFORMED.includes(result.path)).map((r) => r.path),
      [],
    );
  });

  it('is ok when every file is', async () => {
    const { text, ok } = renderValidation([await validateSloFile(VALID[0]!), await validateSloFile(VALID[4]!)]);
    assert.equal(ok, true);
    assert.equal(
      fromRoot(text),
      // No warning for the shipped file: cache-hit-rate's page alert, which could never fire, is switched off
      // (slo/model/alerts.test.ts).
      'slo/slo-config.yaml: ok (harness, 6 SLOs)\nslo/formats/testdata/openslo-sdk-folder: ok (openslo, 2 SLOs)\n',
    );
  });
});
