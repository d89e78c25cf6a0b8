// `harness slo check` and `harness slo rules`: the CLI face of slo/ (see docs/slo.md).
import { writeFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { ExitCode, exitCodeOf, HarnessError } from '../../core/outcome.ts';
import {
  diagnoseReport,
  type ReportFormat,
  renderWithDiagnosis,
  writeAllureResultsWithDiagnosis,
} from '../../diagnose/index.ts';
import {
  compareWithBaseline,
  DEFAULT_CONFIG_PATH,
  evaluateSlos,
  loadBaseline,
  loadSloConfig,
  renderJson,
  renderJunit,
  renderMarkdown,
  renderRules,
  renderTable,
  SloConfigError,
  type SloReport,
} from '../../slo/index.ts';
import { parseCommandArgs } from '../args.ts';
import { resolveEndpoint } from '../endpoints.ts';

const USAGE = `usage:
  harness slo check [--slo-config F] [--prometheus URL] [--window 1h [--at T] | --start T --end T | --at T]
                    [--format table|json|junit|markdown] [--out F] [--allure-dir D] [--baseline F] [--postgres URL]
                    [--spans F] [--concurrency N] [--timeout MS] [--retries N]
  harness slo rules [--slo-config F] [--out F]

  --slo-config  SLO file (default slo/slo-config.yaml); --config is the same flag
  --prometheus  Prometheus base URL; default $PROMETHEUS_URL, else the running stack's (reports/stack.json)
  --window      evaluate every SLO over this window instead of its own (a Prometheus duration)
  --start/--end evaluate at end over end - start (RFC 3339 or Unix seconds)
  --at          evaluation instant (default now)
  --format      output format (default table); --out writes it to a file and prints the table
  --allure-dir  also write Allure result files there
  --baseline    compare with an earlier passing JSON report; regressions beyond maxRegressionPct fail
  --postgres    PostgreSQL URL (default $HARNESS_POSTGRES_URL) whose pg_stat_statements the diagnosis of a
                failed run reads (statements since its last reset); without one that section is skipped
  --spans       the run's spans file (default $HARNESS_SPANS_FILE; the local stack's is spansFile in stack.json):
                a failed latency SLO's slowest requests then show where their time went, else trace ids only

exit codes: 0 pass, 1 an SLO failed, 2 inconclusive (bad config or usage, no data, query error, unreachable)`;

/** Entry point of `harness slo`. */
export async function run(argv: string[]): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (sub === 'check') return check(rest);
  if (sub === 'rules') return rules(rest);
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(USAGE);
    return ExitCode.Pass;
  }
  console.error(sub === undefined ? USAGE : `harness slo: unknown subcommand '${sub}'\n\n${USAGE}`);
  return ExitCode.Inconclusive;
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  return parseCommandArgs(argv, { usage: USAGE, options, aliases: { config: 'slo-config' } });
}

/** RFC 3339 or Unix seconds. */
function parseTime(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new HarnessError(`--${name}: "${text}" is not a time (RFC 3339 or Unix seconds)`);
  return date;
}

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new HarnessError(`--${name}: "${text}" is not a whole number`);
  return value;
}

async function loadModel(path: string | undefined) {
  try {
    const loaded = await loadSloConfig(path ?? DEFAULT_CONFIG_PATH);
    for (const warning of loaded.warnings) console.error(`warning: ${warning.text}`);
    return loaded.model;
  } catch (error) {
    if (error instanceof SloConfigError) {
      for (const warning of error.warnings) console.error(`warning: ${warning.text}`);
      const count = error.issues.length;
      throw new HarnessError(`invalid SLO config (${count} error${count === 1 ? '' : 's'}):\n${error.message}`);
    }
    throw error;
  }
}

const RENDERERS: Record<string, (report: SloReport) => string> = {
  table: renderTable,
  json: renderJson,
  junit: renderJunit,
  markdown: renderMarkdown,
};

async function check(argv: string[]): Promise<ExitCode> {
  const parsed = parse(argv, {
    'slo-config': { type: 'string' },
    prometheus: { type: 'string' },
    window: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    at: { type: 'string' },
    format: { type: 'string', default: 'table' },
    out: { type: 'string' },
    'allure-dir': { type: 'string' },
    baseline: { type: 'string' },
    postgres: { type: 'string' },
    spans: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    retries: { type: 'string' },
  });
  if (parsed.help) return ExitCode.Pass;
  const { values } = parsed;
  const format = String(values.format);
  if (!RENDERERS[format]) throw new HarnessError(`--format: "${format}" is not one of table, json, junit, markdown`);
  const prometheusUrl = resolveEndpoint({
    flag: { name: '--prometheus', value: values.prometheus as string | undefined },
    env: ['PROMETHEUS_URL'],
    fromStack: (info) => info.prometheusUrl,
  })?.url;
  if (!prometheusUrl) {
    throw new HarnessError(
      "no Prometheus: give --prometheus URL, set PROMETHEUS_URL, or start the stack with 'harness up'",
    );
  }
  const start = parseTime('start', values.start as string | undefined);
  const end = parseTime('end', values.end as string | undefined);
  const at = parseTime('at', values.at as string | undefined);
  if (at && end) throw new HarnessError('give --at or --end, not both');

  const model = await loadModel(values['slo-config'] as string | undefined);
  const baseline = values.baseline ? await loadBaseline(values.baseline as string) : undefined;
  const startedAt = Date.now();
  const concurrency = positiveInt('concurrency', values.concurrency as string | undefined);
  const timeoutMs = positiveInt('timeout', values.timeout as string | undefined);
  const retries = positiveInt('retries', values.retries as string | undefined);
  let report = await evaluateSlos(model, {
    prometheusUrl,
    ...(values.window === undefined ? {} : { window: values.window as string }),
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    ...(at === undefined ? {} : { time: at }),
    ...(concurrency === undefined ? {} : { concurrency: Math.max(1, concurrency) }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(retries === undefined ? {} : { retries }),
  });
  if (baseline) report = compareWithBaseline(report, baseline, model);

  // Diagnosis (docs/operations.md, "Reading a failed run"): where a failed SLO's bad events came from. It
  // joins every format but never changes the exit code.
  const postgresUrl = (values.postgres as string | undefined) ?? process.env.HARNESS_POSTGRES_URL;
  const spansFile = (values.spans as string | undefined) ?? process.env.HARNESS_SPANS_FILE;
  const diagnosis =
    report.status === 'fail'
      ? await diagnoseReport(report, {
          ...(postgresUrl === undefined ? {} : { postgresUrl }),
          ...(spansFile === undefined ? {} : { spansFile }),
        })
      : undefined;
  const text = renderWithDiagnosis(format as ReportFormat, report, diagnosis);
  if (values.out) {
    await writeFile(values.out as string, text);
    if (format !== 'table') process.stdout.write(renderWithDiagnosis('table', report, diagnosis));
  } else {
    process.stdout.write(text);
  }
  if (values['allure-dir']) {
    await writeAllureResultsWithDiagnosis(report, diagnosis, values['allure-dir'] as string, startedAt);
  }
  return exitCodeOf(report.status);
}

async function rules(argv: string[]): Promise<ExitCode> {
  const parsed = parse(argv, { 'slo-config': { type: 'string' }, out: { type: 'string' } });
  if (parsed.help) return ExitCode.Pass;
  const { values } = parsed;
  const model = await loadModel(values['slo-config'] as string | undefined);
  const text = renderRules(model);
  if (values.out) await writeFile(values.out as string, text);
  else process.stdout.write(text);
  return ExitCode.Pass;
}
