import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WORK_DIR_PREFIX } from './local/workdir.ts';
import { ManagedProcess } from './process.ts';
import {
  cleanupStaleRuns,
  isSameProcessAlive,
  processStartTicks,
  RunStateFile,
  type RunStateRecord,
  RunTeardown,
} from './state.ts';

/** A detached `sleep`, leader of its own process group, like a service the harness started. */
async function detachedSleep(): Promise<number> {
  const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
  await once(child, 'spawn');
  child.unref();
  return child.pid ?? -1;
}

/** The pid of a process that has already exited: an owner that is gone. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid ?? -1;
}

function writeRecord(dir: string, record: RunStateRecord): string {
  mkdirSync(join(dir, 'runs'), { recursive: true });
  const file = join(dir, 'runs', `${record.runId}.json`);
  writeFileSync(file, JSON.stringify(record));
  return file;
}

test('a run whose owner is gone has its processes stopped, its work dirs removed and its state file deleted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'harness-state-test-'));
  const pid = await detachedSleep();
  const workDir = mkdtempSync(join(tmpdir(), `${WORK_DIR_PREFIX}state-test-`));
  const file = writeRecord(dir, {
    runId: 'stale0001',
    mode: 'local',
    ownerPid: await deadPid(),
    startedAt: new Date().toISOString(),
    processes: [{ name: 'sleeper', pid, startTicks: processStartTicks(pid) }],
    workDirs: [workDir],
  });
  const lines: string[] = [];
  const result = await cleanupStaleRuns({ dir, log: (line) => lines.push(line) });
  assert.deepEqual(result, { runIds: ['stale0001'], killed: 1 });
  assert.equal(isSameProcessAlive(pid), false, 'the stale process still runs');
  assert.equal(existsSync(workDir), false);
  assert.equal(existsSync(file), false);
  assert.deepEqual(lines, [`stale run stale0001: stopping sleeper (pid ${pid})`]);
  rmSync(dir, { recursive: true, force: true });
});

test('a run whose owner is alive is left alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'harness-state-test-'));
  const pid = await detachedSleep();
  try {
    const state = RunStateFile.create('live0001', 'local', dir);
    state.addProcess('sleeper', pid);
    const result = await cleanupStaleRuns({ dir });
    assert.deepEqual(result, { runIds: [], killed: 0 });
    assert.equal(isSameProcessAlive(pid), true);
    state.remove();
    assert.equal(existsSync(state.file), false);
  } finally {
    process.kill(-pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a recorded pid now used by another process (other start time) is not signalled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'harness-state-test-'));
  const pid = await detachedSleep();
  try {
    writeRecord(dir, {
      runId: 'reused01',
      mode: 'local',
      ownerPid: await deadPid(),
      startedAt: new Date().toISOString(),
      processes: [{ name: 'sleeper', pid, startTicks: (processStartTicks(pid) ?? 0) - 1 }],
      workDirs: ['/etc'],
    });
    const result = await cleanupStaleRuns({ dir });
    assert.deepEqual(result, { runIds: ['reused01'], killed: 0 });
    assert.equal(isSameProcessAlive(pid), true, 'a process that merely has a recorded pid was killed');
    assert.equal(existsSync('/etc'), true);
  } finally {
    process.kill(-pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a run's teardown scope stops what was started inside it, then removes its state file", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'harness-state-test-'));
  const logDir = mkdtempSync(join(tmpdir(), 'harness-state-test-log-'));
  try {
    const run = RunTeardown.open('scope0001', 'local', dir);
    assert.equal(existsSync(run.stateFile), true, 'the state file is written when the run opens');
    // Started inside the run's scope without being handed the run: it registers there by itself.
    const sleeper = await run.enter(() =>
      ManagedProcess.start({ name: 'sleeper', command: 'sleep', args: ['300'], logFile: join(logDir, 'sleep.log') }),
    );
    run.recordProcess('sleeper', sleeper.pid);
    run.recordContainerLabels({ 'io.mystocks.harness.run-id': 'scope0001' });
    const record = JSON.parse(readFileSync(run.stateFile, 'utf8')) as RunStateRecord;
    assert.deepEqual(
      record.processes.map((p) => [p.name, p.pid]),
      [['sleeper', sleeper.pid]],
    );
    assert.deepEqual(record.containerLabels, { 'io.mystocks.harness.run-id': 'scope0001' });
    await run.close();
    assert.equal(sleeper.running, false, 'closing the run did not stop the process started in it');
    assert.equal(isSameProcessAlive(sleeper.pid), false);
    assert.equal(existsSync(run.stateFile), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(logDir, { recursive: true, force: true });
  }
});
