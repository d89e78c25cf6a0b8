// Artillery bundles a TypeScript script and its processor with esbuild next to the source, at fixed paths
// (load/scenarios/dist/api.ts.js, load/dist/processor.js) and again in every worker. Two load runs from one
// checkout would then write and load each other's bundles, half-written ones included. Each run therefore gets
// a folder of its own, load/.runs/<run>/, holding two one-line re-exports of the real script and processor;
// Artillery bundles those, into that folder's dist/. The folder is inside the repository on purpose: the bundle
// leaves zod (and @playwright/test) out and requires them at run time, which only resolves beside node_modules.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isSameProcessAlive } from '../stack/state.ts';

/** The folder that holds every run's scripts (ignored by git, the type check and the linter). */
export const RUN_SCRIPTS_DIR = join(import.meta.dirname, '.runs');

/** A run's own copy of a scenario script; `dispose` removes it and its bundles. */
export interface RunScript {
  path: string;
  dir: string;
  dispose(): void;
}

/**
 * Writes `<run folder>/<script name>`, re-exporting `scenarioFile`'s scenarios, its `$rewriteMetricName` and its
 * config with the processor (if any) pointed at `<run folder>/processor.ts`, which re-exports `processorFile`.
 */
export function prepareRunScript(scenarioFile: string, processorFile: string, runId: string): RunScript {
  // The pid and random part keep two runs given the same --run-id apart too.
  removeOrphans();
  const dir = join(RUN_SCRIPTS_DIR, `${runId}-${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  // The bundles are CommonJS, and the repository's package.json says "module".
  writeFileSync(join(dir, 'dist', 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(join(dir, 'processor.ts'), `export * from ${JSON.stringify(processorFile)};\n`);
  const path = join(dir, basename(scenarioFile));
  writeFileSync(
    path,
    [
      `import * as script from ${JSON.stringify(scenarioFile)};`,
      // Artillery resolves the processor against this script's folder.
      "export const config = script.config.processor ? { ...script.config, processor: './processor.ts' } : script.config;",
      'export const scenarios = script.scenarios;',
      // The Playwright engine's hook for metric names (load/scenarios/browser.ts keys pages by route); undefined,
      // and so absent from the script, where the scenario has none.
      // Read by name at run time: esbuild would warn about a static read of an export the API scenario lacks.
      "const hook = '$rewriteMetricName';",
      'export const $rewriteMetricName = script[hook];',
      '',
    ].join('\n'),
  );
  return {
    path,
    dir,
    dispose: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }),
  };
}

/** Folders of runs whose process is gone (killed before it could remove its own). */
function removeOrphans(): void {
  if (!existsSync(RUN_SCRIPTS_DIR)) return;
  for (const name of readdirSync(RUN_SCRIPTS_DIR)) {
    const pid = Number(/-(\d+)-[0-9a-f]{6}$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || isSameProcessAlive(pid)) continue;
    rmSync(join(RUN_SCRIPTS_DIR, name), { recursive: true, force: true });
  }
}
