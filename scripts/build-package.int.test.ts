// The built package (scripts/build-package.ts) laid out as npm installs it, without npm: one fresh build into
// <temp>/project/node_modules/mystocks-harness/dist with the checkout's package.json beside it, and the checkout's
// node_modules linked at <temp>/node_modules, where Node and TypeScript look after the project's own (so the
// package's dependencies resolve as from a hoisted install, and Node strips no types in it: JavaScript only).
// What this file alone proves, on that build:
// - every target of package.json's `exports` and `types` exists; each mapped subpath imports by name from the
//   project, and a path outside the map is refused; a TypeScript project that imports them type-checks against
//   their declarations (a wrong use fails), and no TypeScript source sits in the build to shadow them;
// - `harness load`'s bundling from a read-only install: the run folders and the bundle cache land in
//   $XDG_CACHE_HOME/mystocks-harness/load-runs/, the bundles load (their required packages found from there), the
//   second run is served from that cache, and nothing is written into the package. As root, the read-only part
//   runs as the user nobody: root may write a folder whatever its mode;
// - the containers mode's module is found in the build, and without a Dockerfile or MYSTOCKS_IMAGE_API it says what
//   to set before asking for a container engine; the built OTLP receiver, alone in a folder as it is copied into
//   its container, starts and answers /ready.
// What it does not prove: an `npm pack` and `npm install` (scripts/package.stack.test.ts), a load run, a
// containers stack from the package.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scriptLoadPlan } from '../load/testing/script-plan.ts';
import { freePort } from '../stack/ports.ts';
import { lookupUser } from '../stack/process.ts';
import { buildPackage } from './build-package.ts';

const REPO = resolve(import.meta.dirname, '..');
const work = realpathSync(mkdtempSync(join(tmpdir(), 'harness-build-')));
// Searchable by every user: the read-only test's child may run as nobody.
chmodSync(work, 0o755);
const project = join(work, 'project');
const packageDir = join(project, 'node_modules', 'mystocks-harness');
const dist = join(packageDir, 'dist');
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  types: string;
};

/** Gives the owner write permission back (or takes every write permission away) through a tree. */
function setWritable(path: string, writable: boolean): void {
  const stat = statSync(path);
  chmodSync(path, writable ? stat.mode | 0o200 : stat.mode & ~0o222);
  if (stat.isDirectory()) for (const name of readdirSync(path)) setWritable(join(path, name), writable);
}

before(() => {
  buildPackage(dist);
  copyFileSync(join(REPO, 'package.json'), join(packageDir, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'), 'dir');
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' })}\n`,
  );
});
after(() => {
  if (existsSync(packageDir)) setWritable(packageDir, true);
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {},
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.cwd ?? project, env: options.env ?? process.env, uid: options.uid, gid: options.gid },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 99) : 0, stdout, stderr }),
    );
  });
}

/** An ES module run by Node in the project: `node --input-type=module -e SCRIPT`. */
const runModule = (script: string, options?: Parameters<typeof run>[1]) =>
  run(['--input-type=module', '-e', script], options);

/** Every [subpath, condition, target] of the exports map ("default" for a plain string). */
function exportTargets(): [string, string, string][] {
  return Object.entries(manifest.exports).flatMap(([subpath, target]) =>
    typeof target === 'string'
      ? [[subpath, 'default', target] as [string, string, string]]
      : Object.entries(target).map(([condition, file]) => [subpath, condition, file] as [string, string, string]),
  );
}

