// `npm run slo:schema`: writes slo/slo-config.schema.json, the JSON Schema editors read for slo-config.yaml, from
// the zod schema (slo/spec/json-schema.ts). Run it after changing slo/spec/schema.ts; the unit test
// slo/spec/json-schema.test.ts fails until the file is rewritten. The file is then laid out by Biome, as
// `npm run lint` wants every JSON file of the repository (the test compares content, not layout).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { JSON_SCHEMA_PATH, renderSloConfigJsonSchema } from '../slo/spec/json-schema.ts';

writeFileSync(JSON_SCHEMA_PATH, renderSloConfigJsonSchema());
const biome = join(import.meta.dirname, '..', 'node_modules', '.bin', 'biome');
execFileSync(biome, ['format', '--write', JSON_SCHEMA_PATH], { stdio: 'pipe' });
console.log(`wrote ${relative(process.cwd(), JSON_SCHEMA_PATH)}`);
