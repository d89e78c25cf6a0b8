// Artillery runs a TypeScript script by bundling it and its processor with esbuild-wasm, in the main process and
// again in every worker: 6.3 s for the processor alone on the 2-core machine, against 0.43 s with esbuild's
// native binary (docs/performance.md, "Load start"). A JavaScript script and processor are loaded as they are.
// So the harness bundles both itself, once, with native esbuild, and hands Artillery JavaScript; except for a
// scenario whose functions live in the script (the browser scenario), which Artillery's workers can only get by
// loading its TypeScript again (RunScriptOptions.bundle).
//
// Each run gets a folder of its own, load/.runs/<run>/, so two load runs from one checkout never load each other's
// files, half-written ones included: two one-line re-exports of the real script and processor, and their bundles
// in dist/ (CommonJS, as Artillery requires them; dist/package.json says so, since the repository's says
// "module"). The folder is inside the repository on purpose: the bundles leave zod and @playwright/test out, as
// Artillery's own bundling did (the plan's `bundling.external`), and require them at run time, which resolves
// from the bundle's folder upwards, so beside node_modules.
//
// An installed harness whose folder cannot be written (a global install, a read-only image layer) keeps its runs
// in the user's cache instead, $XDG_CACHE_HOME/mystocks-harness/load-runs/ (the harness's cache folder, stack/cache-dir.ts), and where that cannot be written either, in a folder of this process's
// own under the system's temp folder (made by mkdtemp: a shared, guessable temp folder could be handed bundles by
// another user). Outside the package's tree, require() would not find the packages the bundles leave out, so each
// run folder there gets node_modules/<package> links to them, as the harness itself resolves them.
// The installed package carries JavaScript only (scripts/build-package.ts): where the TypeScript source a caller
// names (load/run.ts hands load/scenarios/api.ts and load/processor.ts) is absent, its built .js beside it is
// bundled; esbuild reads either.
//
// Bundles are cached by content: load/.runs/bundles/<key>/ holds the bundles of one set of sources, where the key
// hashes esbuild's version, the entry points and the content of every file the last bundle read (esbuild's
// metafile). A run whose sources did not change copies the two files instead of bundling again.
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { buildSync, version as esbuildVersion } from 'esbuild';
import { cacheWritable, harnessCacheRoot } from '../stack/cache-dir.ts';
import { isSameProcessAlive } from '../stack/state.ts';

/**
 * The package's own folder of runs' scripts, a checkout's load/.runs (ignored by git, the type check and the
 * linter); where it cannot be written, runs go elsewhere ({@link runScriptsDir}).
 */
export const RUN_SCRIPTS_DIR = join(import.meta.dirname, '.runs');
const REPO_DIR = resolve(import.meta.dirname, '..');
/** This process's folder of runs under the system's temp folder, once one was needed (the last resort). */
let temporaryRunScriptsDir: string | undefined;

/**
 * The folder that holds every run's scripts and the bundle cache (its bundles/): the package's own load/.runs/
 * where it can be written, else $XDG_CACHE_HOME/mystocks-harness/load-runs/ (~/.cache/... by default), else a
 * folder of this process's own under the system's temp folder.
 */
export function runScriptsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (cacheWritable(RUN_SCRIPTS_DIR)) return RUN_SCRIPTS_DIR;
  const cached = join(harnessCacheRoot(env), 'load-runs');
  if (cacheWritable(cached)) return cached;
  temporaryRunScriptsDir ??= mkdtempSync(join(tmpdir(), 'mystocks-harness-load-runs-'));
  return temporaryRunScriptsDir;
}
/** Left out of the bundles and required at run time: Artillery's own choice plus the plan's (load/plan.ts). */
const EXTERNAL = ['@playwright/test', 'zod'];

/** A run's own copy of a scenario script, bundled; `dispose` removes it. */
export interface RunScript {
  /** The script to hand Artillery: the JavaScript bundle, or the TypeScript re-export when not bundled. */
  path: string;
  dir: string;
  /** Whether the bundles came from the cache (no esbuild run). */
  cached: boolean;
  dispose(): void;
}

