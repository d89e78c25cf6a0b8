// The harness as an installed package (README "Install as a package"): `npm pack` in the checkout (its prepack
// builds dist/, scripts/build-package.ts), the tarball installed into an empty project in a temp folder, and the
// installed `harness` run there. What this file alone proves: the package installs and runs without the checkout,
// as JavaScript under node_modules (where Node strips no types), with the default SLO file it ships: `npx harness
// --help` exits 0, `import('mystocks-harness/slo')` (package.json's exports) reads the shipped SLO file, `harness
// slo rules` writes the checkout's rules, and `harness slo check` against a real
// Prometheus (backfilled with slo/testing/datasets.ts) judges exactly as the checkout's CLI does: exit 0 and every
// SLO met on the healthy hour, exit 1 on the unhealthy one.
//
// A stack test because it installs about a thousand packages (npm's cache, filled by the checkout's `npm ci`,
// serves them: --prefer-offline) and packs the checkout, which rewrites its dist/. What it does not cover:
// `harness load` and `harness verify` from the package (README says what was run by hand), and publishing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSloConfig } from '../slo/load.ts';
import { type BackfilledPrometheus, startBackfilledPrometheus, toOpenMetrics } from '../slo/testing/backfill.ts';
import { runHarness as runCheckoutHarness } from '../slo/testing/cli.ts';
import { HOUR, PHASES, type Phase, referenceFamilies } from '../slo/testing/datasets.ts';

const REPO = resolve(import.meta.dirname, '..');
const work = realpathSync(mkdtempSync(join(tmpdir(), 'harness-package-')));
const packDir = join(work, 'pack');
/** The empty project: outside the checkout, so no node_modules of the checkout's is on its resolution path. */
const project = join(work, 'project');
const reports = join(work, 'reports');
after(() => rmSync(work, { recursive: true, force: true }));

/**
 * The environment of npm and of the installed harness: this process's, less what would reach the checkout.
 * NODE_PATH would let Node resolve the checkout's packages; `npm run test:stack` adds the variables npm sets for a
 * script of this package (npm_package_*, npm_lifecycle_*, npm_config_local_prefix and npm_config_prefix, which
 * point npm at the checkout) and puts the checkout's node_modules/.bin first on PATH. The npm cache and registry
 * settings stay: the cache holds what `npm ci` fetched. Playwright's browser download (an install script of
 * Artillery's @playwright/browser-chromium) is skipped, as scripts/setup.sh skips it: the harness does not use
 * that browser, and these machines cannot fetch it.
 */
function isolatedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_PATH' || key === 'INIT_CWD' || /^npm_(package|lifecycle)_/i.test(key)) continue;
    if (/^npm_config_(local_)?prefix$/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => entry !== REPO && !entry.startsWith(REPO + sep))
    .join(delimiter);
  return { ...env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', HARNESS_REPORTS_DIR: reports };
}
const ENV = isolatedEnv();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd, env: ENV, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 99) : 0, stdout, stderr }),
    );
  });
}

/** `npx harness ARGS` in the empty project: the installed package's bin. */
const installed = (args: string[]) => run('npx', ['--no-install', 'harness', ...args], project, 120_000);

let tarballFiles: string[];
let prometheus: BackfilledPrometheus;

before(async () => {
  // Prometheus first: its backfill runs while nothing else does, and the pack and install below are the long part.
  prometheus = await startBackfilledPrometheus(toOpenMetrics(referenceFamilies()));
  mkdirSync(packDir);
  const packed = await run('npm', ['pack', '--json', '--pack-destination', packDir], REPO, 300_000);
  assert.equal(packed.code, 0, packed.stderr);
  const [tarball] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  assert.ok(tarball, packed.stdout);
  tarballFiles = tarball.files.map((file) => file.path);

  // `npm install` in a folder without a package.json would install into the nearest one above; this is its own.
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'empty-project', private: true })}\n`);
  const started = performance.now();
  const install = await run(
    'npm',
    ['install', join(packDir, tarball.filename), '--prefer-offline', '--no-audit', '--no-fund'],
    project,
    900_000,
  );
  assert.equal(install.code, 0, install.stderr.slice(-4000));
  console.log(`# npm install of the tarball: ${((performance.now() - started) / 1000).toFixed(0)} s`);
});
after(() => prometheus?.stop());

