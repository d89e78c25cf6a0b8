// The CLI layer as a user meets it: `node cli/harness.ts ...` in a child process, its exit code and its words, where
// the launch is the point: exit codes 0, 1 and 2 and a usage error's line reach the process; the entry turns on
// Node's compile cache, where the user's settings say; flag > environment > reports/stack.json; an unreachable
// service is said once; `up` keeps running until a signal; the bash completion script completes in bash. The
// words of every usage error and help page are checked in-process (cli/harness.test.ts, cli/help.test.ts), as is
// an unreachable Prometheus's report here (the dispatcher's runHarness: no process of its own).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { harnessVersion } from '../core/version.ts';
import { loadSloConfig } from '../slo/load.ts';
import { freePort } from '../stack/ports.ts';
import { runHarness } from './dispatch.ts';

/** `node cli/harness.ts`, as the docs run it; it imports the entry that the `harness` bin (npx harness) runs. */
const HARNESS = join(import.meta.dirname, 'harness.ts');
const BIN = join(import.meta.dirname, 'harness.mjs');
/** A working directory of its own: its reports/ and .harness/ are this test's. */
const cwd = mkdtempSync(join(tmpdir(), 'harness-cli-test-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the harness with an environment cleared of the variables that name services. */
function harness(args: string[], env: Record<string, string> = {}, entry = HARNESS): Promise<Ran> {
  const base = { ...process.env };
  // The compile cache's settings too: the compile-cache test sets its own.
  for (const name of [
    'API_URL',
    'BASE_URL',
    'PROMETHEUS_URL',
    'PUSHGATEWAY_URL',
    'HARNESS_STACK',
    'MYSTOCKS_FAULTS',
    'NODE_COMPILE_CACHE',
    'NODE_DISABLE_COMPILE_CACHE',
  ])
    delete base[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [entry, ...args],
      { cwd, env: { ...base, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

test("exit codes 0, 1 and 2, and a usage error's one line on stderr, reach the process", async () => {
  const seed = join(import.meta.dirname, '..', 'slo', 'slo-config.yaml');
  const [pass, bin, fail, usage] = await Promise.all([
    harness(['--version']),
    harness(['--version'], {}, BIN),
    // Sloth cannot hold all the seed file's SLOs (its two thresholds): the rest is written, each SLO left
    // out is named, and the run fails (slo/validate.int.test.ts holds the words).
    harness(['slo', 'convert', '--to', 'sloth', seed, '--out', join(cwd, 'seed.sloth.yaml')]),
    harness(['down', 'now']),
  ]);
  // Nothing but the version: no warning of Node's on stderr either.
  assert.deepEqual(pass, { code: 0, stdout: `${harnessVersion()}\n`, stderr: '' });
  assert.deepEqual(bin, pass, 'the bin entry, as npx harness runs it');
  assert.equal(fail.code, 1, fail.stderr);
  assert.match(fail.stderr, /^left out: slo "/m);
  assert.deepEqual(usage, {
    code: 2,
    stdout: '',
    stderr: "harness down: unexpected argument 'now': this command takes none (harness down --help)\n",
  });
});

test("the harness turns on Node's compile cache: in the temp folder, where NODE_COMPILE_CACHE says, not when disabled", async () => {
  // One temp folder (TMPDIR) per launch, so each launch's default cache folder is its own.
  const folder = (name: string) => {
    const path = join(cwd, 'compile-cache', name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const byDefault = folder('default');
  const binDefault = folder('bin-default');
  const chosenTmp = folder('chosen-tmp');
  const chosen = folder('chosen');
  const disabledTmp = folder('disabled-tmp');
  const launches = await Promise.all([
    harness(['--help'], { TMPDIR: byDefault }),
    harness(['--help'], { TMPDIR: binDefault }, BIN),
    harness(['--help'], { TMPDIR: chosenTmp, NODE_COMPILE_CACHE: chosen }),
    harness(['--help'], { TMPDIR: disabledTmp, NODE_DISABLE_COMPILE_CACHE: '1' }),
  ]);
  for (const ran of launches) assert.equal(ran.code, 0, ran.stderr);
  // Node writes a folder per Node version and build in the cache folder, and an entry per module in it.
  const entries = (path: string) => (existsSync(path) ? readdirSync(path, { recursive: true }).length : 0);
  assert.ok(entries(join(byDefault, 'node-compile-cache')) > 1, 'by default, in the temp folder');
  assert.ok(entries(join(binDefault, 'node-compile-cache')) > 1, 'the same through the bin entry');
  assert.ok(entries(chosen) > 1, 'in the folder NODE_COMPILE_CACHE names');
  assert.equal(entries(join(chosenTmp, 'node-compile-cache')), 0, 'and not in the temp folder');
  assert.equal(entries(join(disabledTmp, 'node-compile-cache')), 0, 'none with NODE_DISABLE_COMPILE_CACHE=1');
});

test('a Prometheus that cannot be reached is one line above the table; each SLO stays inconclusive', async () => {
  // In this process (no launch needed for the words); the connection it tries is why this is an integration test.
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const ran = await runHarness(['slo', 'check', '--prometheus', nobody, '--retries', '0']);
  assert.equal(ran.exitCode, 2, ran.stderr);
  const [first, blank, header, ...rest] = ran.stdout.split('\n');
  assert.match(first ?? '', new RegExp(`^Prometheus at ${nobody} did not answer: .*; every SLO is inconclusive$`));
  assert.equal(blank, '');
  assert.match(header ?? '', /^STATUS {2,}SLO /);
  assert.equal(ran.stdout.split('did not answer').length - 1, 1, `said once:\n${ran.stdout}`);
  const rows = rest.filter((line) => /^[A-Z]+ {2}/.test(line));
  const { model } = await loadSloConfig(); // the default SLO file, slo/slo-config.yaml
  assert.equal(rows.length, model.slos.length, 'a row for each SLO of slo/slo-config.yaml');
  for (const row of rows) assert.match(row, /^INCONCLUSIVE /);
  // The JSON report keeps each SLO's reason whole, and says which harness wrote it.
  const json = await runHarness(['slo', 'check', '--prometheus', nobody, '--retries', '0', '--format', 'json']);
  assert.equal(json.exitCode, 2);
  const report = JSON.parse(json.stdout) as { harnessVersion: string; slos: { status: string; reason: string }[] };
  assert.equal(report.harnessVersion, harnessVersion());
  assert.equal(report.slos.length, model.slos.length);
  for (const slo of report.slos) assert.match(slo.reason, /did not answer/);
});

test('verify refuses a HARNESS_KEEP_RUNS that is not a whole number before it starts anything', async () => {
  const ran = await harness(['verify', '--stack', 'external'], {
    HARNESS_KEEP_RUNS: 'all',
    API_URL: 'http://127.0.0.1:9',
  });
  assert.equal(ran.code, 2);
  assert.match(ran.stderr, /HARNESS_KEEP_RUNS must be a whole number \(0 keeps every run\), got "all"/);
  assert.doesNotMatch(ran.stderr, /\[stack/, 'no stage ran');
});

test('e2e finds its target as every command does: --target > BASE_URL > reports/stack.json', async () => {
  // Three addresses nothing listens on: which one the "not reachable" message names shows which source won.
  const fromStack = `http://127.0.0.1:${await freePort()}`;
  const fromEnv = `http://127.0.0.1:${await freePort()}`;
  const fromFlag = `http://127.0.0.1:${await freePort()}`;
  mkdirSync(join(cwd, 'reports'), { recursive: true });
  writeFileSync(join(cwd, 'reports', 'stack.json'), JSON.stringify({ mode: 'local', runId: 'x', apiUrl: fromStack }));
  try {
    const stackOnly = await harness(['e2e']);
    assert.equal(stackOnly.code, 2);
    assert.match(stackOnly.stderr, new RegExp(`${fromStack} is not reachable`));
    const env = await harness(['e2e'], { BASE_URL: fromEnv });
    assert.equal(env.code, 2);
    assert.match(env.stderr, new RegExp(`${fromEnv} is not reachable`));
    const flag = await harness(['e2e', '--target', fromFlag], { BASE_URL: fromEnv });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, new RegExp(`${fromFlag} is not reachable`));
  } finally {
    rmSync(join(cwd, 'reports', 'stack.json'), { force: true });
  }
});

test('an external stack that cannot be reached is said once, with its URL', async () => {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  for (const args of [
    ['up', '--stack', 'external'],
    ['verify', '--stack', 'external', '--skip', 'e2e,load', '--no-report'],
  ]) {
    const ran = await harness(args, { API_URL: nobody, PROMETHEUS_URL: nobody });
    assert.equal(ran.code, 2, `harness ${args.join(' ')}: exit ${ran.code}\n${ran.stderr}`);
    const said = ran.stderr.split(`api at ${nobody} is unreachable`).length - 1;
    assert.equal(said, 1, `harness ${args.join(' ')} said it ${said} times:\n${ran.stderr}`);
  }
});

/**
 * A stand-in for an external deployment that answers every probe with 200 (it is not the product: these tests
 * are about what the CLI prints, and an external stack is whatever answers at the URLs it is given).
 */
let deployment: Server;
let deploymentUrl = '';
before(async () => {
  deployment = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => deployment.listen(0, '127.0.0.1', resolve));
  deploymentUrl = `http://127.0.0.1:${(deployment.address() as AddressInfo).port}`;
});
after(() => deployment.close());

test('up --json prints the stack as JSON once it is up', async () => {
  const up = spawn(process.execPath, [HARNESS, 'up', '--stack', 'external', '--json'], {
    cwd,
    env: { ...process.env, API_URL: deploymentUrl, PROMETHEUS_URL: deploymentUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  up.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => up.once('exit', (code) => resolve(code)));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no JSON line within 60 s; stdout: ${stdout}`)), 60_000);
    up.stdout.on('data', () => {
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        resolve(stdout.split('\n')[0] ?? '');
      }
    });
  }).finally(() => up.kill('SIGTERM'));
  assert.equal(await exited, 0);
  const info = JSON.parse(firstLine) as { mode: string; apiUrl: string; prometheusUrl: string };
  assert.equal(info.mode, 'external');
  assert.equal(info.apiUrl, deploymentUrl);
  assert.equal(info.prometheusUrl, deploymentUrl);
});

test('verify --json prints verify.json on stdout instead of the table', async () => {
  const reports = join(cwd, 'verify-reports');
  const ran = await harness(['verify', '--stack', 'external', '--skip', 'e2e,load,slo', '--no-report', '--json'], {
    API_URL: deploymentUrl,
    HARNESS_REPORTS_DIR: reports,
  });
  // All of stdout parses as one JSON document: the final table was not printed beside it.
  const result = JSON.parse(ran.stdout) as {
    exitCode: number;
    verdict: string;
    stages: { stage: string }[];
    harnessVersion: string;
  };
  assert.equal(result.exitCode, ran.code);
  assert.equal(result.harnessVersion, harnessVersion());
  // Skipped stages are listed as skipped (settle goes with slo); the stack and report stages ran.
  assert.deepEqual(
    result.stages.map((s) => s.stage),
    ['stack', 'e2e', 'load', 'slo', 'report', 'down'],
  );
});

test('the bash completion script the harness prints completes commands, subcommands, flags and values in bash', async () => {
  const script = await harness(['completion', 'bash']);
  assert.equal(script.code, 0);
  const file = join(cwd, 'harness.bash');
  writeFileSync(file, script.stdout);
  const complete = (words: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      const quoted = words.map((w) => `'${w}'`).join(' ');
      const line = `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _harness; printf '%s\\n' "\${COMPREPLY[@]}"`;
      execFile('bash', ['-c', line], { cwd }, (error, stdout) =>
        error ? reject(error) : resolve(stdout.split('\n').filter(Boolean)),
      );
    });
  assert.deepEqual(await complete(['harness', 'sl']), ['slo']);
  assert.deepEqual(await complete(['harness', 'slo', '']), [
    'check',
    'rules',
    'convert',
    'dashboard',
    'alertmanager',
    'validate',
  ]);
  assert.deepEqual(await complete(['harness', 'slo', 'check', '--form']), ['--format']);
  assert.deepEqual(await complete(['harness', 'load', '--prof']), ['--profile']);
  assert.deepEqual(await complete(['harness', 'load', 'compare', '--conf']), ['--confidence']);
  assert.deepEqual(await complete(['harness', 'verify', '--stack', '']), ['auto', 'containers', 'local', 'external']);
  assert.ok((await complete(['harness', 'up', '--']).then((w) => w.includes('--json'))) === true);
  // A flag that takes a file completes paths, one that takes a folder directories (bash's compgen, in cwd).
  mkdirSync(join(cwd, 'completion-dir'), { recursive: true });
  writeFileSync(join(cwd, 'completion-file.yaml'), '');
  // compgen lists in the directory's order: sorted here.
  assert.deepEqual((await complete(['harness', 'slo', 'check', '--slo-config', 'completion-'])).sort(), [
    'completion-dir',
    'completion-file.yaml',
  ]);
  assert.deepEqual(await complete(['harness', 'slo', 'check', '--allure-dir', 'completion-']), ['completion-dir']);
  assert.deepEqual(await complete(['harness', 'verify', '--baseline', 'completion-f']), ['completion-file.yaml']);
});
