// `harness verify --baseline F`, its load half: this run's per-request samples against those the baseline's run
// left beside F (reports/baseline/load/, written by saveBaseline in reports/paths.ts), judged by the block
// bootstrap of load/compare.ts, the same judgement as `harness load compare BASELINE THIS`.
//
// Verdicts: a regression beyond its margin fails the run; "cannot tell" and "not enough data" are inconclusive;
// no significant difference passes. A comparison that cannot be made at all is inconclusive too, with the reason:
// `--baseline` asks for it explicitly, and the gate never passes what it cannot judge. The baseline may have no
// samples (its run skipped load, or it was saved before baselines kept them), or this run recorded none (its
// load could not run, or the browser scenario, which sends no API requests of its own).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CompareOptions, type Comparison, compareRuns, comparisonVerdict, loadRun } from '../../load/compare.ts';
import { SAMPLES_FILE } from '../../load/samples.ts';
import { type BaselineLoadComparison, regressionsOf } from '../../report/verify/model.ts';
import { baselineLoadDir } from './reports/paths.ts';

/**
 * Compares the load run in `thisRunDir` (B) with the baseline whose slo.json is `baselinePath` (A: the samples in
 * its load/ folder). Never throws for missing or malformed samples: that is an inconclusive comparison with the
 * reason.
 */
export function compareLoadWithBaseline(
  baselinePath: string,
  thisRunDir: string,
  options: CompareOptions = {},
): BaselineLoadComparison {
  const baselineDir = baselineLoadDir(baselinePath);
  const inconclusive = (reason: string): BaselineLoadComparison => ({ verdict: 'inconclusive', baselinePath, reason });
  if (!existsSync(join(baselineDir, SAMPLES_FILE))) {
    return inconclusive(
      `the baseline has no load samples to compare with (${join(baselineDir, SAMPLES_FILE)} does not exist): its run skipped load, or it was saved before baselines kept them; a passing verify run with load writes a baseline that has them`,
    );
  }
  if (!existsSync(join(thisRunDir, SAMPLES_FILE))) {
    return inconclusive(
      `this run recorded no load samples (${join(thisRunDir, SAMPLES_FILE)} does not exist), so its load cannot be compared with the baseline's`,
    );
  }
  let comparison: Comparison;
  try {
    // Both refs are folders holding samples.jsonl, so loadRun's run-id lookup folder is never used.
    comparison = compareRuns(loadRun(baselineDir, baselineDir), loadRun(thisRunDir, thisRunDir), options);
  } catch (error) {
    return inconclusive(`the load comparison with the baseline failed: ${(error as Error).message}`);
  }
  return { verdict: comparisonVerdict(comparison), baselinePath, comparison };
}

/** One line for the stage table and the summary: the verdict and its first reason. */
export function describeBaselineComparison(outcome: BaselineLoadComparison): string {
  const comparison = outcome.comparison;
  if (!comparison) return `not compared: ${outcome.reason ?? 'no comparison'}`;
  const against = `against baseline ${comparison.runA.runId}`;
  if (comparison.verdict === 'regression') {
    const found = regressionsOf(outcome);
    return `regression ${against}: ${found[0]}${found.length > 1 ? `; ${found.length - 1} more` : ''}`;
  }
  if (comparison.verdict === 'inconclusive') return `cannot tell ${against}: ${comparison.reasons[0] ?? ''}`;
  return `no significant difference ${against}`;
}
