// The service's production install, cut from the repository's lock (scripts/workspace-lock.ts): what it holds of
// the real lock, and how it resolves on small hand-made locks. The containers stack test lists the built image's
// node_modules against the same closure.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type Lock, productionClosure, workspaceLock } from './workspace-lock.ts';

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const repositoryLock = read('../package-lock.json') as Lock;
const serviceManifest = read('../reference-api/package.json') as Record<string, unknown> & {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

test("the service's closure holds each of its dependencies and none of the harness's or the web build's packages", () => {
  const closure = new Set(productionClosure(repositoryLock, 'reference-api'));
  for (const name of Object.keys(serviceManifest.dependencies)) {
    assert.ok(closure.has(`node_modules/${name}`), `${name} is missing`);
  }
  const harness = ['artillery', '@playwright/test', 'testcontainers', 'allure', 'undici', 'esbuild', 'echarts', 'vite'];
  assert.deepEqual(
    harness.filter((name) => closure.has(`node_modules/${name}`)),
    [],
  );
  // The service's development packages stay out too: its own types (pg's come in anyway, as a dependency of
  // OpenTelemetry's pg instrumentation).
  assert.deepEqual(
    ['@types/pdfkit', '@types/opossum'].filter((name) => closure.has(`node_modules/${name}`)),
    [],
  );
});

test("the written manifest drops devDependencies and scripts; the written lock's root is the service's", () => {
  const { manifest, lock } = workspaceLock(repositoryLock, serviceManifest, 'reference-api');
  assert.equal(manifest.name, 'mystocks-reference-api');
  assert.equal(manifest.devDependencies, undefined);
  assert.equal(manifest.scripts, undefined);
  assert.deepEqual(manifest.dependencies, serviceManifest.dependencies);
  assert.equal(lock.packages['']!.devDependencies, undefined);
  assert.deepEqual(lock.packages['']!.dependencies, serviceManifest.dependencies);
  assert.equal(Object.keys(lock.packages).length - 1, productionClosure(repositoryLock, 'reference-api').length);
  // No entry keeps a dev flag: npm ci --omit=dev would leave it out.
  assert.deepEqual(
    Object.entries(lock.packages)
      .filter(([, entry]) => entry.dev || entry.devOptional)
      .map(([path]) => path),
    [],
  );
});

/** A lock with a workspace `ws` depending on `a`, which needs `b`; `c` is the root's alone. */
function smallLock(packages: Lock['packages']): Lock {
  return { name: 'root', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

test('resolution follows Node: a nested copy wins over the hoisted one, and only what the workspace reaches is kept', () => {
  const lock = smallLock({
    '': { name: 'root', dependencies: { c: '^1.0.0' } },
    ws: { name: 'ws', version: '2.0.0', dependencies: { a: '^1.0.0' }, devDependencies: { d: '^1.0.0' } },
    'node_modules/ws': { resolved: 'ws', link: true },
    'node_modules/a': { version: '1.0.0', dependencies: { b: '^2.0.0' } },
    'node_modules/a/node_modules/b': { version: '2.0.0' },
    'node_modules/b': { version: '1.0.0', dev: true },
    'node_modules/c': { version: '1.0.0' },
    'node_modules/d': { version: '1.0.0', dev: true },
  });
  assert.deepEqual(productionClosure(lock, 'ws'), ['node_modules/a', 'node_modules/a/node_modules/b']);
});

test("a workspace's own nested packages move to the top of its lock, and an optional platform binary stays optional", () => {
  const lock = smallLock({
    '': { name: 'root' },
    ws: { name: 'ws', version: '2.0.0', dependencies: { a: '^2.0.0' } },
    'ws/node_modules/a': { version: '2.0.0', optionalDependencies: { 'a-linux': '2.0.0', 'a-darwin': '2.0.0' } },
    'node_modules/a': { version: '1.0.0' },
    'node_modules/a-linux': { version: '2.0.0', optional: true, os: ['linux'] },
  });
  const { lock: written } = workspaceLock(lock, { name: 'ws', version: '2.0.0' }, 'ws');
  assert.deepEqual(Object.keys(written.packages).sort(), ['', 'node_modules/a', 'node_modules/a-linux']);
  assert.equal(written.packages['node_modules/a']!.version, '2.0.0');
  assert.equal(written.packages['node_modules/a-linux']!.optional, true);
});

test('a required package the lock lacks is an error naming who needs it', () => {
  const lock = smallLock({
    '': { name: 'root' },
    ws: { name: 'ws', version: '1.0.0', dependencies: { a: '^1.0.0' } },
    'node_modules/a': { version: '1.0.0', dependencies: { gone: '^1.0.0' } },
  });
  assert.throws(() => productionClosure(lock, 'ws'), /node_modules\/a needs gone, which the lock file does not hold/);
});
