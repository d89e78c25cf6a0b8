// A load run's summary -> summary.md (Markdown: a terminal, a CI step summary or a PR comment) and Allure
// results with one test per threshold, so load sits in the same Allure report as E2E and the SLO gate.
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Stage, Status, type TestResult } from 'allure-js-commons';
import { verdictWord } from '../../core/outcome.ts';
import type { RunSummary } from '../../load/report.ts';
import { describeResult } from '../../load/thresholds.ts';
import { renderSaturation } from './saturation.ts';

/** The readable summary (Markdown: fine in a terminal, a CI step summary or a PR comment). */
export function renderSummary(s: RunSummary): string {
  const verdict = verdictWord(s.verdict);
  const lines = [
    `# Load run ${s.runId}: ${verdict}`,
    '',
    `- profile **${s.profile}**, scenario **${s.scenario}**, target ${s.target}`,
    ...(s.generators ? [`- ${s.generators} generators, each with 1/${s.generators} of the arrivals`] : []),
    ...(s.warmup
      ? [
          `- warm-up ${s.warmup.seconds} s from ${s.warmup.startedAt} to ${s.warmup.endedAt}; ${s.warmup.requests} requests (not judged)`,
        ]
      : ['- no warm-up']),
    `- judged window from ${s.startedAt} to ${s.endedAt}; ${s.pageRequests === undefined ? `${s.requests} requests` : `${s.pageRequests} page requests (Chromium)`}`,
    ...(s.machine
      ? [
          `- machine noise: /healthz P95 ${s.machine.healthzP95Ms ?? '-'} ms (${s.machine.probes} probes), load generator event-loop delay P99 ${s.machine.eventLoopDelayP99Ms} ms`,
        ]
      : []),
    `- command: \`${s.command}\``,
  ];
  if (s.reproduce && s.reproduce !== s.command) lines.push(`- to run it again: \`${s.reproduce}\``);
  if (s.problem) {
    // The first line is the reason; the rest is a log's tail (Artillery's last lines), kept as written in a code
    // block inside the item: as plain lines, Markdown would run them together into one paragraph.
    const [reason, ...tail] = s.problem.split('\n');
    lines.push(`- could not judge the run: ${reason}`);
    if (tail.length > 0) {
      const longest = Math.max(0, ...[...tail.join('\n').matchAll(/`+/g)].map((m) => m[0].length));
      const fence = '`'.repeat(Math.max(3, longest + 1));
      lines.push('', `  ${fence}`, ...tail.map((line) => (line === '' ? '' : `  ${line}`)), `  ${fence}`);
    }
  }
  lines.push('', '## Thresholds (from the SLOs)', '', '| threshold | limit | value | verdict |', '|---|---|---|---|');
  for (const t of s.thresholds) {
    const unit = t.unit === 'responses' ? '' : ` ${t.unit}`;
    lines.push(
      `| ${t.name} | ${t.comparison} ${t.limit}${unit} | ${t.value === null ? 'no data' : `${t.value}${unit}`} | ${t.ok ? 'ok' : '**FAIL**'} |`,
    );
  }
  // A threshold without data fails, but nothing was breached: it is named apart.
  const breached = s.thresholds.filter((t) => !t.ok && t.value !== null);
  const noData = s.thresholds.filter((t) => t.value === null);
  if (breached.length > 0) lines.push('', `Breached: ${breached.map((t) => t.name).join(', ')}`);
  if (noData.length > 0) lines.push('', `No data: ${noData.map((t) => t.name).join(', ')}`);
  lines.push('', '## Journey mix', '', ...Object.entries(s.journeyMix).map(([name, pct]) => `- ${name}: ${pct} %`));
  if (s.breakpoint) {
    const b = s.breakpoint;
    lines.push('', '## Breakpoint', '');
    lines.push(
      b.broke
        ? `Broke at **${b.arrivalRate} journeys/s** (scheduled ${b.scheduledRate}/s, ${b.requestsPerSecond} requests/s), ${b.atSeconds} s into the run: ${b.threshold} (P95 ${b.p95Ms} ms, errors ${b.errorRatePct} %). Last rate without a breach: ${b.lastGoodRate ?? 'none'} journeys/s.`
        : `Did not break: held every threshold up to ${b.lastGoodRate ?? 0} journeys/s (the end of the ramp).`,
    );
  }
  if (s.saturation) lines.push(...renderSaturation(s.saturation));
  if (s.periods.length > 0) {
    lines.push(
      '',
      '## Per 10 s period',
      '',
      '| t (s) | journeys/s | requests/s | P95 ms | errors % |',
      '|---|---|---|---|---|',
    );
    for (const p of s.periods) {
      lines.push(
        `| ${p.atSeconds} | ${p.arrivalRate} | ${p.requestsPerSecond} | ${p.p95Ms ?? '-'} | ${p.errorRatePct ?? '-'} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One Allure test per threshold; a run that could not be judged makes each of them "broken". */
export function toAllureResults(s: RunSummary, startMs: number, stopMs: number): TestResult[] {
  return s.thresholds.map((t): TestResult => {
    const fullName = `load.${s.profile}.${s.scenario}.${t.name}`;
    const id = createHash('md5').update(fullName).digest('hex');
    const status = s.verdict === 'inconclusive' ? Status.BROKEN : t.ok ? Status.PASSED : Status.FAILED;
    return {
      uuid: randomUUID(),
      historyId: id,
      testCaseId: id,
      name: `load ${s.profile}: ${t.name}`,
      fullName,
      description: `${t.source}\n\nArtillery ensure: \`${t.expression}\``,
      status,
      statusDetails: t.ok && s.verdict !== 'inconclusive' ? {} : { message: s.problem ?? describeResult(t) },
      stage: Stage.FINISHED,
      steps: [],
      attachments: [],
      parameters: [
        { name: 'limit', value: `${t.comparison} ${t.limit} ${t.unit}`, excluded: true },
        { name: 'value', value: t.value === null ? 'no data' : `${t.value} ${t.unit}`, excluded: true },
        { name: 'run id', value: s.runId, excluded: true },
      ],
      labels: [
        { name: 'parentSuite', value: 'mystocks-harness' },
        { name: 'suite', value: 'load' },
        { name: 'subSuite', value: `${s.profile} / ${s.scenario}` },
        { name: 'feature', value: 'load thresholds' },
        { name: 'story', value: t.name },
        { name: 'tag', value: s.profile },
        { name: 'severity', value: 'critical' },
      ],
      links: [],
      start: startMs,
      stop: stopMs,
    };
  });
}

/** A file or text attached to every threshold's Allure test (summary, Artillery's report, a chart). */
export type Evidence = { name: string; type: string } & ({ path: string } | { text: string; ext: string });

/** Writes the Allure results into `dir`, each with the evidence attached; returns their paths. */
export async function writeAllureResults(
  results: TestResult[],
  dir: string,
  evidence: readonly Evidence[] = [],
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const result of results) {
    for (const item of evidence) {
      const ext = 'path' in item ? extname(item.path) : `.${item.ext}`;
      const source = `${randomUUID()}-attachment${ext}`;
      if ('path' in item) await copyFile(item.path, join(dir, source));
      else await writeFile(join(dir, source), item.text);
      result.attachments.push({ name: item.name, source, type: item.type });
    }
    const path = join(dir, `${result.uuid}-result.json`);
    await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
    paths.push(path);
  }
  return paths;
}
