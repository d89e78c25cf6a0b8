// Artillery's `run` command, started without the rest of Artillery's CLI: `node load/artillery-run.ts ARGS...` is
// `artillery run ARGS...`. Why: Artillery's launcher (bin/run) hands its CLI to oclif, and oclif, finding no
// command manifest in the package, imports every command to list them (run-fargate, run-lambda and run-aci,
// with the AWS and Azure SDKs they load), some 0.75 s of every load run's start on this project's machines
// (docs/performance.md, "Load start"). This does what bin/run does, except that it tells oclif, through its
// documented `pattern` command discovery, that the package has one command: `run`. The `run` command, its flags,
// exit codes and hooks are Artillery's own. Cloud runs (`--platform`, load/platform.ts) use bin/run, since their
// commands are the ones left out here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Interfaces } from '@oclif/core';

const artilleryRoot = dirname(createRequire(import.meta.url).resolve('artillery/package.json'));
// oclif is Artillery's dependency, not the harness's: resolved from Artillery's package, as bin/run resolves it.
const oclif = (await import(
  pathToFileURL(createRequire(join(artilleryRoot, 'package.json')).resolve('@oclif/core')).href
)) as typeof import('@oclif/core');

const pjson = JSON.parse(readFileSync(join(artilleryRoot, 'package.json'), 'utf8')) as Interfaces.PJSON;
// bin/run's settings and start, in its order.
oclif.settings.enableAutoTranspile = false;
const { createGlobalObject } = (await import(
  pathToFileURL(join(artilleryRoot, 'dist', 'lib', 'artillery-global.js')).href
)) as { createGlobalObject(): Promise<void> };
const { default: setupConsoleCapture } = (await import(
  pathToFileURL(join(artilleryRoot, 'dist', 'lib', 'console-capture.js')).href
)) as { default(): Promise<void> };
await createGlobalObject();
await setupConsoleCapture();

const config = await oclif.Config.load({
  root: artilleryRoot,
  pjson: {
    ...pjson,
    // The commands folder and its one file that matters; no help or not-found plugins (no command to suggest).
    oclif: {
      ...pjson.oclif,
      commands: { strategy: 'pattern', target: './dist/lib/cmds', globPatterns: ['run.js'] },
      plugins: [],
    },
  },
});
await config
  .runCommand('run', process.argv.slice(2))
  .then(() => oclif.flush())
  .catch(oclif.handle);
