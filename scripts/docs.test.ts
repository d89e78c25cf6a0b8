// Claims of the docs checked against the code: docs/metrics.md against the reference service's /metrics
// snapshot and its registry's buckets; every runbook link of the generated alerts against the headings of
// docs/slo.md; every relative link of README.md and docs/*.md against the files of the repository; no doc naming
// a file outside the repository; docs/load.md's profile table against load/profiles.ts. Each check is also run
// on a copy of the docs with a fault put in, to show it fails.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { getProfile, type Phase, PROFILE_NAMES, profileDurationSeconds } from '../load/profiles.ts';
import { createMetrics } from '../reference-api/src/plugins/app/metrics.ts';
import { DEFAULT_CONFIG_PATH, loadSloConfig } from '../slo/load.ts';
import { renderRules } from '../slo/rules/rules.ts';

const root = join(import.meta.dirname, '..');
const docs = join(root, 'docs');
const metricsDoc = readFileSync(join(docs, 'metrics.md'), 'utf8');

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces as dashes. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe('docs/metrics.md', () => {
  it("lists exactly the reference service's metrics, types and label sets (its /metrics snapshot)", () => {
    const snapshot = readFileSync(join(root, 'reference-api/src/plugins/app/metrics.expected.txt'), 'utf8');
    const rows = [...metricsDoc.matchAll(/^\| `(\w+)` \| (\w+) \|([^|]*)\|/gm)].map((m) => {
      const labels = [...m[3]!.matchAll(/`(\w+)`/g)].map((l) => l[1]!).sort();
      return `${m[1]} ${m[2]} {${labels.join(',')}}`;
    });
    assert.ok(rows.length > 0, 'no metric table found');
    assert.equal(`${rows.sort().join('\n')}\n`, snapshot);
  });

  it("gives each histogram's buckets as the service's registry has them", async () => {
    const metrics = createMetrics();
    // The HTTP histogram keeps exemplars, so prom-client takes its observation in the exemplar form.
    metrics.httpDuration.observe({ labels: { endpoint: '/x', method: 'GET', status_code: '200' }, value: 0.01 });
    metrics.dbDuration.observe({ operation: 'x' }, 0.01);
    const text = await metrics.registry.metrics();
    for (const name of ['http_request_duration_seconds', 'db_query_duration_seconds']) {
      const served = [...text.matchAll(new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"`, 'gm'))]
        .map((m) => m[1]!)
        .filter((le) => le !== '+Inf');
      const documented = new RegExp(`\`${name}\` buckets: ([0-9., ]+)`).exec(metricsDoc)?.[1];
      assert.ok(documented, `${name}: no bucket line in docs/metrics.md`);
      assert.deepEqual(
        documented.split(',').map((b) => Number(b.trim())),
        served.map(Number),
        name,
      );
    }
  });

  it('is linked from the external-deployment quickstart', () => {
    const quickstarts = readFileSync(join(docs, 'quickstarts.md'), 'utf8');
    const section = quickstarts.slice(quickstarts.indexOf('## Your own deployment'));
    assert.match(section, /\]\(metrics\.md\)/);
  });
});

describe('runbook links', () => {
  it('every runbook_url of the seed rules points at a heading of docs/slo.md', async () => {
    const slo = readFileSync(join(docs, 'slo.md'), 'utf8');
    const anchors = new Set([...slo.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!)));
    const { model } = await loadSloConfig(DEFAULT_CONFIG_PATH);
    const rules = parse(renderRules(model)) as { groups: { rules: { annotations?: Record<string, string> }[] }[] };
    const links = rules.groups
      .flatMap((group) => group.rules)
      .flatMap((rule) => (rule.annotations?.runbook_url ? [rule.annotations.runbook_url] : []));
    // Every alerting seed SLO links a runbook: a ticket or page without one leaves the on-call guessing.
    assert.equal(new Set(links).size, model.slos.length);
    for (const link of links) {
      const match = /\/docs\/slo\.md#(.+)$/.exec(link);
      assert.ok(match, `${link} does not point into docs/slo.md`);
      assert.ok(anchors.has(match[1]!), `${link}: docs/slo.md has no heading #${match[1]}`);
    }
  });

  it('the anchor check catches a link to no heading', () => {
    assert.equal(anchor('availability'), 'availability');
    assert.equal(anchor('Dashboards (`harness slo dashboard`)'), 'dashboards-harness-slo-dashboard');
    assert.notEqual(anchor('The seed SLOs and their formulas'), 'availability');
  });
});

