// The one argument layer of the harness commands: node:util parseArgs plus what every command needs the same
// way. `--help`/`-h` prints the usage and ends with exit 0 (before any other check, so `harness slo check --help`
// works whatever else is on the line); a usage error is a UsageError (exit 2): one line naming the command, what
// was wrong, a "did you mean" where a known word is close, and where the help is; old flag names stay accepted as
// aliases of the one documented name.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { HarnessError } from '../core/outcome.ts';
import { didYouMean } from './suggest.ts';

export { harnessVersion } from '../core/version.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
/** The flags of any command, as node:util parseArgs takes them. */
export type CommandOptions = Options;

/** How a command reads its arguments. */
export interface CommandArgs<O extends Options> {
  usage: string;
  options: O;
  /** Other spellings of a flag: `{ config: 'slo-config' }` reads `--config F` as `--slo-config F`. */
  aliases?: Record<string, keyof O & string>;
  allowPositionals?: boolean;
  /** Subcommands the command dispatches before parsing (load: compare): a stray word near one is offered it. */
  subcommands?: readonly string[];
}

/** Any command's spec: what each command's `..._ARGS` satisfies (and `harness completion` reads). */
export type CommandSpec = CommandArgs<Options>;

/** Parsed arguments, or `help` when the usage was asked for (already printed). */
export type Parsed<O extends Options> =
  | { help: true }
  | {
      help: false;
      values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];
      positionals: string[];
      /** The arguments after `--`, untouched and unparsed: what e2e and verify hand to `playwright test`. */
      passthrough: string[];
    };

/** Parses `argv` for a command; see the file's comment. */
export function parseCommandArgs<O extends Options>(argv: string[], spec: CommandArgs<O>): Parsed<O> {
  const separator = argv.indexOf('--');
  const own = separator < 0 ? argv : argv.slice(0, separator);
  const passthrough = separator < 0 ? [] : argv.slice(separator + 1);
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
    return { help: false, values: values as never, positionals, passthrough };
  } catch (error) {
    throw usageError(spec.usage, parseArgsMessage(error, spec));
  }
}

/**
 * A wrong command line: the dispatcher (cli/dispatch.ts) prints it as one line, `harness slo check: unknown option
 * '--formt'; did you mean '--format'? (harness slo check --help)`, and exits 2, without the usage page (--help
 * prints that).
 */
export class UsageError extends HarnessError {
  /** The command as typed up to the subcommand: "harness slo check". */
  readonly command: string;
  constructor(command: string, message: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
  /** The one line printed on stderr. */
  line(): string {
    return `${this.command}: ${this.message} (${this.command} --help)`;
  }
}

/** The command a usage page is about, from its first line: "usage: harness slo check [..." -> "harness slo check". */
export function commandOfUsage(usage: string): string {
  // Words in lower case up to the first flag, placeholder or list of choices ("bash|zsh" is not a subcommand).
  return /^usage: (harness(?: [a-z][a-z0-9-]*(?=[ \n]|$))*)/.exec(usage)?.[1] ?? 'harness';
}

/** A usage error of the command whose usage page this is; `message` is one line. */
export function usageError(usage: string, message: string): UsageError {
  return new UsageError(commandOfUsage(usage), message);
}

/**
 * node:util parseArgs's error in the harness's words. Its messages are sentences written for programmers
 * ("Unknown option '--formt'. To specify a positional argument starting with a '-', place it at the end of the
 * command after '--', as in '-- \"--formt\"."), so the known codes are said again in one line, and the first
 * sentence of anything else is kept.
 */
function parseArgsMessage<O extends Options>(error: unknown, spec: CommandArgs<O>): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const quoted = /'([^']*)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) {
    const flags = [...Object.keys(spec.options), ...Object.keys(spec.aliases ?? {}), 'help'].map((name) => `--${name}`);
    return `unknown option '${quoted}'${didYouMean(quoted, flags)}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted !== undefined) {
    const near = didYouMean(quoted, spec.subcommands ?? []);
    if (near !== '') return `unknown command '${quoted}'${near}`;
    return `unexpected argument '${quoted}': this command takes none`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '--out <value>' argument missing" / "Option '--json' does not take an argument".
    const flag = /'(-[^ ']+)/.exec(message)?.[1] ?? '';
    return /missing/.test(message) ? `${flag} needs a value` : `${flag} takes no value`;
  }
  return (message.split(/(?<=\.) /)[0] ?? message).replace(/\.$/, '');
}
