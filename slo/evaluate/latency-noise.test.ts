// The latency ratio's noise rule on hand-made bucket counts; every figure below is worked out in its comment.
// The same rule on a real Prometheus: evaluate.int.test.ts ("a saturated machine and a latency ratio").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type BucketCount,
  countWithin,
  type LatencyNoiseInput,
  latencyNoiseVerdict,
  noiseReading,
} from './latency-noise.ts';

/** Cumulative counts at the reference service's bucket bounds (core/service-metrics.ts), +Inf last. */
function buckets(counts: Record<string, number>): BucketCount[] {
  return Object.entries(counts).map(([le, count]) => ({ le: le === '+Inf' ? Infinity : Number(le), count }));
}

/** 10000 API requests on a saturated machine: 97 % within 300 ms, 99.8 % within 500 ms. */
const SATURATED = buckets({
  '0.005': 100,
  '0.01': 500,
  '0.025': 2000,
  '0.05': 4000,
  '0.1': 7000,
  '0.2': 9000,
  '0.3': 9700,
  '0.5': 9980,
  '1': 9995,
  '2.5': 10000,
  '5': 10000,
  '10': 10000,
  '+Inf': 10000,
});

/** The harness probed /healthz at 180 ms; the service's histogram saw it at 32 ms: the noise is 180 ms. */
const PROBED = noiseReading('/healthz P95', 0.032, 0.18, 'seconds')!;

function judge(input: Partial<LatencyNoiseInput>) {
  return latencyNoiseVerdict({
    bound: 0.3,
    unit: 'seconds',
    noise: PROBED,
    buckets: SATURATED,
    events: 10000,
    objective: 99,
    minEvents: 100,
    breach: '97 % < 99 % (burn rate 3x)',
    ...input,
  });
}

describe('noiseReading: the larger of the histogram control and the probe', () => {
  it('names the probe when it is larger, the histogram alone otherwise, and nothing without either', () => {
    assert.deepEqual(PROBED, {
      noise: 0.18,
      text: "/healthz P95 180 ms as the harness probed it, 32 ms in the service's histogram",
      fromHistogram: 0.032,
    });
    assert.deepEqual(noiseReading('/healthz P95', 0.195, 0.05, 'seconds'), {
      noise: 0.195,
      text: '/healthz P95 195 ms',
      fromHistogram: 0.195,
    });
    // No data, a negative control or a non-finite probe measure nothing: no noise explains anything.
    assert.equal(noiseReading('/healthz P95', null, undefined, 'seconds'), undefined);
    assert.equal(noiseReading('/healthz P95', -1, Number.NaN, 'seconds'), undefined);
  });
});

describe('countWithin: the count within a latency, read from the buckets as histogram_quantile reads them', () => {
  it('is the bucket at a bound, linear between two bounds, from 0 below the first, undefined beyond the last', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in floats: read as the 0.3 bucket, 9700.
    assert.equal(countWithin(0.1 + 0.2, SATURATED), 9700);
    // 0.48 between 0.3 (9700) and 0.5 (9980): 9700 + 280 x 0.18 / 0.2 = 9952 (to float noise).
    assert.equal(Math.round(countWithin(0.48, SATURATED) as number), 9952);
    // 0.0025 below the first bound 0.005 (100): from 0, 100 x 0.0025 / 0.005 = 50.
    assert.equal(countWithin(0.0025, SATURATED), 50);
    assert.equal(countWithin(10.1, SATURATED), undefined);
  });

  it('refuses counts that are not cumulative', () => {
    assert.deepEqual(countWithin(0.4, buckets({ '0.3': 9700, '0.5': 9600, '+Inf': 10000 })), {
      problem: 'the bucket counts are not cumulative (le="0.5" holds 9600, le="0.3" 9700)',
    });
  });
});