describe('the packed harness', () => {
  it('holds the entry, the built dispatcher and the default SLO file, and no tests', () => {
    for (const path of [
      'LICENSE',
      'cli/harness.mjs',
      'dist/cli/dispatch.js',
      'dist/cli/dispatch.d.ts',
      'dist/slo/slo-config.yaml',
    ])
      assert.ok(tarballFiles.includes(path), path);
    assert.deepEqual(
      tarballFiles.filter((path) => /\.test\.|(^|\/)testing\//.test(path)),
      [],
    );
  });

  it('installed, runs as JavaScript from dist/: no TypeScript dispatcher beside the bin', () => {
    const packageDir = join(project, 'node_modules', 'mystocks-harness');
    assert.ok(existsSync(join(packageDir, 'dist', 'cli', 'dispatch.js')));
    assert.equal(existsSync(join(packageDir, 'cli', 'dispatch.ts')), false);
  });

  it("imports the SLO gate's API by name, through package.json's exports, with the SLO file it ships", async () => {
    // node -e in the project: `import('mystocks-harness/slo')` resolves through the installed package.json's map.
    const script =
      "const slo = await import('mystocks-harness/slo'); const { model } = await slo.loadSloConfig(); " +
      'console.log(model.slos.map((s) => s.name).join(","));';
    const imported = await run('node', ['--input-type=module', '-e', script], project, 60_000);
    assert.equal(imported.code, 0, imported.stderr);
    const { model } = await loadSloConfig(join(REPO, 'slo', 'slo-config.yaml'));
    assert.equal(imported.stdout.trim(), model.slos.map((slo) => slo.name).join(','));
  });

  it('npx harness --help exits 0 with the usage', async () => {
    const help = await installed(['--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^usage: harness <command> \[options\]/);
    assert.match(help.stdout, /^ {2}slo {9}slo check: evaluate slo-config\.yaml against Prometheus/m);
  });

  it('harness slo rules writes the rules the checkout writes from the same SLO file', async () => {
    const ours = await installed(['slo', 'rules']);
    const theirs = await runCheckoutHarness(['slo', 'rules'], { reportsDir: reports });
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(theirs.code, 0, theirs.stderr);
    // The first line names the SLO file the rules came from: the package's copy, or the checkout's.
    assert.match(
      ours.stdout,
      /^# Generated by `harness slo rules` from node_modules\/mystocks-harness\/dist\/slo\/slo-config\.yaml;/,
    );
    const body = (text: string) => text.slice(text.indexOf('\n') + 1);
    assert.equal(body(ours.stdout), body(theirs.stdout));
  });

  describe('harness slo check against a real Prometheus', () => {
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
    const args = (phase: Phase) => [
      'slo',
      'check',
      '--prometheus',
      prometheus.url,
      '--start',
      iso(PHASES[phase] - HOUR),
      '--end',
      iso(PHASES[phase]),
      '--format',
      'json',
    ];
    /** The installed harness's report and the checkout's, both on the package's default SLO file's content. */
    async function both(
      phase: Phase,
    ): Promise<{ code: number; report: Record<string, unknown>; checkout: Record<string, unknown> }> {
      const ours = await installed(args(phase));
      const theirs = await runCheckoutHarness(args(phase), { reportsDir: reports });
      assert.equal(ours.code, theirs.code, `${ours.stderr}\n${theirs.stderr}`);
      // Only the SLO file's path differs: the package's own copy, or the checkout's.
      const { config: oursConfig, ...report } = JSON.parse(ours.stdout) as Record<string, unknown>;
      const { config: theirsConfig, ...checkout } = JSON.parse(theirs.stdout) as Record<string, unknown>;
      assert.match(String(oursConfig), /node_modules\/mystocks-harness\/dist\/slo\/slo-config\.yaml$/);
      assert.match(String(theirsConfig), /slo\/slo-config\.yaml$/);
      return { code: ours.code, report, checkout };
    }

    it('exits 0 on the healthy hour, every SLO of the shipped file met, as the checkout judges it', async () => {
      const { code, report, checkout } = await both('healthy');
      assert.equal(code, 0);
      assert.equal(report.status, 'pass');
      const { model } = await loadSloConfig(join(REPO, 'slo', 'slo-config.yaml'));
      const slos = report.slos as { name: string; status: string }[];
      assert.deepEqual(
        slos.map((slo) => [slo.name, slo.status]),
        model.slos.map((slo) => [slo.name, 'pass']),
      );
      assert.deepEqual(report, checkout);
    });

    it('exits 1 on the unhealthy hour, as the checkout judges it', async () => {
      const { code, report, checkout } = await both('unhealthy');
      assert.equal(code, 1);
      assert.equal(report.status, 'fail');
      assert.deepEqual(report, checkout);
    });
  });
});
