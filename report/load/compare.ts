// A load comparison (load/compare.ts) -> the plain-text table `harness load compare` and verify print, and one
// Allure test per endpoint.
import { createHash, randomUUID } from 'node:crypto';
import { Stage, Status, type TestResult } from 'allure-js-commons';
import { alignColumns } from '../../core/text.ts';
import { type CellVerdict, type Comparison, describeCell, rowOutcome } from '../../load/compare.ts';

const VERDICT_TEXT: Record<CellVerdict, string> = {
  regression: 'REGRESSION',
  improvement: 'improvement',
  'within-margin': 'no significant difference',
  'no-regression': 'no regression',
  inconclusive: 'cannot tell',
  'not-enough-data': 'not enough data',
};

/** The comparison as a plain-text table (one line per endpoint and metric). */
export function renderComparisonTable(c: Comparison): string {
  const header = [
    'endpoint',
    'metric',
    'A',
    'B',
    'B − A',
    `${Math.round(c.confidence * 100)} % interval`,
    'margin',
    'verdict',
  ];
  const body: string[][] = [];
  for (const row of c.rows) {
    for (const cell of row.cells) {
      body.push([
        cell.metric === 'p50' ? `${row.endpoint} (${row.requestsA}/${row.requestsB} req)` : '',
        cell.metric,
        cell.a === null ? '-' : `${cell.a} ${cell.unit}`,
        cell.b === null ? '-' : `${cell.b} ${cell.unit}`,
        cell.difference === null ? '-' : signed(cell.difference),
        cell.interval ? `[${signed(cell.interval[0])}, ${signed(cell.interval[1])}]` : '-',
        cell.margin === null ? '-' : `±${cell.margin}`,
        `${VERDICT_TEXT[cell.verdict]}${cell.decides || cell.verdict === 'not-enough-data' ? '' : ' (listed, does not decide)'}`,
      ]);
    }
  }
  const { widths, line } = alignColumns([header, ...body]);
  const verdict =
    c.verdict === 'regression'
      ? 'REGRESSION'
      : c.verdict === 'inconclusive'
        ? 'INCONCLUSIVE'
        : 'no significant difference';
  return [
    `compare ${c.runB.runId} (B, ${c.runB.samples} requests in ${c.runB.seconds} s) against ${c.runA.runId} (A, ${c.runA.samples} requests in ${c.runA.seconds} s)`,
    `block bootstrap: ${c.blockSeconds} s blocks, ${c.replicates} replicates, ${Math.round(c.confidence * 100)} % intervals; margins: latency max(${c.margins.latencyPct} %, ${c.margins.latencyMinMs} ms), throughput ${c.margins.throughputPct} %, errors ${c.margins.errorSharePoints} points, or the smallest the pair can judge where larger`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `verdict: ${verdict}`,
    ...c.reasons.map((r) => `  - ${r}`),
  ].join('\n');
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

/** One Allure test per endpoint: failed on a regression, broken when it cannot tell, passed otherwise. */
export function comparisonToAllure(c: Comparison, startMs: number, stopMs: number): TestResult[] {
  return c.rows.map((row): TestResult => {
    const fullName = `load.compare.${row.endpoint}`;
    const id = createHash('md5').update(fullName).digest('hex');
    const { regressed, undecided } = rowOutcome(row);
    const status = regressed.length > 0 ? Status.FAILED : undecided.length > 0 ? Status.BROKEN : Status.PASSED;
    const notable = [...regressed, ...undecided];
    return {
      uuid: randomUUID(),
      historyId: id,
      testCaseId: id,
      name: `load compare: ${row.endpoint}`,
      fullName,
      description: `${c.runB.runId} against ${c.runA.runId}: block bootstrap, ${Math.round(c.confidence * 100)} % intervals of B − A`,
      status,
      statusDetails:
        notable.length > 0
          ? { message: notable.map((cell) => `${VERDICT_TEXT[cell.verdict]}: ${describeCell(cell)}`).join('\n') }
          : {},
      stage: Stage.FINISHED,
      steps: row.cells.map((cell) => ({
        name: `${cell.metric}: ${VERDICT_TEXT[cell.verdict]}${cell.decides ? '' : ' (listed, does not decide)'} (${describeCell(cell)}${cell.reason ? `; ${cell.reason}` : ''})`,
        status: regressed.includes(cell) ? Status.FAILED : undecided.includes(cell) ? Status.BROKEN : Status.PASSED,
        stage: Stage.FINISHED,
        statusDetails: {},
        steps: [],
        attachments: [],
        parameters: [],
        start: startMs,
        stop: stopMs,
      })),
      attachments: [],
      parameters: [
        { name: 'run A', value: c.runA.runId, excluded: true },
        { name: 'run B', value: c.runB.runId, excluded: true },
      ],
      labels: [
        { name: 'parentSuite', value: 'mystocks-harness' },
        { name: 'suite', value: 'load' },
        { name: 'subSuite', value: 'compare' },
        { name: 'feature', value: 'load comparison' },
        { name: 'story', value: row.endpoint },
      ],
      links: [],
      start: startMs,
      stop: stopMs,
    };
  });
}
