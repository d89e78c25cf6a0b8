// `promtool test rules` for the tests of rendered rule files (harness and Sloth formats): the alerting rules read
// back from a rendered file, and one promtool run over a test file written from an object.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { findBinary, runCommand } from '../../stack/process.ts';

/** An alerting rule of a rendered rule file, as far as promtool's expected alerts are made from it. */
export interface AlertingRule {
  alert?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The alerting rules of a rendered rule file (recording rules left out), in file order. */
export function alertingRules(rules: string): AlertingRule[] {
  const parsed = parse(rules) as { groups: { rules: AlertingRule[] }[] };
  return parsed.groups.flatMap((group) => group.rules).filter((rule) => rule.alert);
}

/** What promtool must see of one firing alert: its labels and annotations after templating. */
export interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string> | undefined;
}

/**
 * promtool's expected alert for each severity of a rendered rule file: the alerting rule whose label
 * `severityLabel` (`severity` in the harness format, `sloth_severity` in Sloth's) names that severity, its
 * labels with `sloLabels` added (the SLO's labels, which the alert keeps from the recorded series it reads), and
 * its annotations as `annotations` templates them (as written by default).
 */
export function expectedAlerts(
  alerts: AlertingRule[],
  severityLabel: string,
  sloLabels: Record<string, string>,
  annotations: (written: Record<string, string>) => Record<string, string> = (written) => written,
): (severity: 'page' | 'ticket') => ExpectedAlert {
  return (severity) => {
    const rule = alerts.find((alert) => alert.labels?.[severityLabel] === severity);
    if (rule === undefined) throw new Error(`no alerting rule with ${severityLabel}: ${severity}`);
    return {
      exp_labels: { ...rule.labels, ...sloLabels },
      exp_annotations: rule.annotations === undefined ? undefined : annotations(rule.annotations),
    };
  };
}

/**
 * Runs `promtool test rules` on `tests` over one rendered rule file: writes `rules` as `<name>-rules.yaml` in
 * `dir` and `tests`, with that file as their rule_files, as `<name>-tests.yaml` beside it; resolves with promtool's
 * stdout, and rejects with its output when a test fails.
 */
export async function promtoolTestRules(dir: string, name: string, rules: string, tests: object): Promise<string> {
  const ruleFile = `${name}-rules.yaml`;
  const testFile = join(dir, `${name}-tests.yaml`);
  writeFileSync(join(dir, ruleFile), rules);
  writeFileSync(testFile, stringify({ rule_files: [ruleFile], ...tests }, { lineWidth: 0 }));
  const { stdout } = await runCommand(findBinary('promtool'), ['test', 'rules', testFile], {
    cwd: dir,
    timeoutMs: 110_000,
  });
  return stdout;
}

/** Writes `rules` as `file` in `dir` and runs `promtool check rules` on it; resolves with promtool's stdout. */
export async function promtoolCheckRules(dir: string, file: string, rules: string): Promise<string> {
  const ruleFile = join(dir, file);
  writeFileSync(ruleFile, rules);
  const { stdout } = await runCommand(findBinary('promtool'), ['check', 'rules', ruleFile]);
  return stdout;
}
