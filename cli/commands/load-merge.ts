/**
 * `harness load merge DIR...`: the report folders of the N generators of one run (`harness load --generators N
 * --generator-index I --run-id R`, each a pod of deploy/k8s/load-generator) judged as one run, as `harness load
 * --generators N` judges its own generators on one machine (load/merge.ts), and published as one run's reports
 * (report/load/publish.ts). Exit 0 every threshold held, 1 one broke, 2 could not judge (folders that are not one
 * run's generators included).
 */
import { join, resolve } from 'node:path';
import type { Verdict } from '../../core/outcome.ts';
import { shellCommand } from '../../load/command.ts';
import { mergeGeneratorRuns, readGeneratorRun, writeMergedRun } from '../../load/merge.ts';
import { publishLoadRun } from '../../report/load/publish.ts';
import { refuseLatestLink } from '../../stack/run-pointer.ts';
import { reportsDir } from '../../stack/state.ts';
import { type CommandSpec, harnessVersion, parseCommandArgs, usageError } from '../args.ts';

const USAGE = `usage: harness load merge DIR... [options]

  DIR...     the report folders of the N generators of one run (harness load --generators N
             --generator-index I --run-id R), one each. A DIR is a generator's run folder (holding its
             summary.json and samples.jsonl), or a folder holding exactly one such run folder, directly or in
             its load/ folder (a pod's HARNESS_REPORTS_DIR, as /reports/generator-0)
  --out DIR  where the merged run's files go (default reports/load/<run-id>-merged); a folder that holds
             anything is refused
  --json     print the result (verdict, window, thresholds, report paths) as one JSON line on stdout

Judged as one 'harness load --generators N' on one machine: the thresholds on every generator's requests
together, each generator's warm-up cut off at its own boundary, the window from the first generator's judged
start to the last one's end. A generator scheduled no arrivals (its share of every phase 0, as the 4th of 4
at 3 journeys/s) writes no samples: it is left out. Refused (exit 2): folders of different run ids,
--generators counts, profiles, scenarios, thresholds or targets, a generator missing or given twice, a folder
without samples whose generator was scheduled arrivals.

Writes the run folder: report.html, summary.md, summary.json, samples.jsonl, artillery.json and
allure-results/ (one test per threshold).
Exit codes: 0 all thresholds held, 1 a threshold broke, 2 could not judge.`;

/** The flags of `harness load merge` (also read by `harness completion`). */
export const LOAD_MERGE_ARGS = {
  usage: USAGE,
  options: {
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: true,
} as const satisfies CommandSpec;

export async function run(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, LOAD_MERGE_ARGS);
  if (parsed.help) return 'pass';
  const { positionals, values } = parsed;
  if (positionals.length === 0) throw usageError(USAGE, 'give the report folders of the generators of one run');
  if (values.out !== undefined) refuseLatestLink(values.out, '--out');
  const merged = mergeGeneratorRuns(positionals.map(readGeneratorRun));
  const outDir = resolve(values.out ?? join(reportsDir(), 'load', `${merged.runId}-merged`));
  const judged = await writeMergedRun(merged, {
    outDir,
    command: shellCommand(['harness', 'load', 'merge', ...argv]),
    log: (line) => console.error(line),
  });
  await publishLoadRun(judged);
  if (values.json) console.log(JSON.stringify({ ...judged.result, harnessVersion: harnessVersion() }));
  return judged.result.verdict;
}
