#!/usr/bin/env node
// The `harness` command's entry (package.json bin; `node cli/harness.ts` comes here too): it turns on Node's module
// compile cache, then loads the dispatcher (cli/dispatch.ts), which runs the command and is the one place its
// verdict becomes the exit code.
//
// The cache keeps on disk what Node made of each module it loaded (for a .ts file the type-stripped source and
// V8's compiled code), so the next start of the same files skips stripping and compiling; a module changed since
// is compiled afresh. It covers only the modules loaded after it is turned on, hence a file that imports nothing
// but Node's own modules (built in, never compiled) and loads everything else by the dynamic import below. And hence JavaScript: Node strips a .ts
// entry's types before the cache can be on, and loading its type stripper for that one file cost as much as the
// cache saved on `harness --help` (docs/performance.md, "CLI start"). The user's settings win, as Node reads them:
// NODE_COMPILE_CACHE=DIR puts the cache there (Node turned it on before this file), NODE_DISABLE_COMPILE_CACHE=1
// keeps it off; by default it goes to node-compile-cache in the system's temp folder. A cache that cannot be
// written is no error: enableCompileCache says so in its result instead of throwing, and the command runs uncached.
//
// The same file is the bin of the installed package (package.json `files`), which holds no TypeScript: Node strips
// no types under node_modules, so the package carries the dispatcher built to JavaScript in dist/
// (scripts/build-package.ts). A checkout has cli/dispatch.ts beside this file and runs it, built or not.
import { existsSync } from 'node:fs';
import { enableCompileCache } from 'node:module';

enableCompileCache();
const source = new URL('./dispatch.ts', import.meta.url);
const dispatcher = existsSync(source) ? source : new URL('../dist/cli/dispatch.js', import.meta.url);
const { runHarnessProcess } = await import(dispatcher.href);
await runHarnessProcess(process.argv.slice(2));
