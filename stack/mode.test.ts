// The stack mode as asked for, and the usage error of an unknown one. How `auto` asks a container engine (a socket
// that answers, or none): mode.int.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HarnessError } from '../core/outcome.ts';
import { containersModuleExists, loadContainersModule } from './index.ts';
import { parseStackMode, resolveStackMode } from './mode.ts';

test('an explicit mode wins and says where it came from', async () => {
  assert.deepEqual(await resolveStackMode('local', {}), { mode: 'local', reason: 'local: asked for by --stack' });
  assert.deepEqual(await resolveStackMode(undefined, { HARNESS_STACK: 'external' }), {
    mode: 'external',
    reason: 'external: asked for by HARNESS_STACK',
  });
});

test('an unknown mode is a usage error with exit code 2', () => {
  assert.throws(
    () => parseStackMode('kubernetes'),
    (error: unknown) =>
      error instanceof HarnessError &&
      error.verdict === 'inconclusive' &&
      error.message === "unknown stack mode 'kubernetes': use one of auto, containers, local, external",
  );
});

test('containers mode without its module, or with a module that cannot start it, is a clear inconclusive error', async () => {
  // The checkout has the real module (stack/containers/stack.ts): the errors are shown on other paths.
  assert.ok(containersModuleExists());
  const cases: [URL, RegExp][] = [
    [
      new URL('./containers/gone.ts', import.meta.url),
      /^containers mode is not available: stack\/containers\/gone\.ts is missing; use --stack local or --stack external$/,
    ],
    [
      new URL('./mode.ts', import.meta.url),
      /^containers mode is not available: stack\/mode\.ts does not export startContainerStack$/,
    ],
  ];
  for (const [module, message] of cases) {
    await assert.rejects(loadContainersModule(module), (error: unknown) => {
      assert.ok(error instanceof HarnessError);
      assert.equal(error.verdict, 'inconclusive');
      assert.match(error.message, message);
      return true;
    });
  }
});
