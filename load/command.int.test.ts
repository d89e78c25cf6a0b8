// The command a run records: as typed (every flag kept, e.g. --duration, which the summary used to drop) and a
// reproducible equivalent with the target resolved; both survive a shell (checked by letting a real shell split
// them back into words).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { reproduceCommand, shellCommand } from './command.ts';

/** The words a POSIX shell makes of a command line. */
const wordsOf = (line: string): string[] =>
  JSON.parse(
    execFileSync(
      'sh',
      ['-c', `node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- ${line.replace(/^harness /, '')}`],
      { encoding: 'utf8' },
    ),
  ) as string[];

describe('load command', () => {
  test('the typed command keeps every flag and survives the shell', () => {
    const typed = [
      'harness',
      'load',
      '--profile',
      'breakpoint',
      '--duration',
      '180',
      '--target',
      'http://127.0.0.1:3000/?a=1&b=2',
    ];
    const line = shellCommand(typed);
    assert.deepEqual(wordsOf(line), typed.slice(1));
  });

  test('a URL reads as typed: plain words are not escaped, others are quoted, and both survive the shell', () => {
    // shell-quote alone wrote the target as http\\://127.0.0.1\\:35953.
    const words = ['harness', 'load', '--target', 'http://127.0.0.1:35953', '--scenario', "it's"];
    const line = shellCommand(words);
    assert.equal(line, `harness load --target http://127.0.0.1:35953 --scenario "it's"`);
    assert.deepEqual(wordsOf(line), words.slice(1));
  });

  test('the reproducible command spells out the resolved target and every option that shaped the run', () => {
    const line = reproduceCommand({
      profile: 'breakpoint',
      target: 'http://127.0.0.1:41234',
      scenario: 'fund-flow',
      durationSeconds: 180,
      sloConfigPath: 'my slo.yaml',
      occasionalPct: 100,
      stopAtBreakpoint: false,
    });
    assert.deepEqual(wordsOf(line), [
      'load',
      '--profile',
      'breakpoint',
      '--target',
      'http://127.0.0.1:41234',
      '--scenario',
      'fund-flow',
      '--duration',
      '180',
      '--slo-config',
      'my slo.yaml',
      '--occasional-pct',
      '100',
      '--no-early-stop',
    ]);
  });
});
