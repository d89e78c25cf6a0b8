// writePartial (`harness slo convert`, its default): the SLOs a format can hold are written, each one it cannot is
// named with every reason; a reason of the whole file still refuses everything.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG_PATH, parseSloConfig } from '../load.ts';
import { ConvertError, writePartial } from './write.ts';

const seed = parseSloConfig(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'), 'slo-config.yaml').model;

describe('writePartial', () => {
  it("writes the seed file's ratio SLOs (latency-300ms and cache-hit-rate among them) to Sloth and names the two thresholds it cannot hold, with why", () => {
    const { written, left } = writePartial(seed, 'sloth');
    assert.deepEqual(left, [
      {
        name: 'latency-p95',
        reasons: ['slo "latency-p95": a threshold SLI cannot be written as Sloth (Sloth SLOs are ratios)'],
      },
      {
        name: 'db-query-p95',
        reasons: [
          'slo "db-query-p95": a threshold SLI cannot be written as Sloth (Sloth SLOs are ratios)',
          'slo "db-query-p95": window 15d: Sloth files have no period; Sloth uses 30d',
        ],
      },
    ]);
    const back = parseSloConfig(written.text, 'seed.sloth.yaml').model;
    assert.deepEqual(
      back.slos.map((slo) => slo.name),
      ['availability', 'latency-300ms', 'error-rate', 'cache-hit-rate'],
    );
  });

  it('leaves nothing out when the format holds every SLO', () => {
    const { left } = writePartial(seed, 'openslo');
    assert.deepEqual(left, []);
  });

  it('refuses everything when no SLO fits, or for a reason of the whole file (two services, a reserved file label)', () => {
    const thresholds = { ...seed, slos: seed.slos.filter((slo) => slo.sli.kind === 'threshold') };
    assert.throws(() => writePartial(thresholds, 'sloth'), ConvertError);
    const ratios = seed.slos.filter((slo) => slo.sli.kind === 'ratio' && slo.window === '30d');
    const twoServices = { ...seed, slos: [ratios[0]!, { ...ratios[1]!, service: 'other' }, seed.slos[1]!] };
    assert.throws(
      () => writePartial(twoServices, 'sloth'),
      (error: unknown) =>
        error instanceof ConvertError &&
        error.reasons[0] === 'the Sloth format holds one service per file; this model has mystocks-api, other',
    );
    const label = { ...seed, labels: { ...seed.labels, harness_no_data: 'pass' } };
    assert.throws(
      () => writePartial(label, 'sloth'),
      (error: unknown) =>
        error instanceof ConvertError &&
        error.reasons[0] === 'label harness_no_data: the name of a harness setting in a Sloth file; rename the label',
    );
  });
});
