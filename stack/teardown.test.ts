import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentTeardown, onTeardown, processTeardown, Teardown } from './teardown.ts';

test('a scope runs its actions newest first, each once, whoever asks first', async () => {
  const ran: string[] = [];
  const scope = new Teardown('test');
  scope.add('database', () => {
    ran.push('database');
  });
  const api = scope.add('api', async () => {
    ran.push('api');
  });
  const workDir = scope.add('work dir', () => {
    ran.push('work dir');
  });
  workDir.cancel();
  await api.run(); // the API's own stop, before the scope's close
  await Promise.all([scope.close(), scope.close()]);
  await api.run();
  assert.deepEqual(ran, ['api', 'database']);
});

test('a failed action is said and the older ones still run', async (t) => {
  const said: string[] = [];
  t.mock.method(console, 'error', (line: string) => said.push(line));
  const ran: string[] = [];
  const scope = new Teardown('test');
  scope.add('older', () => {
    ran.push('older');
  });
  scope.add('broken', () => {
    throw new Error('no such container');
  });
  await scope.close();
  assert.deepEqual(ran, ['older']);
  assert.deepEqual(said, ['teardown of broken failed: no such container']);
});

test('a run scope closes with its parent, in its place among the parent actions', async () => {
  const ran: string[] = [];
  const parent = new Teardown('process');
  parent.add('before the run', () => {
    ran.push('before the run');
  });
  const run = parent.child('run');
  run.add('state file', () => {
    ran.push('state file');
  });
  run.add('postgres', () => {
    ran.push('postgres');
  });
  parent.add('stack.json', () => {
    ran.push('stack.json');
  });
  await parent.close();
  assert.deepEqual(ran, ['stack.json', 'postgres', 'state file', 'before the run']);
});

test('what is started inside enter() registers in that scope; after it closed, in its parent', async () => {
  const ran: string[] = [];
  const parent = new Teardown('process');
  const run = parent.child('run');
  const unregister = run.enter(() => {
    assert.equal(currentTeardown(), run);
    return onTeardown('redis', () => {
      ran.push('redis');
    });
  });
  assert.equal(currentTeardown(), processTeardown, 'outside enter() the process-wide scope is current');
  await run.close();
  assert.deepEqual(ran, ['redis']);
  unregister();
  // A start that was in flight when its run stopped: its action goes to the parent, which still runs it.
  run.add('late api', () => {
    ran.push('late api');
  });
  await run.close();
  assert.deepEqual(ran, ['redis']);
  await parent.close();
  assert.deepEqual(ran, ['redis', 'late api']);
});

test('an action registered while its scope closes runs in that close', async () => {
  const ran: string[] = [];
  const scope = new Teardown('test');
  scope.add('first', () => {
    ran.push('first');
  });
  scope.add('spawns', () => {
    ran.push('spawns');
    scope.add('spawned meanwhile', () => {
      ran.push('spawned meanwhile');
    });
  });
  await scope.close();
  assert.deepEqual(ran, ['spawns', 'spawned meanwhile', 'first']);
});