describe("package.json's exports, on a fresh build", () => {
  it('points every target at a file of the build: JavaScript, and declarations under types', () => {
    const targets = exportTargets();
    assert.ok(targets.length > 0, 'package.json has no exports');
    for (const [subpath, condition, target] of [...targets, ['(types)', 'types', manifest.types] as const]) {
      assert.ok(existsSync(join(packageDir, target)), `${subpath} ${condition}: ${target} is not in the build`);
      if (condition === 'types') assert.match(target, /\.d\.ts$/, `${subpath}: types must be a declaration`);
    }
    // Each module's declaration is the one beside it, so what TypeScript reads describes what Node loads.
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue;
      assert.equal(target.types, target.default?.replace(/\.js$/, '.d.ts'), subpath);
    }
  });

  it('holds no TypeScript source: a .ts beside a .d.ts is what a TypeScript import of the package would read', () => {
    const sources = (readdirSync(dist, { recursive: true }) as string[]).filter(
      (path) => path.endsWith('.ts') && !path.endsWith('.d.ts'),
    );
    assert.deepEqual(sources, []);
  });

  it('imports every mapped subpath by name from the project, and refuses a path outside the map', async () => {
    const subpaths = Object.keys(manifest.exports)
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => `mystocks-harness${subpath.slice(1)}`);
    const script = [
      'const names = {};',
      `for (const name of ${JSON.stringify(subpaths)}) names[name] = Object.keys(await import(name)).sort();`,
      "const outside = await import('mystocks-harness/dist/core/outcome.js').then(() => 'imported', (e) => e.code);",
      'console.log(JSON.stringify({ names, outside }));',
    ].join('\n');
    const result = await runModule(script);
    assert.equal(result.code, 0, result.stderr);
    const { names, outside } = JSON.parse(result.stdout) as { names: Record<string, string[]>; outside: string };
    assert.deepEqual(Object.keys(names), subpaths);
    for (const name of ['loadSloConfig', 'evaluateSlos', 'renderRules', 'PrometheusClient']) {
      assert.ok(names['mystocks-harness']?.includes(name), `mystocks-harness: ${name}`);
      assert.ok(names['mystocks-harness/slo']?.includes(name), `mystocks-harness/slo: ${name}`);
    }
    for (const name of ['LoginPage', 'MarketPage', 'ExportPage', 'BasePage'])
      assert.ok(names['mystocks-harness/pages']?.includes(name), `pages: ${name}`);
    for (const name of ['test', 'expect', 'baseUrl'])
      assert.ok(names['mystocks-harness/fixtures']?.includes(name), `fixtures: ${name}`);
    assert.equal(outside, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it("type-checks a TypeScript project's use of the mapped modules against their declarations", async () => {
    const consumer = join(project, 'consumer');
    mkdirSync(consumer, { recursive: true });
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'] },
        files: ['use.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'use.ts'),
      [
        "import { loadSloConfig, type SloModel } from 'mystocks-harness';",
        "import { evaluateSlos, type SloReport } from 'mystocks-harness/slo';",
        "import { LoginPage } from 'mystocks-harness/pages';",
        "import { expect, test } from 'mystocks-harness/fixtures';",
        'export async function gate(url: string): Promise<SloReport> {',
        '  const { model }: { model: SloModel } = await loadSloConfig();',
        '  return evaluateSlos(model, { prometheusUrl: url, start: new Date(0), end: new Date(1000) });',
        '}',
        'export const pages: (typeof LoginPage)[] = [LoginPage];',
        'export const fixtures = [test, expect] as const;',
        // Fails to compile, as it must, only if the declarations are read: with none, the import is `any`.
        '// @ts-expect-error a function is not a number',
        'export const wrong: number = loadSloConfig;',
        '',
      ].join('\n'),
    );
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run([tsc, '-p', consumer], { cwd: consumer });
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
  });
});

describe('harness load from a read-only install', () => {
  it('bundles into $XDG_CACHE_HOME/mystocks-harness/load-runs, serves the second run from there, writes nothing into the package', async () => {
    const cache = join(work, 'cache');
    mkdirSync(cache);
    // Root writes whatever the mode says: the child runs as nobody then, owner of the cache and of nothing else.
    const nobody = process.getuid?.() === 0 ? lookupUser('nobody') : undefined;
    if (process.getuid?.() === 0) assert.ok(nobody, 'running as root, the test needs the user nobody');
    if (nobody) chownSync(cache, nobody.uid, nobody.gid);
    setWritable(packageDir, false);
    const load = join(dist, 'load');
    // load/run.ts names the TypeScript sources; the package has only their builds beside them.
    const script = [
      "import { createRequire } from 'node:module';",
      `import { prepareRunScript } from ${JSON.stringify(join(load, 'run-script.js'))};`,
      "const require = createRequire(process.cwd() + '/');",
      `const args = [${JSON.stringify(join(load, 'scenarios', 'api.ts'))}, ${JSON.stringify(join(load, 'processor.ts'))}];`,
      "const first = prepareRunScript(...args, 'read-only-a');",
      "const second = prepareRunScript(...args, 'read-only-b');",
      "const processor = require(second.path.replace(/api\\.js$/, 'processor.js'));",
      'const loaded = require(second.path);',
      'console.log(JSON.stringify({',
      '  runs: [first, second].map(({ path, cached }) => ({ path, cached })),',
      "  hooks: ['checkResponse', 'newTrader', 'pickData'].filter((hook) => typeof processor[hook] === 'function'),",
      '  processor: loaded.config.processor, scenarios: loaded.scenarios.length,',
      '}));',
      'first.dispose(); second.dispose();',
    ].join('\n');
    const result = await runModule(script, {
      cwd: work,
      env: { ...process.env, XDG_CACHE_HOME: cache, MYSTOCKS_LOAD_PLAN: JSON.stringify(scriptLoadPlan('read-only')) },
      ...(nobody ? { uid: nobody.uid, gid: nobody.gid } : {}),
    });
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as {
      runs: { path: string; cached: boolean }[];
      hooks: string[];
      processor: string;
      scenarios: number;
    };
    const runs = join(cache, 'mystocks-harness', 'load-runs');
    for (const { path } of printed.runs) assert.ok(path.startsWith(runs + sep), `${path} is not under ${runs}`);
    assert.deepEqual(
      printed.runs.map((r) => r.cached),
      [false, true],
    );
    // The bundles required zod from the cache folder: found through the run folder's node_modules links.
    assert.deepEqual(printed.hooks, ['checkResponse', 'newTrader', 'pickData']);
    assert.equal(printed.processor, './processor.js');
    assert.ok(printed.scenarios > 0);
    // The cache keeps the bundles (and their manifest); the runs' own folders are gone with dispose().
    assert.deepEqual(readdirSync(runs), ['bundles']);
    assert.ok(readdirSync(join(runs, 'bundles')).some((name) => name.endsWith('.json')));
    assert.equal(existsSync(join(load, '.runs')), false);
    setWritable(packageDir, true);
  });
});

describe('the containers mode from the build', () => {
  it('finds its module, and without a Dockerfile or MYSTOCKS_IMAGE_API says what to set', async () => {
    const script = [
      `const stack = await import(${JSON.stringify(join(dist, 'stack', 'index.js'))});`,
      'const exists = stack.containersModuleExists();',
      'const containers = await stack.loadContainersModule();',
      "const failure = await containers.startContainerStack({}).then(() => undefined, (e) => e.name + ': ' + e.message);",
      'console.log(JSON.stringify({ exists, start: typeof containers.startContainerStack, failure }));',
    ].join('\n');
    const env: NodeJS.ProcessEnv = { ...process.env, MYSTOCKS_IMAGES_FILE: 'none' };
    delete env.MYSTOCKS_IMAGE_API;
    const result = await runModule(script, { env });
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as { exists: boolean; start: string; failure?: string };
    assert.equal(printed.exists, true);
    assert.equal(printed.start, 'function');
    assert.equal(
      printed.failure,
      'HarnessError: containers mode needs an image of the reference API here: there is no ' +
        'reference-api/Dockerfile to build one from (the installed package carries none). Set MYSTOCKS_IMAGE_API ' +
        'to an image built in a checkout (docker build -f reference-api/Dockerfile -t mystocks-api .), or use ' +
        '--stack external',
    );
  });

  it('runs the built OTLP receiver alone in a folder, under the name its container gives it', async () => {
    const containerStack = (await import(join(dist, 'stack', 'containers', 'stack.js'))) as { RECEIVER_TARGET: string };
    assert.equal(containerStack.RECEIVER_TARGET, '/receiver/receiver.mjs');
    // The container gets the one file (stack/containers/stack.ts otlpReceiverContainer): so does this folder.
    const folder = join(work, 'receiver');
    mkdirSync(folder);
    const file = join(folder, 'receiver.mjs');
    cpSync(join(dist, 'stack', 'otlp', 'receiver.js'), file);
    const port = await freePort();
    const receiver = spawn(process.execPath, [file, String(port), join(folder, 'spans.jsonl'), '127.0.0.1'], {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stderr = '';
      receiver.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const started = await new Promise<string>((done, fail) => {
        receiver.stdout.once('data', (chunk: Buffer) => done(chunk.toString()));
        receiver.once('exit', (code) => fail(new Error(`the receiver exited ${code}: ${stderr}`)));
      });
      assert.match(started, new RegExp(`^otlp receiver on http://127\\.0\\.0\\.1:${port}, spans to `));
      const ready = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(ready.status, 200);
    } finally {
      if (receiver.exitCode === null && receiver.signalCode === null) {
        const exited = new Promise((done) => receiver.once('exit', done));
        receiver.kill('SIGTERM');
        await exited;
      }
    }
  });
});
