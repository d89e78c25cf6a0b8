// `harness slo check|rules|convert|dashboard|alertmanager`: the CLI face of slo/ (see docs/slo.md).
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
  buildDashboard,
  ConvertError,
  compareWithBaseline,
  DEFAULT_CONFIG_PATH,
  evaluateSlos,
  loadBaseline,
  loadSloConfig,
  modelWithJob,
  parseDuration,
  renderAlertmanagerConfig,
  renderJson,
  renderJunit,
  renderMarkdown,
  renderRules,
  renderTable,
  SloConfigError,
  type SloReport,
  wrapPrometheusRule,
  writeConfig,
} from '../../slo/index.ts';
import { parseCommandArgs } from '../args.ts';
import { PROMETHEUS_ACCESS_OPTIONS, PROMETHEUS_ACCESS_USAGE, resolvePrometheus } from '../endpoints.ts';

const USAGE = `usage:
  harness slo check [--slo-config F] [--prometheus URL] [--window 1h [--at T] | --start T --end T | --at T]
                    [--format table|json|junit|markdown] [--out F] [--allure-dir D] [--baseline F] [--postgres URL]
                    [--spans F] [--concurrency N] [--timeout MS] [--retries N] [--deadline D] [--job NAME]
                    [--prometheus-header 'Name: value']... [--prometheus-basic-auth-file F]
                    [--prometheus-bearer-token-file F] [--prometheus-ca-file F]
                    [--prometheus-cert-file F --prometheus-key-file F]
  harness slo rules [--slo-config F] [--job NAME] [--format prometheus|prometheus-operator] [--out F]
  harness slo convert --to harness|sloth|openslo FILE [--out F]
  harness slo dashboard [--slo-config F] [--job NAME] [--out F]
  harness slo alertmanager [--slo-config F] [--page-webhook URL] [--ticket-webhook URL] [--out F]

  --slo-config  SLO file: the harness's own, Sloth (prometheus/v1, PrometheusServiceLevel) or OpenSLO v1
                (default slo/slo-config.yaml); --config is the same flag
  --prometheus  Prometheus base URL; default $PROMETHEUS_URL, else the running stack's (reports/stack.json)
${PROMETHEUS_ACCESS_USAGE}
  --window      evaluate every SLO over this window instead of its own (a Prometheus duration)
  --start/--end evaluate at end over end - start (RFC 3339 or Unix seconds)
  --at          evaluation instant (default now)
  --format      output format (default table); --out writes it to a file and prints the table
  --allure-dir  also write Allure result files there
  --job         set every job="..." matcher of the SLO queries and of the coverage selector (and the
                dashboard's job variable) to NAME: the scrape job of your deployment
  --baseline    compare with an earlier passing JSON report; regressions beyond maxRegressionPct fail
  --postgres    PostgreSQL URL (default $HARNESS_POSTGRES_URL) whose pg_stat_statements the diagnosis of a
                failed run reads (statements since its last reset); without one that section is skipped
  --spans       the run's spans file (default $HARNESS_SPANS_FILE; the stack's is spansFile in stack.json):
                a failed latency SLO's slowest requests then show where their time went, else trace ids only
  --timeout     per query attempt, connect to last byte, in ms (default 15000; must be > 0)
  --retries     extra attempts after a transient failure (default 3)
  --deadline    bound on the whole check: ms or a duration such as 90s (default 5m); what is still open
                then is inconclusive

exit codes: 0 pass, 1 an SLO failed, 2 inconclusive (bad config or usage, no data, query error, unreachable)`;

/** Entry point of `harness slo`. */
export async function run(argv: string[]): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (sub === 'check') return check(rest);
  if (sub === 'rules') return rules(rest);
  if (sub === 'convert') return convert(rest);
  if (sub === 'dashboard') return dashboard(rest);
  if (sub === 'alertmanager') return alertmanager(rest);
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

