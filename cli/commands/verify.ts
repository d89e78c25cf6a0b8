/**
 * `harness verify`: the product's main job, and the command CI runs on every pull request. Stack up, E2E, load,
 * the SLO gate over exactly that load, one report, stack down, one exit code (0 pass, 1 fail, 2 inconclusive).
 * The stages and reports are cli/verify/verify.ts; this file is flags in, the run's verdict out (the dispatcher,
 * cli/dispatch.ts, turns it into the exit code). Progress goes to stderr, the final table to stdout.
 */
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import { PROFILE_NAMES } from '../../load/profiles.ts';
import { verifyJson } from '../../report/verify/json.ts';
import { renderFinalTable } from '../../report/verify/terminal.ts';
import { parseStackMode } from '../../stack/mode.ts';
import { type CommandSpec, parseCommandArgs, usageError } from '../args.ts';
import { PROMETHEUS_ACCESS_OPTIONS, PROMETHEUS_ACCESS_USAGE, resolvePrometheusAccess } from '../endpoints.ts';
import { annotate, sloAnnotations, thresholdAnnotations } from '../github-annotations.ts';
import { SKIPPABLE, type SkippableStage, verify } from '../verify/verify.ts';
import { parseSeconds } from './load.ts';
import { MARGIN_OPTIONS, parseMargins } from './load-compare.ts';
import { parseFaults } from './up.ts';

const USAGE = `usage: harness verify [--stack auto|containers|local|external] [--profile smoke] [--skip e2e,load,slo]
                      [--baseline F] [--duration S] [--scenario S] [--slo-config F] [-- <playwright test args>]

  --stack        stack mode (default: HARNESS_STACK, else auto = containers when an engine answers, else local)
  --profile      load profile: ${PROFILE_NAMES.join(', ')} (default smoke)
  --skip         stages to leave out, comma-separated: ${SKIPPABLE.join(', ')}
  --baseline F   compare with an earlier passing run (e.g. reports/baseline/slo.json, which every passing run
                 writes, with its load samples in reports/baseline/load/): the compare stage judges this run's
                 load against the baseline's per endpoint (block-bootstrap intervals, as \`harness load compare\`):
                 a regression fails, cannot tell or a baseline without load samples is inconclusive; an SLO more
                 than its maxRegressionPct worse is reported, and fails only where there was no load to compare
  --latency-margin-pct P, --latency-margin-ms M, --throughput-margin-pct P, --error-margin-points P
                 the compare stage's margins, as \`harness load compare\` takes them (defaults 20 %, 5 ms, 10 %, 1)
  --duration S   stretch the load profile to S seconds (also 90s, 5m), e.g. for a quick run
  --warmup S     warm-up before the judged load (also 10s, 1m; default 10 s, 0 for none); outside the
                 load thresholds and the SLO window
  --scenario S   one load journey instead of the weighted mix
  --slo-config F SLO file (default slo/slo-config.yaml); the load thresholds come from it too; --config is the same flag
  --job NAME     the API's scrape job: every job="..." matcher of the SLO queries and of the coverage selector,
                 settle's wait for the last scrape and the charts select it (default mystocks-api, the job the
                 harness's own stacks scrape; set it for an external deployment)
${PROMETHEUS_ACCESS_USAGE}
  --no-report    write the Allure results, JUnit and Markdown, but do not build the Allure HTML report
  --json         print verify.json's content on stdout instead of the final table
  -- ARGS        the rest goes to \`playwright test\` (a spec, -g "title", --shard 1/2)

Faults for the started API come from MYSTOCKS_FAULTS (docs/api.md), e.g.
  MYSTOCKS_FAULTS='[{"route":"/api/market/quotes","latencyMs":400}]' harness verify --skip e2e
External mode reads API_URL (or BASE_URL) and PROMETHEUS_URL, and for a secured or multi-tenant Prometheus
the --prometheus-* flags above or their HARNESS_PROMETHEUS_* variables (docs/stack.md).

Reports (HARNESS_REPORTS_DIR overrides reports/): allure-report/awesome/index.html and .../dashboard/index.html
(single files: they open from disk), load/<run>/report.html (charts), junit.xml, summary.md (also to
$GITHUB_STEP_SUMMARY), verify.json, compare/ (with --baseline), slo-history.jsonl, baseline/slo.json and
baseline/load/; docs/operations.md says what each holds.
Exit codes: 0 everything passed, 1 a test, threshold or SLO failed, 2 inconclusive (could not run or judge).`;

