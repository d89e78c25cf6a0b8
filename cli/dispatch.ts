// The dispatcher of the `harness` command (cli/harness.mjs is the entry that loads it). Each subcommand lives in
// cli/commands/<name>.ts and exports `run(argv: string[]): Promise<Verdict>`; it is loaded only when asked for, so
// `harness slo check` never pays for loading Playwright or testcontainers.
//
// This is the one place a verdict becomes an exit code (core/outcome.ts exitCodeOf: pass 0, fail 1,
// inconclusive 2): the verdict a command returned, or the verdict of the HarnessError it threw; any other error
// is inconclusive. No command chooses a number. `runHarnessProcess` sets it as the process's exit code;
// `runHarness` runs a command inside the calling process and returns it with what the command printed, for the
// tests that need a command's words and code but not a process of its own.
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { type ExitCode, exitCodeOf, HarnessError, type Verdict } from '../core/outcome.ts';
import { harnessVersion, UsageError } from './args.ts';
import { COMMANDS } from './harness-commands.ts';
import { didYouMean } from './suggest.ts';

/** The commands' files end as this one does: .ts in a checkout, .js in the built package (scripts/build-package.ts). */
const COMMAND_EXTENSION = extname(import.meta.filename);

export interface CommandModule {
  run(argv: string[]): Promise<Verdict>;
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, text]) => `  ${name.padEnd(width)}  ${text}`);
  return `usage: harness <command> [options]   (harness --version; harness <command> --help)\n\ncommands:\n${lines.join('\n')}\n\nexit codes: 0 pass, 1 fail, 2 inconclusive (bad usage or config, unreachable service, no data)`;
}

async function dispatch(argv: string[]): Promise<Verdict> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    console.log(harnessVersion());
    return 'pass';
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 'inconclusive' : 'pass';
  }
  const modulePath = new URL(`./commands/${name}${COMMAND_EXTENSION}`, import.meta.url);
  if (!(name in COMMANDS) || !existsSync(modulePath)) {
    throw new UsageError('harness', `unknown command '${name}'${didYouMean(name, Object.keys(COMMANDS))}`);
  }
  const command = (await import(modulePath.href)) as CommandModule;
  return command.run(rest);
}

/** The command's verdict; what went wrong is said on stderr, in one line where the harness knows what it was. */
async function verdictOf(argv: string[]): Promise<Verdict> {
  try {
    return await dispatch(argv);
  } catch (error) {
    if (error instanceof HarnessError) {
      console.error(error instanceof UsageError ? error.line() : `harness: ${error.message}`);
      return error.verdict;
    }
    if (error instanceof RangeError && error.message === 'Invalid string length') {
      // An output longer than one string can hold (2^29 - 24 characters): the run could not report what it
      // found, so it is inconclusive, said in one line (report/slo/render.ts names the report where it can), no
      // stack trace.
      console.error('harness: an output is too large to write (Invalid string length)');
      return 'inconclusive';
    }
    console.error(error);
    return 'inconclusive';
  }
}

/** A command's verdict and the exit code it means: the one call of exitCodeOf on a command's verdict. */
async function judge(argv: string[]): Promise<{ verdict: Verdict; exitCode: ExitCode }> {
  const verdict = await verdictOf(argv);
  return { verdict, exitCode: exitCodeOf(verdict) };
}

/** `harness ARGV` as the process: its output goes where the process's goes, its verdict becomes the exit code. */
export async function runHarnessProcess(argv: string[]): Promise<void> {
  process.exitCode = (await judge(argv)).exitCode;
}

/** What an in-process run ended with and printed. */
export interface HarnessRun {
  verdict: Verdict;
  /** The code the process would have exited with. */
  exitCode: ExitCode;
  stdout: string;
  stderr: string;
}

/**
 * Runs `harness ARGV` in this process and returns its verdict, its exit code and all it printed; the process's
 * own exit code is left alone.
 *
 * How the output is caught: commands print with console.log/console.error and, for reports, with
 * process.stdout.write, at any depth (slo/, load/, the stack's logs). Both end in the `write` of
 * process.stdout/process.stderr (the global console writes through them), so those two methods are replaced while
 * a run is under way. The replacement keeps a write for a run only when it is made from inside that run's
 * asynchronous context (AsyncLocalStorage), and hands every other write to the stream as before. A swap of the
 * streams alone would be simpler, but it would also catch what the test runner writes meanwhile: node:test reports
 * on process.stdout, asynchronously, while the next test is already running. With the context, nothing printed
 * outside a run is caught or lost, and two runs at once each keep their own output (rare: node:test runs a file's
 * tests one at a time unless told otherwise, and the unit tier runs its files one after another; it costs nothing
 * more). The stream methods are put back when the last run ends, so nothing of this stays behind in a process that
 * runs many tests (the unit tier).
 *
 * What it does not give a command: an environment, a working directory or stdin of its own (they are the
 * process's), and a command that starts work it does not await may print after it returned, outside the capture.
 */
export async function runHarness(argv: string[]): Promise<HarnessRun> {
  const printed: Printed = { stdout: '', stderr: '' };
  startCapture();
  try {
    const { verdict, exitCode } = await printing.run(printed, () => judge(argv));
    return { verdict, exitCode, stdout: printed.stdout, stderr: printed.stderr };
  } finally {
    stopCapture();
  }
}

interface Printed {
  stdout: string;
  stderr: string;
}

/** The output of the in-process run whose asynchronous context this is. */
const printing = new AsyncLocalStorage<Printed>();
let runsUnderWay = 0;
let restoreStreams: (() => void) | undefined;

function startCapture(): void {
  if (runsUnderWay++ > 0) return;
  const restores = [captureWrites(process.stdout, 'stdout'), captureWrites(process.stderr, 'stderr')];
  restoreStreams = () => {
    for (const restore of restores) restore();
  };
}

function stopCapture(): void {
  if (--runsUnderWay > 0) return;
  restoreStreams?.();
  restoreStreams = undefined;
}

/** Replaces `stream.write` by one that keeps an in-process run's writes; returns what puts it back. */
function captureWrites(stream: NodeJS.WriteStream, key: keyof Printed): () => void {
  const own = Object.hasOwn(stream, 'write');
  const original = stream.write;
  const decoder = new TextDecoder();
  // The signature of Writable.write: (chunk, callback?) or (chunk, encoding?, callback?).
  stream.write = function write(this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    const printed = printing.getStore();
    if (printed === undefined) return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    printed[key] += typeof chunk === 'string' ? chunk : decoder.decode(chunk);
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  } as typeof stream.write;
  return () => {
    if (own) stream.write = original;
    else delete (stream as { write?: unknown }).write;
  };
}
