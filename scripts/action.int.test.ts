// The run: scripts of the repository's GitHub Action (action.yml) through shellcheck, as
// scripts/workflows.int.test.ts checks the workflows' and the local set-up action's, with the same shellcheck()
// (github-actions-test-support.ts). An integration test because shellcheck is a process (scripts/setup.sh
// installs it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { type CompositeAction, shellcheck } from './github-actions-test-support.ts';

const action = parse(readFileSync(join(import.meta.dirname, '..', 'action.yml'), 'utf8')) as CompositeAction;

test('every run: step of action.yml passes shellcheck', () => {
  const scripts = action.runs.steps.filter((step) => step.run !== undefined);
  assert.ok(scripts.length >= 4, 'the action has its scripts');
  const problems = scripts.flatMap((step) => shellcheck(step.run!).map((line) => `step ${step.name}: ${line}`));
  assert.deepEqual(problems, []);
});

test('shellcheck reports a broken script, so a clean result means something', () => {
  assert.ok(shellcheck('rm -rf $REPORTS/*').length > 0, 'shellcheck accepted an unquoted variable in rm -rf');
});
