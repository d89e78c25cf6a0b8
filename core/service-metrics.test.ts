// The metric names the harness asks for are the ones the reference service serves: the service's own against
// its /metrics snapshot (metrics.expected.txt, which reference-api/src/plugins/app/metrics.int.test.ts holds to
// a running app, type and labels included), prom-client's process metrics against the service's own registry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createMetrics } from '../reference-api/src/plugins/app/metrics.ts';
import { bucketsOf, PROCESS_METRICS, SERVICE_HISTOGRAM_BUCKETS, SERVICE_METRICS } from './service-metrics.ts';

/** `name -> type` of the snapshot's lines (`http_requests_total counter {endpoint,method,status_code}`). */
function snapshot(): Map<string, string> {
  const text = readFileSync(new URL('../reference-api/src/plugins/app/metrics.expected.txt', import.meta.url), 'utf8');
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string]),
  );
}

describe('core/service-metrics.ts', () => {
  it('names only metrics the service serves, each of the type its readers take it for', () => {
    const served = snapshot();
    // The readers' use decides the type: a _bucket series needs a histogram, rate() a counter, max_over_time a gauge.
    const expected: Record<keyof typeof SERVICE_METRICS, string> = {
      httpDuration: 'histogram',
      httpTotal: 'counter',
      httpSlow: 'counter',
      cacheHits: 'counter',
      cacheMisses: 'counter',
      cacheBreakerOpen: 'gauge',
      dbDuration: 'histogram',
      dbSlow: 'counter',
      dbPoolWaiting: 'gauge',
    };
    for (const [key, name] of Object.entries(SERVICE_METRICS)) {
      assert.equal(served.get(name), expected[key as keyof typeof SERVICE_METRICS], `${key}: ${name}`);
    }
  });

  it("names prom-client's process metrics as the service's registry has them", async () => {
    const { registry } = createMetrics();
    const types = new Map((await registry.getMetricsAsJSON()).map((metric) => [metric.name, String(metric.type)]));
    assert.equal(types.get(PROCESS_METRICS.cpuSeconds), 'counter');
    assert.equal(types.get(PROCESS_METRICS.eventLoopLagP99), 'gauge');
  });

  it("lists each histogram's bucket bounds as the service's registry serves them", async () => {
    const metrics = createMetrics();
    // A histogram serves its buckets once it has a series: one observation each (the request histogram keeps
    // exemplars, so it takes prom-client's object form).
    metrics.httpDuration.observe({ labels: { endpoint: '/x', method: 'GET', status_code: '200' }, value: 0.001 });
    metrics.dbDuration.observe({ operation: 'x' }, 0.001);
    const served = await metrics.registry.getMetricsAsJSON();
    for (const [name, bounds] of Object.entries(SERVICE_HISTOGRAM_BUCKETS)) {
      const family = served.find((metric) => metric.name === name);
      const les = (family?.values ?? [])
        // A histogram's values carry their series name (_bucket, _sum, _count), which prom-client's type leaves out.
        .filter(
          (value) => (value as { metricName?: string }).metricName === `${name}_bucket` && value.labels.le !== '+Inf',
        )
        .map((value) => Number(value.labels.le));
      assert.deepEqual(les, bounds, name);
    }
  });

  it('gives a histogram its bucket series', () => {
    assert.equal(bucketsOf(SERVICE_METRICS.httpDuration), 'http_request_duration_seconds_bucket');
  });
});
