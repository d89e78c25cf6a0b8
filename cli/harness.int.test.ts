// The CLI layer as a user meets it: `node cli/harness.ts ...` in a child process, its exit code and its words.
// Every command answers --help with 0; a usage error is exit 2 with the usage; each flag's own value is checked
// before rules across flags; flag > environment > reports/stack.json; the completion scripts complete.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../stack/ports.ts';

const HARNESS = join(import.meta.dirname, 'harness.ts');
/** A working directory of its own: its reports/ and .harness/ are this test's. */
const cwd = mkdtempSync(join(tmpdir(), 'harness-cli-test-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the harness with an environment cleared of the variables that name services. */
function harness(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const base = { ...process.env };
  for (const name of ['API_URL', 'BASE_URL', 'PROMETHEUS_URL', 'PUSHGATEWAY_URL', 'HARNESS_STACK', 'MYSTOCKS_FAULTS'])
    delete base[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [HARNESS, ...args],
      { cwd, env: { ...base, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const HELP_LINES: [string[], RegExp][] = [
  [['up', '--help'], /^usage: harness up/],
  [['down', '--help'], /^usage: harness down/],
  [['e2e', '--help'], /^usage: harness e2e/],
  [['load', '--help'], /^usage: harness load/],
  [['load', 'compare', '--help'], /^usage: harness load compare/],
  [['verify', '-h'], /^usage: harness verify/],
  [['slo', '--help'], /^usage: harness slo <subcommand>/],
  [['slo', 'check', '--help'], /^usage: harness slo check /],
  [['slo', 'rules', '--help'], /^usage: harness slo rules /],
  [['completion', '--help'], /^usage: harness completion bash\|zsh/],
  [['--help'], /^usage: harness <command>/],
];

test('every command and subcommand answers --help with its usage and exit 0', async () => {
  for (const [args, usage] of HELP_LINES) {
    const ran = await harness(args);
    assert.equal(ran.code, 0, `harness ${args.join(' ')}: exit ${ran.code}\n${ran.stderr}`);
    assert.match(ran.stdout, usage, `harness ${args.join(' ')}`);
  }
  const version = await harness(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
});

test('a usage error is exit 2 with the message and the usage, for every command', async () => {
  const cases: [string[], RegExp][] = [
    [['up', '--bogus'], /Unknown option '--bogus'[\s\S]*usage: harness up/],
    [
      ['down', '--timeout', 'soon'],
      /--timeout: expected a positive number of seconds, got 'soon'[\s\S]*usage: harness down/,
    ],
    [['e2e', '--bogus'], /Unknown option '--bogus'[\s\S]*usage: harness e2e/],
    [['verify', '--profile', 'huge'], /--profile: 'huge' is not one of[\s\S]*usage: harness verify/],
    [['load', '--profile', 'huge'], /--profile: 'huge' is not one of[\s\S]*usage: harness load/],
    [['load'], /--profile is required[\s\S]*usage: harness load/],
    [['verify', '--latency-margin-ms', 'lots'], /--latency-margin-ms: expected a number >= 0, got 'lots'/],
    [['load', 'compare', 'a', 'b', '--error-margin-points', ''], /--error-margin-points: expected a number >= 0/],
    [['completion', 'fish'], /'fish' is not one of bash, zsh[\s\S]*usage: harness completion/],
  ];
  for (const [args, message] of cases) {
    const ran = await harness(args);
    assert.equal(ran.code, 2, `harness ${args.join(' ')}: exit ${ran.code}`);
    assert.match(ran.stderr, message, `harness ${args.join(' ')}`);
  }
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

test('load names a --target that is not a URL before it asks for --profile', async () => {
  const ran = await harness(['load', '--target', 'notaurl']);
  assert.equal(ran.code, 2);
  assert.match(ran.stderr, /--target: 'notaurl' is not a URL/);
  assert.doesNotMatch(ran.stderr, /--profile is required|unreachable|Invalid URL/);
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
    const bad = await harness(['e2e', '--target', 'notaurl']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--target: 'notaurl' is not a URL/);
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
  const result = JSON.parse(ran.stdout) as { exitCode: number; verdict: string; stages: { stage: string }[] };
  assert.equal(result.exitCode, ran.code);
  // Skipped stages are listed as skipped (settle goes with slo); the stack and report stages ran.
  assert.deepEqual(
    result.stages.map((s) => s.stage),
    ['stack', 'e2e', 'load', 'slo', 'report', 'down'],
  );
});

test('the bash completion script completes commands, subcommands, flags and flag values', async () => {
  const script = await harness(['completion', 'bash']);
  assert.equal(script.code, 0);
  const file = join(cwd, 'harness.bash');
  writeFileSync(file, script.stdout);
  const complete = (words: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      const quoted = words.map((w) => `'${w}'`).join(' ');
      const line = `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _harness; printf '%s\\n' "\${COMPREPLY[@]}"`;
      execFile('bash', ['-c', line], (error, stdout) =>
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
  // zsh is not installed on the CI image: its script is checked for the same words, not run.
  const zsh = await harness(['completion', 'zsh']);
  assert.equal(zsh.code, 0);
  assert.match(zsh.stdout, /compdef _harness harness/);
  assert.match(zsh.stdout, /'slo check'\) compadd -- .*--format/);
});
