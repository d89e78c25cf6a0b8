// The command a load run records in its summary: what was typed, and an equivalent that runs the same load again
// from any shell (the target resolved, every option that shaped the run spelled out). Quoting is shell-quote's:
// a symbol list or a URL with `&` must survive a copy-and-paste.
import { quote } from 'shell-quote';
import type { RunLoadOptions } from './run.ts';

/** The options that shape a run, as `harness load` spells them: the ones of runLoad's options that change what runs. */
export type LoadCommandOptions = Pick<
  RunLoadOptions,
  | 'profile'
  | 'target'
  | 'pushgatewayUrl'
  | 'scenario'
  | 'durationSeconds'
  | 'durationScale'
  | 'sloConfigPath'
  | 'occasionalPct'
  | 'stopAtBreakpoint'
  | 'generators'
  | 'generatorIndex'
>;

/** Characters no POSIX shell treats specially inside a word: such a word is written as it is. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * A command line from its words, quoted for a POSIX shell. A word of plain characters stays as it is: shell-quote
 * escapes every `:` (`http\://127.0.0.1\:3000`), which a shell reads back the same but a person reads badly.
 */
export function shellCommand(words: readonly string[]): string {
  // A first word with `=` would be read as a variable assignment, so it is left to shell-quote.
  return words
    .map((word, i) => (PLAIN_WORD.test(word) && (i > 0 || !word.includes('=')) ? word : quote([word])))
    .join(' ');
}

/**
 * `harness load ...` with every option that changes what is sent: running it again sends the same load to the
 * same target. The run id is left out on purpose: a second run must not overwrite the first one's folder.
 */
export function reproduceCommand(options: LoadCommandOptions): string {
  const words = ['harness', 'load', '--profile', options.profile, '--target', options.target];
  if (options.pushgatewayUrl) words.push('--pushgateway', options.pushgatewayUrl);
  if (options.scenario) words.push('--scenario', options.scenario);
  if (options.durationSeconds !== undefined) words.push('--duration', String(options.durationSeconds));
  if (options.durationScale !== undefined) words.push('--duration-scale', String(options.durationScale));
  if (options.sloConfigPath) words.push('--slo-config', options.sloConfigPath);
  if (options.occasionalPct !== undefined && options.occasionalPct !== 10) {
    words.push('--occasional-pct', String(options.occasionalPct));
  }
  if (options.stopAtBreakpoint === false) words.push('--no-early-stop');
  if (options.generators !== undefined && (options.generators !== 1 || options.generatorIndex !== undefined))
    words.push('--generators', String(options.generators));
  if (options.generatorIndex !== undefined) words.push('--generator-index', String(options.generatorIndex));
  return shellCommand(words);
}
