// The saturation read-out's rules on recorded period readings (the live read-out of a real breakpoint run is in
// docs/performance.md): the first resource at its limit (and still at it the next period) is named with its
// figures and the rate; a one-period spike is not; a generator at its limit first makes the breakpoint the
// client's; nothing at its limit says so with the peaks; periods after the breakpoint are not looked at. The /proc
// sampler on real busy processes of ours is saturation.int.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { judgeSaturation, type SaturationPeriod } from './saturation.ts';

const calm: Omit<SaturationPeriod, 'atSeconds' | 'arrivalRate'> = {
  apiCpu: 0.4,
  apiCpuTotal: 0.4,
  eventLoopLagP99Ms: 12,
  dbPoolWaiting: 0,
  cacheBreakerOpen: 0,
  generatorCpu: 0.25,
  generatorHottestThread: 0.25,
  postgresCpu: 0.2,
  postgresHottest: 0.1,
  machineCpu: 0.6,
};
const period = (atSeconds: number, arrivalRate: number, over: Partial<SaturationPeriod> = {}): SaturationPeriod => ({
  atSeconds,
  arrivalRate,
  ...calm,
  ...over,
});

describe('judgeSaturation', () => {
  test("names the API event loop when its lag reaches the limit first, with the generator's share", () => {
    const r = judgeSaturation(
      [
        period(0, 10),
        period(10, 30, { apiCpu: 0.8 }),
        period(20, 52, { eventLoopLagP99Ms: 180, apiCpu: 0.98, generatorHottestThread: 0.3 }),
        period(30, 55, { eventLoopLagP99Ms: 260, apiCpu: 0.99, dbPoolWaiting: 4 }),
      ],
      { cores: 2 },
    );
    assert.deepEqual(r.first, ['api-cpu', 'api-event-loop']);
    assert.equal(r.arrivalRate, 52);
    assert.equal(r.clientBound, false);
    assert.match(r.sentence, /API event loop saturated \(lag P99 180 ms, CPU 98 % of one core\)/);
    assert.match(r.sentence, /at 52 journeys\/s .*the load generator was at 30 % of one core/);
  });

  test("a load generator at its limit first makes the breakpoint the client's", () => {
    const r = judgeSaturation(
      [
        period(0, 10),
        period(10, 40, { generatorHottestThread: 0.95 }),
        period(20, 50, { generatorHottestThread: 0.97, eventLoopLagP99Ms: 200 }),
      ],
      { cores: 2 },
    );
    assert.deepEqual(r.first, ['load-generator']);
    assert.equal(r.clientBound, true);
    assert.match(r.sentence, /the breakpoint belongs to the client, not the service/);
  });

  test('a limit first reached after the arrivals ended is said so, not "at 0 journeys/s"', () => {
    // Seen in a fresh container: the machine busy with other work in the period after the last arrival.
    const r = judgeSaturation([period(50, 3), period(60, 0, { machineCpu: 1 })], { cores: 2 });
    assert.deepEqual(r.first, ['machine-cpu']);
    assert.match(
      r.sentence,
      /saturated \(100 % of 2 cores, all processes\) after the last arrival, while the last journeys finished \(60 s into the run\)/,
    );
    assert.doesNotMatch(r.sentence, /0 journeys\/s/);
  });

  test('one period at a limit and back is a spike, not what ran out', () => {
    const r = judgeSaturation(
      [
        period(0, 5),
        period(10, 14, { eventLoopLagP99Ms: 127 }), // a garbage collection, say: back to normal next period
        period(20, 17),
        period(30, 27, { eventLoopLagP99Ms: 125 }),
        period(40, 31, { eventLoopLagP99Ms: 264, dbPoolWaiting: 23 }),
      ],
      { cores: 2 },
    );
    assert.deepEqual(r.first, ['api-event-loop']);
    assert.equal(r.arrivalRate, 27);
  });

  test('nothing at its limit says so, with the peaks', () => {
    const r = judgeSaturation([period(0, 10), period(10, 20, { apiCpu: 0.7, eventLoopLagP99Ms: 40 })], { cores: 2 });
    assert.deepEqual(r.first, []);
    assert.match(
      r.sentence,
      /No resource reached its limit \(highest: API CPU 70 % of one core, event-loop lag P99 40 ms/,
    );
  });

  test('periods after the breakpoint are not read', () => {
    const r = judgeSaturation([period(0, 10), period(10, 20), period(20, 30, { dbPoolWaiting: 3 })], {
      cores: 2,
      untilSeconds: 10,
    });
    assert.deepEqual(r.first, []);
  });

  test('a PostgreSQL process at a full core first is named, with all of PostgreSQL', () => {
    const r = judgeSaturation(
      [
        period(0, 10),
        period(10, 20, { postgresHottest: 0.95, postgresCpu: 1.2, apiCpu: 0.6 }),
        period(20, 25, { postgresHottest: 0.97, postgresCpu: 1.3, eventLoopLagP99Ms: 150 }),
        period(30, 30, { eventLoopLagP99Ms: 300 }),
      ],
      { cores: 2 },
    );
    assert.deepEqual(r.first, ['postgres-cpu']);
    assert.equal(r.arrivalRate, 20);
    assert.match(r.sentence, /^PostgreSQL CPU saturated \(busiest process 95 % of one core; 1\.2 cores in all\) at 20/);
  });

  test("a machine out of CPU as a whole is said to be the machine's limit", () => {
    const r = judgeSaturation([period(0, 10, { machineCpu: 0.99 })], { cores: 2 });
    assert.deepEqual(r.first, ['machine-cpu']);
    assert.match(r.sentence, /other processes compete with the service/);
  });
});
