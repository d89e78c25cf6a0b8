// Baseline comparison (as Keptn does): this run's SLI values against a stored earlier passing run, failing
// an SLO whose value regressed by more than the config allows (e.g. P95 more than 10 % worse).
import { readFile } from 'node:fs/promises';
import { HarnessError } from '../../core/outcome.ts';
import type { SloModel } from '../model/model.ts';
import { overallStatus, type SloReport, type SloResult } from './evaluate.ts';

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

/**
 * Compares each SLO that has maxRegressionPct with the baseline's value. "Worse" follows the objective: for
 * `<=`/`<` a higher value is worse (latency), for `>=`/`>` a lower one (ratio SLIs, in percent good).
 * regressionPct = (current - baseline) / |baseline| x 100, signed so that positive means worse. A
 * regression beyond the limit turns a passing SLO into a failing one; other statuses stay as they are.
 */
export function compareWithBaseline(report: SloReport, baseline: SloReport, model: SloModel): SloReport {
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
    const text = `${regressionPct} % worse than the baseline ${before.sli} (allowed ${limit} %)`;
    return {
      ...result,
      baseline: comparison,
      status: result.status === 'pass' ? 'fail' : result.status,
      reason: result.reason ? `${result.reason}; ${text}` : text,
    };
  });
  return { ...report, status: overallStatus(slos.map((slo) => slo.status)), slos };
}
