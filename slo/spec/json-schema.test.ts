// slo/slo-config.schema.json, the JSON Schema editors read for slo-config.yaml: it is what the zod schema gives
// today (regenerated in memory and compared with the committed file, and a changed zod schema shown to differ),
// and under a real JSON Schema validator (Ajv, draft 7, strict mode) it accepts the shipped file and refuses the
// malformed corpus wherever the fault is one of shape. Ajv is not a dependency of the harness's own: it is the
// copy Fastify installs (node_modules/ajv), used here as a test tool only.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_CONFIG_PATH } from '../load.ts';
import { JSON_SCHEMA_PATH, sloConfigJsonSchema } from './json-schema.ts';
import { configSpec } from './schema.ts';

const committed: unknown = JSON.parse(readFileSync(JSON_SCHEMA_PATH, 'utf8'));
const malformedDir = join(import.meta.dirname, 'testdata', 'malformed');
const validate = new Ajv({ allErrors: true, strict: true }).compile(committed as object);

/** Ajv's verdict on a YAML file, and its errors as `path message` lines. */
function check(path: string): { ok: boolean; errors: string[] } {
  const ok = validate(parse(readFileSync(path, 'utf8')));
  return { ok, errors: (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`) };
}

describe('slo-config.schema.json', () => {
  it('is what slo/spec/schema.ts gives now (else: npm run slo:schema)', () => {
    assert.deepEqual(committed, sloConfigJsonSchema(), 'slo/slo-config.schema.json is stale: run npm run slo:schema');
  });

  it('differs from what a changed zod schema gives, so the comparison above can fail', () => {
    const changed = configSpec.safeExtend({ owner: z.string() });
    const generated = sloConfigJsonSchema(changed) as { properties: Record<string, unknown> };
    assert.deepEqual(generated.properties.owner, { type: 'string' });
    assert.throws(() => assert.deepEqual(committed, generated), assert.AssertionError);
  });

  it('is named by the shipped slo-config.yaml for yaml-language-server, by a path that reaches it', () => {
    const first = readFileSync(DEFAULT_CONFIG_PATH, 'utf8').split('\n')[0];
    assert.equal(first, '# yaml-language-server: $schema=./slo-config.schema.json');
    assert.equal(join(DEFAULT_CONFIG_PATH, '..', 'slo-config.schema.json'), JSON_SCHEMA_PATH);
  });

  it('accepts the shipped slo-config.yaml and the valid test file', () => {
    for (const path of [DEFAULT_CONFIG_PATH, join(import.meta.dirname, 'testdata', 'valid.yaml')]) {
      const result = check(path);
      assert.deepEqual(result, { ok: true, errors: [] }, path);
    }
  });

  it('refuses a misspelt field, a wrong type and an unknown enum value, at the field', () => {
    assert.deepEqual(check(join(malformedDir, 'objective-misspelt.yaml')), {
      ok: false,
      errors: ['/slos/0 must NOT have additional properties'],
    });
    assert.deepEqual(check(join(malformedDir, 'threshold-bound-string.yaml')), {
      ok: false,
      errors: ['/slos/1/sli/threshold/bound must be number'],
    });
    assert.deepEqual(check(join(malformedDir, 'threshold-bad-operator.yaml')), {
      ok: false,
      errors: ['/slos/1/sli/threshold/operator must be equal to one of the allowed values'],
    });
  });

  it('refuses every malformed file whose fault is one of shape; the rest only the harness finds', () => {
    // The faults zod checks in code, which JSON Schema cannot state (json-schema.ts): the schema lets these
    // through and `harness slo validate` refuses them (spec.test.ts, malformed.golden.txt).
    const onlyTheHarnessFinds = [
      'control-multiple-one.yaml', // a refine: greater than 1
      'control-ratio-bad.yaml', // a ratio's control only beside a good query
      'latency-bound-between-buckets.yaml', // refines: a bucket bound, no _bucket suffix, no le matcher
      'name-duplicate.yaml', // names unique across the list
      'objective-below-floor.yaml', // below 50 without allowLowObjective
      'objective-fraction.yaml', // the same rule (0.999)
      'objective-missing-for-ratio.yaml', // required only beside a ratio SLI
      'objective-on-threshold.yaml', // refused only beside a threshold SLI
      'query-unknown-template-variable.yaml', // {{window}} only
      'ratio-good-and-bad.yaml', // good or bad, not both
      'ratio-neither-good-nor-bad.yaml', // ... and one of them
      'sli-ratio-and-threshold.yaml', // ratio or threshold, not both
      'window-bad-unit.yaml', // a Prometheus duration
      'window-zero.yaml', // ... above zero
    ];
    // .txt files are broken YAML (no document to validate); yaml-duplicate-key.yaml is refused by the YAML parser.
    const files = readdirSync(malformedDir).filter(
      (name) => name.endsWith('.yaml') && name !== 'yaml-duplicate-key.yaml',
    );
    assert.ok(files.length >= 35, `only ${files.length} malformed files`);
    const accepted = files.filter((name) => check(join(malformedDir, name)).ok).sort();
    assert.deepEqual(accepted, onlyTheHarnessFinds);
  });
});
