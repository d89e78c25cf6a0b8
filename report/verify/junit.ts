// junit.xml of a verify run: one <testsuites> with Playwright's suites as Playwright wrote them, one suite of
// load thresholds, one of the load comparison with the baseline (--baseline), the SLO check's suite, and a suite
// of stages that could not give results of their own.
// Suites are data here (fast-xml-parser's object form): Playwright's and the SLO checker's files are parsed, the
// others are built, the totals are summed from the suites' attributes, and one builder writes the document.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { firstLine } from '../../core/text.ts';
import { type Comparison, describeCell, rowOutcome } from '../../load/compare.ts';
import type { LoadResult } from '../../load/run.ts';
import { describeResult as describeThreshold } from '../../load/thresholds.ts';
import type { SloReport } from '../../slo/index.ts';
import { renderJunit } from '../slo/render.ts';
import type { E2eResult, StageName } from './model.ts';

/** XML in fast-xml-parser's object form: attributes under `@_name`, text under `#text`, CDATA under `__cdata`. */
export type XmlNode = { [key: string]: string | number | XmlNode | XmlNode[] };

const XML_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  cdataPropName: '__cdata',
} as const;

const parser = new XMLParser({
  ...XML_OPTIONS,
  parseAttributeValue: false,
  parseTagValue: false,
  // Whitespace between elements is layout, not content: the builder lays the document out again.
  trimValues: true,
  // Elements that may repeat are always lists, so one test case reads the same as many.
  isArray: (name) => ['testsuite', 'testcase', 'property', 'failure', 'error', 'skipped'].includes(name),
});
const builder = new XMLBuilder({ ...XML_OPTIONS, format: true, indentBy: '  ', suppressEmptyNode: true });

/** What the combined JUnit file is made of. */
export interface JunitParts {
  e2e?: E2eResult;
  load?: LoadResult;
  /** The load compared with the baseline's (--baseline). */
  comparison?: Comparison;
  slo?: SloReport;
  /** Stages that ended inconclusive without results of their own, as <error> cases. */
  problems: { stage: StageName; problem: string }[];
}

/** The `<testsuite>` elements of a JUnit document. */
export function parseSuites(xml: string): XmlNode[] {
  const root = parser.parse(xml) as { testsuites?: { testsuite?: XmlNode[] } | string };
  return typeof root.testsuites === 'object' ? (root.testsuites.testsuite ?? []) : [];
}

/** The load thresholds as one suite: a broken threshold is a <failure>, a run that could not be judged <error>s. */
export function loadSuite(load: LoadResult): XmlNode {
  const inconclusive = load.verdict === 'inconclusive';
  const seconds = ((load.endedAt.getTime() - load.startedAt.getTime()) / 1000).toFixed(3);
  const testcase = load.thresholds.map((t): XmlNode => {
    const text = describeThreshold(t);
    const verdict: XmlNode = inconclusive
      ? {
          error: [
            {
              '@_message': load.problem ?? 'load run could not be judged',
              '@_type': 'load-inconclusive',
              '#text': text,
            },
          ],
        }
      : t.ok
        ? {}
        : { failure: [{ '@_message': text, '@_type': 'threshold-breach', '#text': text }] };
    return {
      '@_classname': `load.${load.runId}`,
      '@_name': t.name,
      '@_time': seconds,
      ...verdict,
      'system-out': { '#text': text },
    };
  });
  const failures = inconclusive ? 0 : load.thresholds.filter((t) => !t.ok).length;
  return {
    '@_name': 'load thresholds',
    '@_tests': String(load.thresholds.length),
    '@_failures': String(failures),
    '@_errors': String(inconclusive ? load.thresholds.length : 0),
    '@_timestamp': load.startedAt.toISOString(),
    '@_time': seconds,
    testcase,
  };
}

/**
 * The load comparison as one suite, a case per endpoint (and one for all requests), judged by the comparison's own
 * rule (load/compare.ts rowOutcome): a regressed figure is a <failure>, an undecided one an <error>; the rest
 * pass, with every figure said in the output.
 */
export function compareSuite(comparison: Comparison): XmlNode {
  const testcase = comparison.rows.map((row): XmlNode => {
    const { regressed, undecided } = rowOutcome(row);
    const lines = row.cells.map(
      (c) => `${describeCell(c)}: ${c.verdict}${c.reason === undefined ? '' : ` (${c.reason})`}`,
    );
    const verdict: XmlNode =
      regressed.length > 0
        ? {
            failure: [
              {
                '@_message': `regression: ${regressed.map(describeCell).join('; ')}`,
                '@_type': 'load-regression',
                '#text': lines.join('\n'),
              },
            ],
          }
        : undecided.length > 0
          ? {
              error: [
                {
                  '@_message': `cannot tell: ${undecided.map(describeCell).join('; ')}`,
                  '@_type': 'compare-inconclusive',
                  '#text': lines.join('\n'),
                },
              ],
            }
          : {};
    return {
      '@_classname': `compare.${comparison.runA.runId}.${comparison.runB.runId}`,
      '@_name': `${row.endpoint} (${row.requestsA} -> ${row.requestsB} requests)`,
      '@_time': '0',
      ...verdict,
      'system-out': { '#text': lines.join('\n') },
    };
  });
  const count = (key: 'failure' | 'error') => testcase.filter((t) => key in t).length;
  return {
    '@_name': 'load comparison',
    '@_tests': String(testcase.length),
    '@_failures': String(count('failure')),
    '@_errors': String(count('error')),
    '@_time': '0',
    testcase,
  };
}

/** Stages without results of their own, one <error> case each. */
export function problemSuite(problems: { stage: StageName; problem: string }[]): XmlNode {
  return {
    '@_name': 'verify stages',
    '@_tests': String(problems.length),
    '@_failures': '0',
    '@_errors': String(problems.length),
    testcase: problems.map((p) => ({
      '@_classname': 'verify',
      '@_name': p.stage,
      '@_time': '0',
      error: [{ '@_message': firstLine(p.problem), '@_type': 'stage-inconclusive', '#text': p.problem }],
    })),
  };
}

/** The suites of a run, in the order E2E, load, load comparison, SLO, stage problems. */
export async function junitSuites(parts: JunitParts): Promise<XmlNode[]> {
  const suites: XmlNode[] = [];
  if (parts.e2e && existsSync(parts.e2e.junitPath))
    suites.push(...parseSuites(await readFile(parts.e2e.junitPath, 'utf8')));
  if (parts.load) suites.push(loadSuite(parts.load));
  if (parts.comparison) suites.push(compareSuite(parts.comparison));
  if (parts.slo) suites.push(...parseSuites(renderJunit(parts.slo)));
  if (parts.problems.length > 0) suites.push(problemSuite(parts.problems));
  return suites;
}

/** The document: totals on <testsuites> are the sums of the suites' own. */
export function renderJunitDocument(suites: XmlNode[]): string {
  const total = (name: string) => suites.reduce((sum, suite) => sum + Number(suite[`@_${name}`] ?? 0), 0);
  const document = {
    testsuites: {
      '@_name': 'harness verify',
      '@_tests': String(total('tests')),
      '@_failures': String(total('failures')),
      '@_errors': String(total('errors')),
      testsuite: suites,
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(document)}`;
}

/** One JUnit file with a test suite per stage: Playwright's suites as they are, load thresholds, SLOs. */
export async function renderCombinedJunit(parts: JunitParts): Promise<string> {
  return renderJunitDocument(await junitSuites(parts));
}
