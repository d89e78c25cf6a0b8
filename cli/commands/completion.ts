/**
 * `harness completion bash|zsh|fish`: prints a shell completion script for the harness's commands, subcommands,
 * flags, the values of the flags that take one of a few words, and file names after a flag that takes a file
 * (directories after one that takes a folder). The flags come from each command's own argument spec, so a new
 * flag is completed without touching this file (a new file flag needs its name in FILE_FLAGS). Install: `harness
 * completion bash > /etc/bash_completion.d/harness`, or `source <(harness completion bash)`; for zsh, `source
 * <(harness completion zsh)` after compinit; for fish, `harness completion fish >
 * ~/.config/fish/completions/harness.fish`.
 */
import type { Verdict } from '../../core/outcome.ts';
import { PROFILE_NAMES } from '../../load/profiles.ts';
import { type CommandOptions, type CommandSpec, parseCommandArgs, usageError } from '../args.ts';
import { COMMAND_NAMES, COMMANDS } from '../harness-commands.ts';
import { didYouMean } from '../suggest.ts';
import { DOWN_ARGS } from './down.ts';
import { E2E_ARGS } from './e2e.ts';
import { LOAD_ARGS } from './load.ts';
import { LOAD_COMPARE_ARGS } from './load-compare.ts';
import { LOAD_MERGE_ARGS } from './load-merge.ts';
import { REPORT_ARGS } from './report.ts';
import { SLO_SUBCOMMANDS } from './slo.ts';
import { UP_ARGS } from './up.ts';
import { VERIFY_ARGS } from './verify.ts';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

const USAGE = `usage: harness completion ${SHELLS.join('|')}

Prints a completion script for that shell on stdout:
  bash   source <(harness completion bash)        (or save it in /etc/bash_completion.d/harness)
  zsh    source <(harness completion zsh)          (after compinit, e.g. in ~/.zshrc)
  fish   harness completion fish > ~/.config/fish/completions/harness.fish`;

/** Words to complete after each command, or after `command subcommand`. */
interface Completions {
  /** "up" or "slo check" -> its flags (with --help). */
  flags: Record<string, string[]>;
  /** Subcommands of a command: slo -> check, rules. */
  subcommands: Record<string, string[]>;
  /** Values of a flag that takes one of a few words. */
  values: Record<string, string[]>;
  /** Flags followed by a file name: the shell completes paths after them. */
  files: string[];
  /** Flags followed by a folder: the shell completes directories after them. */
  dirs: string[];
  /** Every flag that takes a value (fish must be told; bash and zsh complete words either way). */
  takeValue: string[];
}

/**
 * The flags, of any command, whose value is a file (a path the shell can complete) or a folder. A flag named
 * `--...-file` is a file flag without being listed (filesOf).
 */
const FILE_FLAGS = ['--slo-config', '--config', '--out', '--baseline', '--spans', '--history'];
const DIR_FLAGS = ['--allure-dir'];

/** `harness slo`'s subcommands as [`slo NAME`, spec], in the order its help lists them. */
const SLO_SPECS: [string, CommandSpec][] = Object.entries(SLO_SUBCOMMANDS).map(([name, spec]) => [`slo ${name}`, spec]);

const SPECS: [CommandOptions, Record<string, string>?][] = [
  [UP_ARGS.options],
  [DOWN_ARGS.options],
  [E2E_ARGS.options],
  [LOAD_ARGS.options, LOAD_ARGS.aliases],
  [VERIFY_ARGS.options, VERIFY_ARGS.aliases],
  [REPORT_ARGS.options],
  [LOAD_COMPARE_ARGS.options],
  [LOAD_MERGE_ARGS.options],
  ...SLO_SPECS.map(([, spec]): [CommandOptions, Record<string, string>?] => [spec.options, spec.aliases]),
];

/** FILE_FLAGS and every flag of type string whose name ends in -file, sorted. */
function fileFlags(): string[] {
  const named = flagsTakingValue().filter((flag) => flag.endsWith('-file'));
  return [...new Set([...FILE_FLAGS, ...named])].sort();
}

/** Every flag of type string (an alias takes a value when the flag it stands for does). */
function flagsTakingValue(): string[] {
  const names = new Set<string>();
  for (const [options, aliases = {}] of SPECS) {
    for (const [name, option] of Object.entries(options)) if (option.type === 'string') names.add(`--${name}`);
    for (const [alias, name] of Object.entries(aliases)) if (options[name]?.type === 'string') names.add(`--${alias}`);
  }
  return [...names].sort();
}

