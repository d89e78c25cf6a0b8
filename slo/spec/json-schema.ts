// The JSON Schema of slo-config.yaml, for editors (completion and checking as one types): generated from the one
// zod schema (schema.ts) by zod's own toJSONSchema, and kept in the repository as slo/slo-config.schema.json,
// which the shipped file names in its `# yaml-language-server: $schema=...` comment. `npm run slo:schema`
// (scripts/slo-schema.ts) rewrites it; json-schema.test.ts fails when it no longer matches schema.ts.
//
// It states the shape only: fields, types, enums, patterns, ranges and unknown keys. What zod checks in code
// (a Prometheus duration, {{window}} as the only template variable, good or bad but not both, ratio or
// threshold, an objective below 50 without allowLowObjective, unique names) has no JSON Schema form and is
// left out, so the schema accepts some files the harness refuses and never refuses one it accepts;
// `harness slo validate` is the whole check.
import { type ZodType, z } from 'zod';
import { configSpec } from './schema.ts';

/** Where the generated schema is kept: beside the shipped slo-config.yaml. */
export const JSON_SCHEMA_PATH = new URL('../slo-config.schema.json', import.meta.url).pathname;

/**
 * The JSON Schema of a config as written (zod's input side: optional fields stay optional). Draft 7, the draft
 * editors' YAML and JSON language servers have read longest. `schema` is for the sync test, which shows that a
 * changed zod schema gives a different result.
 */
export function sloConfigJsonSchema(schema: ZodType = configSpec): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'SLO file of the harness (slo-config.yaml)',
    description:
      'Generated from slo/spec/schema.ts by `npm run slo:schema`; do not edit. The shape only: ' +
      '`harness slo validate` also checks durations, queries and the rules between fields. Format: docs/slo.md.',
    ...rest,
  };
}

/** The schema as the file holds it: two-space JSON and a final newline. */
export function renderSloConfigJsonSchema(schema: ZodType = configSpec): string {
  return `${JSON.stringify(sloConfigJsonSchema(schema), null, 2)}\n`;
}
