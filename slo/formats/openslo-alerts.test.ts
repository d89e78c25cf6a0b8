// OpenSLO alert policies <-> the harness's page and ticket burn-rate alerts (openslo-alerts.ts): what
// `harness slo convert --to openslo` writes (hand-computed factors), what policies written by hand read back to
// (inline and by ref), the located errors for what breaks the OpenSLO spec and the located warnings for what
// the harness's alerts cannot say. Pure: texts parsed in memory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { SLO_RECEIVERS } from '../alertmanager/alertmanager.ts';
import { DEFAULT_CONFIG_PATH, loadSloConfig, parseSloConfig, SloConfigError } from '../load.ts';
import { renderRules } from '../rules/rules.ts';
import { ALERT_TARGETS } from './openslo-alerts.ts';
import { writeConfig } from './write.ts';

/** Each written policy of an SLO: severity, op, threshold, lookbackWindow, alertAfter, alertWhenBreaching. */
function policiesOf(text: string, slo: string): unknown[] | undefined {
  const doc = parseAllDocuments(text)
    .map((d) => d.toJS())
    .find((d) => d.kind === 'SLO' && d.metadata.name === slo);
  assert.ok(doc, `SLO ${slo} written`);
  const policies = doc.spec.alertPolicies as
    | { spec: { alertWhenBreaching: boolean; conditions: { spec: { severity: string; condition: object } }[] } }[]
    | undefined;
  return policies?.map((policy) => {
    const condition = policy.spec.conditions[0]!.spec;
    return [condition.severity, ...Object.values(condition.condition).slice(1), policy.spec.alertWhenBreaching];
  });
}

/** An OpenSLO ratio SLO over `window`, 99.9 %, with `policies` (YAML at the SLO spec's indentation) and more. */
function openslo(policies: string, more = '', window = '30d'): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout
spec:
  service: shop
  indicator:
    metadata: { name: checkout-sli }
    spec:
      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: 'sum(checkout_failed_total) or vector(0)' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'sum(checkout_total)' } } }
  timeWindow: [{ duration: ${window}, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.999 }]
${policies}${more}`;
}

/** A burn-rate condition of `severity` inline in a policy, as a list item at the SLO spec's indentation. */
function policy(severity: string, threshold: number, lookback: string, extra = '', condition = ''): string {
  return `    - kind: AlertPolicy
      metadata: { name: p-${severity}-${lookback} }
      spec:
        alertWhenBreaching: true${extra}
        conditions:
          - kind: AlertCondition
            metadata: { name: c-${severity}-${lookback} }
            spec:
              severity: ${severity}
              condition: { kind: burnrate, op: gt, threshold: ${threshold}, lookbackWindow: ${lookback}, alertAfter: 0m${condition} }
        notificationTargets: [{ targetRef: slo-${severity} }]
