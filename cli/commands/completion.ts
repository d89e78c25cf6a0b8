/**
 * `harness completion bash|zsh`: prints a shell completion script for the harness's commands, subcommands, flags
 * and the values of the flags that take one of a few words. The flags come from each command's own argument
 * spec, so a new flag is completed without touching this file. Install: `harness completion bash >
 * /etc/bash_completion.d/harness`, or `source <(harness completion bash)`; for zsh, `source <(harness completion
 * zsh)` after compinit.
 */
import type { ParseArgsConfig } from 'node:util';
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import { PROFILE_NAMES } from '../../load/profiles.ts';
import { parseCommandArgs } from '../args.ts';
import { COMMAND_NAMES } from '../harness-commands.ts';
import { DOWN_ARGS } from './down.ts';
import { E2E_ARGS } from './e2e.ts';
import { LOAD_ARGS } from './load.ts';
import { LOAD_COMPARE_ARGS } from './load-compare.ts';
import { REPORT_ARGS } from './report.ts';
import {
  SLO_ALERTMANAGER_OPTIONS,
  SLO_CHECK_OPTIONS,
  SLO_CONVERT_OPTIONS,
  SLO_DASHBOARD_OPTIONS,
  SLO_RULES_OPTIONS,
  SLO_VALIDATE_OPTIONS,
} from './slo.ts';
import { UP_ARGS } from './up.ts';
import { VERIFY_ARGS } from './verify.ts';

const SHELLS = ['bash', 'zsh'] as const;

const USAGE = `usage: harness completion ${SHELLS.join('|')}

Prints a completion script for that shell on stdout:
  bash   source <(harness completion bash)        (or save it in /etc/bash_completion.d/harness)
  zsh    source <(harness completion zsh)          (after compinit, e.g. in ~/.zshrc)`;

type Options = NonNullable<ParseArgsConfig['options']>;

/** Words to complete after each command, or after `command subcommand`. */
interface Completions {
  /** "up" or "slo check" -> its flags (with --help). */
  flags: Record<string, string[]>;
  /** Subcommands of a command: slo -> check, rules. */
  subcommands: Record<string, string[]>;
  /** Values of a flag that takes one of a few words. */
  values: Record<string, string[]>;
}

function flagsOf(options: Options, aliases: Record<string, string> = {}): string[] {
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
      'slo check': flagsOf(SLO_CHECK_OPTIONS, { config: 'slo-config' }),
      'slo rules': flagsOf(SLO_RULES_OPTIONS, { config: 'slo-config' }),
      'slo convert': flagsOf(SLO_CONVERT_OPTIONS),
      'slo dashboard': flagsOf(SLO_DASHBOARD_OPTIONS, { config: 'slo-config' }),
      'slo alertmanager': flagsOf(SLO_ALERTMANAGER_OPTIONS, { config: 'slo-config' }),
      'slo validate': flagsOf(SLO_VALIDATE_OPTIONS),
      completion: ['--help'],
    },
    subcommands: {
      slo: ['check', 'rules', 'convert', 'dashboard', 'alertmanager', 'validate'],
      load: ['compare'],
      completion: [...SHELLS],
    },
    values: {
      '--stack': ['auto', 'containers', 'local', 'external'],
      '--profile': [...PROFILE_NAMES],
      '--format': ['table', 'json', 'junit', 'markdown', 'prometheus', 'prometheus-operator', 'text'],
      '--to': ['harness', 'sloth', 'openslo'],
      '--skip': ['e2e', 'load', 'slo'],
    },
  };
}

export async function run(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, { usage: USAGE, options: {}, allowPositionals: true });
  if (parsed.help) return 'pass';
  const [shell, ...extra] = parsed.positionals;
  if (shell === undefined || extra.length > 0 || !(SHELLS as readonly string[]).includes(shell)) {
    throw new HarnessError(
      `${shell === undefined ? 'which shell?' : `'${[shell, ...extra].join(' ')}' is not one of ${SHELLS.join(', ')}`}\n\n${USAGE}`,
    );
  }
  process.stdout.write(shell === 'bash' ? bashScript(completions()) : zshScript(completions()));
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
  esac
  case "$command \${COMP_WORDS[2]}" in 'slo '*|'load compare') key="$command \${COMP_WORDS[2]}" ;; esac
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
  esac
  local key=$words[2]
  [[ $key == slo || "$key $words[3]" == 'load compare' ]] && key="$key $words[3]"
  case $key in
${flagCases}
  esac
}
compdef _harness harness
`;
}
