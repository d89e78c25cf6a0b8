// `harness slo check|rules|convert|dashboard|alertmanager`: the CLI face of slo/ (see docs/slo.md).
import { writeFile } from 'node:fs/promises';
import { HarnessError, type Verdict } from '../../core/outcome.ts';
import { diagnoseReport } from '../../diagnose/index.ts';
import { writeAllureResultsWithDiagnosis } from '../../report/diagnose/allure.ts';
import { type ReportFormat, renderWithDiagnosis } from '../../report/diagnose/render.ts';
import { renderJson, renderJunit, renderMarkdown, renderTable } from '../../report/slo/render.ts';
import { type PartialConfig, writePartial } from '../../slo/formats/write.ts';
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
  renderRules,
  SloConfigError,
  type SloReport,
  wrapPrometheusRule,
  writeConfig,
} from '../../slo/index.ts';
import { unreachableAlertWarnings } from '../../slo/model/alerts.ts';
import { type FileValidation, renderValidation, validateSloFile } from '../../slo/validate.ts';
import { refuseLatestLink } from '../../stack/run-pointer.ts';
import { type CommandSpec, harnessVersion, parseCommandArgs, UsageError, usageError } from '../args.ts';
import { PROMETHEUS_ACCESS_OPTIONS, PROMETHEUS_ACCESS_USAGE, resolvePrometheus } from '../endpoints.ts';
import { annotate, sloAnnotations } from '../github-annotations.ts';
import { didYouMean } from '../suggest.ts';

// Each subcommand has its own usage page (usage, its flags only, an example), printed by its --help and after a
// usage error of its own; `harness slo --help` lists the subcommands. The help lines several pages share:
const SLO_CONFIG_USAGE = `  --slo-config F  SLO file: the harness's own, Sloth (prometheus/v1, PrometheusServiceLevel) or OpenSLO v1
                  (default slo/slo-config.yaml); --config is the same flag`;
const JOB_USAGE = `  --job NAME      set every job="..." matcher of the SLO queries to NAME: the scrape job of your deployment
                  (without it the queries keep the SLO file's own)`;
const OUT_USAGE = '  --out F         write to F instead of stdout';
/** `--config F` is read as `--slo-config F` (the old spelling). */
const CONFIG_ALIAS = { config: 'slo-config' } as const;

const CHECK_USAGE = `usage: harness slo check [--slo-config F] [--prometheus URL]
                         [--window 1h [--at T] | --start T --end T | --at T]
                         [--format table|json|junit|markdown] [--out F] [--allure-dir D] [--baseline F]
                         [--postgres URL] [--spans F] [--concurrency N] [--timeout MS] [--retries N]
                         [--deadline D] [--job NAME] [--prometheus-header 'Name: value']...
                         [--prometheus-basic-auth-file F | --prometheus-bearer-token-file F]
                         [--prometheus-ca-file F] [--prometheus-cert-file F --prometheus-key-file F]

Evaluates every SLO of the SLO file against Prometheus and prints the verdict of each.

${SLO_CONFIG_USAGE}
  --prometheus URL  Prometheus base URL; default $PROMETHEUS_URL, else the running stack's (reports/stack.json)
${PROMETHEUS_ACCESS_USAGE}
  --window D      evaluate every SLO over this window instead of its own (a Prometheus duration)
  --start T/--end T  evaluate at end over end - start (RFC 3339 or Unix seconds)
  --at T          evaluation instant (default now)
  --format F      table (default), json, junit or markdown; with --out the format goes to the file and the
                  table to stdout
  --out F         write the chosen format to F
  --allure-dir D  also write one Allure result file per SLO there
  --baseline F    compare with an earlier passing JSON report; regressions beyond maxRegressionPct fail
  --postgres URL  PostgreSQL (default $HARNESS_POSTGRES_URL) whose pg_stat_statements the diagnosis of a failed
                  run reads (statements since its last reset); without one that section is skipped
  --spans F       the run's spans file (default $HARNESS_SPANS_FILE; the stack's is spansFile in stack.json):
                  a failed latency SLO's slowest requests then show where their time went, else trace ids only
  --concurrency N queries in flight at once (default 4)
  --timeout MS    per query attempt, connect to last byte, in ms (default 15000; must be > 0)
  --retries N     extra attempts after a transient failure (default 3)
  --deadline D    bound on the whole check: ms or a duration such as 90s (default 5m); what is still open
                  then is inconclusive
  --job NAME      set every job="..." matcher of the SLO queries and of the coverage selector to NAME: the
                  scrape job of your deployment

example:
  harness slo check --prometheus http://127.0.0.1:9090 --window 1h --format markdown --out slo.md

exit codes: 0 pass, 1 an SLO failed, 2 inconclusive (bad config or usage, no data, query error, unreachable)`;

