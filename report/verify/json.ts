// verify.json (and `harness verify --json`): a verify run as data for scripts, rendered from the run's result.
import { exitCodeOf } from '../../core/outcome.ts';
import { harnessVersion } from '../../core/version.ts';
import { stageVerdict, type VerifyResult } from './model.ts';

/**
 * The result without the bulky parts (the SLO report is in slo/slo.json).
 * Scripts read the run's exit code and each stage's say in it here (null: the stage did not decide), so both are
 * written as numbers beside the verdict (core/outcome.ts exitCodeOf).
 */
export function verifyJson(result: VerifyResult) {
  return {
    exitCode: exitCodeOf(result.verdict),
    verdict: result.verdict,
    verdictSentence: result.verdictSentence ?? null,
    tested: result.context ?? null,
    loadReport: result.load?.htmlPath ?? null,
    stages: result.stages.map((s) => {
      const verdict = stageVerdict(s);
      // The fields in verify.json's order (stage, durationMs, result, exitCode, reportPath, detail).
      return {
        stage: s.stage,
        durationMs: Math.round(s.durationMs),
        result: s.result,
        exitCode: verdict === null ? null : exitCodeOf(verdict),
        ...(s.reportPath === undefined ? {} : { reportPath: s.reportPath }),
        detail: s.detail,
      };
    }),
    breachedSlos: result.breachedSlos,
    inconclusiveSlos: result.inconclusiveSlos,
    breachedThresholds: result.breachedThresholds,
    // The load comparison with the baseline in brief; compare.json holds all of it.
    loadComparison: result.comparison
      ? {
          verdict: result.comparison.verdict,
          baseline: result.comparison.baselinePath,
          baselineRun: result.comparison.comparison?.runA.runId ?? null,
          comparison: result.comparison.comparison?.verdict ?? null,
          reasons: result.comparison.comparison?.reasons ?? [result.comparison.reason ?? ''],
          report: result.comparison.comparison ? result.paths.compareJson : null,
        }
      : null,
    sloWindow: result.sloWindow
      ? {
          start: result.sloWindow.start.toISOString(),
          end: result.sloWindow.end.toISOString(),
          source: result.sloWindow.source,
        }
      : null,
    wallMs: Math.round(result.wallMs),
    toolMs: Object.fromEntries(Object.entries(result.toolMs).map(([k, v]) => [k, Math.round(v)])),
    paths: result.paths,
    // Which harness judged the run (package.json's version), as in slo check's JSON.
    harnessVersion: harnessVersion(),
  };
}
