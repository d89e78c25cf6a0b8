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

/**
 * Writes `tests` as `file` in `dir` and runs `promtool test rules` on it there (its rule_files are read relative
 * to `dir`); resolves with promtool's stdout, and rejects with its output when a test fails.
 */
export async function promtoolTestRules(dir: string, file: string, tests: object): Promise<string> {
  const testFile = join(dir, file);
  writeFileSync(testFile, stringify(tests, { lineWidth: 0 }));
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