const RULES_USAGE = `usage: harness slo rules [--slo-config F] [--job NAME] [--format prometheus|prometheus-operator] [--out F]

Writes the Prometheus recording rules and burn-rate alerts of the SLO file (Sloth's names).

${SLO_CONFIG_USAGE}
${JOB_USAGE}
  --format F      prometheus (default: a rule file) or prometheus-operator (the same groups in a
                  PrometheusRule resource)
${OUT_USAGE}

example:
  harness slo rules --job mystocks-api --out slo-rules.yaml && promtool check rules slo-rules.yaml

exit codes: 0 written, 2 bad usage or an invalid SLO file`;

const CONVERT_USAGE = `usage: harness slo convert --to harness|sloth|openslo FILE [--strict] [--out F]

Writes the SLOs of FILE (the harness's format, Sloth or OpenSLO) in another format: every SLO the target format
can hold, each one it cannot named on stderr with why (exit 1 when any was left out); every harness setting a
format has no field for travels as a Sloth label or an OpenSLO annotation.

  --to FORMAT     harness, sloth or openslo (required)
  --strict        all or nothing: when any SLO cannot be held, write nothing and list every reason (exit 2)
${OUT_USAGE}

example:
  harness slo convert --to openslo slo/slo-config.yaml --out openslo.yaml

exit codes: 0 every SLO written, 1 written but SLOs left out (named on stderr), 2 bad usage, an invalid FILE,
no SLO the target can hold, or --strict and one it cannot (nothing written)`;

const DASHBOARD_USAGE = `usage: harness slo dashboard [--slo-config F] [--job NAME] [--out F]

Writes a Grafana dashboard (JSON) of the SLO file: each SLI against its objective, budget left, burn rates,
and the service's request rate, latency, errors, cache and database panels.

${SLO_CONFIG_USAGE}
  --job NAME      the dashboard's job variable (default mystocks-api), and every job="..." matcher of the SLO
                  queries: the scrape job of your deployment
${OUT_USAGE}

example:
  harness slo dashboard --job mystocks-api --out slo-dashboard.json

exit codes: 0 written, 2 bad usage or an invalid SLO file`;

const ALERTMANAGER_USAGE = `usage: harness slo alertmanager [--slo-config F] [--page-webhook URL] [--ticket-webhook URL]
                                [--slack-api-url-file F --slack-channel C] [--pagerduty-routing-key-file F]
                                [--route-only] [--out F]

Writes an Alertmanager configuration routing the SLO file's alerts: pages and tickets to their receivers, a
page silencing the ticket of the same SLO. A receiver left with nowhere to send is a warning (stderr, and a
comment in the output).

${SLO_CONFIG_USAGE}
  --page-webhook URL    webhook of the on-call receiver (page alerts)
  --ticket-webhook URL  webhook of the ticket queue (ticket alerts)
  --slack-api-url-file F  file holding a Slack incoming-webhook URL, read by Alertmanager (api_url_file): pages
                        and tickets are posted to the channel of --slack-channel C (both flags or neither)
  --pagerduty-routing-key-file F  file holding a PagerDuty Events API v2 routing key, read by Alertmanager
                        (routing_key_file): pages only
  --route-only          only the SLO route subtree, its receivers and the inhibit rule, to merge into an
                        Alertmanager configuration of your own (how: a comment at the top of the output)
${OUT_USAGE}

The files are named in the output, never read: give their paths as Alertmanager will find them.

example:
  harness slo alertmanager --page-webhook https://oncall.example/hook --out alertmanager.yaml

exit codes: 0 written, 2 bad usage or an invalid SLO file`;

const VALIDATE_USAGE = `usage: harness slo validate [--format text|json] FILE...

Checks SLO files without a Prometheus: each FILE (the harness's format, Sloth, OpenSLO, or a folder of OpenSLO
files) is read as \`slo check\` reads it, and every SLI query must parse as PromQL and read its window
({{window}}, Sloth's {{.window}}, or OpenSLO's counter: true). Every error names file, line and field.

  --format F      text (default: a line per file, its errors under it) or json

example:
  harness slo validate slo/slo-config.yaml

exit codes: 0 every file valid, 2 bad usage or an error in any file`;

/** `harness slo --help`: each subcommand's synopsis; the flags are on the subcommand's own page. */
const USAGE = `usage: harness slo <subcommand> [options]   (harness slo <subcommand> --help: its flags and an example)

subcommands:
  check         evaluate the SLOs against Prometheus: pass, fail or inconclusive
  rules         Prometheus recording and burn-rate alert rules
  convert       the same SLOs in another format (harness, Sloth, OpenSLO)
  dashboard     Grafana dashboard JSON: SLIs, budgets, burn rates, the service
  alertmanager  Alertmanager routes for the page and ticket alerts
  validate      check SLO files (any format) without a Prometheus: queries parse and read their window

exit codes: 0 pass, 1 an SLO failed (check) or SLOs left out (convert), 2 inconclusive (bad usage or config, no data, query error, unreachable)`;

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

