import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withJobLabel } from './job.ts';

describe('withJobLabel', () => {
  it('sets every job="..." equality matcher, whatever the quotes and spaces', () => {
    assert.equal(
      withJobLabel(`sum(rate(a{job="mystocks-api",x="1"}[5m])) / sum(rate(b{ job = 'old' }[5m]))`, 'shop'),
      `sum(rate(a{job="shop",x="1"}[5m])) / sum(rate(b{ job="shop" }[5m]))`,
    );
  });

  it('leaves regex and negative matchers, and labels merely ending in job, alone', () => {
    const query = 'up{job=~"api|web", job!="x", cronjob="nightly"}';
    assert.equal(withJobLabel(query, 'shop'), query);
  });
});
