/**
 * `harness load compare RUN_A RUN_B`: compares load run B with run A (the baseline) per endpoint and overall, with a
 * block-bootstrap confidence interval for every difference (load/compare.ts; docs/load.md explains the maths).
 * Exit 0 no significant difference, 1 a regression beyond its margin, 2 not enough data to tell.
 * Its files go to a new run folder, reports/runs/compare-<id>/ (compare/ and allure-results/), and then the links
 * reports/compare and reports/allure-results are pointed at them: never into a finished run through those links.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import {
  type Comparison,
  compareRuns,
  comparisonVerdict,
  DEFAULT_MARGINS,
  loadRun,
  type Margins,
} from '../../load/compare.ts';
import { comparisonToAllure, renderComparisonTable } from '../../report/load/compare.ts';
import { writeAllureResults } from '../../report/load/summary.ts';
import { linkLatest, newRunFolder, refuseLatestLink } from '../../stack/run-pointer.ts';
import { reportsDir } from '../../stack/state.ts';
import { type CommandSpec, harnessVersion, parseCommandArgs, usageError } from '../args.ts';

const USAGE = `usage: harness load compare RUN_A RUN_B [options]

  RUN_A, RUN_B              run ids under reports/load, or run folders (holding samples.jsonl); A is the baseline
  --latency-margin-pct P    latency differences within max(P % of A, --latency-margin-ms) are no regression (default ${DEFAULT_MARGINS.latencyPct})
  --latency-margin-ms M     (default ${DEFAULT_MARGINS.latencyMinMs})
  --throughput-margin-pct P throughput may fall this much (default ${DEFAULT_MARGINS.throughputPct})
  --error-margin-points P   error share may rise this many percentage points (default ${DEFAULT_MARGINS.errorSharePoints})
  --confidence C            confidence of each interval (default 0.99)
  --format table|json       what goes to stdout (default table)
  --out DIR                 where compare.json and compare.txt go (default: this comparison's own new folder,
                            reports/runs/compare-<id>/compare)
  --allure-dir DIR          Allure results (default reports/runs/compare-<id>/allure-results)

Without --out and --allure-dir, reports/compare and reports/allure-results then link to this comparison's files
('harness report' makes its Allure report). A folder given is written as given, but never one reached through
such a link: that is another run's folder, and a finished run is never written again.

Exit codes: 0 no significant difference, 1 regression, 2 not enough data to tell (or bad input).`;

/** The margin flags, shared with `harness verify --baseline` (its compare stage). */
export const MARGIN_OPTIONS = {
  'latency-margin-pct': { type: 'string' },
  'latency-margin-ms': { type: 'string' },
  'throughput-margin-pct': { type: 'string' },
  'error-margin-points': { type: 'string' },
} as const;

const MARGIN_FLAGS: [keyof Margins, keyof typeof MARGIN_OPTIONS][] = [
  ['latencyPct', 'latency-margin-pct'],
  ['latencyMinMs', 'latency-margin-ms'],
  ['throughputPct', 'throughput-margin-pct'],
  ['errorSharePoints', 'error-margin-points'],
];

/** The margins the flags set (the others keep their defaults); a value that is not a number >= 0 is bad usage. */
export function parseMargins(values: Partial<Record<keyof typeof MARGIN_OPTIONS, unknown>>): Partial<Margins> {
  const margins: Partial<Margins> = {};
  for (const [key, flag] of MARGIN_FLAGS) {
    const text = values[flag];
    if (typeof text !== 'string') continue;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new HarnessError(`--${flag}: expected a number >= 0, got '${text}'`);
    }
    margins[key] = value;
  }
  return margins;
}

/** The flags of `harness load compare` (also read by `harness completion`). */
export const LOAD_COMPARE_ARGS = {
  usage: USAGE,
  options: {
    ...MARGIN_OPTIONS,
    confidence: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    'allure-dir': { type: 'string' },
  },
  allowPositionals: true,
} as const satisfies CommandSpec;

export async function run(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, LOAD_COMPARE_ARGS);
  if (parsed.help) return 'pass';
  const { positionals } = parsed;
  const values: Record<string, string | boolean | undefined> = parsed.values;
  if (positionals.length !== 2) throw usageError(USAGE, `give two runs, A (baseline) and B`);
  const format = (values.format as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw usageError(USAGE, `--format: table or json, got '${format}'`);
  const number = (flag: string, min: number): number | undefined => {
    const text = values[flag];
    if (typeof text !== 'string') return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min) {
      throw new HarnessError(`--${flag}: expected a number >= ${min}, got '${text}'`);
    }
    return value;
  };
  const margins = parseMargins(values);
  const confidence = number('confidence', 0);
  if (confidence !== undefined && !(confidence > 0 && confidence < 1)) {
    throw new HarnessError(`--confidence: expected a number between 0 and 1, got ${confidence}`);
  }

  // A folder the user names is used as it is, unless it leads through a link of reports/ into another run's folder
  // (stack/run-pointer.ts): said before any work, like every usage error.
  const givenOut = values.out as string | undefined;
  const givenAllure = values['allure-dir'] as string | undefined;
  if (givenOut !== undefined) refuseLatestLink(givenOut, '--out');
  if (givenAllure !== undefined) refuseLatestLink(givenAllure, '--allure-dir');

  const loadDir = join(reportsDir(), 'load');
  const startMs = Date.now();
  let comparison: Comparison;
  try {
    const runA = loadRun(positionals[0]!, loadDir);
    const runB = loadRun(positionals[1]!, loadDir);
    comparison = compareRuns(runA, runB, { margins, ...(confidence === undefined ? {} : { confidence }) });
  } catch (error) {
    throw new HarnessError((error as Error).message);
  }
  const table = renderComparisonTable(comparison);
  // compare.json and --format json: the comparison, and the harness that made it (package.json's version).
  const json = `${JSON.stringify({ ...comparison, harnessVersion: harnessVersion() }, null, 2)}\n`;
  // Defaults go to a new run folder of this comparison's own (made only when a default is used).
  const reports = reportsDir();
  const own = givenOut === undefined || givenAllure === undefined ? newRunFolder(reports, 'compare').dir : '';
  const outDir = givenOut ?? join(own, 'compare');
  const allureDir = givenAllure ?? join(own, 'allure-results');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'compare.json'), json);
  await writeFile(join(outDir, 'compare.txt'), `${table}\n`);
  await writeAllureResults(comparisonToAllure(comparison, startMs, Date.now()), allureDir);
  // The files are whole: reports/compare and reports/allure-results now show this comparison.
  if (givenOut === undefined) linkLatest(join(reports, 'compare'), outDir);
  if (givenAllure === undefined) linkLatest(join(reports, 'allure-results'), allureDir);
  console.log(format === 'json' ? json.trimEnd() : table);
  console.error(
    `compare: ${join(outDir, 'compare.json')}, ${join(outDir, 'compare.txt')}; Allure results in ${allureDir}`,
  );
  return comparisonVerdict(comparison);
}