function flagsOf(options: CommandOptions, aliases: Record<string, string> = {}): string[] {
  return [...Object.keys(options), ...Object.keys(aliases), 'help'].map((name) => `--${name}`);
}

/** Everything the scripts complete, from the commands' own argument specs. */
export function completions(): Completions {
  return {
    flags: {
      up: flagsOf(UP_ARGS.options),
      down: flagsOf(DOWN_ARGS.options),
      e2e: flagsOf(E2E_ARGS.options),
      load: flagsOf(LOAD_ARGS.options, LOAD_ARGS.aliases),
      verify: flagsOf(VERIFY_ARGS.options, VERIFY_ARGS.aliases),
      report: flagsOf(REPORT_ARGS.options),
      'load compare': flagsOf(LOAD_COMPARE_ARGS.options),
      'load merge': flagsOf(LOAD_MERGE_ARGS.options),
      ...Object.fromEntries(SLO_SPECS.map(([command, spec]) => [command, flagsOf(spec.options, spec.aliases)])),
      completion: ['--help'],
    },
    subcommands: {
      slo: Object.keys(SLO_SUBCOMMANDS),
      load: [...LOAD_ARGS.subcommands],
      completion: [...SHELLS],
    },
    values: {
      '--stack': ['auto', 'containers', 'local', 'external'],
      '--profile': [...PROFILE_NAMES],
      '--format': ['table', 'json', 'junit', 'markdown', 'prometheus', 'prometheus-operator', 'text'],
      '--to': ['harness', 'sloth', 'openslo'],
      '--skip': ['e2e', 'load', 'slo'],
    },
    files: fileFlags(),
    dirs: DIR_FLAGS,
    takeValue: flagsTakingValue(),
  };
}

export async function run(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, { usage: USAGE, options: {}, allowPositionals: true });
  if (parsed.help) return 'pass';
  const [shell, ...extra] = parsed.positionals;
  if (shell === undefined) throw usageError(USAGE, `which shell? ${SHELLS.join(', ')}`);
  if (extra.length > 0 || !(SHELLS as readonly string[]).includes(shell)) {
    const word = [shell, ...extra].join(' ');
    throw usageError(USAGE, `'${word}' is not one of ${SHELLS.join(', ')}${didYouMean(word, SHELLS)}`);
  }
  const script = { bash: bashScript, zsh: zshScript, fish: fishScript }[shell as (typeof SHELLS)[number]];
  process.stdout.write(script(completions()));
  return 'pass';
}

/** A shell case label ("slo check" -> "slo check") and a word list, quoted for both shells. */
const words = (list: readonly string[]) => `'${list.join(' ')}'`;

export function bashScript(c: Completions): string {
  const valueCases = Object.entries(c.values)
    .map(([flag, list]) => `    ${flag}) COMPREPLY=($(compgen -W ${words(list)} -- "$cur")); return ;;`)
    .join('\n');
  const flagCases = Object.entries(c.flags)
    .map(([key, list]) => `    '${key}') COMPREPLY=($(compgen -W ${words(list)} -- "$cur")) ;;`)
    .join('\n');
  const subCases = Object.entries(c.subcommands)
    .map(([command, list]) => `    ${command}) COMPREPLY=($(compgen -W ${words(list)} -- "$cur")); return ;;`)
    .join('\n');
  // compopt -o filenames: a directory is shown with its slash and a name with spaces quoted, as ls would; IFS is
  // a newline so such a name stays one word.
  const pathCases = [
    `    ${c.files.join('|')}) compopt -o filenames 2>/dev/null; local IFS=$'\\n'; COMPREPLY=($(compgen -f -- "$cur")); return ;;`,
    `    ${c.dirs.join('|')}) compopt -o filenames 2>/dev/null; local IFS=$'\\n'; COMPREPLY=($(compgen -d -- "$cur")); return ;;`,
  ].join('\n');
  return `# bash completion for harness (generated by \`harness completion bash\`)
_harness() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W ${words([...COMMAND_NAMES, '--help', '--version'])} -- "$cur"))
    return
  fi
  local command="\${COMP_WORDS[1]}" key="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 2 ] && [[ "$cur" != -* ]]; then
    case "$command" in
${subCases}
    esac
  fi
  case "$prev" in
${valueCases}
${pathCases}
  esac
  case "$command \${COMP_WORDS[2]}" in 'slo '*|'load compare'|'load merge') key="$command \${COMP_WORDS[2]}" ;; esac
  case "$key" in
${flagCases}
  esac
}
complete -F _harness harness
`;
}