`;
}

/** The harness's four conditions for 30 days, as policies. */
const ALL_30D = `  alertPolicies:
${policy('page', 14.4, '1h')}${policy('page', 6, '6h')}${policy('ticket', 3, '1d')}${policy('ticket', 1, '3d')}`;

const messages = (text: string) => parseSloConfig(text, 'alerts.yaml').warnings.map((warning) => warning.text);
const refused = (text: string) => {
  try {
    parseSloConfig(text, 'alerts.yaml');
  } catch (error) {
    assert.ok(error instanceof SloConfigError);
    return error.issues.map((issue) => issue.text);
  }
  assert.fail('accepted');
};

describe('harness slo convert --to openslo writes the burn-rate alerts as alert policies', () => {
  it("the shipped file: each ratio SLO's four conditions (30 days: 14.4 over 1h, 6 over 6h, 3 over 1d, 1 over 3d), cache-hit-rate's page off, no switch in the annotation", async () => {
    const { model } = await loadSloConfig(DEFAULT_CONFIG_PATH);
    const text = writeConfig(model, 'openslo').text;
    const expected = (page: boolean) => [
      ['page', 'gt', 14.4, '1h', '0m', page],
      ['page', 'gt', 6, '6h', '0m', page],
      ['ticket', 'gt', 3, '1d', '0m', true],
      ['ticket', 'gt', 1, '3d', '0m', true],
    ];
    for (const name of ['availability', 'latency-300ms', 'error-rate'])
      assert.deepEqual(policiesOf(text, name), expected(true), name);
    // cache-hit-rate's page alert is switched off in the shipped file (it could never fire: 6 x 0.2 = 1.2 > 1).
    assert.deepEqual(policiesOf(text, 'cache-hit-rate'), expected(false), 'cache-hit-rate');
    // A threshold SLO's bound alert has no OpenSLO form: no policies, its alerting stays in the annotation.
    assert.equal(policiesOf(text, 'latency-p95'), undefined);
    assert.doesNotMatch(text, /"disabled"/);
    // Every targetRef resolves to an object of the file: the receivers of `harness slo alertmanager`.
    const targets = parseAllDocuments(text)
      .map((d) => d.toJS())
      .filter((d) => d.kind === 'AlertNotificationTarget')
      .map((d) => d.metadata.name);
    assert.deepEqual(targets, ['slo-page', 'slo-ticket']);
  });

  it('scales the thresholds with the period: 15 days gives 0.02 x 360 h / 1 h = 7.2, 0.05 x 360 / 6 = 3, 0.1 x 15 d / 1 d = 1.5, 0.1 x 15 / 3 = 0.5', () => {
    const { model } = parseSloConfig(openslo(''), 'x.yaml');
    const text = writeConfig(
      { ...model, slos: [{ ...model.slos[0]!, window: '15d', windowMs: 15 * 86_400_000 }] },
      'openslo',
    ).text;
    assert.deepEqual(
      policiesOf(text, 'checkout')!.map((p) => (p as unknown[]).slice(0, 4)),
      [
        ['page', 'gt', 7.2, '1h'],
        ['page', 'gt', 3, '6h'],
        ['ticket', 'gt', 1.5, '1d'],
        ['ticket', 'gt', 0.5, '3d'],
      ],
    );
  });

  it('a severity switched off is its policies with alertWhenBreaching: false; alerting switched off is alertPolicies: []', () => {
    const { model } = parseSloConfig(openslo(''), 'x.yaml');
    const slo = model.slos[0]!;
    const off = (alerting: object) =>
      writeConfig({ ...model, slos: [{ ...slo, alerting: { ...slo.alerting, ...alerting } }] }, 'openslo').text;
    assert.deepEqual(
      policiesOf(off({ ticketDisabled: true }), 'checkout')!.map((p) => (p as unknown[]).at(-1)),
      [true, true, false, false],
    );
    assert.deepEqual(policiesOf(off({ disabled: true }), 'checkout'), []);
    // Without policies to name, no notification targets are written either.
    assert.doesNotMatch(off({ disabled: true }), /AlertNotificationTarget/);
  });
});

describe('reading alert policies', () => {
  it("the harness's four conditions read back to the default alerting, without a warning; the rules are the same as without policies", () => {
    const { model, warnings } = parseSloConfig(openslo(ALL_30D), 'alerts.yaml');
    assert.deepEqual(warnings, []);
    const alerting = model.slos[0]!.alerting;
    assert.deepEqual(
      [alerting.disabled, alerting.pageDisabled, alerting.ticketDisabled],
      [false, undefined, undefined],
    );
    assert.equal(renderRules(model), renderRules(parseSloConfig(openslo(''), 'alerts.yaml').model));
  });

  it('policies and conditions by ref (alertPolicyRef, conditionRef) in other documents; alertWhenBreaching: false switches a severity off', () => {
    const text = openslo(
      `  alertPolicies:
    - alertPolicyRef: fast-burn
    - alertPolicyRef: slow-burn
    - alertPolicyRef: slow-burn-3d
`,
      `---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: fast-burn }
spec:
  alertWhenBreaching: true
  conditions: [{ conditionRef: page-1h }]
  notificationTargets: [{ targetRef: slo-page }]