/** Milliseconds ("90000") or a Prometheus duration ("90s", "5m"); must be positive. */
function durationMs(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : parseDuration(text);
  if (value === undefined || !(value > 0)) {
    throw new HarnessError(`--${name}: "${text}" is not a positive duration (milliseconds, or e.g. 90s, 5m)`);
  }
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

/** The flags of `harness slo check` and `harness slo rules` (also read by `harness completion`). */
export const SLO_CHECK_OPTIONS = {
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
  deadline: { type: 'string' },
  job: { type: 'string' },
  ...PROMETHEUS_ACCESS_OPTIONS,
} as const;
export const SLO_RULES_OPTIONS = {
  'slo-config': { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string', default: 'prometheus' },
  job: { type: 'string' },
} as const;
export const SLO_CONVERT_OPTIONS = { to: { type: 'string' }, out: { type: 'string' } } as const;
export const SLO_DASHBOARD_OPTIONS = {
  'slo-config': { type: 'string' },
  out: { type: 'string' },
  job: { type: 'string' },
} as const;
export const SLO_ALERTMANAGER_OPTIONS = {
  'slo-config': { type: 'string' },
  out: { type: 'string' },
  'page-webhook': { type: 'string' },
  'ticket-webhook': { type: 'string' },
} as const;

async function check(argv: string[]): Promise<ExitCode> {
  const parsed = parse(argv, SLO_CHECK_OPTIONS);
  if (parsed.help) return ExitCode.Pass;
  const { values } = parsed;
  const format = String(values.format);
  if (!RENDERERS[format]) throw new HarnessError(`--format: "${format}" is not one of table, json, junit, markdown`);
  const prometheus = resolvePrometheus(values);
  if (!prometheus) {
    throw new HarnessError(
      "no Prometheus: give --prometheus URL, set PROMETHEUS_URL, or start the stack with 'harness up'",
    );
  }
  const start = parseTime('start', values.start as string | undefined);
  const end = parseTime('end', values.end as string | undefined);
  const at = parseTime('at', values.at as string | undefined);
  if (at && end) throw new HarnessError('give --at or --end, not both');

  const loaded = await loadModel(values['slo-config'] as string | undefined);
  const model = values.job ? modelWithJob(loaded, values.job) : loaded;
  const baseline = values.baseline ? await loadBaseline(values.baseline as string) : undefined;
  const startedAt = Date.now();
  const concurrency = positiveInt('concurrency', values.concurrency as string | undefined);
  const timeoutMs = positiveInt('timeout', values.timeout as string | undefined);
  if (timeoutMs === 0) throw new HarnessError('--timeout: must be more than 0 ms');
  const deadlineMs = durationMs('deadline', values.deadline as string | undefined);
  const retries = positiveInt('retries', values.retries as string | undefined);
  let report = await evaluateSlos(model, {
    prometheusUrl: prometheus.url,
    ...(prometheus.access ? { prometheusAccess: prometheus.access } : {}),
    ...(values.window === undefined ? {} : { window: values.window as string }),
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    ...(at === undefined ? {} : { time: at }),
    ...(concurrency === undefined ? {} : { concurrency: Math.max(1, concurrency) }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(retries === undefined ? {} : { retries }),
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
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
          ...(prometheus.access ? { prometheusAccess: prometheus.access } : {}),
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

async function output(text: string, out: unknown): Promise<ExitCode> {
  if (typeof out === 'string') await writeFile(out, text);
  else process.stdout.write(text);
  return ExitCode.Pass;
}

async function rules(argv: string[]): Promise<ExitCode> {
  const parsed = parse(argv, SLO_RULES_OPTIONS);
  if (parsed.help) return ExitCode.Pass;
  const { values } = parsed;
  const format = String(values.format);
  if (format !== 'prometheus' && format !== 'prometheus-operator')
    throw new HarnessError(`--format: "${format}" is not one of prometheus, prometheus-operator`);
  const loaded = await loadModel(values['slo-config'] as string | undefined);
  const model = values.job ? modelWithJob(loaded, values.job as string) : loaded;
  const text = renderRules(model);
  return output(
    format === 'prometheus' ? text : wrapPrometheusRule(text, { name: `${model.service}-slos` }),
    values.out,
  );
}

async function convert(argv: string[]): Promise<ExitCode> {
  const parsed = parseCommandArgs(argv, {
    usage: USAGE,
    options: SLO_CONVERT_OPTIONS,
    allowPositionals: true,
  });
  if (parsed.help) return ExitCode.Pass;
  const { values, positionals } = parsed;
  const to = values.to as string | undefined;
  if (to !== 'harness' && to !== 'sloth' && to !== 'openslo')
    throw new HarnessError('--to: give harness, sloth or openslo');
  if (positionals.length !== 1) throw new HarnessError(`give one SLO file to convert\n\n${USAGE}`);
  const model = await loadModel(positionals[0]);
  let written: ReturnType<typeof writeConfig>;
  try {
    written = writeConfig(model, to);
  } catch (error) {
    if (error instanceof ConvertError) throw new HarnessError(`cannot convert to ${to}: ${error.message}`);
    throw error;
  }
  for (const note of written.notes) console.error(`note: ${note}`);
  return output(written.text, values.out);
}

async function dashboard(argv: string[]): Promise<ExitCode> {
  const parsed = parse(argv, SLO_DASHBOARD_OPTIONS);
  if (parsed.help) return ExitCode.Pass;
  const { values } = parsed;
  const job = values.job as string | undefined;
  const loaded = await loadModel(values['slo-config'] as string | undefined);
  const model = job ? modelWithJob(loaded, job) : loaded;
  return output(`${JSON.stringify(buildDashboard(model, job ? { job } : {}), null, 2)}\n`, values.out);
}

async function alertmanager(argv: string[]): Promise<ExitCode> {
  const parsed = parse(argv, SLO_ALERTMANAGER_OPTIONS);
  if (parsed.help) return ExitCode.Pass;
  const { values } = parsed;
  const model = await loadModel(values['slo-config'] as string | undefined);
  const page = values['page-webhook'] as string | undefined;
  const ticket = values['ticket-webhook'] as string | undefined;
  return output(
    renderAlertmanagerConfig(model, {
      ...(page ? { pageWebhookUrl: page } : {}),
      ...(ticket ? { ticketWebhookUrl: ticket } : {}),
    }),
    values.out,
  );
}