export function zshScript(c: Completions): string {
  const valueCases = Object.entries(c.values)
    .map(([flag, list]) => `    ${flag}) compadd -- ${list.join(' ')}; return ;;`)
    .join('\n');
  const flagCases = Object.entries(c.flags)
    .map(([key, list]) => `    '${key}') compadd -- ${list.join(' ')} ;;`)
    .join('\n');
  const subCases = Object.entries(c.subcommands)
    .map(([command, list]) => `      ${command}) compadd -- ${list.join(' ')}; return ;;`)
    .join('\n');
  const pathCases = [
    `    ${c.files.join('|')}) _files; return ;;`,
    `    ${c.dirs.join('|')}) _files -/; return ;;`,
  ].join('\n');
  return `# zsh completion for harness (generated by \`harness completion zsh\`)
_harness() {
  if (( CURRENT == 2 )); then
    compadd -- ${[...COMMAND_NAMES, '--help', '--version'].join(' ')}
    return
  fi
  if (( CURRENT == 3 )) && [[ $words[CURRENT] != -* ]]; then
    case $words[2] in
${subCases}
    esac
  fi
  case $words[CURRENT-1] in
${valueCases}
${pathCases}
  esac
  local key=$words[2]
  [[ $key == slo || "$key $words[3]" == 'load compare' || "$key $words[3]" == 'load merge' ]] && key="$key $words[3]"
  case $key in
${flagCases}
  esac
}
compdef _harness harness
`;
}

/**
 * The fish script: one `complete` line per command, subcommand and flag. `-f` first turns off fish's default of
 * completing files everywhere; a file flag gets them back (`-r -F`), a folder flag directories, a flag of a few
 * words those words (`-x -a`), any other flag that takes a value just that it does (`-x`). A command's flags are
 * offered once the command is on the line and, for `slo`, `load compare` and `load merge`, its subcommand.
 */
export function fishScript(c: Completions): string {
  const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = [
    '# fish completion for harness (generated by `harness completion fish`)',
    'complete -c harness -f',
    ...COMMAND_NAMES.map(
      (name) => `complete -c harness -n __fish_use_subcommand -a ${name} -d ${quote(COMMANDS[name] ?? '')}`,
    ),
    "complete -c harness -n __fish_use_subcommand -l version -d 'print the version'",
  ];
  for (const [command, list] of Object.entries(c.subcommands)) {
    const none = `not __fish_seen_subcommand_from ${list.join(' ')}`;
    lines.push(
      `complete -c harness -n '__fish_seen_subcommand_from ${command}; and ${none}' -a ${quote(list.join(' '))}`,
    );
  }
  for (const [key, flags] of Object.entries(c.flags)) {
    const [command, sub] = key.split(' ') as [string, string | undefined];
    const subs = c.subcommands[command] ?? [];
    // `load` alone: not once `compare` or `merge` follows it; `slo` needs its subcommand.
    const condition =
      sub !== undefined
        ? `__fish_seen_subcommand_from ${command}; and __fish_seen_subcommand_from ${sub}`
        : subs.length > 0 && command !== 'completion'
          ? `__fish_seen_subcommand_from ${command}; and not __fish_seen_subcommand_from ${subs.join(' ')}`
          : `__fish_seen_subcommand_from ${command}`;
    for (const flag of flags)
      lines.push(`complete -c harness -n ${quote(condition)} -l ${flag.slice(2)}${fishArgument(c, flag)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** What follows a flag in fish: files, folders, one of a few words, any value, or nothing. */
function fishArgument(c: Completions, flag: string): string {
  if (c.files.includes(flag)) return ' -r -F';
  if (c.dirs.includes(flag)) return " -x -a '(__fish_complete_directories)'";
  const values = c.values[flag];
  if (values !== undefined) return ` -x -a '${values.join(' ')}'`;
  return c.takeValue.includes(flag) ? ' -x' : '';
}
