// The one place load/ reads the SLOs: slo-config.yaml -> the checker's model -> its loadThresholds(). The
// numbers (300 ms, 0.1 %, 99.9 %) live only in that file.
import { relative } from 'node:path';
import { loadSloConfig, loadThresholds, type SloModel } from '../slo/index.ts';
import { type ThresholdSpec, thresholdsFromLimits } from './thresholds.ts';

/** The thresholds of a load run from an SLO config file (the repository's own by default). Throws exit 2. */
export async function thresholdsFromSloConfig(path?: string): Promise<ThresholdSpec[]> {
  const { model } = await loadSloConfig(path);
  return thresholdsFromModel(model, path);
}

/** The thresholds from an SLO model already loaded (harness verify loads the file once for load and SLO check). */
export function thresholdsFromModel(model: SloModel, path?: string): ThresholdSpec[] {
  const shown = path ? relative(process.cwd(), path) || path : 'slo/slo-config.yaml';
  return thresholdsFromLimits(loadThresholds(model), shown);
}
