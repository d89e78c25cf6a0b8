#!/usr/bin/env node
// The `harness` command. Each subcommand lives in cli/commands/<name>.ts and exports
// `run(argv: string[]): Promise<Verdict>`; it is loaded only when asked for, so `harness slo check`
// never pays for loading Playwright or testcontainers.
//
// This is the one place a verdict becomes the process's exit code (core/outcome.ts exitCodeOf: pass 0, fail 1,
// inconclusive 2): the verdict a command returned, or the verdict of the HarnessError it threw; any other error
// is inconclusive. No command chooses a number.
import { existsSync } from 'node:fs';
import { exitCodeOf, HarnessError, type Verdict } from '../core/outcome.ts';
import { harnessVersion, UsageError } from './args.ts';
import { COMMANDS } from './harness-commands.ts';
import { didYouMean } from './suggest.ts';

export interface CommandModule {
  run(argv: string[]): Promise<Verdict>;
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, text]) => `  ${name.padEnd(width)}  ${text}`);
  return `usage: harness <command> [options]   (harness --version; harness <command> --help)\n\ncommands:\n${lines.join('\n')}\n\nexit codes: 0 pass, 1 fail, 2 inconclusive (bad usage or config, unreachable service, no data)`;
}

async function main(argv: string[]): Promise<Verdict> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    console.log(harnessVersion());
    return 'pass';
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 'inconclusive' : 'pass';
  }
  const modulePath = new URL(`./commands/${name}.ts`, import.meta.url);
  if (!(name in COMMANDS) || !existsSync(modulePath)) {
    throw new UsageError('harness', `unknown command '${name}'${didYouMean(name, Object.keys(COMMANDS))}`);
  }
  const command = (await import(modulePath.href)) as CommandModule;
  return command.run(rest);
}

let verdict: Verdict;
try {
  verdict = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.line());
    verdict = error.verdict;
  } else if (error instanceof HarnessError) {
    console.error(`harness: ${error.message}`);
    verdict = error.verdict;
  } else if (error instanceof RangeError && error.message === 'Invalid string length') {
    // An output longer than one string can hold (2^29 - 24 characters): the run could not report what it found,
    // so it is inconclusive, said in one line (slo/report/render.ts names the report where it can), no stack trace.
    console.error('harness: an output is too large to write (Invalid string length)');
    verdict = 'inconclusive';
  } else {
    console.error(error);
    verdict = 'inconclusive';
  }
}
process.exitCode = exitCodeOf(verdict);