/** Options of {@link prepareRunScript}. */
export interface RunScriptOptions {
  /**
   * Bundle here (default) and hand Artillery JavaScript, or hand it the TypeScript re-export to bundle itself.
   * A scenario whose functions live in the script itself must be bundled by Artillery: a worker gets a JavaScript
   * script from the main process as data (a structured clone, in which functions do not survive), and only a
   * TypeScript one by path, which it loads again. The browser scenario's `testFunction` is such a function; the
   * API scenario names its functions in the processor, which every worker loads by path.
   */
  bundle?: boolean;
}

/**
 * Writes `<run folder>/<script name>`, re-exporting `scenarioFile`'s scenarios, its `$rewriteMetricName` and its
 * config with the processor (if any) pointed at the run's processor, and bundles it and `<run folder>/processor.ts`
 * (a re-export of `processorFile`) into `<run folder>/dist/` (unless `options.bundle` is false).
 */
export function prepareRunScript(
  scenarioFile: string,
  processorFile: string,
  runId: string,
  options: RunScriptOptions = {},
): RunScript {
  const bundled = options.bundle !== false;
  const root = runScriptsDir();
  // The pid and random part keep two runs given the same --run-id apart too.
  removeOrphans(root);
  const dir = join(root, `${runId}-${process.pid}-${randomBytes(3).toString('hex')}`);
  const dist = join(dir, 'dist');
  mkdirSync(dist, { recursive: true });
  if (root !== RUN_SCRIPTS_DIR) linkExternals(dir);
  writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(join(dir, 'processor.ts'), `export * from ${JSON.stringify(sourceOrBuilt(processorFile))};\n`);
  const scriptName = basename(scenarioFile, '.ts');
  const reExport = [
    `import * as script from ${JSON.stringify(sourceOrBuilt(scenarioFile))};`,
    // Artillery resolves the processor against the script's folder: both bundles are in dist/; unbundled, the
    // re-export of the processor beside the script.
    `export const config = script.config.processor ? { ...script.config, processor: './processor.${bundled ? 'js' : 'ts'}' } : script.config;`,
    'export const scenarios = script.scenarios;',
    // The Playwright engine's hook for metric names (load/scenarios/browser.ts keys pages by route); undefined,
    // and so absent from the script, where the scenario has none.
    // Read by name at run time: esbuild would warn about a static read of an export the API scenario lacks.
    "const hook = '$rewriteMetricName';",
    'export const $rewriteMetricName = script[hook];',
    '',
  ].join('\n');
  writeFileSync(join(dir, `${scriptName}.ts`), reExport);
  const cached = bundled ? bundle(reExport, dir, scriptName, root) : false;
  return {
    path: bundled ? join(dist, `${scriptName}.js`) : join(dir, `${scriptName}.ts`),
    dir,
    cached,
    dispose: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }),
  };
}

/** What a cached bundle was made from: each input file (relative to the repository) and its content's hash. */
interface Manifest {
  inputs: Record<string, string>;
}

/**
 * `file`, or where it is a TypeScript source that is absent but built (the installed package), the .js beside it.
 */
function sourceOrBuilt(file: string): string {
  if (!file.endsWith('.ts') || existsSync(file)) return file;
  const built = `${file.slice(0, -'.ts'.length)}.js`;
  return existsSync(built) ? built : file;
}

/**
 * `<run folder>/node_modules/<name>` linked to each package the bundles require at run time, where the harness's
 * own modules resolve it (Node follows the link to the package's real folder, from where its own dependencies
 * resolve). A package that is not installed gets no link: the bundle's require fails as it would in the package.
 */
function linkExternals(dir: string): void {
  const require = createRequire(import.meta.url);
  for (const name of EXTERNAL) {
    const home = require.resolve
      .paths(name)
      ?.map((modules) => join(modules, name))
      .find((candidate) => existsSync(join(candidate, 'package.json')));
    if (!home) continue;
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(home), link, 'dir');
  }
}

