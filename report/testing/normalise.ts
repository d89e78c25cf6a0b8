// What a golden test of the renderers sets aside before comparing: the parts of an output its input cannot fix.
// ECharts numbers its server-side renderings and their style classes per process, and Allure results carry a
// random uuid in every file name and reference. Each is replaced here by what a reader can check: the order
// in which they appear.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { TestResult } from 'allure-js-commons';

/**
 * ECharts numbers its server-side renderings and their style classes in the process (zr0, zr1, ...; zr-cls-0,
 * zr-cls-1, ...), so a chart's ids and class names depend on the charts drawn before it, in the same test file
 * or, in the unit tier's one process, in another. The renderings lose their number and the classes are numbered
 * in the order they first appear in `text` (an SVG, or a page holding several).
 */
export function renumberEcharts(text: string): string {
  const classes = new Map<string, number>();
  return text
    .replace(/\bzr\d+-/g, 'zr-')
    .replace(/\bzr-cls-\d+\b/g, (name) => `zr-cls-${classes.get(name) ?? classes.set(name, classes.size).size - 1}`);
}

/**
 * A folder of Allure results as one text for a golden file: the results ordered by fullName (then name), each
 * uuid replaced by `result-N` in that order and each attachment's file by `result-N-attachment-M.<ext>`, and the
 * attachments' contents beside the results, so the golden file holds everything Allure will read. Fails when the
 * folder holds a file that is neither a result nor one of their attachments.
 */
export function allureResultsText(dir: string): string {
  const files = readdirSync(dir).sort();
  const results = files
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TestResult)
    .sort((a, b) => (a.fullName ?? '').localeCompare(b.fullName ?? '') || (a.name ?? '').localeCompare(b.name ?? ''));
  const referenced = new Set(results.flatMap((r) => [`${r.uuid}-result.json`, ...r.attachments.map((a) => a.source)]));
  assert.deepEqual(
    files.filter((f) => !referenced.has(f)),
    [],
    `every file in ${dir} is a result or one of their attachments`,
  );
  const attachments: Record<string, string> = {};
  const stable = results.map((result, i) => ({
    ...result,
    uuid: `result-${i + 1}`,
    attachments: result.attachments.map((a, j) => {
      const source = `result-${i + 1}-attachment-${j + 1}${extname(a.source)}`;
      attachments[source] = readFileSync(join(dir, a.source), 'utf8');
      return { ...a, source };
    }),
  }));
  return `${JSON.stringify({ results: stable, attachments }, null, 2)}\n`;
}
