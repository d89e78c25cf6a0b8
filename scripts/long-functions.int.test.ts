// scripts/long-functions.ts on small sources written here. An integration test, not a unit one: the TypeScript 7
// compiler parses in its own process (the tsgo binary), which the unit tier forbids (scripts/unit-guard.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatReport, harnessFiles, isHarnessFile, LIMIT, longFunctions } from './long-functions.ts';

/** `count` statement lines, each its own line, so a body's length is exact. */
const body = (count: number, indent = '  '): string =>
  Array.from({ length: count }, (_, i) => `${indent}void ${i};`).join('\n');

describe('long-functions', () => {
  test('measures each function from its first to its last line, nested ones on their own', () => {
    // inner: `const inner = () => {` (line 34, after 30 statements and a comment) .. `};` is 1 + 60 + 1 = 62 lines.
    // outer: line 2 .. its `}` on line 34 + 62 + 40 + 1 = 137, so 136 lines, inner's 62 among them (nothing
    // subtracted). With limit 50 both are listed, each on its own.
    const source = [
      '/** a JSDoc comment, not counted */',
      'export function outer(): void {',
      body(30),
      '  // the nested arrow starts on the next line',
      '  const inner = () => {',
      '    void 0;',
      body(59, '    '),
      '  };',
      body(40),
      '  inner();',
      '}',
    ].join('\n');
    const found = longFunctions(new Map([['a/outer.ts', source]]), 50);
    assert.deepEqual(found, [
      { file: 'a/outer.ts', line: 2, name: 'outer', lines: 136 },
      { file: 'a/outer.ts', line: 34, name: 'inner', lines: 62 },
    ]);
  });

  test('the limit is inclusive: 80 lines pass, 81 are listed', () => {
    // `function f() {` + 78 statements + `}` = 80 lines; one statement more is 81.
    const at = `function atLimit() {\n${body(78)}\n}\n`;
    const over = `class C {\n  over(): void {\n${body(79, '    ')}\n  }\n}\n`;
    const found = longFunctions(
      new Map([
        ['at.ts', at],
        ['over.ts', over],
      ]),
    );
    assert.deepEqual(found, [{ file: 'over.ts', line: 2, name: 'C.over', lines: 81 }]);
  });

  test('names a callback by the call it is passed to, longest first, and totals', () => {
    // The callback: line 1 .. `});` on line 83. f: `const f` on line 84, 90 statements, `};` on 175: 92 lines.
    const source = `app.get('/x', async () => {\n${body(81)}\n});\nconst f = function () {\n${body(90)}\n};\n`;
    const found = longFunctions(new Map([['cb.ts', source]]));
    assert.equal(
      formatReport(found, 80, 1),
      [
        'cb.ts:84 f 92',
        'cb.ts:1 app.get(…) callback 83',
        '2 functions longer than 80 lines in 1 files (tests excluded)',
      ].join('\n'),
    );
  });

  test('reads the harness, not its tests, test support or test data', () => {
    assert.equal(isHarnessFile('cli/verify/stages.ts'), true);
    assert.equal(isHarnessFile('cli/verify/stages.test.ts'), false);
    assert.equal(isHarnessFile('load/compare.stack.test.ts'), false);
    assert.equal(isHarnessFile('e2e/login.spec.ts'), false);
    assert.equal(isHarnessFile('slo/testing/datasets.ts'), false);
    assert.equal(isHarnessFile('stack/local/api-test-support.ts'), false);
    assert.equal(isHarnessFile('slo/formats/testdata/x.ts'), false);
  });
});

// The rule holds on the harness itself (issue #28 brought the count to 0): a function that grows past the limit
// fails here, with the report naming it.
test('the harness has no function longer than the limit', () => {
  const root = join(import.meta.dirname, '..');
  const files = harnessFiles(root);
  const found = longFunctions(new Map(files.map((path) => [path, readFileSync(join(root, path), 'utf8')])));
  assert.ok(files.length > 100, `only ${files.length} harness files found under ${root}`);
  assert.deepEqual(found, [], formatReport(found, LIMIT, files.length));
});
