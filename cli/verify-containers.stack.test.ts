// `harness verify` on the containers stack (testcontainers on Docker or Podman): the same gate, the same report,
// with every service in a container on one network. The images come from the machine's registry or, offline,
// from `bash scripts/build-offline-images.sh` (which .ci/run runs). Skipped only when no container engine answers.
// A short load and no E2E: the E2E stage is the same child process whatever the stack (cli/verify.stack.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectContainerEngine } from '../stack/index.ts';
import { verify } from './verify/verify.ts';

process.env.HARNESS_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'harness-verify-containers-state-'));
const engine = await detectContainerEngine();
const skip = engine.found ? false : `no container engine answers (${engine.tried.join('; ')})`;
const verbose = process.env.VERIFY_TEST_VERBOSE ? (line: string) => console.error(line) : undefined;

test('a healthy service on the containers stack passes (exit 0), with load and SLO results', { skip }, async () => {
  const result = await verify({
    stack: 'containers',
    skip: ['e2e'],
    // The smoke profile's own 60 s: the 99.9 % SLOs need 1000 events (minEvents), and 40 s at 3 journeys/s gave
    // 992, rightly inconclusive. (The warm-up now keeps first-touch misses of the cold cache out of the window.)
    durationSeconds: 60,
    reportsDir: mkdtempSync(join(tmpdir(), 'harness-verify-containers-')),
    log: verbose ?? (() => {}),
  });
  const slos = (result.slo?.slos ?? []).map((s) => `${s.name}=${s.status} (${s.sli}) ${s.reason ?? ''}`);
  assert.equal(result.verdict, 'pass', `stages: ${JSON.stringify(result.stages)}; SLOs: ${slos.join(', ')}`);
  assert.equal(result.stages.find((s) => s.stage === 'stack')?.detail.startsWith('containers:'), true);
  assert.deepEqual(result.breachedSlos, []);
  assert.equal(result.slo?.slos.length, 6);
  assert.equal(result.load?.verdict, 'pass');
});
