// The CLI layer as a user meets it: `node cli/harness.ts ...` in a child process, its exit code and its words.
// Every command answers --help with 0; a usage error is exit 2 and one line naming the command, what was wrong, a
// "did you mean" where a known word is near, and where the help is; each flag's own value is checked before rules
// across flags; flag > environment > reports/stack.json; an unreachable Prometheus is said once; the completion
// scripts complete.
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
  [['completion', '--help'], /^usage: harness completion bash\|zsh\|fish/],
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

test('a usage error is exit 2 and one line with a pointer to --help, for every command', async () => {
  const cases: [string[], string][] = [
    [['up', '--bogus'], "harness up: unknown option '--bogus' (harness up --help)"],
    [
      ['down', '--timeout', 'soon'],
      "harness down: --timeout: expected a positive number of seconds, got 'soon' (harness down --help)",
    ],
    [['down', 'now'], "harness down: unexpected argument 'now': this command takes none (harness down --help)"],
    [['e2e', '--bogus'], "harness e2e: unknown option '--bogus' (harness e2e --help)"],
    [
      ['verify', '--profile', 'huge'],
      "harness verify: --profile: 'huge' is not one of smoke, average, stress, spike, soak, breakpoint (harness verify --help)",
    ],
    [
      ['load', '--profile', 'huge'],
      "harness load: --profile: 'huge' is not one of smoke, average, stress, spike, soak, breakpoint (harness load --help)",
    ],
    [['load'], 'harness load: --profile is required (harness load --help)'],
    [['load', '--profile'], 'harness load: --profile needs a value (harness load --help)'],
    [['up', '--json=yes'], 'harness up: --json takes no value (harness up --help)'],
    [['verify', '--latency-margin-ms', 'lots'], "harness: --latency-margin-ms: expected a number >= 0, got 'lots'"],
    [
      ['load', 'compare', 'a', 'b', '--error-margin-points', ''],
      "harness: --error-margin-points: expected a number >= 0, got ''",
    ],
    [['load', 'compare', 'a'], 'harness load compare: give two runs, A (baseline) and B (harness load compare --help)'],
    [['report', 'a', 'b'], 'harness report: give at most one run (harness report --help)'],
    [['completion', 'tcsh'], "harness completion: 'tcsh' is not one of bash, zsh, fish (harness completion --help)"],
    [['slo', 'rules', '--bogus'], "harness slo rules: unknown option '--bogus' (harness slo rules --help)"],
    [['frobnicate'], "harness: unknown command 'frobnicate' (harness --help)"],
  ];
  for (const [args, line] of cases) {
    const ran = await harness(args);
    assert.equal(ran.code, 2, `harness ${args.join(' ')}: exit ${ran.code}`);
    // The whole of stderr: one line, no usage page, not Node's "Unknown option ... To specify a positional".
    assert.equal(ran.stderr, `${line}\n`, `harness ${args.join(' ')}`);
  }
});

test('did you mean: a command, a subcommand, a flag, an alias and a shell a typo away', async () => {
  const cases: [string[], string][] = [
    [['verfiy'], "harness: unknown command 'verfiy'; did you mean 'verify'? (harness --help)"],
    [['slo', 'chek'], "harness slo: unknown command 'chek'; did you mean 'check'? (harness slo --help)"],
    [
      ['load', 'compar', 'a', 'b'],
      "harness load: unknown command 'compar'; did you mean 'compare'? (harness load --help)",
    ],
    [
      ['slo', 'check', '--formt', 'json'],
      "harness slo check: unknown option '--formt'; did you mean '--format'? (harness slo check --help)",
    ],
    [
      ['slo', 'check', '--formt=json'],
      "harness slo check: unknown option '--formt'; did you mean '--format'? (harness slo check --help)",
    ],
    [
      ['slo', 'rules', '--confg', 'x'],
      "harness slo rules: unknown option '--confg'; did you mean '--config'? (harness slo rules --help)",
    ],
    [['up', '--hepl'], "harness up: unknown option '--hepl'; did you mean '--help'? (harness up --help)"],
    [
      ['completion', 'fihs'],
      "harness completion: 'fihs' is not one of bash, zsh, fish; did you mean 'fish'? (harness completion --help)",
    ],
  ];
  for (const [args, line] of cases) {
    const ran = await harness(args);
    assert.equal(ran.code, 2, `harness ${args.join(' ')}: exit ${ran.code}`);
    assert.equal(ran.stderr, `${line}\n`, `harness ${args.join(' ')}`);
  }
});

