// The harness's burn-rate alerts as data: which windows page and which open a ticket, the factor each needs
// for an SLO's period, and the alerts that can never fire. The rules renderer (slo/rules) writes them, the
// OpenSLO reader and writer (slo/formats) map them to and from AlertPolicy/AlertCondition objects, and
// `harness slo rules` / `harness slo validate` warn on an alert that can never fire. No I/O.
import { parseDuration } from '../../core/duration.ts';
import { type ConfigIssue, makeIssue } from '../spec/parse.ts';
import { errorBudget, roundSig, type Slo } from './model.ts';

/**
 * One burn-rate condition: the long window's error ratio above `factor x budget`, confirmed by the short
 * window (so the alert resets soon after the burning stops). `budgetShare` is the share of the period's
 * budget spent when the condition first holds; the factor follows from it, so every period keeps the same
 * meaning: factor = budgetShare x period / longWindow. For 30 days this gives the workbook's 14.4, 6, 3, 1.
 */
export interface BurnRateWindow {
  severity: 'page' | 'ticket';
  budgetShare: number;
  long: string;
  short: string;
}

/**
 * The workbook's windows: page on 2 % of the budget in 1 h or 5 % in 6 h; ticket on 10 % in 1 d or in 3 d.
 * Each short window is its long window / 12 (the workbook's choice), which is how an OpenSLO burn-rate
 * condition, that names one lookback window, carries the pair (formats/openslo.ts).
 */
export const BURN_RATE_WINDOWS: BurnRateWindow[] = [
  { severity: 'page', budgetShare: 0.02, long: '1h', short: '5m' },
  { severity: 'page', budgetShare: 0.05, long: '6h', short: '30m' },
  { severity: 'ticket', budgetShare: 0.1, long: '1d', short: '2h' },
  { severity: 'ticket', budgetShare: 0.1, long: '3d', short: '6h' },
];

/** The burn-rate factor of a window for an SLO period: 14.4 for 2 % in 1 h of 30 d. */
export function burnRateFactor(window: BurnRateWindow, periodMs: number): number {
  return roundSig((window.budgetShare * periodMs) / parseDuration(window.long)!);
}

/** The severities of a ratio SLO's burn-rate alerts that its alerting settings leave on. */
export function enabledSeverities(slo: Slo): ('page' | 'ticket')[] {
  if (slo.sli.kind !== 'ratio' || slo.alerting.disabled) return [];
  return (['page', 'ticket'] as const).filter((severity) =>
    severity === 'page' ? !slo.alerting.pageDisabled : !slo.alerting.ticketDisabled,
  );
}

/**
 * A burn-rate alert that can never fire: every one of its conditions needs the error ratio above
 * factor x budget, and an error ratio (bad / total, or 1 - good / total) is at most 1. So the alert can fire
 * only if its lowest condition's `factor x budget` is below 1; at 1 or above it never does (the rule says
 * `>`, so a ratio of exactly 1 does not fire it either).
 */
export interface UnreachableAlert {
  slo: string;
  severity: 'page' | 'ticket';
  /** The lowest condition of the alert: its factor, and the error ratio it needs (factor x budget). */
  factor: number;
  budget: number;
  needs: number;
  /** `the page alert needs an error ratio above 1.2 (burn rate 6 x budget 20 %), ...: it can never fire` */
  message: string;
}

/**
 * The enabled burn-rate alerts of a ratio SLO that can never fire (UnreachableAlert). cache-hit-rate, 80 %
 * over 30 days: budget 0.2; its page alert's conditions are 14.4 x 0.2 = 2.88 (1 h) and 6 x 0.2 = 1.2 (6 h),
 * the lowest 1.2 > 1, so it never pages; its ticket's are 3 x 0.2 = 0.6 and 1 x 0.2 = 0.2, so it does ticket.
 */
export function unreachableAlerts(slo: Slo): UnreachableAlert[] {
  const budget = errorBudget(slo);
  if (budget === undefined) return [];
  const found: UnreachableAlert[] = [];
  for (const severity of enabledSeverities(slo)) {
    const lowest = Math.min(
      ...BURN_RATE_WINDOWS.filter((window) => window.severity === severity).map((window) =>
        burnRateFactor(window, slo.windowMs),
      ),
    );
    const needs = roundSig(lowest * budget);
    if (needs < 1) continue;
    const percent = roundSig(budget * 100);
    found.push({
      slo: slo.name,
      severity,
      factor: lowest,
      budget,
      needs,
      message: `the ${severity} alert needs an error ratio above ${needs} (burn rate ${lowest} x budget ${percent} %), which a ratio never reaches: it can never fire`,
    });
  }
  return found;
}

/**
 * One located warning per alert that can never fire, at the SLO's entry:
 * `slo "NAME": the page alert needs ... it can never fire (FILE:LINE:1)`.
 */
export function unreachableAlertWarnings(slos: Slo[]): ConfigIssue[] {
  return slos.flatMap((slo) =>
    unreachableAlerts(slo).map((alert) =>
      // `(slo)` is a pseudo-field: the warning is about the SLO as a whole (its objective against its alerts).
      makeIssue(slo.source.file, slo.source.line, 1, '(slo)', slo.name, alert.message),
    ),
  );
}
