// The help pages as a user meets them: `node cli/harness.ts [command [subcommand]] --help` in a child process.
// Every command and each `slo` subcommand prints its own page (for `slo`: usage, its flags and no other's, an
// example), compared with testdata/help/*.golden.txt; `UPDATE_GOLDEN=1 node --test cli/help.int.test.ts` rewrites
// the golden files after an intended change (review the diff). Every example on an `slo` page is run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../stack/ports.ts';
import { completions } from './commands/completion.ts';
import { SLO_SUBCOMMANDS } from './commands/slo.ts';

const HARNESS = join(import.meta.dirname, 'harness.ts');
const GOLDEN = join(import.meta.dirname, 'testdata', 'help');
const SUBCOMMANDS = Object.keys(SLO_SUBCOMMANDS);
/** A working directory of its own, holding a copy of the seed SLO file where the examples expect it. */
const cwd = mkdtempSync(join(tmpdir(), 'harness-help-test-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a shell command line in `cwd` with `harness` meaning this checkout's CLI. */
function sh(commandLine: string): Promise<Ran> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ['PROMETHEUS_URL', 'HARNESS_POSTGRES_URL', 'HARNESS_SPANS_FILE']) delete env[name];
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `set -e; harness() { "${process.execPath}" "${HARNESS}" "$@"; }; ${commandLine}`],
      { cwd, env, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, `${name}.golden.txt`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${name}: differs from testdata/help/${name}.golden.txt`);
}

/** The flags a help page mentions: every `--name` in it. */
function flagsOn(page: string): string[] {
  return [...new Set([...page.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]))].sort();
}

/** The command lines under a page's `example:` heading. */
function examplesOn(page: string): string[] {
  const section = /^example:\n((?: {2}.+\n?)+)/m.exec(page)?.[1] ?? '';
  return section
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

describe('harness slo help', () => {
  const pages = new Map<string, string>();

  it('each subcommand prints its own page (golden), with exit 0', async () => {
    for (const sub of ['', ...SUBCOMMANDS]) {
      const ran = await sh(`harness slo ${sub} --help`);
      assert.equal(ran.code, 0, `harness slo ${sub} --help: exit ${ran.code}\n${ran.stderr}`);
      golden(sub === '' ? 'slo' : `slo-${sub}`, ran.stdout);
      pages.set(sub, ran.stdout);
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
    const short = await sh('harness slo rules -h');
    assert.equal(short.code, 0);
    assert.equal(short.stdout, readFileSync(join(GOLDEN, 'slo-rules.golden.txt'), 'utf8'));
    const bogus = await sh('harness slo rules --bogus');
    assert.equal(bogus.code, 2);
    assert.equal(bogus.stderr, "harness slo rules: unknown option '--bogus' (harness slo rules --help)\n");
    const noFile = await sh('harness slo convert --to sloth');
    assert.equal(noFile.code, 2);
    assert.equal(noFile.stderr, 'harness slo convert: give one SLO file to convert (harness slo convert --help)\n');
    const noFiles = await sh('harness slo validate');
    assert.equal(noFiles.code, 2);
    assert.equal(
      noFiles.stderr,
      'harness slo validate: give one or more SLO files to validate (harness slo validate --help)\n',
    );
    const unknown = await sh('harness slo frobnicate');
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "harness slo: unknown command 'frobnicate' (harness slo --help)\n");
  });

  it('every example runs as written (check: against a Prometheus that is not there)', async () => {
    mkdirSync(join(cwd, 'slo'), { recursive: true });
    copyFileSync(join(import.meta.dirname, '..', 'slo', 'slo-config.yaml'), join(cwd, 'slo', 'slo-config.yaml'));
    for (const sub of SUBCOMMANDS) {
      const examples = examplesOn(pages.get(sub)!);
      assert.equal(examples.length, 1, `slo ${sub}: one example`);
      let example = examples[0]!;
      if (sub === 'check') {
        // No Prometheus is started for a help page: the example's address is swapped for a port nobody listens
        // on. The flags are then all accepted (no usage error), the verdict is inconclusive (exit 2) and the
        // markdown report is written all the same; the check against a real Prometheus is slo/evaluate's tests.
        example = example.replace('http://127.0.0.1:9090', `http://127.0.0.1:${await freePort()}`);
        const ran = await sh(example);
        assert.equal(ran.code, 2, `${example}\n${ran.stderr}`);
        assert.doesNotMatch(ran.stderr, /usage:/);
        assert.match(ran.stdout, /SLO check INCONCLUSIVE/);
        assert.match(readFileSync(join(cwd, 'slo.md'), 'utf8'), /^#+ .*SLO/m);
        continue;
      }
      const ran = await sh(example);
      assert.equal(ran.code, 0, `${example}: exit ${ran.code}\n${ran.stderr}`);
    }
    // What the examples wrote is what they say: rules promtool accepts (run above), a dashboard, a routing tree.
    assert.ok(JSON.parse(readFileSync(join(cwd, 'slo-dashboard.json'), 'utf8')).panels.length > 0);
    assert.match(readFileSync(join(cwd, 'alertmanager.yaml'), 'utf8'), /url: https:\/\/oncall\.example\/hook/);
    assert.match(readFileSync(join(cwd, 'openslo.yaml'), 'utf8'), /^apiVersion: openslo\/v1$/m);
  });
});

describe('harness help', () => {
  /** Each command's page and its golden file's name (`load compare` is a subcommand with a page of its own). */
  const PAGES: [string, string][] = [
    ['', 'harness'],
    ['up', 'up'],
    ['down', 'down'],
    ['e2e', 'e2e'],
    ['load', 'load'],
    ['load compare', 'load-compare'],
    ['verify', 'verify'],
    ['report', 'report'],
    ['completion', 'completion'],
  ];

  it('every command prints its own page (golden), with exit 0', async () => {
    const seen = new Map<string, string>();
    for (const [command, name] of PAGES) {
      const ran = await sh(`harness ${command} --help`);
      assert.equal(ran.code, 0, `harness ${command} --help: exit ${ran.code}\n${ran.stderr}`);
      assert.match(ran.stdout, new RegExp(`^usage: harness ${command === '' ? '<command>' : command}`), command);
      golden(name, ran.stdout);
      seen.set(ran.stdout, name);
    }
    assert.equal(seen.size, PAGES.length, 'no two commands share a page');
  });

  it("each command's page names every flag it parses", () => {
    const offered = completions().flags;
    for (const [command, name] of PAGES.slice(1)) {
      const page = readFileSync(join(GOLDEN, `${name}.golden.txt`), 'utf8');
      const flags = (offered[command] ?? []).filter((flag) => flag !== '--help');
      const missing = flags.filter((flag) => !flagsOn(page).includes(flag));
      assert.deepEqual(missing, [], `harness ${command} --help does not mention ${missing.join(', ')}`);
    }
  });
});
