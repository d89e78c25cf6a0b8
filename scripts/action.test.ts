// The repository's GitHub Action (action.yml at the root, README "GitHub Action") read as GitHub reads its
// metadata: a composite action with a name and a description, every input described and every input the steps use
// declared (and the other way round), every run: step with its shell, every action it uses pinned by a full commit
// SHA with the version in a comment, inputs reaching scripts through env: only, and the flags it hands `harness
// verify` ones that command knows. Each check is also run on a broken copy, to show it fails. What no test here
// does: run the action (that needs GitHub's runner); scripts/action.int.test.ts runs shellcheck on its scripts, and
// scripts/github-schemas.test.ts validates it against SchemaStore's github-action.json (unknown keys, runs.using).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { VERIFY_ARGS } from '../cli/commands/verify.ts';
import type { CompositeAction } from './github-actions-test-support.ts';

const ACTION_FILE = join(import.meta.dirname, '..', 'action.yml');
/** A GitHub expression's text, `${{ inner }}`. */
const expr = (inner: string): string => `\${{ ${inner} }}`;
const text = readFileSync(ACTION_FILE, 'utf8');

/** Every problem of an action's text, one line each; none for a good action. */
function actionProblems(source: string): string[] {
  const action = parse(source) as CompositeAction;
  const problems: string[] = [];
  if (!action.name) problems.push('no name');
  if (!action.description) problems.push('no description');
  if (action.runs?.using !== 'composite') problems.push(`runs.using is ${action.runs?.using}, not composite`);
  const declared = Object.keys(action.inputs ?? {});
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    if (!input.description) problems.push(`input ${name}: no description`);
  }
  // Comments aside: the header's example may name what it likes.
  const code = source
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  const used = new Set([...code.matchAll(/inputs\.([\w-]+)/g)].map((match) => match[1]!));
  for (const name of used) if (!declared.includes(name)) problems.push(`input ${name}: used, not declared`);
  for (const name of declared) if (!used.has(name)) problems.push(`input ${name}: declared, never used`);
  const ids = new Set(action.runs.steps.map((step) => step.id).filter(Boolean));
  for (const [name, output] of Object.entries(action.outputs ?? {})) {
    for (const [, id] of (output.value ?? '').matchAll(/steps\.([\w-]+)\./g)) {
      if (!ids.has(id)) problems.push(`output ${name}: reads step ${id}, which no step is`);
    }
  }
  for (const [index, step] of action.runs.steps.entries()) {
    const label = `step ${step.name ?? index + 1}`;
    if (step.run !== undefined && step.shell !== 'bash') problems.push(`${label}: run without shell: bash`);
    if (step.run === undefined && step.uses === undefined) problems.push(`${label}: neither run nor uses`);
    // An expression in a script is pasted into it before the shell runs: an input could become shell code.
    if (step.run?.includes('${{')) problems.push(`${label}: an expression inside run:, not through env:`);
  }
  for (const line of source.split('\n')) {
    const uses = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    if (!uses) continue;
    const [, ref, rest] = uses;
    if (ref!.startsWith('./')) continue;
    if (!/@[0-9a-f]{40}$/.test(ref!)) problems.push(`${ref}: not pinned by a full commit SHA`);
    if (!/#\s*v\d/.test(rest ?? '')) problems.push(`${ref}: no version comment`);
  }
  return problems;
}

describe('action.yml', () => {
  const action = parse(text) as CompositeAction;

  it('is a composite action whose metadata, inputs, steps and pins GitHub accepts', () => {
    assert.deepEqual(actionProblems(text), []);
  });

  it('finds each kind of problem in a broken copy, so a clean result means something', () => {
    const broken = text
      .replace(/^description: .*$/m, '')
      .replace(
        'uses: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0',
        'uses: actions/setup-node@v7',
      )
      .replace('      shell: bash\n      env:\n        STACK:', '      env:\n        STACK:')
      .replace(`PACKAGE: ${expr('inputs.harness-package')}`, `PACKAGE: ${expr('inputs.harness-pkg')}`)
      .replace('args=(verify --stack "$STACK"', `args=(verify --stack "${expr('inputs.stack')}"`);
    assert.deepEqual(actionProblems(broken).sort(), [
      'actions/setup-node@v7: no version comment',
      'actions/setup-node@v7: not pinned by a full commit SHA',
      'input harness-package: declared, never used',
      'input harness-pkg: used, not declared',
      'no description',
      'step Check the inputs: run without shell: bash',
      'step harness verify: an expression inside run:, not through env:',
    ]);
  });

  it('hands harness verify only flags it knows, and the stack modes it takes', () => {
    const verify = action.runs.steps.find((step) => step.id === 'verify');
    assert.ok(verify?.run, 'a step with id verify runs harness verify');
    assert.match(verify.run, /^args=\(verify /m);
    const flags = [...verify.run.matchAll(/(?<![\w-])--([a-z][\w-]*)/g)].map((match) => match[1]!);
    assert.ok(flags.length > 0);
    const known = new Set([...Object.keys(VERIFY_ARGS.options), ...Object.keys(VERIFY_ARGS.aliases)]);
    for (const flag of flags) assert.ok(known.has(flag), `--${flag} is not a flag of harness verify`);
    const check = action.runs.steps[0]?.run ?? '';
    assert.match(check, /external\)/);
    assert.match(check, /containers\|local\) ;;/);
  });

  it('uploads the reports after a failed verify too, and leaves the summary to verify (no second copy)', () => {
    const upload = action.runs.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    assert.equal(upload?.if, expr('!cancelled()'));
    assert.equal(upload?.with?.path, `${expr('inputs.reports-dir')}/`);
    const appends = action.runs.steps.filter((step) => step.run?.includes('GITHUB_STEP_SUMMARY'));
    // verify appends summary.md itself (cli/verify/stages.ts): the action only notes a run that wrote none.
    assert.equal(appends.length, 1);
    assert.match(appends[0]!.run!, /if \[ ! -e "\$REPORTS\/summary\.md" \]/);
    assert.equal(action.outputs?.['exit-code']?.value, expr('steps.verify.outputs.exit-code'));
  });
});