/** Bundles the run folder's two entries into its dist/, from the cache when no source changed. */
function bundle(reExport: string, dir: string, scriptName: string, root: string): boolean {
  const bundlesDir = join(root, 'bundles');
  const outputs = [`${scriptName}.js`, 'processor.js'];
  // The sources' identity: the re-export (which names the script and processor), under which esbuild. The
  // manifest beside the cache's bundles then says which files (and contents) those bundles were made from.
  const entryKey = digest(
    [esbuildVersion, reExport, readFileSync(join(dir, 'processor.ts'), 'utf8'), ...EXTERNAL].join('\n'),
  );
  const manifestFile = join(bundlesDir, `${entryKey}.json`);
  const cachedDir = existsSync(manifestFile) ? cacheDirOf(bundlesDir, entryKey, readManifest(manifestFile)) : undefined;
  if (cachedDir && outputs.every((name) => existsSync(join(cachedDir, name)))) {
    for (const name of outputs) copyFileSync(join(cachedDir, name), join(dir, 'dist', name));
    return true;
  }
  const result = buildSync({
    entryPoints: [join(dir, `${scriptName}.ts`), join(dir, 'processor.ts')],
    // The metafile's input paths are relative to this folder (by default the working directory, which is the
    // repository only when the harness is run from there; an installed harness never is).
    absWorkingDir: REPO_DIR,
    outdir: join(dir, 'dist'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // Inline source maps, as Artillery's own bundling writes them: a processor's stack trace names its .ts line.
    sourcemap: 'inline',
    external: EXTERNAL,
    metafile: true,
    logLevel: 'silent',
  });
  // The run folder's re-exports are part of every run's inputs but differ only by their folder: the manifest
  // keeps the real sources, outside .runs/.
  const inputs = Object.keys(result.metafile.inputs)
    .map((input) => resolve(REPO_DIR, input))
    .filter((file) => !file.startsWith(root + sep));
  const manifest: Manifest = {
    inputs: Object.fromEntries(inputs.map((file) => [relative(REPO_DIR, file), digest(readFileSync(file))])),
  };
  store(bundlesDir, entryKey, manifest, join(dir, 'dist'), outputs);
  return false;
}

/** The cache folder of a manifest whose inputs still have the recorded contents, else undefined. */
function cacheDirOf(bundlesDir: string, entryKey: string, manifest: Manifest | undefined): string | undefined {
  if (!manifest) return undefined;
  for (const [file, hash] of Object.entries(manifest.inputs)) {
    const path = join(REPO_DIR, file);
    if (!existsSync(path) || digest(readFileSync(path)) !== hash) return undefined;
  }
  return join(bundlesDir, `${entryKey}-${digest(JSON.stringify(manifest.inputs)).slice(0, 16)}`);
}

/** Puts a fresh bundle in the cache: the files first, then the manifest that points at them. */
function store(
  bundlesDir: string,
  entryKey: string,
  manifest: Manifest,
  fromDir: string,
  outputs: readonly string[],
): void {
  try {
    mkdirSync(bundlesDir, { recursive: true });
    const target = join(bundlesDir, `${entryKey}-${digest(JSON.stringify(manifest.inputs)).slice(0, 16)}`);
    if (!existsSync(target)) {
      // Written whole under a temporary name and renamed: a run reading the cache never sees half a bundle.
      const temporary = `${target}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
      mkdirSync(temporary, { recursive: true });
      for (const name of outputs) copyFileSync(join(fromDir, name), join(temporary, name));
      try {
        renameSync(temporary, target);
      } catch {
        // Another run stored the same bundle first; its copy is as good.
        rmSync(temporary, { recursive: true, force: true });
      }
    }
    const manifestTemporary = join(bundlesDir, `.${entryKey}-${process.pid}-${randomBytes(3).toString('hex')}.json`);
    writeFileSync(manifestTemporary, `${JSON.stringify(manifest)}\n`);
    renameSync(manifestTemporary, join(bundlesDir, `${entryKey}.json`));
  } catch {
    // A cache that cannot be written costs the next run a bundle, nothing more.
  }
}

function readManifest(file: string): Manifest | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>;
    return parsed.inputs && typeof parsed.inputs === 'object' ? { inputs: parsed.inputs } : undefined;
  } catch {
    return undefined;
  }
}

function digest(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Folders of runs whose process is gone (killed before it could remove its own). */
function removeOrphans(root: string): void {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    if (name === 'bundles') continue;
    const pid = Number(/-(\d+)-[0-9a-f]{6}$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || isSameProcessAlive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}
