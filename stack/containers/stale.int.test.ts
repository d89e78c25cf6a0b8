import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { getContainerRuntimeClient } from 'testcontainers';
import { findContainerEngine, useContainerEngine } from './engine.ts';
import { resolveImages } from './images.ts';
import {
  LABEL_OWNER_HOST,
  LABEL_OWNER_PID,
  LABEL_OWNER_START,
  LABEL_RUN_ID,
  ownerIsGone,
  ownerLabels,
} from './labels.ts';
import {
  listRunResources,
  removeRunResources,
  removeSpansDirs,
  removeStaleResources,
  spansDirPrefix,
} from './stale.ts';

/** PID of a process that has exited (a finished child), as a crashed harness would leave on its labels. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-p', 'process.pid'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

test('the owner of this process is not gone', () => {
  assert.equal(ownerIsGone(ownerLabels('x')), false);
});

test('an owner whose process has exited is gone', () => {
  assert.equal(ownerIsGone({ ...ownerLabels('x'), [LABEL_OWNER_PID]: String(deadPid()) }), true);
});

test('a live PID with another start time is a reused PID, so the owner is gone', () => {
  assert.equal(ownerIsGone({ ...ownerLabels('x'), [LABEL_OWNER_START]: '1' }), true);
});

test('an owner on another host is never declared gone from here', () => {
  assert.equal(ownerIsGone({ [LABEL_OWNER_PID]: String(deadPid()), [LABEL_OWNER_HOST]: `not-${hostname()}` }), false);
});

const engine = await findContainerEngine();
describe('stale clean-up', { skip: engine ? false : 'no container engine answers', timeout: 120_000 }, () => {
  const runs: string[] = [];
  after(async () => {
    for (const run of runs) {
      await removeRunResources(run, { maxPasses: 1 });
      removeSpansDirs(run);
    }
  });

  /**
   * A created (not started) container and a network labelled as owned by `labels`, and the run's host directory
   * of spans (as the OTLP receiver's bind mount leaves it); returns that directory.
   */
  async function leaveRun(labels: Record<string, string>): Promise<string> {
    const dockerode = (await getContainerRuntimeClient()).container.dockerode;
    await dockerode.createNetwork({ Name: `mystocks-${labels[LABEL_RUN_ID]}`, Labels: labels });
    await dockerode.createContainer({ Image: resolveImages().images.redis, Labels: labels, Cmd: ['true'] });
    return mkdtempSync(join(tmpdir(), spansDirPrefix(labels[LABEL_RUN_ID] ?? assert.fail('no run id'))));
  }

  test('removes the containers, network and spans directory of a run whose process is gone and keeps those of live runs', async () => {
    await useContainerEngine();
    const dead = `stale-${randomBytes(4).toString('hex')}`;
    const live = `live-${randomBytes(4).toString('hex')}`;
    const vouched = `vouched-${randomBytes(4).toString('hex')}`;
    runs.push(dead, live, vouched);
    const deadSpans = await leaveRun({ ...ownerLabels(dead), [LABEL_OWNER_PID]: String(deadPid()) });
    const liveSpans = await leaveRun(ownerLabels(live));
    await leaveRun({ ...ownerLabels(vouched), [LABEL_OWNER_PID]: String(deadPid()) });

    const removed = await removeStaleResources((runId) => runId === vouched);

    assert.ok(removed.runs.includes(dead));
    assert.deepEqual(await listRunResources(dead), { containers: [], networks: [] });
    assert.equal(existsSync(deadSpans), false, `${deadSpans} is removed`);
    assert.equal((await listRunResources(live)).containers.length, 1);
    assert.equal(existsSync(liveSpans), true, `${liveSpans} of a live run is kept`);
    assert.equal((await listRunResources(vouched)).networks.length, 1);
  });
});
