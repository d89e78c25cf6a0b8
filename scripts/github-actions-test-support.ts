// What the tests of the repository's GitHub YAML share: the shape of a step and of a composite action's metadata
// as they read them (scripts/workflows.int.test.ts the workflows and .github/actions/*, scripts/action.test.ts and
// scripts/action.int.test.ts the repository's own action.yml), and shellcheck run on a run: script the way
// actionlint runs it. Test support only.
import { spawnSync } from 'node:child_process';

/** A step of a job or of a composite action; `with:` values stay as YAML parsed them. */
export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

/** A composite action's metadata (an action.yml). */
export interface CompositeAction {
  name?: string;
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string; value?: string }>;
  runs: { using: string; steps: Step[] };
}

/**
 * Shellcheck's findings, one `gcc`-format line each, for `args` (files, or `-` with `input`) run in `cwd`.
 * Throws when shellcheck is not installed (scripts/setup.sh installs it).
 */
export function shellcheckFindings(args: string[], options: { input?: string; cwd?: string } = {}): string[] {
  const result = spawnSync('shellcheck', ['--format=gcc', ...args], {
    input: options.input,
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw new Error(`shellcheck did not run (scripts/setup.sh installs it): ${result.error.message}`);
  return result.stdout.split('\n').filter(Boolean);
}

/**
 * Shellcheck's findings for one run: script: bash, as GitHub runs a step with `shell: bash`, each `${{ }}`
 * expression replaced, as actionlint does, by underscores of its length (a plain word to the shell).
 */
export function shellcheck(script: string): string[] {
  const source = script.replace(/\$\{\{[^}]*\}\}/g, (expression) => '_'.repeat(expression.length));
  return shellcheckFindings(['--shell=bash', '-'], { input: source });
}