/** A config warning on stderr, as loadModel prints the file's own (--job's left-alone matchers, slo/model/job.ts). */
function printWarning(warning: string): void {
  console.error(`warning: ${warning}`);
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

/** The flags of each `harness slo` subcommand (SLO_SUBCOMMANDS). */
const SLO_CHECK_OPTIONS = {
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
const SLO_RULES_OPTIONS = {
  'slo-config': { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string', default: 'prometheus' },
  job: { type: 'string' },
} as const;
const SLO_CONVERT_OPTIONS = {
  to: { type: 'string' },
  out: { type: 'string' },
  strict: { type: 'boolean', default: false },
} as const;
const SLO_DASHBOARD_OPTIONS = {
  'slo-config': { type: 'string' },
  out: { type: 'string' },
  job: { type: 'string' },
} as const;
const SLO_ALERTMANAGER_OPTIONS = {
  'slo-config': { type: 'string' },
  out: { type: 'string' },
  'page-webhook': { type: 'string' },
  'ticket-webhook': { type: 'string' },
  'slack-api-url-file': { type: 'string' },
  'slack-channel': { type: 'string' },
  'pagerduty-routing-key-file': { type: 'string' },
  'route-only': { type: 'boolean', default: false },
} as const;
const SLO_VALIDATE_OPTIONS = { format: { type: 'string', default: 'text' } } as const;

/**
 * Each `harness slo` subcommand, in the order `harness slo --help` lists them, with what it reads: its own usage
 * page and flags (also read by `harness completion` and the help tests).
 */
export const SLO_SUBCOMMANDS = {
  check: { usage: CHECK_USAGE, options: SLO_CHECK_OPTIONS, aliases: CONFIG_ALIAS },
  rules: { usage: RULES_USAGE, options: SLO_RULES_OPTIONS, aliases: CONFIG_ALIAS },
  convert: { usage: CONVERT_USAGE, options: SLO_CONVERT_OPTIONS, allowPositionals: true },
  dashboard: { usage: DASHBOARD_USAGE, options: SLO_DASHBOARD_OPTIONS, aliases: CONFIG_ALIAS },
  alertmanager: { usage: ALERTMANAGER_USAGE, options: SLO_ALERTMANAGER_OPTIONS, aliases: CONFIG_ALIAS },
  validate: { usage: VALIDATE_USAGE, options: SLO_VALIDATE_OPTIONS, allowPositionals: true },
} as const satisfies Record<string, CommandSpec>;

/** Entry point of `harness slo`. */
export async function run(argv: string[]): Promise<Verdict> {
  const [sub, ...rest] = argv;
  if (sub === 'check') return check(rest);
  if (sub === 'rules') return rules(rest);
  if (sub === 'convert') return convert(rest);
  if (sub === 'dashboard') return dashboard(rest);
  if (sub === 'alertmanager') return alertmanager(rest);
  if (sub === 'validate') return validate(rest);
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(USAGE);
    return 'pass';
  }
  if (sub === undefined) {
    console.error(USAGE);
    return 'inconclusive';
  }
  throw new UsageError('harness slo', `unknown command '${sub}'${didYouMean(sub, Object.keys(SLO_SUBCOMMANDS))}`);
}

async function check(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, SLO_SUBCOMMANDS.check);
  if (parsed.help) return 'pass';
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
  // Never into a finished run through a link of reports/ such as reports/allure-results (stack/run-pointer.ts).
  if (values.out) refuseLatestLink(values.out as string, '--out');
  if (values['allure-dir']) refuseLatestLink(values['allure-dir'] as string, '--allure-dir');

  const loaded = await loadModel(values['slo-config'] as string | undefined);
  const model = values.job ? modelWithJob(loaded, values.job, printWarning) : loaded;
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
  annotate(sloAnnotations(report));
  return report.status;
}

async function output(text: string, out: unknown): Promise<Verdict> {
  if (typeof out === 'string') await writeFile(out, text);
  else process.stdout.write(text);
  return 'pass';
}

async function rules(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, SLO_SUBCOMMANDS.rules);
  if (parsed.help) return 'pass';
  const { values } = parsed;
  const format = String(values.format);
  if (format !== 'prometheus' && format !== 'prometheus-operator')
    throw new HarnessError(`--format: "${format}" is not one of prometheus, prometheus-operator`);
  const loaded = await loadModel(values['slo-config'] as string | undefined);
  const model = values.job ? modelWithJob(loaded, values.job as string, printWarning) : loaded;
  const text = renderRules(model);
  // Written all the same: an alert that can never fire is a warning, not an error (slo/model/alerts.ts).
  for (const warning of unreachableAlertWarnings(model.slos)) printWarning(warning.text);
  return output(
    format === 'prometheus' ? text : wrapPrometheusRule(text, { name: `${model.service}-slos` }),
    values.out,
  );
}

