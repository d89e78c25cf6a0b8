// The help pages as a user reads them, each command run in this process through the dispatcher (cli/dispatch.ts
// runHarness: the same code `node cli/harness.ts` runs, its output caught, its exit code returned).
// Every command and each `slo` subcommand prints its own page (for `slo`: usage, its flags and no other's, an
// example), compared with testdata/help/*.golden.txt; `UPDATE_GOLDEN=1 node --test cli/help.test.ts` rewrites the
// golden files after an intended change (review the diff). Running each example on the `slo` pages, and a real
// launch of the CLI, are cli/help.int.test.ts and cli/harness.int.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertGolden } from '../core/testing/golden.ts';
import { completions } from './commands/completion.ts';
import { SLO_SUBCOMMANDS } from './commands/slo.ts';
import { type HarnessRun, runHarness } from './dispatch.ts';

const GOLDEN = join(import.meta.dirname, 'testdata', 'help');
const SUBCOMMANDS = Object.keys(SLO_SUBCOMMANDS);

/** The flags a help page mentions: every `--name` in it. */
function flagsOn(page: string): string[] {
  return [...new Set([...page.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]))].sort();
}

/** `harness ARGS`, which must end with exit 0 and print nothing on stderr: its page. */
async function page(args: string[]): Promise<string> {
  const ran: HarnessRun = await runHarness(args);
  assert.equal(ran.exitCode, 0, `harness ${args.join(' ')}: exit ${ran.exitCode}\n${ran.stderr}`);
  assert.equal(ran.stderr, '', `harness ${args.join(' ')}`);
  return ran.stdout;
}

describe('harness slo help', () => {
  const pages = new Map<string, string>();

  it('each subcommand prints its own page (golden), with exit 0', async () => {
    for (const sub of ['', ...SUBCOMMANDS]) {
      const text = await page(['slo', ...(sub === '' ? [] : [sub]), '--help']);
      assertGolden(GOLDEN, `${sub === '' ? 'slo' : `slo-${sub}`}.golden.txt`, text);
      pages.set(sub, text);
    }
    // The bug this guards: every subcommand printed `slo check`'s page.
    for (const sub of SUBCOMMANDS) assert.match(pages.get(sub)!, new RegExp(`^usage: harness slo ${sub} `), sub);
    assert.equal(new Set(pages.values()).size, SUBCOMMANDS.length + 1, 'six different pages');
    // The overview names every subcommand and leaves the flags to their pages.
    for (const sub of SUBCOMMANDS) assert.match(pages.get('')!, new RegExp(`^ {2}${sub} `, 'm'));
    assert.deepEqual(flagsOn(pages.get('')!), ['--help']);
  });

  it("each page lists exactly its subcommand's flags: the ones it parses and `harness completion` offers", () => {
    assert.equal(pages.size, SUBCOMMANDS.length + 1, 'the pages were read by the test above');
    const offered = completions().flags;
    for (const sub of SUBCOMMANDS) {
      const expected = (offered[`slo ${sub}`] ?? []).filter((flag) => flag !== '--help').sort();
      assert.ok(expected.length > 0, `slo ${sub}: no flags in the completion spec`);
      assert.deepEqual(flagsOn(pages.get(sub)!), expected, `slo ${sub}`);
    }
  });

  it('-h is --help, and a usage error is one line naming the subcommand that was used and its page', async () => {
    assert.equal(await page(['slo', 'rules', '-h']), await page(['slo', 'rules', '--help']));
    const cases: [string[], string][] = [
      [['slo', 'rules', '--bogus'], "harness slo rules: unknown option '--bogus' (harness slo rules --help)"],
      [
        ['slo', 'convert', '--to', 'sloth'],
        'harness slo convert: give one SLO file to convert (harness slo convert --help)',
      ],
      [
        ['slo', 'validate'],
        'harness slo validate: give one or more SLO files to validate (harness slo validate --help)',
      ],
      [['slo', 'frobnicate'], "harness slo: unknown command 'frobnicate' (harness slo --help)"],
    ];
    for (const [args, line] of cases) {
      const ran = await runHarness(args);
      assert.equal(ran.exitCode, 2, `harness ${args.join(' ')}: exit ${ran.exitCode}`);
      assert.equal(ran.stderr, `${line}\n`, `harness ${args.join(' ')}`);
      assert.equal(ran.stdout, '', `harness ${args.join(' ')}: no page on a usage error`);
    }
  });
});

describe('harness help', () => {
  /** Each command's page and its golden file's name (`load compare` and `load merge` are subcommands with pages of their own). */
  const PAGES: [string, string][] = [
    ['', 'harness'],
    ['up', 'up'],
    ['down', 'down'],
    ['e2e', 'e2e'],
    ['load', 'load'],
    ['load compare', 'load-compare'],
    ['load merge', 'load-merge'],
    ['verify', 'verify'],
    ['report', 'report'],
    ['completion', 'completion'],
  ];

  it('every command prints its own page (golden), with exit 0; -h and help are --help', async () => {
    const seen = new Map<string, string>();
    for (const [command, name] of PAGES) {
      const text = await page([...command.split(' ').filter(Boolean), '--help']);
      assert.match(text, new RegExp(`^usage: harness ${command === '' ? '<command>' : command}`), command);
      assertGolden(GOLDEN, `${name}.golden.txt`, text);
      seen.set(text, name);
    }
    assert.equal(seen.size, PAGES.length, 'no two commands share a page');
    assert.equal(await page(['verify', '-h']), await page(['verify', '--help']));
    assert.equal(await page(['help']), await page(['--help']));
  });

  it("each command's page names every flag it parses", async () => {
    const offered = completions().flags;
    for (const [command] of PAGES.slice(1)) {
      const text = await page([...command.split(' '), '--help']);
      const flags = (offered[command] ?? []).filter((flag) => flag !== '--help');
      const missing = flags.filter((flag) => !flagsOn(text).includes(flag));
      assert.deepEqual(missing, [], `harness ${command} --help does not mention ${missing.join(', ')}`);
    }
  });

  it('harness alone prints the overview and is exit 2; --version prints the version with exit 0', async () => {
    const alone = await runHarness([]);
    assert.equal(alone.exitCode, 2);
    assert.equal(alone.stdout, await page(['--help']));
    for (const flag of ['--version', '-V']) assert.match(await page([flag]), /^\d+\.\d+\.\d+\n$/);
  });
});
