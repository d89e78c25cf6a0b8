// The repository's shell scripts are code too: set-up, the image builds, the tiers' runner, CI's entry and the
// offline PostgreSQL image's entrypoint. Every one passes shellcheck (scripts/setup.sh installs it), with its own
// shebang's shell; a finding that is meant is silenced where it stands, with a `# shellcheck disable=` line and a
// comment saying why. The workflows' and the action's run: steps are checked by workflows.int.test.ts and
// action.int.test.ts. An integration test because shellcheck and git are processes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { shellcheckFindings } from './github-actions-test-support.ts';

const ROOT = join(import.meta.dirname, '..');

/** Tracked files that are shell scripts: named *.sh, or without an extension and a bash or sh shebang (.ci/run). */
function shellScripts(): string[] {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  return tracked.filter((file) => {
    // testdata/ holds broken scripts on purpose (the last test below).
    if (file.split('/').includes('testdata')) return false;
    if (file.endsWith('.sh')) return true;
    if (basename(file).includes('.')) return false;
    const head = readFileSync(join(ROOT, file), 'utf8').slice(0, 64);
    return /^#!\s*\/(usr\/)?bin\/(env\s+)?(ba)?sh\b/.test(head);
  });
}

/** Shellcheck's findings for script files, each read with its own shebang's shell. */
const shellcheckFiles = (files: string[], cwd = ROOT): string[] =>
  shellcheckFindings(['--external-sources', ...files], { cwd });

test('the shell scripts are found: set-up, the tiers, the image builds, CI and the PostgreSQL entrypoint', () => {
  const found = shellScripts();
  for (const file of [
    'scripts/setup.sh',
    'scripts/test-tier.sh',
    'scripts/build-offline-images.sh',
    '.ci/run',
    'stack/containers/offline/postgres/docker-entrypoint.sh',
  ]) {
    assert.ok(found.includes(file), `${file} is not found`);
  }
});

test('every shell script passes shellcheck', () => {
  assert.deepEqual(shellcheckFiles(shellScripts()), []);
});

test('shellcheck reports a broken script, and a comment that starts with "shellcheck" stops it reading on', () => {
  const dir = join(ROOT, 'scripts', 'testdata');
  // An unquoted variable in rm -rf; and a comment line that shellcheck takes for a malformed directive (as one in
  // scripts/setup.sh was, which kept every finding after it unseen).
  assert.match(shellcheckFiles(['broken.sh'], dir).join('\n'), /SC2086/);
  assert.match(shellcheckFiles(['directive-comment.sh'], dir).join('\n'), /SC1073|SC1072/);
});
