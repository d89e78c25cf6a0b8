// The harness hands Artillery JavaScript it bundled itself (load/run-script.ts): the bundles load as Artillery
// loads them (require, CommonJS) with the processor's functions and the scenario's config pointing at the
// processor bundle; a second run of unchanged sources takes them from the cache; a changed source, even one
// imported two levels down, is bundled again.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { prepareRunScript } from './run-script.ts';
import { scriptLoadPlan } from './testing/script-plan.ts';

const require = createRequire(import.meta.url);
const sources = mkdtempSync(join(tmpdir(), 'harness-run-script-'));
after(() => rmSync(sources, { recursive: true, force: true }));

test('the real API script and processor bundle into CommonJS that loads as Artillery loads it', () => {
  const run = prepareRunScript(
    join(import.meta.dirname, 'scenarios', 'api.ts'),
    join(import.meta.dirname, 'processor.ts'),
    'bundle-test',
  );
  try {
    assert.match(run.path, /dist\/api\.js$/);
    const processor = require(run.path.replace(/api\.js$/, 'processor.js')) as Record<string, unknown>;
    for (const hook of ['checkResponse', 'newTrader', 'pickData'])
      assert.equal(typeof processor[hook], 'function', hook);
    // The script reads its plan from the environment when it loads, as in an Artillery worker.
    process.env.MYSTOCKS_LOAD_PLAN = JSON.stringify(scriptLoadPlan('bundle-test'));
    const script = require(run.path) as { config: { processor: string; target: string }; scenarios: unknown[] };
    assert.equal(script.config.processor, './processor.js');
    assert.equal(script.config.target, 'http://127.0.0.1:9');
    assert.ok(script.scenarios.length > 0);
    // zod stays out of the bundle, required from node_modules at run time as Artillery's own bundling left it.
    const bundles = readFileSync(run.path, 'utf8') + readFileSync(run.path.replace(/api\.js$/, 'processor.js'), 'utf8');
    assert.match(bundles, /require\("zod"\)/);
  } finally {
    delete process.env.MYSTOCKS_LOAD_PLAN;
    run.dispose();
  }
});

test('unchanged sources come from the cache; a change two imports down is bundled again', () => {
  const scenario = join(sources, 'scenario.ts');
  const processor = join(sources, 'processor.ts');
  const deep = join(sources, 'deep.ts');
  writeFileSync(deep, "export const answer = 'first';\n");
  writeFileSync(join(sources, 'middle.ts'), "export { answer } from './deep.ts';\n");
  writeFileSync(
    processor,
    "import { answer } from './middle.ts';\nexport function hook(): string { return answer; }\n",
  );
  writeFileSync(
    scenario,
    "export const config = { target: 'http://127.0.0.1:9', processor: './processor.ts' };\nexport const scenarios = [];\n",
  );
  const hookOf = (path: string) =>
    (require(path.replace(/scenario\.js$/, 'processor.js')) as { hook(): string }).hook();

  const first = prepareRunScript(scenario, processor, 'cache-a');
  const second = prepareRunScript(scenario, processor, 'cache-b');
  writeFileSync(deep, "export const answer = 'second';\n");
  const third = prepareRunScript(scenario, processor, 'cache-c');
  try {
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.equal(hookOf(second.path), 'first');
    assert.equal(third.cached, false);
    assert.equal(hookOf(third.path), 'second');
  } finally {
    for (const run of [first, second, third]) run.dispose();
  }
});

test('bundles from any working directory (an installed harness never runs from its own folder)', () => {
  // esbuild names the files it read relative to its working directory, the process's when esbuild started; the
  // cache's manifest reads them again. So a process started elsewhere, and a new folder of sources, whose bundle
  // is not in the cache yet: esbuild runs.
  const elsewhere = mkdtempSync(join(sources, 'cwd-'));
  const scenario = join(elsewhere, 'scenario.ts');
  const processor = join(elsewhere, 'processor.ts');
  writeFileSync(processor, "export function hook(): string { return 'from elsewhere'; }\n");
  writeFileSync(scenario, "export const config = { target: 'http://127.0.0.1:9' };\nexport const scenarios = [];\n");
  const script = [
    `import { prepareRunScript } from ${JSON.stringify(join(import.meta.dirname, 'run-script.ts'))};`,
    `const run = prepareRunScript(${JSON.stringify(scenario)}, ${JSON.stringify(processor)}, 'cwd-test');`,
    'console.log(JSON.stringify({ path: run.path, cached: run.cached }));',
  ].join('\n');
  const printed = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: elsewhere,
    encoding: 'utf8',
  });
  const run = JSON.parse(printed) as { path: string; cached: boolean };
  try {
    assert.equal(run.cached, false);
    const bundled = require(run.path.replace(/scenario\.js$/, 'processor.js')) as { hook(): string };
    assert.equal(bundled.hook(), 'from elsewhere');
  } finally {
    rmSync(dirname(dirname(run.path)), { recursive: true, force: true });
  }
});

test('a scenario Artillery must bundle itself gets the TypeScript re-export, its processor beside it', () => {
  const run = prepareRunScript(
    join(import.meta.dirname, 'scenarios', 'browser.ts'),
    join(import.meta.dirname, 'processor.ts'),
    'unbundled-test',
    { bundle: false },
  );
  try {
    assert.match(run.path, /unbundled-test-[^/]+\/browser\.ts$/);
    assert.equal(run.cached, false);
    assert.match(readFileSync(run.path, 'utf8'), /processor: '\.\/processor\.ts'/);
    assert.match(readFileSync(join(run.dir, 'processor.ts'), 'utf8'), /export \* from ".*\/load\/processor\.ts"/);
  } finally {
    run.dispose();
  }
});
