// GitHub Actions annotations from the gate: when the harness runs in a workflow (GITHUB_ACTIONS=true), each failed
// SLO and each broken load threshold becomes an `::error title=...::message` line, which GitHub shows on the run's
// summary page and the pull request's checks instead of leaving it to be found in the log.
//
// The lines go to stderr: the runner reads workflow commands from both streams, and stdout may be a report a
// script parses (`harness verify --json`, `harness slo check --format json`).
import type { SloReport } from '../slo/index.ts';

/**
 * A message in a workflow command, escaped as GitHub's runner unescapes it (actions/toolkit's escapeData): `%`
 * first, so the escapes written after it are not escaped again, then CR and LF, which would end the command.
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (`title=`): as a message, and also `:` and `,`, which end the value (escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error title=T::message`: one annotation. */
export function errorCommand(title: string, message: string): string {
  return `::error title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** Whether this process runs in a GitHub Actions job (the runner sets GITHUB_ACTIONS=true). */
export function inGitHubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** The parts of a load threshold an annotation names (load/thresholds.ts ThresholdResult). */
interface Threshold {
  name: string;
  ok: boolean;
  value: number | null;
  limit: number;
  unit: string;
  comparison: string;
}

/** One `::error` per failed SLO of the report, its reason as the message. */
export function sloAnnotations(report: SloReport): string[] {
  return report.slos
    .filter((slo) => slo.status === 'fail')
    .map((slo) => errorCommand(`SLO ${slo.name} failed`, slo.reason ?? `${slo.name} is outside its objective`));
}

/** One `::error` per broken load threshold: the measured value against the limit. */
export function thresholdAnnotations(thresholds: readonly Threshold[]): string[] {
  return thresholds
    .filter((threshold) => !threshold.ok)
    .map((threshold) => {
      const unit = threshold.unit === '%' ? ' %' : ` ${threshold.unit}`;
      const measured = threshold.value === null ? 'nothing measured' : `${threshold.value}${unit}`;
      return errorCommand(
        `load threshold ${threshold.name} broken`,
        `${measured}, limit ${threshold.comparison} ${threshold.limit}${unit}`,
      );
    });
}

/** Writes the annotations on stderr when running in GitHub Actions; elsewhere nothing. */
export function annotate(lines: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  if (!inGitHubActions(env) || lines.length === 0) return;
  process.stderr.write(`${lines.join('\n')}\n`);
}
