// The one argument layer of the harness commands: node:util parseArgs plus what every command needs the same
// way. `--help`/`-h` prints the usage and ends with exit 0 (before any other check, so `harness slo check --help`
// works whatever else is on the line); a usage error is a HarnessError (exit 2) carrying the usage text; old
// flag names stay accepted as aliases of the one documented name.
import { readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { HarnessError } from '../core/outcome.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** How a command reads its arguments. */
export interface CommandArgs<O extends Options> {
  usage: string;
  options: O;
  /** Other spellings of a flag: `{ config: 'slo-config' }` reads `--config F` as `--slo-config F`. */
  aliases?: Record<string, keyof O & string>;
  allowPositionals?: boolean;
}

/** Parsed arguments, or `help` when the usage was asked for (already printed). */
export type Parsed<O extends Options> =
  | { help: true }
  | {
      help: false;
      values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];
      positionals: string[];
    };

/** Parses `argv` for a command; see the file's comment. */
export function parseCommandArgs<O extends Options>(argv: string[], spec: CommandArgs<O>): Parsed<O> {
  const separator = argv.indexOf('--');
  const own = separator < 0 ? argv : argv.slice(0, separator);
  if (own.includes('--help') || own.includes('-h')) {
    console.log(spec.usage);
    return { help: true };
  }
  const args = own.map((arg) => {
    for (const [alias, name] of Object.entries(spec.aliases ?? {})) {
      if (arg === `--${alias}`) return `--${name}`;
      if (arg.startsWith(`--${alias}=`)) return `--${name}=${arg.slice(alias.length + 3)}`;
    }
    return arg;
  });
  try {
    const { values, positionals } = parseArgs({
      args,
      options: spec.options,
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    });
    return { help: false, values: values as never, positionals };
  } catch (error) {
    throw new HarnessError(`${error instanceof Error ? error.message : String(error)}\n\n${spec.usage}`);
  }
}

/** The harness' version, from package.json. */
export function harnessVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
