// What a verify run did, in words every report shares (summary.md, the terminal, the verdict sentence, Allure):
// which stages did not run and what that leaves unchecked, and which could not be judged. A PASS with the
// browser tests skipped must say so where the verdict is read, not only in a table row further down.
import { exitCodeOf, type Verdict, verdictWord } from '../../core/outcome.ts';
import { type StageName, type StageResult, stageVerdict } from './model.ts';

/** What is left unchecked when a stage does not run, in a stakeholder's words. */
const UNCHECKED: Partial<Record<StageName, string>> = {
  e2e: 'browser tests did not run',
  load: 'no load was sent (load thresholds not checked)',
  compare: 'the load was not compared with the baseline',
  slo: 'the SLOs were not judged',
};

/** A stage that did not run: its name, why (the stage's detail: `--skip e2e`, `the stack did not start`), and what is unchecked. */
export interface NotRun {
  stage: StageName;
  why: string;
  unchecked: string;
}

/** The stages listed as skipped, in run order. */
export function notRun(stages: readonly StageResult[]): NotRun[] {
  return stages
    .filter((s) => s.result === 'skipped')
    .map((s) => ({ stage: s.stage, why: s.detail, unchecked: UNCHECKED[s.stage] ?? 'it did not run' }));
}

/** One skipped stage in words: "e2e skipped (--skip e2e): browser tests did not run". */
export function describeNotRun(n: NotRun): string {
  return `${n.stage} skipped${n.why ? ` (${n.why})` : ''}: ${n.unchecked}`;
}

/**
 * The skipped stages in one clause; stages skipped for the same reason share it:
 * "e2e skipped (--skip e2e): browser tests did not run; load and slo skipped (the stack did not start): ...".
 * Empty when every stage ran.
 */
export function skippedClause(stages: readonly StageResult[]): string {
  const groups: NotRun[][] = [];
  for (const n of notRun(stages)) {
    const same = groups.find((g) => g[0]!.why === n.why);
    if (same) same.push(n);
    else groups.push([n]);
  }
  return groups
    .map((g) =>
      g.length === 1
        ? describeNotRun(g[0]!)
        : `${listed(g.map((n) => n.stage))} skipped${g[0]!.why ? ` (${g[0]!.why})` : ''}: ${listed(g.map((n) => n.unchecked))}`,
    )
    .join('; ');
}

/** Stages that judge the service and ended inconclusive ("could not be judged"). */
export function unjudged(stages: readonly StageResult[]): StageName[] {
  return stages.filter((s) => stageVerdict(s) === 'inconclusive').map((s) => s.stage);
}

/** What the verdict word alone does not say: the stages that could not be judged, then those that did not run. */
export function runClauses(stages: readonly StageResult[]): string[] {
  const open = unjudged(stages);
  return [open.length > 0 ? `could not be judged: ${open.join(', ')}` : '', skippedClause(stages)].filter(Boolean);
}

/**
 * The run's headline: the verdict word (and, with `exitCode`, its exit code), then what could not be judged and
 * what did not run.
 * "PASS (exit 0) — e2e skipped (--skip e2e): browser tests did not run"; "INCONCLUSIVE (exit 2) — could not be
 * judged: slo".
 */
export function headline(
  verdict: Verdict,
  stages: readonly StageResult[],
  options: { exitCode?: boolean } = {},
): string {
  const word = `${verdictWord(verdict)}${options.exitCode ? ` (exit ${exitCodeOf(verdict)})` : ''}`;
  const clauses = runClauses(stages);
  return clauses.length > 0 ? `${word} — ${clauses.join('; ')}` : word;
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
