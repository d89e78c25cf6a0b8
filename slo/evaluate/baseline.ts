// Baseline comparison (as Keptn does): this run's SLI values against a stored earlier passing run, failing
// an SLO whose value regressed by more than the config allows (e.g. P95 more than 10 % worse).
import { readFile } from 'node:fs/promises';
import { HarnessError, worstVerdict } from '../../core/outcome.ts';
import type { SloModel } from '../model/model.ts';
import { formatValue, trim } from '../model/units.ts';
import type { SloReport, SloResult } from './evaluate.ts';

/** Reads a JSON report written by `harness slo check --format json`; it must be a passing run. Throws HarnessError. */
export async function loadBaseline(path: string): Promise<SloReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new HarnessError(`baseline ${path}: cannot read it as JSON: ${(error as Error).message}`);
  }
  const report = parsed as Partial<SloReport>;
  if (typeof report !== 'object' || report === null || !Array.isArray(report.slos)) {
    throw new HarnessError(`baseline ${path}: not an SLO report (no "slos" list); write one with --format json`);
  }
  if (report.status !== 'pass') {
    throw new HarnessError(
      `baseline ${path}: its status is ${String(report.status)}; a baseline must be a passing run`,
    );
  }
  return report as SloReport;
}

/** How {@link compareWithBaseline} lets a regression count. */
export interface BaselineOptions {
  /**
   * What answered "did it get slower" for this run with an interval for the difference (verify: the load
   * comparison of both runs' per-request samples, and its verdict). Given, a regression beyond maxRegressionPct is
   * reported on the SLO but does not change its status: two single values, one from each run, carry no measure of
   * their own noise, and on a shared machine two healthy smoke runs' latency-p95 were 15.9 and 32.9 ms (107.6 %
   * "worse") and their db-query-p95 4.9 and 7.8 ms, while the comparison of the same runs' 1461 and 1409 requests
   * found no significant difference. Without it (`harness slo check --baseline`, or a baseline without load
   * samples) the SLO file's maxRegressionPct decides, as configured.
   */
  judgedBy?: string;
}

/**
 * Compares each SLO that has maxRegressionPct with the baseline's value. "Worse" follows the objective: for
 * `<=`/`<` a higher value is worse (latency), for `>=`/`>` a lower one (ratio SLIs, in percent good).
 * regressionPct = (current - baseline) / |baseline| x 100, signed so that positive means worse. A
 * regression beyond the limit turns a passing SLO into a failing one, unless `options.judgedBy` says what judged
 * the run's regressions instead; other statuses stay as they are.
 */
export function compareWithBaseline(
  report: SloReport,
  baseline: SloReport,
  model: SloModel,
  options: BaselineOptions = {},
): SloReport {
  const limits = new Map(model.slos.map((slo) => [slo.name, slo.maxRegressionPct]));
  const slos = report.slos.map((result): SloResult => {
    const limit = limits.get(result.name);
    const before = baseline.slos.find((slo) => slo.name === result.name);
    if (limit === undefined || result.sli === null || typeof before?.sli !== 'number') return result;
    const higherIsWorse = result.operator === '<=' || result.operator === '<';
    const change = result.sli - before.sli;
    const worse = higherIsWorse ? change : -change;
    const regressionPct =
      before.sli === 0
        ? worse > 0
          ? Number.POSITIVE_INFINITY
          : 0
        : Number(((worse / Math.abs(before.sli)) * 100).toPrecision(12));
    const regressed = regressionPct > limit;
    const comparison = { value: before.sli, regressionPct, maxRegressionPct: limit, regressed };
    if (!regressed) return { ...result, baseline: comparison };
    const text = `${trim(regressionPct)} % worse than the baseline ${formatValue(before.sli, result.unit)} (allowed ${limit} %)`;
    if (options.judgedBy !== undefined) {
      const note = `${text}; not judged on two single values: ${options.judgedBy}`;
      return {
        ...result,
        baseline: { ...comparison, judgedBy: options.judgedBy },
        reason: result.reason ? `${result.reason}; ${note}` : note,
      };
    }
    return {
      ...result,
      baseline: comparison,
      status: result.status === 'pass' ? 'fail' : result.status,
      reason: result.reason ? `${result.reason}; ${text}` : text,
    };
  });
  return { ...report, status: worstVerdict(slos.map((slo) => slo.status)), slos };
}
