// Golden tests of the saturation read-out as a run writes it: its sentence (what `harness load` prints as
// "saturation: ..."), the "What saturated" section of summary.md (renderSaturation) and of the load report's page
// (renderSaturationSection; html-report.test.ts holds a run without gaps). Four runs: the breakpoint run of
// testing/breakpoint-run.ts (the API's event loop first), one whose API process's CPU ran out first, one whose
// load generator ran out first, and one that reached no limit with half its sources unread. Compared with testdata/saturation-*.golden.*;
// `UPDATE_GOLDEN=1 node --test report/load/saturation.test.ts` rewrites them; read the diff before committing.
// Which resource is named first is saturation.test.ts's business; this file holds the words and the tables.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertGolden } from '../../core/testing/golden.ts';
import { judgeSaturation, type SaturationPeriod, type SaturationReadout } from '../../load/saturation.ts';
import { breakpointSaturation } from '../../load/testing/breakpoint-run.ts';
import { renderSaturationSection } from './html-report.ts';
import { renderSaturation } from './saturation.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');

/** The read-out as summary.md has it: the lines renderSaturation adds after the sections before it. */
const markdown = (lines: string[]) => `${lines.join('\n').replace(/^\n/, '')}\n`;

/**
 * A stress run on a 2-core machine whose one generator process is the bottleneck: its busiest thread reaches
 * 90 % of a core at 20 s (93 %) and stays there (96 %, 97 %); the API is at half a core, PostgreSQL far below
 * its limit, the machine at 88 % (under 95 %). Two API workers: all of them together use more than the busiest.
 */
function clientBound(): SaturationPeriod[] {
  const rows: [number, number, number, number, number, number, number][] = [
    // journeys/s, API busiest, API all, lag ms, generator thread, generator cores, machine
    [4, 0.21, 0.38, 9, 0.61, 0.64, 0.52],
    [8, 0.34, 0.61, 11, 0.78, 0.82, 0.7],
    [12, 0.45, 0.83, 14, 0.93, 0.98, 0.88],
    [12.4, 0.47, 0.86, 15, 0.96, 1.01, 0.9],
    [12.3, 0.46, 0.85, 15, 0.97, 1.02, 0.91],
  ];
  return rows.map(([rate, api, apiAll, lag, thread, generator, machine], i) => ({
    atSeconds: i * 10,
    arrivalRate: rate,
    apiCpu: api,
    apiCpuTotal: apiAll,
    eventLoopLagP99Ms: lag,
    dbPoolWaiting: 0,
    cacheBreakerOpen: 0,
    generatorCpu: generator,
    generatorHottestThread: thread,
    postgresCpu: 0.09,
    postgresHottest: 0.05,
    machineCpu: machine,
  }));
}

/**
 * An average run against an external deployment with no Prometheus given (the API's figures unknown) and its
 * PostgreSQL elsewhere: only the generator and the machine are read, and none reaches its limit. Peaks: the
 * generator's busiest thread 41 %, the machine 63 %.
 */
function unread(): SaturationPeriod[] {
  return [
    [1, 0.18, 0.31],
    [3, 0.29, 0.47],
    [5, 0.41, 0.63],
    [5, 0.4, 0.6],
  ].map(([rate, thread, machine], i) => ({
    atSeconds: i * 10,
    arrivalRate: rate!,
    apiCpu: null,
    apiCpuTotal: null,
    eventLoopLagP99Ms: null,
    dbPoolWaiting: null,
    cacheBreakerOpen: null,
    generatorCpu: thread! + 0.05,
    generatorHottestThread: thread!,
    postgresCpu: null,
    postgresHottest: null,
    machineCpu: machine!,
  }));
}

/** A run whose API process reaches its CPU limit at 30 s (93 % of a core) and stays there (97 %, 98 %). */
function apiCpuBound(): SaturationPeriod[] {
  return [0.4, 0.55, 0.7, 0.93, 0.97, 0.98].map((cpu, i) => ({
    atSeconds: i * 10,
    arrivalRate: 2 + i,
    apiCpu: cpu,
    apiCpuTotal: cpu,
    eventLoopLagP99Ms: 12 + i * 9,
    dbPoolWaiting: 0,
    cacheBreakerOpen: 0,
    generatorCpu: 0.42,
    generatorHottestThread: 0.31,
    postgresCpu: 0.12,
    postgresHottest: 0.08,
    machineCpu: 0.5 + i * 0.06,
  }));
}

describe('the saturation read-out', () => {
  /** Runs that reached a limit: the read-out's golden file, and its sentence (what `harness load` prints). */
  const saturated: { when: string; readout: () => SaturationReadout; golden: string; sentence: string }[] = [
    {
      when: 'the API ran out first',
      readout: breakpointSaturation,
      golden: 'saturation-api.golden.md',
      sentence:
        'API event loop saturated (lag P99 104 ms, CPU 83 % of one core) at 26.1 journeys/s (50 s into the run); the load generator was at 25 % of one core (busiest thread; 0.46 cores in all); the machine was 72 % busy (2 cores, all processes).',
    },
    {
      when: "the API process's CPU ran out first",
      readout: () => judgeSaturation(apiCpuBound(), { cores: 2 }),
      golden: 'saturation-api-cpu.golden.md',
      sentence:
        'API process CPU saturated (93 % of one core, lag P99 39 ms) at 5 journeys/s (30 s into the run); the load generator was at 31 % of one core (busiest thread; 0.42 cores in all); the machine was 68 % busy (2 cores, all processes).',
    },
    {
      when: 'the load generator ran out first: the client, not the service',
      readout: () => judgeSaturation(clientBound(), { cores: 2 }),
      golden: 'saturation-client.golden.md',
      sentence:
        'Load generator saturated (busiest thread 93 % of one core) at 12 journeys/s (20 s into the run): the breakpoint belongs to the client, not the service; the machine was 88 % busy (2 cores, all processes).',
    },
  ];
  for (const run of saturated) {
    it(`reads as its golden file when ${run.when}`, () => {
      const readout = run.readout();
      assertGolden(TESTDATA, run.golden, markdown(renderSaturation(readout)));
      assert.equal(readout.sentence, run.sentence);
    });
  }

  it('reads as its golden files when nothing reached its limit and sources were not read', () => {
    const gaps = [
      'no Prometheus: API CPU, event-loop lag, DB pool and cache breaker unknown',
      "PostgreSQL's CPU: its process is not on this machine (or not known)",
    ];
    const readout = judgeSaturation(unread(), { cores: 2, gaps });
    assertGolden(TESTDATA, 'saturation-unread.golden.md', markdown(renderSaturation(readout)));
    assertGolden(TESTDATA, 'saturation-unread.golden.html', `${renderSaturationSection(readout)}\n`);
    // A figure never read is said to be unknown, not "unknown of one core".
    assert.equal(
      readout.sentence,
      'No resource reached its limit (highest: API CPU unknown, event-loop lag P99 unknown, PostgreSQL unknown, load generator 41 % of one core, machine 63 %).',
    );
  });
});
