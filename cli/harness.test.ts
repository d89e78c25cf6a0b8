// The CLI's words on a wrong command line, each command run in this process through the dispatcher
// (cli/dispatch.ts runHarness: the code `node cli/harness.ts` runs, its output caught, its exit code returned). A
// usage error is exit 2 and one line on stderr naming the command, what was wrong, a "did you mean" where a known
// word is near, and where the help is; each flag's own value is checked before rules across flags. Every case
// here fails before the command reads the environment, a file or the network. That these codes and lines reach a
// real process's exit status and stderr is cli/harness.int.test.ts, which launches the CLI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harnessVersion } from '../core/version.ts';
import { type CommandSpec, parseCommandArgs } from './args.ts';
import { E2E_ARGS } from './commands/e2e.ts';
import { VERIFY_ARGS } from './commands/verify.ts';
import { runHarness } from './dispatch.ts';

/** Runs each case and holds it to exit 2, nothing on stdout, and exactly its line on stderr. */
async function assertUsageErrors(cases: [string[], string][]): Promise<void> {
  for (const [args, line] of cases) {
    const ran = await runHarness(args);
    assert.equal(ran.exitCode, 2, `harness ${args.join(' ')}: exit ${ran.exitCode}`);
    assert.equal(ran.verdict, 'inconclusive');
    // The whole of stderr: one line, no usage page, not Node's "Unknown option ... To specify a positional".
    assert.equal(ran.stderr, `${line}\n`, `harness ${args.join(' ')}`);
    assert.equal(ran.stdout, '', `harness ${args.join(' ')}`);
  }
}

test('a usage error is exit 2 and one line with a pointer to --help, for every command', async () => {
  await assertUsageErrors([
    [['up', '--bogus'], "harness up: unknown option '--bogus' (harness up --help)"],
    [
      ['down', '--timeout', 'soon'],
      "harness down: --timeout: expected a positive number of seconds, got 'soon' (harness down --help)",
    ],
    [['down', 'now'], "harness down: unexpected argument 'now': this command takes none (harness down --help)"],
    [['e2e', '--bogus'], "harness e2e: unknown option '--bogus' (harness e2e --help)"],
    [['e2e', '--target', 'notaurl'], "harness: --target: 'notaurl' is not a URL (expected e.g. http://127.0.0.1:3000)"],
    [
      ['e2e', '--stack', 'local', '--target', 'http://127.0.0.1:9'],
      'harness e2e: --stack and --target: give one (--stack starts a stack, --target names one) (harness e2e --help)',
    ],
    [
      ['verify', '--profile', 'huge'],
      "harness verify: --profile: 'huge' is not one of smoke, average, stress, spike, soak, breakpoint (harness verify --help)",
    ],
    [
      ['load', '--profile', 'huge'],
      "harness load: --profile: 'huge' is not one of smoke, average, stress, spike, soak, breakpoint (harness load --help)",
    ],
    [['load'], 'harness load: --profile is required (harness load --help)'],
    [['load', '--profile'], 'harness load: --profile needs a value (harness load --help)'],
    // A --target that is not a URL is named before the missing --profile.
    [
      ['load', '--target', 'notaurl'],
      "harness: --target: 'notaurl' is not a URL (expected e.g. http://127.0.0.1:3000)",
    ],
    [['up', '--json=yes'], 'harness up: --json takes no value (harness up --help)'],
    [['verify', '--latency-margin-ms', 'lots'], "harness: --latency-margin-ms: expected a number >= 0, got 'lots'"],
    [
      ['load', 'compare', 'a', 'b', '--error-margin-points', ''],
      "harness: --error-margin-points: expected a number >= 0, got ''",
    ],
    [['load', 'compare', 'a'], 'harness load compare: give two runs, A (baseline) and B (harness load compare --help)'],
    [['report', 'a', 'b'], 'harness report: give at most one run (harness report --help)'],
    [['completion', 'tcsh'], "harness completion: 'tcsh' is not one of bash, zsh, fish (harness completion --help)"],
    [['slo', 'rules', '--bogus'], "harness slo rules: unknown option '--bogus' (harness slo rules --help)"],
    [['frobnicate'], "harness: unknown command 'frobnicate' (harness --help)"],
  ]);
});

