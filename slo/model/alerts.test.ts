// The burn-rate alert that can never fire: every condition of it needs the error ratio above factor x budget,
// and an error ratio is at most 1. Hand-computed cases of the pure function, then the shipped file through
// `harness slo rules` and `harness slo validate` (run in this process through the dispatcher): cache-hit-rate's
// page alert, which could never fire, is switched off there, so neither warns; a copy with it on gets the warning.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runHarness } from '../../cli/dispatch.ts';
import { DEFAULT_CONFIG_PATH, parseSloConfig } from '../load.ts';
import { unreachableAlerts, unreachableAlertWarnings } from './alerts.ts';
import type { Slo } from './model.ts';

/** One ratio SLO of a harness file: window, objective and alerting as given. */
function ratioSlo(window: string, objective: number, alerting = ''): Slo {
  const text = `version: 1
service: shop
slos:
  - name: hits
    window: ${window}
    objective: ${objective}
    allowLowObjective: true
    sli:
      ratio:
        good: sum(increase(hits_total[{{window}}]))
        total: sum(increase(lookups_total[{{window}}]))
${alerting}`;
  return parseSloConfig(text, 'hits.yaml').model.slos[0]!;
}

/** What each alert that can never fire is: severity, lowest factor, budget, the ratio it needs. */
const found = (slo: Slo) => unreachableAlerts(slo).map((a) => [a.severity, a.factor, a.budget, a.needs]);

describe('an alert that can never fire', () => {
  it('80 % over 30 days: the page needs 6 x 0.2 = 1.2 at its lowest (14.4 x 0.2 = 2.88 the other), the ticket 1 x 0.2 = 0.2', () => {
    const slo = ratioSlo('30d', 80);
    assert.deepEqual(found(slo), [['page', 6, 0.2, 1.2]]);
    assert.equal(
      unreachableAlerts(slo)[0]!.message,
      'the page alert needs an error ratio above 1.2 (burn rate 6 x budget 20 %), which a ratio never reaches: it can never fire',
    );
  });

  it('40 % over 30 days: budget 0.6, the page needs 6 x 0.6 = 3.6; the ticket 1 x 0.6 = 0.6 still fires', () => {
    assert.deepEqual(found(ratioSlo('30d', 40)), [['page', 6, 0.6, 3.6]]);
  });

  it('50 % over 10 days: the page factors are 0.02 x 240 h / 1 h = 4.8 and 0.05 x 240 h / 6 h = 2, so it needs exactly 1: never (the rule says >)', () => {
    assert.deepEqual(found(ratioSlo('10d', 50)), [['page', 2, 0.5, 1]]);
  });

  it('90 % over 15 days: budget 0.1, the page needs 3 x 0.1 = 0.3 (7.2 and 3 are its factors): it can fire', () => {
    assert.deepEqual(found(ratioSlo('15d', 90)), []);
  });

  it('20 % over 30 days: budget 0.8, the ticket needs 1 x 0.8 = 0.8 and fires; the page (4.8) does not', () => {
    assert.deepEqual(found(ratioSlo('30d', 20)), [['page', 6, 0.8, 4.8]]);
  });

  it('says nothing of a page alert switched off, nor of an SLO without alerts', () => {
    assert.deepEqual(found(ratioSlo('30d', 80, '    alerting: { page: { disabled: true } }')), []);
    assert.deepEqual(found(ratioSlo('30d', 80, '    alerting: { disabled: true }')), []);
  });

  it('is located at the SLO: one line per alert', () => {
    const slo = ratioSlo('30d', 80);
    assert.deepEqual(
      unreachableAlertWarnings([slo]).map((warning) => warning.text),
      [
        'slo "hits": the page alert needs an error ratio above 1.2 (burn rate 6 x budget 20 %), which a ratio never reaches: it can never fire (hits.yaml:4:1)',
      ],
    );
  });
});

describe('the shipped file (cache-hit-rate: 80 % over 30 days) through the CLI', () => {
  const shippedText = readFileSync(DEFAULT_CONFIG_PATH, 'utf8');
  // The shipped file switches cache-hit-rate's page alert off; this copy switches it back on.
  const PAGE_OFF = '      page:\n        disabled: true\n';
  const pageOn = shippedText.replace(PAGE_OFF, '');
  const dir = mkdtempSync(join(tmpdir(), 'slo-alerts-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const pageOnFile = join(dir, 'page-on.yaml');
  writeFileSync(pageOnFile, pageOn);
  const line = pageOn.split('\n').indexOf('  - name: cache-hit-rate') + 1;
  const warning = `slo "cache-hit-rate": the page alert needs an error ratio above 1.2 (burn rate 6 x budget 20 %), which a ratio never reaches: it can never fire (${pageOnFile}:${line}:1)`;
  /** The severities of cache-hit-rate's alerts in written rules. */
  const cacheSeverities = (rules: string) =>
    [...rules.matchAll(/alert: MystocksApiCacheHitRateBudgetBurn\n(?:.*\n)*?\s+severity: (\w+)/g)].map((m) => m[1]);

  it('has its page alert switched off (the two lines the copy leaves out), so neither command warns', async () => {
    assert.notEqual(pageOn, shippedText, 'the shipped file switches the page alert off with page: { disabled: true }');
    assert.equal(shippedText.split('\n').length - pageOn.split('\n').length, 2);
    const rules = await runHarness(['slo', 'rules']);
    assert.equal(rules.exitCode, 0);
    assert.equal(rules.stderr, '');
    // The ticket alert stays: 3 x 0.2 = 0.6 and 1 x 0.2 = 0.2 are error ratios a cache can reach.
    assert.deepEqual(cacheSeverities(rules.stdout), ['ticket']);
    const validate = await runHarness(['slo', 'validate', 'slo/slo-config.yaml']);
    assert.equal(validate.exitCode, 0);
    assert.equal(validate.stdout, 'slo/slo-config.yaml: ok (harness, 6 SLOs)\n');
  });

  it('with the page alert on again: harness slo rules writes it, exit 0, and warns once on stderr', async () => {
    assert.ok(line > 0);
    const ran = await runHarness(['slo', 'rules', '--slo-config', pageOnFile]);
    assert.equal(ran.exitCode, 0);
    assert.equal(ran.stderr, `warning: ${warning}\n`);
    // The page alert is still written: a warning, not a change to the rules.
    assert.deepEqual(cacheSeverities(ran.stdout), ['page', 'ticket']);
  });

  it('with the page alert on again: harness slo validate is ok, exit 0, with the warning under the file', async () => {
    const ran = await runHarness(['slo', 'validate', pageOnFile]);
    assert.equal(ran.exitCode, 0);
    assert.equal(ran.stdout, `${pageOnFile}: ok (harness, 6 SLOs)\n  warning: ${warning}\n`);
  });
});
