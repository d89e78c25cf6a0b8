// `npm run build` (and npm's prepack, so `npm pack` builds first): the harness as an installable package in dist/.
// The checkout never needs it: there Node strips the types of every .ts file it loads. An installed copy lives under
// node_modules, where Node refuses to strip types (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), so the package
// carries JavaScript: tsc with tsconfig.build.json writes dist/ in the checkout's layout (dist/cli, dist/slo, ...)
// with every relative `.ts` import rewritten to `.js`, and type declarations beside.
//
// Then the files the harness reads at run time relative to its own modules, copied to the same place under dist/:
//   slo/slo-config.yaml (the default SLO file) and slo/slo-config.schema.json (its JSON Schema, named by the file);
//   allurerc.mjs (the Allure config every report's config imports: report/verify/allure.ts);
//   the Artillery plugin's package.json, its `main` pointed at the built index.js;
//   e2e/__screenshots__/<spec>.ts/ as <spec>.js/: the visual spec's baselines, found through {testFilePath}
//   (playwright.config.ts snapshotPathTemplate), which is the built spec's name;
//   dist/package.json: `"type": "module"` (dist/'s nearest package.json decides how Node reads its .js files) and
//   the version core/version.ts reads from the package.json one folder above it (`harness --version`).
// Each copy is checked to exist, so a moved asset fails the build rather than an installed harness.
//
// No TypeScript source is copied: load/run.ts names the load scenarios and the processor as .ts files, and
// load/run-script.ts bundles the built .js beside a missing .ts (esbuild reads either). A source beside its
// declaration would also be what a team's TypeScript reads for an import of the package (a .d.ts's `./x.ts`
// resolves to x.ts first), and check it as their own code. The modules a team may import are package.json's
// `exports`; scripts/build-package.int.test.ts holds every target of that map to a fresh build.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');

/** Files copied as they are, relative to the repository and to dist/ alike. */
const ASSETS = ['slo/slo-config.yaml', 'slo/slo-config.schema.json', 'allurerc.mjs'];
const PROGRESS_PLUGIN = 'load/plugins/artillery-plugin-mystocks-progress';
const SCREENSHOTS = 'e2e/__screenshots__';

function copy(from: string, to: string): void {
  if (!existsSync(from)) throw new Error(`build: ${relative(REPO, from)} is missing`);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}

/** Builds the package into `outDir` (default dist/); returns the folder. */
export function buildPackage(outDir: string = join(REPO, 'dist')): string {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.build.json'), '--outDir', outDir], {
    cwd: REPO,
    stdio: 'inherit',
  });
  for (const asset of ASSETS) copy(join(REPO, asset), join(outDir, asset));

  const plugin = JSON.parse(readFileSync(join(REPO, PROGRESS_PLUGIN, 'package.json'), 'utf8')) as { main: string };
  const main = plugin.main.replace(/\.ts$/, '.js');
  if (!existsSync(join(outDir, PROGRESS_PLUGIN, main)))
    throw new Error(`build: ${PROGRESS_PLUGIN}/${main} was not built`);
  writeFileSync(join(outDir, PROGRESS_PLUGIN, 'package.json'), `${JSON.stringify({ ...plugin, main }, null, 2)}\n`);

  for (const spec of readdirSync(join(REPO, SCREENSHOTS))) {
    copy(join(REPO, SCREENSHOTS, spec), join(outDir, SCREENSHOTS, spec.replace(/\.ts$/, '.js')));
  }

  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: 'module', version }, null, 2)}\n`);
  // The bin (cli/harness.mjs, shipped as it is) loads this file where the checkout's TypeScript is absent.
  if (!existsSync(join(outDir, 'cli', 'dispatch.js'))) throw new Error('build: dist/cli/dispatch.js was not built');
  return outDir;
}

if (import.meta.main) {
  const outDir = buildPackage(process.argv[2] ? resolve(process.argv[2]) : undefined);
  // On stderr: `npm pack --json` runs this (prepack) and its stdout must stay npm's JSON.
  console.error(`built ${relative(process.cwd(), outDir) || '.'}`);
}