test('did you mean: a command, a subcommand, a flag, an alias and a shell a typo away', async () => {
  await assertUsageErrors([
    [['verfiy'], "harness: unknown command 'verfiy'; did you mean 'verify'? (harness --help)"],
    [['slo', 'chek'], "harness slo: unknown command 'chek'; did you mean 'check'? (harness slo --help)"],
    [
      ['load', 'compar', 'a', 'b'],
      "harness load: unknown command 'compar'; did you mean 'compare'? (harness load --help)",
    ],
    [
      ['slo', 'check', '--formt', 'json'],
      "harness slo check: unknown option '--formt'; did you mean '--format'? (harness slo check --help)",
    ],
    [
      ['slo', 'check', '--formt=json'],
      "harness slo check: unknown option '--formt'; did you mean '--format'? (harness slo check --help)",
    ],
    [
      ['slo', 'rules', '--confg', 'x'],
      "harness slo rules: unknown option '--confg'; did you mean '--config'? (harness slo rules --help)",
    ],
    [['up', '--hepl'], "harness up: unknown option '--hepl'; did you mean '--help'? (harness up --help)"],
    [
      ['completion', 'fihs'],
      "harness completion: 'fihs' is not one of bash, zsh, fish; did you mean 'fish'? (harness completion --help)",
    ],
  ]);
});

test('what follows -- is handed on untouched and unparsed (e2e and verify give it to playwright test)', () => {
  const specs: CommandSpec[] = [E2E_ARGS, VERIFY_ARGS];
  for (const spec of specs) {
    const parsed = parseCommandArgs(['--stack', 'local', '--', '-g', 'sector filter', '--bogus', '--'], spec);
    assert.ok(!parsed.help);
    assert.deepEqual({ ...parsed.values }, { stack: 'local' });
    assert.deepEqual(parsed.passthrough, ['-g', 'sector filter', '--bogus', '--']);
    assert.deepEqual(parsed.positionals, []);
    const none = parseCommandArgs(['--stack', 'local'], spec);
    assert.ok(!none.help);
    assert.deepEqual(none.passthrough, []);
  }
});

test('an in-process run keeps its own output and leaves the process as it found it', async () => {
  const exitCode = process.exitCode;
  process.exitCode = undefined; // what a run must leave as it is (a test before may have set it)
  const writes = [process.stdout.write, process.stderr.write];
  // Two runs at once keep their own output (each run's writes are told apart by its asynchronous context).
  const [version, typo] = await Promise.all([runHarness(['--version']), runHarness(['verfiy'])]);
  assert.deepEqual(version, { verdict: 'pass', exitCode: 0, stdout: `${harnessVersion()}\n`, stderr: '' });
  assert.deepEqual(typo, {
    verdict: 'inconclusive',
    exitCode: 2,
    stdout: '',
    stderr: "harness: unknown command 'verfiy'; did you mean 'verify'? (harness --help)\n",
  });
  const after = process.exitCode;
  process.exitCode = exitCode;
  assert.equal(after, undefined, 'the exit code of the process running the tests is not touched');
  assert.deepEqual([process.stdout.write, process.stderr.write], writes, 'the streams write as before');
});

test('what is written outside a run while it is under way goes to the stream, not into the run', async () => {
  // A stand-in for stdout's write that keeps one marked line and hands the rest on (the test runner reports on
  // stdout): what a test, or the runner, writes meanwhile must reach it.
  const marker = 'written outside the run\n';
  const reached: string[] = [];
  const hadOwn = Object.hasOwn(process.stdout, 'write');
  const original = process.stdout.write;
  process.stdout.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    if (chunk === marker) return reached.push(chunk) > 0;
    return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;
  const standIn = process.stdout.write;
  try {
    const running = runHarness(['completion', 'bash']);
    process.stdout.write(marker);
    const ran = await running;
    assert.deepEqual(reached, [marker]);
    assert.equal(ran.exitCode, 0);
    assert.match(ran.stdout, /^# bash completion for harness/);
    assert.ok(!ran.stdout.includes(marker));
    assert.equal(process.stdout.write, standIn, 'the run put back the write it found');
  } finally {
    if (hadOwn) process.stdout.write = original;
    else delete (process.stdout as { write?: unknown }).write;
  }
  assert.equal(process.stdout.write, original);
});
