// Golden files for the renderers' tests: a rendering compared, byte for byte, with a file under a testdata/
// folder. `UPDATE_GOLDEN=1 node --test <file>` writes the files instead; read the diff before committing.
// A missing golden file fails rather than being written: a test that wrote its own expectation on its first run
// would pass on any output, in CI too when the file was never committed.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Asserts that `actual` reads exactly as `testdataDir/name` (or writes it there under UPDATE_GOLDEN=1). */
export function assertGolden(testdataDir: string, name: string, actual: string): void {
  const file = join(testdataDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  assert.ok(existsSync(file), `${file} does not exist: UPDATE_GOLDEN=1 writes it; read it before committing`);
  assert.equal(
    actual,
    readFileSync(file, 'utf8'),
    `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`,
  );
}