test('a Prometheus that cannot be reached is one line above the table; each SLO stays inconclusive', async () => {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const ran = await harness(['slo', 'check', '--prometheus', nobody, '--retries', '0']);
  assert.equal(ran.code, 2, ran.stderr);
  const [first, blank, header, ...rest] = ran.stdout.split('\n');
  assert.match(first ?? '', new RegExp(`^Prometheus at ${nobody} did not answer: .*; every SLO is inconclusive$`));
  assert.equal(blank, '');
  assert.match(header ?? '', /^STATUS {2,}SLO /);
  assert.equal(ran.stdout.split('did not answer').length - 1, 1, `said once:\n${ran.stdout}`);
  const rows = rest.filter((line) => /^[A-Z]+ {2}/.test(line));
  assert.equal(rows.length, 5, 'the five SLOs of slo/slo-config.yaml');
  for (const row of rows) assert.match(row, /^INCONCLUSIVE /);
  // The JSON report keeps each SLO's reason whole, and says which harness wrote it.
  const json = await harness(['slo', 'check', '--prometheus', nobody, '--retries', '0', '--format', 'json']);
  assert.equal(json.code, 2);
  const report = JSON.parse(json.stdout) as { harnessVersion: string; slos: { status: string; reason: string }[] };
  const version = (await harness(['--version'])).stdout.trim();
  assert.equal(report.harnessVersion, version);
  assert.equal(report.slos.length, 5);
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
  const result = JSON.parse(ran.stdout) as {
    exitCode: number;
    verdict: string;
    stages: { stage: string }[];
    harnessVersion: string;
  };
  assert.equal(result.exitCode, ran.code);
  assert.equal(result.harnessVersion, (await harness(['--version'])).stdout.trim());
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
  // zsh and fish are not installed on the CI image: their scripts are checked for the same words, not run.
  const zsh = await harness(['completion', 'zsh']);
  assert.equal(zsh.code, 0);
  assert.match(zsh.stdout, /compdef _harness harness/);
  assert.match(zsh.stdout, /'slo check'\) compadd -- .*--format/);
  const zshFiles = zsh.stdout.split('\n').find((line) => line.endsWith(') _files; return ;;')) ?? '';
  const zshFileFlags = zshFiles.trim().replace(') _files; return ;;', '').split('|');
  for (const flag of ['--slo-config', '--out', '--baseline', '--spans', '--prometheus-key-file']) {
    assert.ok(zshFileFlags.includes(flag), `zsh completes files after ${flag}: ${zshFiles}`);
  }
  assert.match(zsh.stdout, /^ {4}--allure-dir\) _files -\/; return ;;$/m);
  const fish = await harness(['completion', 'fish']);
  assert.equal(fish.code, 0);
  const lines = fish.stdout.split('\n');
  assert.equal(lines[1], 'complete -c harness -f', 'no file names unless a flag takes one');
  assert.ok(
    lines.includes(
      "complete -c harness -n __fish_use_subcommand -a slo -d 'slo check: evaluate slo-config.yaml against Prometheus; slo rules: Prometheus rules from it'",
    ),
  );
  const sloCheck = "complete -c harness -n '__fish_seen_subcommand_from slo; and __fish_seen_subcommand_from check'";
  assert.ok(
    lines.includes(`${sloCheck} -l format -x -a 'table json junit markdown prometheus prometheus-operator text'`),
  );
  assert.ok(lines.includes(`${sloCheck} -l slo-config -r -F`));
  assert.ok(lines.includes(`${sloCheck} -l allure-dir -x -a '(__fish_complete_directories)'`));
  assert.ok(lines.includes(`${sloCheck} -l window -x`));
  assert.ok(
    lines.includes(
      "complete -c harness -n '__fish_seen_subcommand_from load; and not __fish_seen_subcommand_from compare' -l profile -x -a 'smoke average stress spike soak breakpoint'",
    ),
  );
  assert.ok(
    lines.includes("complete -c harness -n '__fish_seen_subcommand_from up' -l json"),
    'a boolean flag takes nothing',
  );
});
