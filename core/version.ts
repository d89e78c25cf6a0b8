// The harness's version, from package.json: `harness --version` and the harnessVersion field of the JSON reports
// the CLI writes (slo check's and validate's, verify.json, compare.json, load --json), so a report says which
// harness judged it.
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** package.json's version, read once. */
export function harnessVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
  return cached;
}