async function convert(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, SLO_SUBCOMMANDS.convert);
  if (parsed.help) return 'pass';
  const { values, positionals } = parsed;
  const to = values.to as string | undefined;
  if (to !== 'harness' && to !== 'sloth' && to !== 'openslo')
    throw new HarnessError('--to: give harness, sloth or openslo');
  if (positionals.length !== 1) throw usageError(CONVERT_USAGE, 'give one SLO file to convert');
  const model = await loadModel(positionals[0]);
  let written: ReturnType<typeof writeConfig>;
  let left: PartialConfig['left'] = [];
  try {
    if (values.strict) written = writeConfig(model, to);
    else ({ written, left } = writePartial(model, to));
  } catch (error) {
    // Every reason at once, nothing written: the target format cannot hold these SLOs as they are.
    if (error instanceof ConvertError)
      throw new HarnessError(`cannot convert to ${to}, nothing written:\n  ${error.reasons.join('\n  ')}`);
    throw error;
  }
  for (const note of written.notes) console.error(`note: ${note}`);
  // Each reason names its SLO already (`slo "NAME": ...`).
  for (const reason of left.flatMap((entry) => entry.reasons)) console.error(`left out: ${reason}`);
  await output(written.text, values.out);
  // Written, but not all of FILE: exit 1, apart from a whole conversion (0) and a refused one (2): a conversion
  // that leaves an SLO out must not pass a pipeline silently.
  return left.length > 0 ? 'fail' : 'pass';
}

async function dashboard(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, SLO_SUBCOMMANDS.dashboard);
  if (parsed.help) return 'pass';
  const { values } = parsed;
  const job = values.job as string | undefined;
  const loaded = await loadModel(values['slo-config'] as string | undefined);
  const model = job ? modelWithJob(loaded, job, printWarning) : loaded;
  return output(`${JSON.stringify(buildDashboard(model, job ? { job } : {}), null, 2)}\n`, values.out);
}

async function alertmanager(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, SLO_SUBCOMMANDS.alertmanager);
  if (parsed.help) return 'pass';
  const { values } = parsed;
  const slackFile = values['slack-api-url-file'] as string | undefined;
  const slackChannel = values['slack-channel'] as string | undefined;
  if ((slackFile === undefined) !== (slackChannel === undefined)) {
    throw usageError(ALERTMANAGER_USAGE, '--slack-api-url-file and --slack-channel go together: give both or neither');
  }
  const model = await loadModel(values['slo-config'] as string | undefined);
  const page = values['page-webhook'] as string | undefined;
  const ticket = values['ticket-webhook'] as string | undefined;
  const pagerduty = values['pagerduty-routing-key-file'] as string | undefined;
  const { text, warnings } = renderAlertmanagerConfig(model, {
    ...(page ? { pageWebhookUrl: page } : {}),
    ...(ticket ? { ticketWebhookUrl: ticket } : {}),
    ...(slackFile && slackChannel ? { slack: { apiUrlFile: slackFile, channel: slackChannel } } : {}),
    ...(pagerduty ? { pagerdutyRoutingKeyFile: pagerduty } : {}),
    routeOnly: values['route-only'] === true,
  });
  for (const warning of warnings) printWarning(warning);
  return output(text, values.out);
}

async function validate(argv: string[]): Promise<Verdict> {
  const parsed = parseCommandArgs(argv, SLO_SUBCOMMANDS.validate);
  if (parsed.help) return 'pass';
  const { values, positionals } = parsed;
  const format = String(values.format);
  if (format !== 'text' && format !== 'json') throw new HarnessError(`--format: "${format}" is not one of text, json`);
  if (positionals.length === 0) throw usageError(VALIDATE_USAGE, 'give one or more SLO files to validate');
  const results: FileValidation[] = [];
  for (const path of positionals) results.push(await validateSloFile(path));
  const { text, ok } = renderValidation(results);
  process.stdout.write(
    format === 'text' ? text : `${JSON.stringify({ ok, files: results, harnessVersion: harnessVersion() }, null, 2)}\n`,
  );
  // An invalid file cannot be judged by any check: inconclusive, exit 2, as for every bad config.
  return ok ? 'pass' : 'inconclusive';
}