/** The flags of `harness verify` (also read by `harness completion`). */
export const VERIFY_ARGS = {
  usage: USAGE,
  options: {
    stack: { type: 'string' },
    profile: { type: 'string' },
    skip: { type: 'string' },
    baseline: { type: 'string' },
    ...MARGIN_OPTIONS,
    duration: { type: 'string' },
    warmup: { type: 'string' },
    scenario: { type: 'string' },
    'slo-config': { type: 'string' },
    job: { type: 'string' },
    ...PROMETHEUS_ACCESS_OPTIONS,
    'no-report': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  aliases: { config: 'slo-config' },
} as const satisfies CommandSpec;

export async function run(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, VERIFY_ARGS);
  if (parsed.help) return 'pass';
  const { values, passthrough: playwrightArgs } = parsed;
  const str = (name: keyof typeof values): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  // Each flag's own value is checked before the run starts anything.
  const stackMode = str('stack') === undefined ? undefined : parseStackMode(str('stack') ?? '');
  const skip = parseSkip(str('skip'));
  const durationSeconds = str('duration') === undefined ? undefined : parseSeconds(str('duration') ?? '');
  const warmupSeconds = str('warmup') === undefined ? undefined : parseSeconds(str('warmup') ?? '', '--warmup', true);
  const compareMargins = parseMargins(values);
  const profile = str('profile') ?? 'smoke';
  if (!(PROFILE_NAMES as readonly string[]).includes(profile)) {
    throw usageError(USAGE, `--profile: '${profile}' is not one of ${PROFILE_NAMES.join(', ')}`);
  }
  // verify starts (or connects to) its own stack: the access comes from flags and environment, not stack.json.
  const prometheusAccess = resolvePrometheusAccess(values);
  const result = await verify({
    ...(str('job') ? { job: str('job') } : {}),
    ...(prometheusAccess.access ? { prometheusAccess } : {}),
    ...(stackMode ? { stack: stackMode } : {}),
    profile,
    skip,
    ...(str('baseline') ? { baselinePath: str('baseline') } : {}),
    ...(Object.keys(compareMargins).length > 0 ? { compareMargins } : {}),
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    ...(warmupSeconds === undefined ? {} : { warmupSeconds }),
    ...(str('scenario') ? { scenario: str('scenario') } : {}),
    ...(str('slo-config') ? { sloConfigPath: str('slo-config') } : {}),
    faults: parseFaults(process.env.MYSTOCKS_FAULTS, 'MYSTOCKS_FAULTS'),
    allureReport: values['no-report'] !== true,
    ...(playwrightArgs.length > 0 ? { e2eArgs: playwrightArgs } : {}),
  });
  if (values.json) console.log(JSON.stringify(verifyJson(result)));
  else process.stdout.write(renderFinalTable(result));
  // In a GitHub workflow, each failed SLO and broken threshold as an annotation (cli/github-annotations.ts).
  annotate([...(result.slo ? sloAnnotations(result.slo) : []), ...thresholdAnnotations(result.load?.thresholds ?? [])]);
  return result.verdict;
}

/** "e2e,load" -> the stages; anything else is a usage error (exit 2). */
export function parseSkip(text: string | undefined): SkippableStage[] {
  if (text === undefined || text.trim() === '') return [];
  const names = text.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(SKIPPABLE as readonly string[]).includes(name)) {
      throw new HarnessError(`--skip: '${name}' is not a stage; use ${SKIPPABLE.join(', ')}`);
    }
  }
  return names as SkippableStage[];
}
