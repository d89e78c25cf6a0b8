// The CLI's start: how long `harness --help` and `harness slo check --help` take, launched four ways
// (docs/performance.md, "CLI start"):
//   off    `node cli/harness.ts` with NODE_DISABLE_COMPILE_CACHE=1: every module type-stripped and compiled at
//          each start, as before the entry turned Node's module compile cache on;
//   ts     `node cli/harness.ts`, as the docs run it: its own types are stripped (loading Node's type stripper)
//          before it imports the entry, cli/harness.mjs, which turns the cache on in its default folder
//          (node-compile-cache in the temp folder; TMPDIR is an empty folder of this run's);
//   bin    `node cli/harness.mjs`, what the `harness` bin (npx harness) runs, npx's own start left out: the cache
//          is on before any TypeScript is read, in the same default folder;
//   env    `node cli/harness.ts` with NODE_COMPILE_CACHE=DIR set by the user: the cache is on before Node reads
//          the first file, so even harness.ts's stripping is cached.
// Each cached way has a cache folder per command, filled by one launch before the rounds (as every start after a
// user's first one finds it). The ways take turns within each round, the first place moving on each round, so the
// machine's load falls on all of them. Each launch is measured twice: its wall time (spawn to exit, what a user
// waits) and the CPU time the process used (user + system, written at its exit by a preloaded one-line module:
// on a machine shared with other work, CPU time moves far less with the load than wall time). Prints each round's
// wall times, then per command the medians and their ratios (off / each other way) from this one run, and each
// command's first launch into the bin's empty cache.
//   node bench/cli/start.ts [--rounds 10]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '10' } } });
const rounds = Number(values.rounds);
const CLI = join(import.meta.dirname, '..', '..', 'cli');
const COMMANDS = [['--help'], ['slo', 'check', '--help']];
const WAYS = ['off', 'ts', 'bin', 'env'] as const;
type Way = (typeof WAYS)[number];
const work = mkdtempSync(join(tmpdir(), 'harness-bench-compile-cache-'));

/** The environment of a launch of `args` the given way: the caller's, less its own compile-cache settings. */
function environment(args: string[], way: Way): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const folder = join(work, way, args.join('_'));
  if (way === 'off') env.NODE_DISABLE_COMPILE_CACHE = '1';
  if (way === 'ts' || way === 'bin') env.TMPDIR = folder; // the entry's cache goes to TMPDIR/node-compile-cache
  if (way === 'env') env.NODE_COMPILE_CACHE = folder;
  return env;
}

/** Written by each launch at its exit: the CPU time it used, in milliseconds (JavaScript: never type-stripped). */
const CPU_FILE = join(work, 'cpu-ms');
const CPU_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); " +
    `writeFileSync(${JSON.stringify(CPU_FILE)}, String((u.user + u.system) / 1000)); });`,
)}`;

interface Launch {
  wallMs: number;
  cpuMs: number;
}

/** One launch's wall time, from spawn to exit, and CPU time; a launch that does not exit 0 ends the bench. */
async function launch(args: string[], way: Way): Promise<Launch> {
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const entry = join(CLI, way === 'bin' ? 'harness.mjs' : 'harness.ts');
    const child = spawn(process.execPath, ['--import', CPU_PRELOAD, entry, ...args], {
      stdio: 'ignore',
      env: environment(args, way),
    });
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`harness ${args.join(' ')} (${way}) exited ${code}`);
  return { wallMs, cpuMs: Number(readFileSync(CPU_FILE, 'utf8')) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number) => `${value.toFixed(0)} ms`;

try {
  const times = COMMANDS.map(() => ({
    ...(Object.fromEntries(WAYS.map((way) => [way, [] as Launch[]])) as Record<Way, Launch[]>),
    first: 0,
  }));
  for (const [i, args] of COMMANDS.entries()) {
    for (const way of WAYS) mkdirSync(join(work, way, args.join('_')), { recursive: true });
    times[i]!.first = (await launch(args, 'bin')).wallMs;
    for (const way of ['ts', 'env'] as const) await launch(args, way);
  }
  for (let round = 0; round < rounds; round++) {
    const order = WAYS.map((_, k) => WAYS[(k + round) % WAYS.length]!);
    const line: string[] = [];
    for (const [i, args] of COMMANDS.entries()) {
      for (const way of order) times[i]![way].push(await launch(args, way));
      line.push(`${args.join(' ')}: ${WAYS.map((way) => `${way} ${ms(times[i]![way].at(-1)!.wallMs)}`).join(', ')}`);
    }
    console.log(`round ${round + 1}: ${line.join('; ')}`);
  }
  for (const [i, args] of COMMANDS.entries()) {
    const row = times[i]!;
    for (const measure of ['wallMs', 'cpuMs'] as const) {
      const medians = WAYS.map((way) => median(row[way].map((one) => one[measure])));
      const off = medians[0]!;
      const ratios = WAYS.slice(1).map((way, k) => `off/${way} ${(off / medians[k + 1]!).toFixed(2)}`);
      console.log(
        `harness ${args.join(' ')}, ${measure === 'wallMs' ? 'wall' : 'CPU'} time: median ` +
          `${WAYS.map((way, k) => `${way} ${ms(medians[k]!)}`).join(', ')}; ratio ${ratios.join(', ')}`,
      );
    }
    console.log(`harness ${args.join(' ')}: the first launch into the bin's empty cache ${ms(row.first)} (wall)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
