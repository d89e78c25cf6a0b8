// The test tiers of docs/conventions.md as scripts/test-tier.sh chooses them, and the unit tier's guard: each file
// is in exactly one tier, by its name; a tier with no file fails rather than passing on nothing; under
// scripts/unit-guard.ts a child process, a listener and a connection each fail with the message naming the tiers,
// while reading and writing files still works.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const ROOT = join(import.meta.dirname, '..');
const TIER = join(ROOT, 'scripts', 'test-tier.sh');
const GUARD = join(ROOT, 'scripts', 'unit-guard.ts');
const scratch = mkdtempSync(join(tmpdir(), 'test-tier-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** `bash scripts/test-tier.sh ...args` (a copy of it when `script` says so); its exit code and output. */
function tier(args: string[], script = TIER): { code: number | null; stdout: string; stderr: string } {
  const ran = spawnSync('bash', [script, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: ran.status, stdout: ran.stdout, stderr: ran.stderr };
}

describe('tiers by file name', () => {
  const lists = Object.fromEntries(
    ['unit', 'integration', 'stack', 'image'].map((name) => {
      const listed = tier([name, '--list']);
      assert.equal(listed.code, 0, listed.stderr);
      return [name, listed.stdout.trim().split('\n')];
    }),
  ) as Record<'unit' | 'integration' | 'stack' | 'image', string[]>;

  test('each tier takes its own names, and no file is in two tiers', () => {
    assert.ok(lists.unit.includes('core/outcome.test.ts'));
    assert.ok(lists.integration.includes('core/prometheus-access.int.test.ts'));
    assert.ok(lists.stack.includes('stack/up.stack.test.ts'));
    assert.deepEqual(lists.image, ['scripts/harness-image.image.test.ts']);
    assert.deepEqual(
      lists.unit.filter((file) => /\.(int|stack|image)\.test\.ts$/.test(file)),
      [],
    );
    assert.ok(lists.integration.every((file) => file.endsWith('.int.test.ts')));
    assert.ok(lists.stack.every((file) => file.endsWith('.stack.test.ts')));
    const all = [...lists.unit, ...lists.integration, ...lists.stack, ...lists.image];
    assert.equal(new Set(all).size, all.length);
    // Suites that tests run as data (testdata/) and installed packages are no tier's.
    assert.deepEqual(
      all.filter((file) => /(^|\/)(testdata|node_modules)\//.test(file)),
      [],
    );
  });

  test('a tier with no file fails, naming the tier', () => {
    const empty = join(scratch, 'empty-checkout');
    mkdirSync(join(empty, 'scripts'), { recursive: true });
    copyFileSync(TIER, join(empty, 'scripts', 'test-tier.sh'));
    const ran = tier(['integration'], join(empty, 'scripts', 'test-tier.sh'));
    assert.equal(ran.code, 1);
    assert.match(ran.stderr, /^test-tier: no integration test files found/);
  });

  test('an unknown tier is a usage error', () => {
    const ran = tier(['everything']);
    assert.equal(ran.code, 2);
    assert.match(ran.stderr, /^usage: bash scripts\/test-tier.sh static \| unit \| integration \| stack \| image/);
  });
});

describe('the unit tier guard', () => {
  /** A script run under the guard, as the unit tier loads it. */
  function guarded(source: string): { code: number | null; stderr: string } {
    const ran = spawnSync(process.execPath, ['--import', GUARD, '--input-type=module', '-e', source], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { code: ran.status, stderr: ran.stderr };
  }
  const ADVICE = /a unit test \(\*\.test\.ts\) starts no child process and opens no network listener or connection/;

  test('a child process is refused, by any of the ways to start one', () => {
    for (const call of ["spawnSync('true')", "execFileSync('true')", "spawn('true')"]) {
      const ran = guarded(`import { ${call.split('(')[0]} } from 'node:child_process'; ${call};`);
      assert.notEqual(ran.code, 0, call);
      assert.match(ran.stderr, new RegExp(`child_process\\.${call.split('(')[0]}\\("true"\\)`), call);
      assert.match(ran.stderr, ADVICE, call);
    }
  });

  test('a listener and a connection are refused', () => {
    const listen = guarded("import { createServer } from 'node:http'; createServer().listen(0, '127.0.0.1');");
    assert.notEqual(listen.code, 0);
    assert.match(listen.stderr, /a listener \(listen 0\)/);
    assert.match(listen.stderr, ADVICE);
    const connect = guarded("import { connect } from 'node:net'; connect(9, '127.0.0.1');");
    assert.notEqual(connect.code, 0);
    assert.match(connect.stderr, /a network connection/);
  });

  test('files are read and written as usual', () => {
    const file = join(scratch, 'written.txt');
    const ran = guarded(
      `import { readFileSync, writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(file)}, 'ok'); if (readFileSync(${JSON.stringify(file)}, 'utf8') !== 'ok') process.exit(3);`,
    );
    assert.equal(ran.code, 0, ran.stderr);
  });
});