describe('latencyNoiseVerdict: bound 0.3 s, objective 99 %, the noise added to the bound', () => {
  it('is inconclusive when the share within bound + noise meets the objective (never a pass)', () => {
    // t = 0.3 + 0.18 = 0.48 s; within it 9700 + (9980 - 9700) x 0.18 / 0.2 = 9952 of 10000 = 99.52 % >= 99 %.
    assert.deepEqual(judge({}), {
      status: 'inconclusive',
      reason:
        "machine saturated: /healthz P95 180 ms as the harness probed it, 32 ms in the service's histogram; 99.52 % of requests within 480 ms (300 ms + the noise, read between the buckets 300 ms and 500 ms), so the noise explains the breach",
      within: { le: 0.48, count: 9952 },
    });
  });

  it('fails, naming the noise, when the share within bound + noise is still below the objective', () => {
    // A fault beside the noise: only 50 of the 300 requests above 300 ms are within 500 ms. Within 0.48 s:
    // 9700 + 50 x 0.9 = 9745 = 97.45 % < 99 %.
    const fault = buckets({ '0.3': 9700, '0.5': 9750, '1': 9990, '10': 10000, '+Inf': 10000 });
    assert.deepEqual(judge({ buckets: fault }), {
      status: 'fail',
      reason:
        "97 % < 99 % (burn rate 3x); 97.45 % of requests within 480 ms (300 ms + the noise, read between the buckets 300 ms and 500 ms) is still below 99 %, so the breach is above the machine's noise (/healthz P95 180 ms as the harness probed it, 32 ms in the service's histogram)",
      within: { le: 0.48, count: 9745 },
    });
  });

  it('fails a 400 ms fault on a quiet machine, which the next bucket bound alone would call explained', () => {
    // /healthz at 10 ms; 3 % of requests at 400 ms: all 10000 within 500 ms, the next bucket (100 % >= 99 %).
    // Read at t = 0.31 s: 9700 + 300 x 0.01 / 0.2 = 9715 = 97.15 % < 99 %.
    const quiet = noiseReading('/healthz P95', 0.01, undefined, 'seconds')!;
    const fault = buckets({ '0.2': 9000, '0.3': 9700, '0.5': 10000, '1': 10000, '+Inf': 10000 });
    const verdict = judge({ noise: quiet, buckets: fault });
    assert.equal(verdict.status, 'fail');
    assert.equal(
      verdict.reason,
      "97 % < 99 % (burn rate 3x); 97.15 % of requests within 310 ms (300 ms + the noise, read between the buckets 300 ms and 500 ms) is still below 99 %, so the breach is above the machine's noise (/healthz P95 10 ms)",
    );
  });

  it('reads bound + noise at a bucket bound exactly, saying nothing of between', () => {
    // t = 0.3 + 0.2 = 0.5 s, a bound: 9980 = 99.8 %.
    const noise = noiseReading('/healthz P95', 0.2, undefined, 'seconds')!;
    assert.equal(
      judge({ noise }).reason,
      'machine saturated: /healthz P95 200 ms; 99.8 % of requests within 500 ms (300 ms + the noise), so the noise explains the breach',
    );
  });

  it('is inconclusive, saying so, when bound + noise lies beyond the largest bucket', () => {
    // t = 0.3 + 9.8 = 10.1 s > 10 s: only +Inf holds it.
    const noise = noiseReading('/healthz P95', 9.8, undefined, 'seconds')!;
    assert.deepEqual(judge({ noise }), {
      status: 'inconclusive',
      reason:
        "machine saturated: /healthz P95 9.8 s; 300 ms + the noise = 10.1 s, above the histogram's largest bucket (10 s), so the noise is too large to tell the service's latency from it",
    });
  });

  it('holds a window with fewer events than minEvents to the budget of minEvents, as the breach was', () => {
    // 50 events, minEvents 100, budget 1 % of 100 = 1 event. Within 0.48 s: 49 + (50 - 49) x 0.9 = 49.9, 0.1
    // beyond: within the budget, inconclusive. With 47 within 500 ms: 46 + 0.9 = 46.9, 3.1 beyond: fail.
    const few = (at300: number, at500: number) => buckets({ '0.3': at300, '0.5': at500, '+Inf': 50 });
    assert.equal(judge({ events: 50, buckets: few(49, 50) }).status, 'inconclusive');
    assert.deepEqual(judge({ events: 50, buckets: few(46, 47), breach: 'b' }), {
      status: 'fail',
      reason:
        "b; 3.1 requests beyond 480 ms (300 ms + the noise, read between the buckets 300 ms and 500 ms) still exceed the budget of 100 events (minEvents), so the breach is above the machine's noise (/healthz P95 180 ms as the harness probed it, 32 ms in the service's histogram)",
      within: { le: 0.48, count: 46.9 },
    });
  });

  it('lets the breach stand, naming the noise, when the buckets cannot be weighed', () => {
    // The last: 9700 + (12000 - 9700) x 0.9 = 11770 within 0.48 s, more than the 10000 requests in all.
    const because = (why: string) =>
      `97 % < 99 % (burn rate 3x); the machine's noise (/healthz P95 180 ms as the harness probed it, 32 ms in the service's histogram) could not be weighed: ${why}`;
    assert.deepEqual(
      [
        judge({ buckets: { problem: 'buckets query returned no data' } }),
        judge({ buckets: buckets({ '+Inf': 10000 }) }),
        judge({ buckets: buckets({ '0.3': 9700, '0.5': 9600 }) }),
        judge({ buckets: buckets({ '0.3': 9700, '0.5': 12000 }) }),
      ],
      [
        { status: 'fail', reason: because('buckets query returned no data') },
        { status: 'fail', reason: because('the histogram has no finite bucket in the window') },
        {
          status: 'fail',
          reason: because('the bucket counts are not cumulative (le="0.5" holds 9600, le="0.3" 9700)'),
        },
        { status: 'fail', reason: because('11770 requests within 480 ms but 10000 in all') },
      ],
    );
  });
});
