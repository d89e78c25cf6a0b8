// The words a verify run opens with: the verdict sentence that leads summary.md, the terminal's last lines and
// the load page ("FAIL: latency-p95 453 ms > 300 ms, driven by ..."), and what was tested (stack mode, URLs,
// profile and length, window, commit) as label/value pairs for summary.md and the load page's header.
import type { Verdict } from '../../core/outcome.ts';
import { drivingRow, type SloBreakdown } from '../../diagnose/index.ts';
import type { LoadResult } from '../../load/run.ts';
import { describeResult as describeThreshold } from '../../load/thresholds.ts';
import type { SloReport } from '../../slo/index.ts';
import { formatCondition, formatElapsed } from '../slo/format.ts';
import {
  type BaselineLoadComparison,
  type E2eResult,
  type RunContext,
  regressionsOf,
  type StageResult,
} from './model.ts';
import { skippedClause } from './what-ran.ts';

/** The context as label/value pairs (the summary's list, the load page's header). */
export function contextLines(c: RunContext): [string, string][] {
  return [
    ['stack', c.stackMode ?? 'not started'],
    ...(c.targets ? [['target', c.targets.api] as [string, string]] : []),
    ...(c.targets?.prometheus ? [['Prometheus', c.targets.prometheus] as [string, string]] : []),
    [
      'load profile',
      `${c.profile}${c.profileSeconds === undefined ? '' : ` (${formatElapsed(c.profileSeconds * 1000)} of arrivals)`}`,
    ],
    ...(c.window
      ? [
          [
            'judged window',
            `${c.window.start} .. ${c.window.end} (${formatElapsed(c.window.durationMs)}, the ${c.window.source} window)`,
          ] as [string, string],
        ]
      : []),
    ['commit', c.commit ?? 'unknown'],
  ];
}

/** What the verdict sentence is made of. */
export interface VerdictInput {
  verdict: Verdict;
  slo?: SloReport;
  load?: LoadResult;
  e2e?: E2eResult;
  problems: { stage: string; problem: string }[];
  /** The diagnosis of the failed SLOs, when it ran: the sentence names what drove the first breach. */
  breakdowns?: SloBreakdown[];
  /** The load comparison with the baseline (--baseline), when it ran: a regression is named. */
  comparison?: BaselineLoadComparison;
  /** The stages so far: a skipped one is said in the sentence (what-ran.ts). */
  stages?: readonly StageResult[];
}

/**
 * One sentence: the verdict and its main reason. A breached SLO is the main reason (the gate's own verdict),
 * with the endpoint (or database operation) that drove it when the diagnosis found one, then a broken load
 * threshold, then a load regression against the baseline (--baseline), then failed E2E tests; a regression
 * that is not the main reason is still named after it. An inconclusive run names what could not be judged.
 * A skipped stage is said too: right after PASS (a pass of less than the whole run must not read as a whole
 * pass: "PASS — e2e skipped (--skip e2e): browser tests did not run; ..."), after the reason otherwise.
 */
export function verdictSentence(v: VerdictInput): string {
  const sentence = reasonSentence(v);
  const skipped = skippedClause(v.stages ?? []);
  if (!skipped) return sentence;
  if (sentence.startsWith('PASS: ')) return `PASS — ${skipped}; ${sentence.slice('PASS: '.length)}`;
  return `${sentence.replace(/\.$/, '')}; ${skipped}.`;
}

function reasonSentence(v: VerdictInput): string {
  const breached = v.slo?.slos.filter((s) => s.status === 'fail') ?? [];
  const broken = v.load?.thresholds.filter((t) => !t.ok) ?? [];
  const e2eFailed = v.e2e?.failed ?? [];
  const regressions = regressionsOf(v.comparison);
  if (v.verdict === 'fail') {
    const more = (n: number, what: string) => (n > 0 ? `; ${n} more ${what}` : '');
    const regressionText = `load regression against the baseline: ${regressions[0]}${more(regressions.length - 1, 'regression(s)')}`;
    const alsoRegressed = regressions.length > 0 ? `; ${regressionText}` : '';
    if (breached.length > 0) {
      const first = breached[0]!;
      const why = first.reason ?? formatCondition(first);
      const breakdown = v.breakdowns?.find((b) => b.slo === first.name);
      const driver = breakdown ? drivingRow(breakdown) : undefined;
      return `FAIL: ${first.name} ${why}${driver ? `, driven by ${driver}` : ''}${more(breached.length - 1, 'SLO(s) breached')}${broken.length > 0 ? `; load thresholds broken: ${broken.map((t) => t.name).join(', ')}` : ''}${alsoRegressed}.`;
    }
    if (broken.length > 0) {
      return `FAIL: load threshold ${describeThreshold(broken[0]!).replace(/ FAIL$/, '')}${more(broken.length - 1, 'threshold(s) broken')}${alsoRegressed}.`;
    }
    if (regressions.length > 0) return `FAIL: ${regressionText}.`;
    if (e2eFailed.length > 0) return `FAIL: ${e2eFailed.length} E2E test(s) failed, first: ${e2eFailed[0]}.`;
    return 'FAIL.';
  }
  if (v.verdict === 'inconclusive') {
    const unknown = v.slo?.slos.find((s) => s.status === 'inconclusive');
    const first = v.problems[0];
    if (first) return `INCONCLUSIVE: ${first.stage}: ${first.problem.split('\n')[0]}.`;
    if (unknown) return `INCONCLUSIVE: ${unknown.name}: ${unknown.reason ?? 'no verdict'}.`;
    return 'INCONCLUSIVE.';
  }
  const parts = [
    v.slo ? `${v.slo.slos.length} SLOs met` : '',
    v.load ? `${v.load.thresholds.length} load thresholds held` : '',
    v.e2e?.counts ? `E2E passed` : '',
    v.comparison?.verdict === 'pass' ? 'no load regression against the baseline' : '',
  ].filter(Boolean);
  return `PASS: ${parts.length > 0 ? parts.join(', ') : 'nothing failed'}.`;
}
