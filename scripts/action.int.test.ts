// The run: scripts of the repository's GitHub Action (action.yml) through shellcheck, as
// scripts/workflows.int.test.ts checks the workflows' and the local set-up action's: bash, as GitHub runs a
// composite step with `shell: bash`, each `${{ }}` expression replaced by underscores of its length (as actionlint
// does). An integration test because shellcheck is a process (scripts/setup.sh installs it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const action = parse(readFileSync(join(import.meta.dirname, '..', 'action.yml'), 'utf8')) as {
  runs: { steps: { name?: string; run?: string }[] };
};

function shellcheck(script: string): string[] {
  const source = script.replace(/\$\{\{[^}]*\}\}/g, (expression) => '_'.repeat(expression.length));
  const result = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '-'], {
    input: source,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw new Error(`shellcheck did not run (scripts/setup.sh installs it): ${result.error.message}`);
  return result.stdout.split('\n').filter(Boolean);
}

test('every run: step of action.yml passes shellcheck', () => {
  const scripts = action.runs.steps.filter((step) => step.run !== undefined);
  assert.ok(scripts.length >= 4, 'the action has its scripts');
  const problems = scripts.flatMap((step) => shellcheck(step.run!).map((line) => `step ${step.name}: ${line}`));
  assert.deepEqual(problems, []);
});

test('shellcheck reports a broken script, so a clean result means something', () => {
  assert.ok(shellcheck('rm -rf $REPORTS/*').length > 0, 'shellcheck accepted an unquoted variable in rm -rf');
});
