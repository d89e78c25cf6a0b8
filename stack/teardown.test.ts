import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentTeardown, onTeardown, processTeardown, Teardown } from './teardown.ts';

/**
 * What the tests assert is the order actions ran in: `action(name)` is an action that records `name` in `ran`
 * when it runs.
 */
function recorder(): { ran: string[]; action: (name: string) => () => void } {
  const ran: string[] = [];
  return {
    ran,
    action: (name) => () => {
      ran.push(name);
    },
  };
}

test('a scope runs its actions newest first, each once, whoever asks first', async () => {
  const { ran, action } = recorder();
  const scope = new Teardown('test');
  scope.add('database', action('database'));
  const api = scope.add('api', async () => {
    ran.push('api');
  });
  const workDir = scope.add('work dir', action('work dir'));
  workDir.cancel();
  await api.run(); // the API's own stop, before the scope's close
  await Promise.all([scope.close(), scope.close()]);
  await api.run();
  assert.deepEqual(ran, ['api', 'database']);
});

test('a failed action is said and the older ones still run', async (t) => {
  const said: string[] = [];
  t.mock.method(console, 'error', (line: string) => said.push(line));
  const { ran, action } = recorder();
  const scope = new Teardown('test');
  scope.add('older', action('older'));
  scope.add('broken', () => {
    throw new Error('no such container');
  });
  await scope.close();
  assert.deepEqual(ran, ['older']);
  assert.deepEqual(said, ['teardown of broken failed: no such container']);
});

test('a run scope closes with its parent, in its place among the parent actions', async () => {
  const { ran, action } = recorder();
  const parent = new Teardown('process');
  parent.add('before the run', action('before the run'));
  const run = parent.child('run');
  run.add('state file', action('state file'));
  run.add('postgres', action('postgres'));
  parent.add('stack.json', action('stack.json'));
  await parent.close();
  assert.deepEqual(ran, ['stack.json', 'postgres', 'state file', 'before the run']);
});

test('what is started inside enter() registers in that scope; after it closed, in its parent', async () => {
  const { ran, action } = recorder();
  const parent = new Teardown('process');
  const run = parent.child('run');
  const unregister = run.enter(() => {
    assert.equal(currentTeardown(), run);
    return onTeardown('redis', action('redis'));
  });
  assert.equal(currentTeardown(), processTeardown, 'outside enter() the process-wide scope is current');
  await run.close();
  assert.deepEqual(ran, ['redis']);
  unregister();
  // A start that was in flight when its run stopped: its action goes to the parent, which still runs it.
  run.add('late api', action('late api'));
  await run.close();
  assert.deepEqual(ran, ['redis']);
  await parent.close();
  assert.deepEqual(ran, ['redis', 'late api']);
});

test('an action registered while its scope closes runs in that close', async () => {
  const { ran, action } = recorder();
  const scope = new Teardown('test');
  scope.add('first', action('first'));
  scope.add('spawns', () => {
    ran.push('spawns');
    scope.add('spawned meanwhile', action('spawned meanwhile'));
  });
  await scope.close();
  assert.deepEqual(ran, ['spawns', 'spawned meanwhile', 'first']);
});