/** README.md and every docs/*.md, by path relative to the repository: the text a user reads. */
function readDocs(): Map<string, string> {
  const names = [
    'README.md',
    ...readdirSync(docs)
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  return new Map(names.map((name) => [name, readFileSync(join(root, name), 'utf8')]));
}

/**
 * The text with fenced code blocks and inline code spans blanked out (line breaks kept): `[a](b)` inside code is
 * an example, not a link.
 */
function withoutCode(text: string): string {
  return withoutFences(text).replace(/`[^`\n]*`/g, blank);
}

/** The text with fenced code blocks blanked out: a `# comment` line in a shell block is not a heading. */
function withoutFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank);
}

/** The same number of characters, spaces for all but line breaks. */
const blank = (match: string) => match.replace(/[^\n]/g, ' ');

/** Every markdown link and image target of a text (inline `[x](target "title")` and reference `[x]: target`). */
function linkTargets(text: string): string[] {
  const prose = withoutCode(text);
  return [
    ...[...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
    ...[...prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!),
  ];
}

/** GitHub's anchors of a markdown text's headings (a repeated heading gets -1, -2, ...). */
function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of withoutFences(text).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = anchor(m[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** True when `path` (absolute) is `repo` itself or inside it. */
function inside(repo: string, path: string): boolean {
  const rel = relative(repo, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * Each relative link of each doc that does not resolve to a file or folder inside `repo`, as "doc: link: why".
 * Links to another site (a scheme such as https: or mailto:) are not followed. A link's #anchor is checked
 * against the headings of the markdown file it points into (or of the doc itself for a bare #anchor).
 */
function brokenLinks(repo: string, texts: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [doc, text] of texts) {
    for (const target of linkTargets(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [pathPart = '', fragment] = target.split('#', 2);
      const path = decodeURIComponent(pathPart.split('?', 1)[0]!);
      const file = path === '' ? join(repo, doc) : resolve(repo, dirname(doc), path);
      if (!inside(repo, file)) {
        problems.push(`${doc}: ${target}: leaves the repository`);
        continue;
      }
      if (!existsSync(file)) {
        problems.push(`${doc}: ${target}: no such file (${relative(repo, file)})`);
        continue;
      }
      if (fragment && file.endsWith('.md') && statSync(file).isFile()) {
        const targetText = texts.get(relative(repo, file)) ?? readFileSync(file, 'utf8');
        if (!headingAnchors(targetText).has(fragment)) {
          problems.push(`${doc}: ${target}: ${relative(repo, file)} has no heading #${fragment}`);
        }
      }
    }
  }
  return problems;
}

/**
 * The files of the team's own folder that this repository does not hold; a doc naming one sends its reader to
 * something they do not have.
 */
const OUTSIDE_FILES = ['DESIGN.md', 'STYLE.md', 'MACHINE.md'];

/**
 * Each place where a doc names something outside the repository: `../shared`, a file of the team's folder that
 * the repository does not hold, or a relative path with a file extension that resolves above the repository
 * (`../x.sh` written in prose or code alike). A `../` without an extension is not taken for a file: it is an
 * example value (docs/security.md's refused run id `../../x`).
 */
function outsideNames(repo: string, texts: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [doc, text] of texts) {
    for (const [index, line] of text.split('\n').entries()) {
      const where = `${doc}:${index + 1}`;
      if (line.includes('../shared') || line.includes('/shared/tools')) problems.push(`${where}: names ../shared`);
      for (const name of OUTSIDE_FILES) {
        if (new RegExp(`\\b${name.replace('.', '\\.')}\\b`).test(line) && !existsSync(join(repo, name))) {
          problems.push(`${where}: names ${name}, which the repository does not hold`);
        }
      }
      for (const m of line.matchAll(/(?<![\w./-])((?:\.\.\/)+[\w./-]*\.[A-Za-z]\w*)/g)) {
        if (!inside(repo, resolve(repo, dirname(doc), m[1]!))) problems.push(`${where}: names ${m[1]}, outside`);
      }
    }
  }
  return problems;
}

/** A profile's phases as docs/load.md writes them: `3/s for 60 s`, `1->5/s for 60 s` (a ramp). */
type DocPhase = Pick<Phase, 'arrivalRate' | 'durationSeconds'> & { rampTo?: number };

/** The rows of the first table under `## Profiles`: profile -> cells. */
function profileRows(loadDoc: string): Map<string, string[]> {
  const section = loadDoc.slice(loadDoc.indexOf('\n## Profiles\n'));
  const table = /^\|.*\|$(?:\n^\|.*\|$)+/m.exec(section)?.[0] ?? '';
  const rows = table
    .split('\n')
    .slice(2) // header and the |---| line
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  return new Map(rows.map((cells) => [cells[0]!, cells.slice(1)]));
}

const number = (text: string) => Number(text.replace(/ /g, ''));

/** Each difference between docs/load.md's profile table and load/profiles.ts, as "profile: what". */
function profileTableProblems(loadDoc: string): string[] {
  const rows = profileRows(loadDoc);
  const problems: string[] = [];
  if ([...rows.keys()].join(',') !== PROFILE_NAMES.join(',')) {
    problems.push(`rows ${[...rows.keys()].join(', ')}; load/profiles.ts has ${PROFILE_NAMES.join(', ')}`);
  }
  for (const name of PROFILE_NAMES) {
    const [phasesCell = '', totalCell = ''] = rows.get(name) ?? [];
    if (!rows.has(name)) continue;
    const documented: DocPhase[] = [
      ...phasesCell.matchAll(/(\d+(?:\.\d+)?)(?:->(\d+(?:\.\d+)?))?\/s for (\d[\d ]*) s\b/g),
    ].map((m) => ({
      arrivalRate: Number(m[1]),
      ...(m[2] === undefined ? {} : { rampTo: Number(m[2]) }),
      durationSeconds: number(m[3]!),
    }));
    const profile = getProfile(name);
    const actual: DocPhase[] = profile.phases.map((phase) => ({
      arrivalRate: phase.arrivalRate,
      ...(phase.rampTo === undefined ? {} : { rampTo: phase.rampTo }),
      durationSeconds: phase.durationSeconds,
    }));
    const show = (phases: DocPhase[]) =>
      phases
        .map((p) => `${p.arrivalRate}${p.rampTo === undefined ? '' : `->${p.rampTo}`}/s for ${p.durationSeconds} s`)
        .join(', ');
    if (show(documented) !== show(actual)) {
      problems.push(`${name}: the doc says "${show(documented)}"; load/profiles.ts has "${show(actual)}"`);
    }
    const total = /^(?:at most )?(\d[\d ]*) s\b/.exec(totalCell)?.[1];
    if (total === undefined || number(total) !== profileDurationSeconds(profile)) {
      problems.push(`${name}: total length "${totalCell}"; load/profiles.ts has ${profileDurationSeconds(profile)} s`);
    }
  }
  return problems;
}

describe('doc links and names', () => {
  const texts = readDocs();

  it('every relative link of README.md and docs/*.md resolves to a file in the repository', () => {
    assert.ok(texts.size > 10 && texts.has('README.md') && texts.has('docs/load.md'), 'the docs were read');
    assert.ok(
      [...texts.values()].flatMap(linkTargets).length > 40,
      'the links were found (a parser that finds none passes anything)',
    );
    assert.deepEqual(brokenLinks(root, texts), []);
  });

  it('the link check fails on a broken link, a link out of the repository and a heading that is not there', () => {
    const copy = new Map(texts);
    copy.set(
      'docs/e2e.md',
      `${texts.get('docs/e2e.md')}\nSee [gone](missing.md), [up](../../elsewhere.md), [slo](slo.md#no-such-heading),` +
        ' `[in code](not-a-link.md)`, [site](https://example.org/x.md) and [here](#running).\n',
    );
    copy.set('README.md', `${texts.get('README.md')}\n![img](docs/screenshots/none.png)\n`);
    assert.deepEqual(brokenLinks(root, copy).sort(), [
      'README.md: docs/screenshots/none.png: no such file (docs/screenshots/none.png)',
      'docs/e2e.md: ../../elsewhere.md: leaves the repository',
      'docs/e2e.md: missing.md: no such file (docs/missing.md)',
      'docs/e2e.md: slo.md#no-such-heading: docs/slo.md has no heading #no-such-heading',
    ]);
  });

  it('no README or doc text names a file outside the repository (../shared, the team folder)', () => {
    assert.deepEqual(outsideNames(root, texts), []);
  });

  it('the outside-name check fails on ../shared, a team-folder file and a path above the repository', () => {
    const docText = texts.get('docs/conventions.md')!;
    const lines = docText.split('\n').length;
    const copy = new Map([
      [
        'docs/conventions.md',
        `${docText}\nRead \`../shared/DESIGN.md\`.\nMeasured with ../../tools/fresh-machine.sh; see MACHINE.md.\n` +
          'A run id such as `../../x` is refused; [api](../docs/api.md) is inside.\n',
      ],
    ]);
    assert.deepEqual(outsideNames(root, copy), [
      `docs/conventions.md:${lines + 1}: names ../shared`,
      `docs/conventions.md:${lines + 1}: names DESIGN.md, which the repository does not hold`,
      `docs/conventions.md:${lines + 2}: names MACHINE.md, which the repository does not hold`,
      `docs/conventions.md:${lines + 2}: names ../../tools/fresh-machine.sh, outside`,
    ]);
  });

  it("docs/performance.md points at the repository's own fresh-machine script", () => {
    assert.ok(existsSync(join(root, 'scripts/fresh-machine.sh')));
    assert.match(texts.get('docs/performance.md')!, /`scripts\/fresh-machine\.sh run`/);
  });
});

describe("docs/load.md's profile table", () => {
  const loadDoc = readFileSync(join(docs, 'load.md'), 'utf8');

  it('gives every profile of load/profiles.ts with its phases (rates, ramps, lengths) and total length', () => {
    assert.equal(profileRows(loadDoc).get('smoke')?.[0], '3/s for 60 s', 'the smoke row as read');
    assert.deepEqual(profileTableProblems(loadDoc), []);
  });

  it('fails on a wrong rate, a wrong length, a missing phase and a missing profile', () => {
    const broken = loadDoc
      .replace('| smoke | 3/s for 60 s | 60 s |', '| smoke | 2/s for 60 s | 60 s |')
      .replace('| 480 s (8 m) |', '| 420 s (7 m) |')
      .replace('1->60/s for 600 s; stops', 'then a ramp; stops')
      .replace(/^\| soak \|.*\n/m, '');
    assert.deepEqual(profileTableProblems(broken), [
      'rows smoke, average, stress, spike, breakpoint; load/profiles.ts has smoke, average, stress, spike, soak, breakpoint',
      'smoke: the doc says "2/s for 60 s"; load/profiles.ts has "3/s for 60 s"',
      'stress: total length "420 s (7 m)"; load/profiles.ts has 480 s',
      'breakpoint: the doc says "1/s for 20 s"; load/profiles.ts has "1/s for 20 s, 1->60/s for 600 s"',
    ]);
  });
});

/**
 * What is wrong with the QA quickstart's report paths: after `harness verify` the Playwright report is at
 * reports/e2e/ (linked to the latest verify run, cli/verify/reports/paths.ts), after `harness e2e` at
 * reports/playwright-report (linked to the latest e2e run, cli/commands/e2e.ts); a path under reports/runs/ is one
 * fixed run, not the one just made.
 */
function qaReportProblems(quickstarts: string): string[] {
  const start = quickstarts.indexOf('## QA engineer');
  const end = quickstarts.indexOf('\n## ', start + 1);
  const qa = quickstarts.slice(start, end < 0 ? undefined : end);
  const problems: string[] = [];
  if (start < 0) return ['no QA engineer section'];
  if (!qa.includes('reports/e2e/playwright-report')) problems.push('no report path for harness verify');
  if (!/reports\/playwright-report\b/.test(qa)) problems.push('no report path for harness e2e');
  for (const m of qa.matchAll(/reports\/runs\/[^\s`)]+/g)) problems.push(`a fixed run's path: ${m[0]}`);
  return problems;
}

describe('the QA quickstart', () => {
  it('names the Playwright report of the run just made, for harness verify and harness e2e', () => {
    assert.deepEqual(qaReportProblems(readFileSync(join(docs, 'quickstarts.md'), 'utf8')), []);
  });

  it("fails on the old text (one path, the verify run's, after a harness e2e run) and on a fixed run", () => {
    const old =
      '## QA engineer: the browser suites\n\nnpx harness e2e -- e2e/market.spec.ts\n\nFailures: ' +
      '`reports/e2e/playwright-report/index.html` (traces and screenshots of failed tests)\n\n## CI\n';
    assert.deepEqual(qaReportProblems(old), ['no report path for harness e2e']);
    assert.deepEqual(
      qaReportProblems(
        old.replace('Failures:', 'Or `reports/playwright-report`, `reports/runs/e2e-5b58313bc880/index.html`.'),
      ),
      ["a fixed run's path: reports/runs/e2e-5b58313bc880/index.html"],
    );
  });
});
