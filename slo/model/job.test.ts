import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelWithJob, withJobLabel } from './job.ts';

describe('withJobLabel', () => {
  it('sets every job="..." equality matcher, whatever the quotes and spaces', () => {
    assert.equal(
      withJobLabel(`sum(rate(a{job="mystocks-api",x="1"}[5m])) / sum(rate(b{ job = 'old' }[5m]))`, 'shop'),
      `sum(rate(a{job="shop",x="1"}[5m])) / sum(rate(b{ job="shop" }[5m]))`,
    );
  });

  it('pins a regex matcher to the job, and leaves negative matchers and labels merely ending in job alone', () => {
    // An override names one scrape job: job=~"api|web" would otherwise keep reading the file's own jobs.
    assert.equal(
      withJobLabel('up{job=~"api|web", job!="x", cronjob="nightly"}', 'shop'),
      'up{job="shop", job!="x", cronjob="nightly"}',
    );
  });
});

describe('modelWithJob', () => {
  it('points every query of the seed SLOs at the job: SLIs, evidence counts, controls and the coverage selector', async () => {
    const { loadSloConfig } = await import('../load.ts');
    const seed = (await loadSloConfig(new URL('../slo-config.yaml', import.meta.url).pathname)).model;
    const moved = modelWithJob(seed, 'shop');
    const queries = [
      moved.coverageUp ?? '',
      ...moved.slos.flatMap((slo) =>
        slo.sli.kind === 'ratio'
          ? [slo.sli.total, slo.sli.good ?? '', slo.sli.bad ?? '', slo.sli.control?.query ?? '']
          : [slo.sli.query, slo.sli.events ?? '', slo.sli.control?.query ?? ''],
      ),
    ].filter((q) => q !== '');
    // The seed's threshold SLIs carry evidence queries, and latency-300ms, a ratio, a noise control: they are
    // part of what must move.
    assert.ok(moved.slos.some((slo) => slo.sli.kind === 'threshold' && slo.sli.events !== undefined));
    assert.equal(
      moved.slos.find((slo) => slo.name === 'latency-300ms')?.sli.control?.query,
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="shop",endpoint="/healthz"}[{{window}}])))',
    );
    for (const query of queries) {
      assert.ok(!query.includes('mystocks-api'), query);
      assert.ok(query.includes('job="shop"'), query);
    }
  });
});
