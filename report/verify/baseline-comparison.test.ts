// Golden tests of the load comparison's Markdown form (renderBaselineComparison: summary.md's "Load against the
// baseline" under `harness verify --baseline`): the seeded regression pair of load/testing/compared-runs.ts, whose
// plain-text table is report/load/testdata/compare-regression.golden.txt, and a comparison that could not be made.
// `UPDATE_GOLDEN=1 node --test report/verify/baseline-comparison.test.ts` rewrites them; read the diff before
// committing. The stage that makes the comparison is cli/verify/baseline-load.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { reportPaths } from '../../cli/verify/reports/paths.ts';
import { assertGolden } from '../../core/testing/golden.ts';
import { comparisonVerdict } from '../../load/compare.ts';
import { comparedRuns } from '../../load/testing/compared-runs.ts';
import { renderBaselineComparison } from './markdown.ts';
import type { BaselineLoadComparison } from './model.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');
const paths = reportPaths('/golden/reports', 'verify-run1');

describe("the load comparison's Markdown section", () => {
  it('reads as its golden file for a regression: the P95 of every endpoint and its worst figure', () => {
    const comparison = comparedRuns('regression');
    const outcome: BaselineLoadComparison = {
      verdict: comparisonVerdict(comparison),
      baselinePath: paths.baseline,
      comparison,
    };
    const markdown = `${renderBaselineComparison(outcome, paths).join('\n')}\n`;
    assertGolden(TESTDATA, 'baseline-comparison-regression.golden.md', markdown);
    // The portfolio's P95 is within its margin, but its P50 could not be told apart: the row says the worse.
    assert.match(markdown, /^\| \/api\/portfolio\/summary \| 360 \/ 360 \| .* \| p50: inconclusive \|$/m);
  });

  it('reads as its golden file when there was nothing to compare with', () => {
    const outcome: BaselineLoadComparison = {
      verdict: 'inconclusive',
      baselinePath: paths.baseline,
      reason: `the baseline has no load samples to compare with (${paths.baselineLoad}/samples.jsonl does not exist): its run skipped load, or it was saved before baselines kept them; a passing verify run with load writes a baseline that has them`,
    };
    const markdown = `${renderBaselineComparison(outcome, paths).join('\n')}\n`;
    assertGolden(TESTDATA, 'baseline-comparison-not-compared.golden.md', markdown);
  });
});