---
apiVersion: openslo/v1
kind: AlertCondition
metadata: { name: page-1h }
spec:
  severity: page
  condition: { kind: burnrate, op: gte, threshold: 14.4, lookbackWindow: 60m, alertAfter: 0m }
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: slow-burn }
spec:
  alertWhenBreaching: false
  conditions:
    - kind: AlertCondition
      metadata: { name: ticket-1d }
      spec: { severity: ticket, condition: { kind: burnrate, op: gt, threshold: 3, lookbackWindow: 1d } }
  notificationTargets: [{ targetRef: slo-ticket }]
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: slow-burn-3d }
spec:
  alertWhenBreaching: false
  conditions: [{ kind: AlertCondition, metadata: { name: t }, spec: { severity: ticket, condition: { kind: burnrate, op: gt, threshold: 1, lookbackWindow: 3d } } }]
  notificationTargets: [{ targetRef: slo-ticket }]
`,
    );
    const { model, warnings } = parseSloConfig(text, 'alerts.yaml');
    const alerting = model.slos[0]!.alerting;
    assert.deepEqual([alerting.disabled, alerting.pageDisabled, alerting.ticketDisabled], [false, undefined, true]);
    // The page is the harness's whole page alert: its 6 h condition, which no policy states, is said.
    assert.deepEqual(
      warnings.map((warning) => warning.text),
      [
        `slo "checkout": spec.alertPolicies: the harness's page alert also fires at burn rate 6 over 6h, which no policy states (alerts.yaml:18:5)`,
      ],
    );
  });

  it('alertPolicies: [] is no alerts at all; no alertPolicies keeps the default alerts', () => {
    const none = parseSloConfig(openslo('  alertPolicies: []\n'), 'x.yaml').model.slos[0]!.alerting;
    assert.equal(none.disabled, true);
    const absent = parseSloConfig(openslo(''), 'x.yaml').model.slos[0]!.alerting;
    assert.deepEqual([absent.disabled, absent.pageDisabled, absent.ticketDisabled], [false, undefined, undefined]);
  });

  it('warns, located, on what the harness cannot say, and names what is dropped or replaced', () => {
    const text = openslo(
      `  alertPolicies:
${policy('critical', 14.4, '1h')}${policy('page', 10, '1h', '\n        alertWhenNoData: true')}${policy('page', 6, '6h')}${policy('ticket', 3, '1d').replace('op: gt', 'op: lt')}${policy('ticket', 1, '3d').replace('targetRef: slo-ticket', 'targetRef: oncall-mail')}`,
      `---
apiVersion: openslo/v1
kind: AlertCondition
metadata: { name: unused }
spec: { severity: page, condition: { kind: burnrate, op: gt, threshold: 2, lookbackWindow: 1h } }
`,
    );
    assert.deepEqual(messages(text), [
      `slo "checkout": spec.alertPolicies[0].spec.conditions[0].spec.severity: critical is not a severity of the harness's alerts (page, ticket): this condition is dropped (alerts.yaml:26:25)`,
      `slo "checkout": spec.alertPolicies[1].spec.conditions[0].spec.condition: burn rate 10 over 1h is not one of the harness's page conditions for a 30d window (14.4 over 1h, 6 over 6h): the harness writes its own page alert instead (alerts.yaml:39:26)`,
      `slo "checkout": spec.alertPolicies[1].spec.alertWhenNoData: is dropped: the harness alerts on burn rates only; missing data is judged by the gate (noData) (alerts.yaml:33:26)`,
      `slo "checkout": spec.alertPolicies[3].spec.conditions[0].spec.condition.op: lt alerts on a burn rate below the threshold, which no harness alert does: this condition is dropped (alerts.yaml:61:48)`,
      `slo "checkout": spec.alertPolicies[4].spec.notificationTargets[0]: oncall-mail is not used: the harness routes alerts by severity (\`harness slo alertmanager\` sends ticket alerts to slo-ticket) (alerts.yaml:73:31)`,
      `slo "checkout": spec.alertPolicies: the harness's page alert also fires at burn rate 14.4 over 1h, which no policy states (alerts.yaml:18:5)`,
      `slo "checkout": spec.alertPolicies: the harness's ticket alert also fires at burn rate 3 over 1d, which no policy states (alerts.yaml:18:5)`,
      "kind: AlertCondition is ignored: no SLO's alertPolicies (a policy's conditionRef) names it (alerts.yaml:76:7)",
    ]);
  });

  it('warns on alertAfter (the harness waits for no `for`), and drops the policies of a threshold SLO', () => {
    const after = openslo(ALL_30D.replace('lookbackWindow: 1h, alertAfter: 0m', 'lookbackWindow: 1h, alertAfter: 5m'));
    assert.deepEqual(messages(after), [
      `slo "checkout": spec.alertPolicies[0].spec.conditions[0].spec.condition.alertAfter: is dropped: the harness's burn-rate alerts fire as soon as the lookback window and its short window (1/12 of it) both burn, with no wait (alerts.yaml:27:101)`,
    ]);
    const threshold = openslo(ALL_30D).replace(
      /ratioMetric:[\s\S]*?objectives: \[\{ target: 0.999 \}\]/,
      `thresholdMetric: { metricSource: { type: Prometheus, spec: { query: 'max(max_over_time(queue_depth[{{window}}]))' } } }
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ op: lte, value: 100, target: 1 }]`,
    );
    assert.deepEqual(messages(threshold), [
      'slo "checkout": spec.alertPolicies: is dropped: a threshold SLI has no error budget to burn; the harness writes its bound alert (a ticket when the last hour breaks the bound for 10 minutes) (alerts.yaml:15:5)',
    ]);
  });

  it('refuses, located, what breaks the OpenSLO spec', () => {
    assert.deepEqual(
      refused(
        openslo(
          ALL_30D.replace('kind: burnrate, op: gt, threshold: 14.4', 'kind: errorbudget, op: gt, threshold: 14.4'),
        ),
      ),
      [
        'slo "checkout": spec.alertPolicies[0].spec.conditions[0].spec.condition.kind: errorbudget is not a condition kind of OpenSLO v1: burnrate is the only one (alerts.yaml:27:34)',
      ],
    );
    assert.deepEqual(refused(openslo(ALL_30D.replace('op: gt, threshold: 14.4', 'op: above, threshold: 14.4'))), [
      'slo "checkout": spec.alertPolicies[0].spec.conditions[0].spec.condition.op: must be one of lt, lte, gt, gte (alerts.yaml:27:48)',
    ]);
    assert.deepEqual(refused(openslo(ALL_30D.replace('lookbackWindow: 1h,', 'lookbackWindow: 1M,'))), [
      'slo "checkout": spec.alertPolicies[0].spec.conditions[0].spec.condition.lookbackWindow: must be a duration such as 1h (m, h, d or w) (alerts.yaml:27:85)',
    ]);
    assert.deepEqual(refused(openslo('  alertPolicies:\n    - alertPolicyRef: nowhere\n')), [
      'slo "checkout": spec.alertPolicies[0].alertPolicyRef: no AlertPolicy named "nowhere" in this file or its folder (alerts.yaml:18:23)',
    ]);
    const two = ALL_30D.replace(
      '        notificationTargets: [{ targetRef: slo-page }]\n',
      '          - conditionRef: other\n        notificationTargets: [{ targetRef: slo-page }]\n',
    );
    assert.deepEqual(refused(openslo(two)), [
      'slo "checkout": spec.alertPolicies[0].spec.conditions[1]: give one condition: an OpenSLO AlertPolicy holds one (write a policy per condition) (alerts.yaml:28:13)',
    ]);
  });
});

it('names the receivers `harness slo alertmanager` routes to as the notification targets', () => {
  assert.deepEqual(ALERT_TARGETS, SLO_RECEIVERS);
});
