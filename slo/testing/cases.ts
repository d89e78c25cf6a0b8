// Table-driven unit tests: one `it` per row of a table of cases, each row its name, its input and the value
// expected, written out in the test file.
import assert from 'node:assert/strict';
import { it } from 'node:test';

/** One test per `[name, input, expected]` row: `of(input)` must deep-equal `expected`. */
export function itEachCase<Input, Output>(cases: [string, Input, Output][], of: (input: Input) => Output): void {
  for (const [name, input, expected] of cases) it(name, () => assert.deepEqual(of(input), expected));
}
