// Gaps in the evidence, on the real local stack (issue #11, point 7): the API process is killed mid-window.
// Its own counters then record no 5xx at all (availability reads 100 %), but Prometheus keeps scraping the
// dead target and records up == 0, so the window's scrape coverage shows the gap: inconclusive by default,
// fail where the config says a gap counts as downtime, and a window before the kill is complete.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderTable } from '../../report/slo/render.ts';
import { type Stack, startStack } from '../../stack/index.ts';
import { waitForSamples } from '../../stack/local/test-support.ts';
import type { RunStateRecord } from '../../stack/state.ts';
import { DEFAULT_CONFIG_PATH, loadSloConfig, parseSloConfig } from '../load.ts';
import type { SloModel } from '../model/model.ts';
import { evaluateSlos, type SloReport } from './evaluate.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'slo-coverage-test-state-'));
process.env.HARNESS_STATE_DIR = stateDir;

let stack: Stack;
let seed: SloModel;
let start: Date;
let killedAt: Date;
let end: Date;

/** Requests every 200 ms until `until`; answers or refusals alike (the process may be dead). */
async function traffic(url: string, until: number): Promise<void> {
  while (Date.now() < until) {
    await fetch(`${url}/api/market/overview`, { signal: AbortSignal.timeout(2_000) })
      .then((response) => response.body?.cancel())
      .catch(() => {});
    await sleep(200);
  }
}

before(async () => {
  stack = await startStack('local', {});
  seed = (await loadSloConfig()).model;
  // The window starts once Prometheus has scraped the API up: a stack is ready when Prometheus answers, which can
  // be a few scrape intervals before its first scrape of a target (three were missing in one CI run).
  const ready = Date.now() / 1000;
  await waitForSamples(
    stack.info.prometheusUrl!,
    'max(timestamp(up{job="mystocks-api"} == 1))',
    (s) => Number(s.value[1]) >= ready,
  );
  start = new Date();
  await traffic(stack.info.apiUrl, Date.now() + 10_000);
  // The API is the process group leader of its own group: kill the group, as a crash or an OOM kill would.
  const record = JSON.parse(readFileSync(join(stateDir, 'runs', `${stack.info.runId}.json`), 'utf8')) as RunStateRecord;
  const api = record.processes.find((p) => p.name === 'api');
  assert.ok(api, 'the run records the API process');
  killedAt = new Date();
  process.kill(-api.pid, 'SIGKILL');
  await traffic(stack.info.apiUrl, Date.now() + 15_000);
  end = new Date();
  // Prometheus keeps scraping the dead target (up == 0); wait until it has scraped past the window's end.
  await waitForSamples(
    stack.info.prometheusUrl!,
    'max(timestamp(up{job="mystocks-api"}))',
    (s) => Number(s.value[1]) >= end.getTime() / 1000,
  );
});

after(async () => {
  await stack?.stop();
});

const byName = (report: SloReport, name: string) => report.slos.find((slo) => slo.name === name)!;

describe('scrape coverage of the judged window', () => {
  it('calls a window whose API was killed midway inconclusive, though its own counters saw no 5xx', async () => {
    const report = await evaluateSlos(seed, { prometheusUrl: stack.info.prometheusUrl!, start, end });
    const availability = byName(report, 'availability');
    assert.notEqual(report.status, 'pass', renderTable(report));
    assert.equal(availability.status, 'inconclusive', renderTable(report));
    assert.match(
      availability.reason!,
      /scrape gaps: up\{job="mystocks-api"\} was missing or down for \d+ of \d+ expected scrapes \([\d.]+ %\), more than the tolerance of \d+ \(onGaps: inconclusive\)/,
    );
    assert.equal(availability.coverage?.complete, false);
    // The service's own counters saw no server error: without the coverage check this read as 100 %.
    assert.equal(availability.queries.find((q) => q.role === 'bad')?.value, 0);
    for (const slo of report.slos) assert.notEqual(slo.status, 'pass', slo.name);
  });

  it('fails it where the config counts a gap as downtime', async () => {
    const text = readFileSync(DEFAULT_CONFIG_PATH, 'utf8').replace('onGaps: inconclusive', 'onGaps: downtime');
    const { model } = parseSloConfig(text, 'downtime.yaml');
    const report = await evaluateSlos(model, { prometheusUrl: stack.info.prometheusUrl!, start, end });
    assert.equal(report.status, 'fail', renderTable(report));
    assert.match(byName(report, 'availability').reason!, /counted as downtime \(onGaps: downtime\)$/);
  });

  it('finds the window before the kill complete', async () => {
    const before = new Date(killedAt.getTime() - 1_000);
    const report = await evaluateSlos(seed, { prometheusUrl: stack.info.prometheusUrl!, start, end: before });
    const availability = byName(report, 'availability');
    assert.equal(availability.coverage?.complete, true, JSON.stringify(availability.coverage));
    assert.equal(availability.coverage?.intervalSeconds, 1);
  });
});
