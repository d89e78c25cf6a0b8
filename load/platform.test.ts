// `harness load --platform`'s pure parts (load/platform.ts): the arguments handed to Artillery for each cloud
// platform, each worker's share of the profile, the refusal of a count that cannot share a constant rate, the
// plan carried in the --dotenv file, and the verdict on Artillery's merged report. No cloud here: the run itself
// is untested (docs/load.md). Artillery's own code is read where the harness relies on it (its installed version):
// it does not divide the load among cloud workers, and it refuses a fractional constant rate; so, if an upgrade
// changes either, a test here fails instead of the harness dividing twice.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { LoadPlan } from './plan.ts';
import {
  judgePlatformRun,
  PLATFORMS,
  platformArtilleryArgs,
  platformDotenv,
  platformPhases,
  platformRunPhases,
} from './platform.ts';
import { getProfile, toArtilleryPhases } from './profiles.ts';
import type { ThresholdSpec } from './thresholds.ts';

const requireFromHere = createRequire(import.meta.url);
const ARTILLERY_DIR = dirname(requireFromHere.resolve('artillery/package.json'));
/** The words of a command line with no quoting in it, so an expected argument list reads as it is typed. */
const words = (line: string) => line.split(' ');
const files = { script: '/r/load/.runs/x/dist/api.js', output: '/r/reports/load/x/artillery.json', dotenv: '/r/p.env' };

describe('load/platform.ts: the arguments Artillery gets', () => {
  it('aws:lambda and az:aci: artillery run --platform P --count N, the region as a platform option', () => {
    assert.deepEqual(
      platformArtilleryArgs({ platform: 'aws:lambda', count: 4, region: 'eu-west-1' }, files),
      words(
        'run --platform aws:lambda --count 4 --platform-opt region=eu-west-1 --dotenv /r/p.env --output /r/reports/load/x/artillery.json /r/load/.runs/x/dist/api.js',
      ),
    );
    assert.deepEqual(
      platformArtilleryArgs({ platform: 'az:aci', count: 2 }, files),
      words(
        'run --platform az:aci --count 2 --dotenv /r/p.env --output /r/reports/load/x/artillery.json /r/load/.runs/x/dist/api.js',
      ),
    );
  });

  it('aws:ecs: artillery run-fargate --count N --region R', () => {
    assert.deepEqual(
      platformArtilleryArgs({ platform: 'aws:ecs', count: 3, region: 'us-east-2' }, files),
      words(
        'run-fargate --count 3 --region us-east-2 --dotenv /r/p.env --output /r/reports/load/x/artillery.json /r/load/.runs/x/dist/api.js',
      ),
    );
  });

  it("match the installed Artillery's commands: run takes lambda and aci but not ecs, run-fargate takes --region", () => {
    const run = readFileSync(join(ARTILLERY_DIR, 'lib', 'cmds', 'run.ts'), 'utf8');
    assert.match(run, /options: \['local', 'aws:lambda', 'az:aci'\]/);
    assert.match(run, /'platform-opt': Flags\.string\(/);
    const fargate = readFileSync(join(ARTILLERY_DIR, 'lib', 'cmds', 'run-fargate.ts'), 'utf8');
    assert.match(fargate, /\n {2}region: Flags\.string\(/);
    assert.match(fargate, /\n {2}count: Flags\.integer\(/);
    assert.deepEqual([...PLATFORMS], ['aws:lambda', 'aws:ecs', 'az:aci']);
  });
});

describe("load/platform.ts: each worker's share", () => {
  it("gives each of 4 workers a quarter of stress: ramps' ends divided, the 12/s hold as 3/s, maxVusers 100", () => {
    const phases = platformRunPhases({ profile: 'stress' }, 4);
    assert.deepEqual(phases, [
      { name: 'ramp-up', duration: 120, arrivalRate: 0.25, rampTo: 3, maxVusers: 100 },
      { name: 'hold', duration: 300, arrivalRate: 3, maxVusers: 100 },
      { name: 'ramp-down', duration: 60, arrivalRate: 3, rampTo: 0.25, maxVusers: 100 },
    ]);
    // Four workers add up to the profile at every instant.
    const whole = toArtilleryPhases(getProfile('stress'));
    phases.forEach((share, i) => {
      assert.equal(share.arrivalRate * 4, whole[i]!.arrivalRate);
      assert.equal((share.rampTo ?? 0) * 4, whole[i]!.rampTo ?? 0);
    });
  });

  it('keeps --duration: the shape stretched, then shared (spike over 2 workers)', () => {
    const phases = platformRunPhases({ profile: 'spike', durationScale: 0.5 }, 2);
    assert.deepEqual(
      phases.map((p) => [p.duration, p.arrivalRate, p.rampTo]),
      [
        [15, 1, undefined],
        [5, 1, 15],
        [30, 15, undefined],
        [5, 15, 1],
        [30, 1, undefined],
      ],
    );
  });

  it('refuses a count that does not divide a constant rate, naming the phase and the counts that do', () => {
    assert.throws(() => platformRunPhases({ profile: 'smoke' }, 2), {
      message:
        "--count 2: phase 'light' runs 3 journeys/s, which 2 workers given one plan cannot share in whole journeys (Artillery refuses a fractional constant rate); counts that divide every constant rate of this run: 1, 3",
    });
    assert.throws(
      () => platformRunPhases({ profile: 'spike' }, 3),
      /counts that divide every constant rate of this run: 1, 2$/,
    );
    assert.equal(platformRunPhases({ profile: 'smoke' }, 3)[0]!.arrivalRate, 1);
  });

  it('because Artillery, inside each worker, refuses a fractional constant rate and takes a whole one', async (t) => {
    // Artillery's own division among a worker's threads (lib/dist.ts), the real module: it is a pure function.
    // Loading it sets globalThis.artillery, taken away again: the unit tier runs every file in one process.
    const hadGlobal = 'artillery' in globalThis;
    t.after(() => {
      if (!hadGlobal) delete (globalThis as { artillery?: unknown }).artillery;
    });
    const { default: divideWork } = (await import(
      pathToFileURL(join(ARTILLERY_DIR, 'dist', 'lib', 'dist.js')).href
    )) as {
      default: (script: object, workers: number) => { config: { phases: { arrivalRate?: number }[] } }[];
    };
    const script = (arrivalRate: number) => ({ config: { phases: [{ duration: 10, arrivalRate }] }, scenarios: [] });
    assert.throws(() => divideWork(script(1.5), 1), { name: 'AssertionError', message: '1.5 === 2' });
    assert.deepEqual(
      divideWork(script(3), 2).map((s) => s.config.phases[0]!.arrivalRate),
      [2, 1],
    );
  });

  it("because Artillery runs the whole script on every cloud worker (mode 'multiply'), dividing nothing", () => {
    const run = readFileSync(join(ARTILLERY_DIR, 'lib', 'cmds', 'run.ts'), 'utf8');
    assert.match(run, /mode: flags\.platform === 'local' \? 'distribute' : 'multiply'/);
    const local = readFileSync(join(ARTILLERY_DIR, 'lib', 'platform', 'local', 'index.ts'), 'utf8');
    assert.match(local, /\.fill\(undefined\)\s*\.map\(\(_\) => this\.script\)/);
  });

  it('refuses the breakpoint profile and the browser scenario, and rounds maxVusers down', () => {
    assert.throws(
      () => platformRunPhases({ profile: 'breakpoint' }, 1),
      /breakpoint profile runs on this machine only/,
    );
    assert.throws(
      () => platformRunPhases({ profile: 'smoke', scenario: 'browser' }, 1),
      /browser scenario runs on this machine only/,
    );
    assert.throws(() => platformRunPhases({ profile: 'smoke', scenario: 'day-trading' }, 1), /day-trading/);
    const [share] = platformPhases([{ name: 'p', duration: 1, arrivalRate: 3, maxVusers: 50 }], 3);
    assert.equal(share!.maxVusers, 16);
  });
});

describe('load/platform.ts: the plan in the --dotenv file', () => {
  it("reads back whole through Artillery's own dotenv, quotes, # and backslashes included", () => {
    const plan: LoadPlan = {
      runId: 'nightly',
      profile: 'stress',
      target: "https://mystocks.example.com/it's#here",
      phases: platformRunPhases({ profile: 'stress' }, 4),
      scenarios: ['say "hi" \\ there'],
      pushgatewayUrl: 'https://pgw.example.com',
      occasionalPct: 10,
    };
    // The parser Artillery itself loads (resolved from Artillery's folder, as Artillery resolves it).
    const dotenv = createRequire(join(ARTILLERY_DIR, 'package.json'))('dotenv') as {
      parse(text: string): Record<string, string>;
    };
    const parsed = dotenv.parse(platformDotenv(plan));
    assert.deepEqual(JSON.parse(parsed.MYSTOCKS_LOAD_PLAN!), plan);
    assert.equal(parsed.ARTILLERY_DISABLE_TELEMETRY, 'true');
  });
});

describe("load/platform.ts: the verdict on Artillery's merged report", () => {
  const thresholds: ThresholdSpec[] = [
    { name: 'latency-p95', kind: 'latency-p95', limit: 300, unit: 'ms', comparison: '<=', source: 'test' },
    { name: 'error-rate', kind: 'error-rate', limit: 0.1, unit: '%', comparison: '<=', source: 'test' },
  ];
  const aggregate = (p95: number, serverErrors: number) => ({
    counters: { 'http.requests': 2000, 'http.responses': 2000, 'mystocks.server_errors': serverErrors },
    summaries: { 'http.response_time': { p95 } },
  });
  const ok = { code: 0, signal: null };

  it('passes when every threshold holds, fails naming the one that broke', () => {
    assert.equal(judgePlatformRun(thresholds, ok, aggregate(120, 1), '').verdict, 'pass');
    const failed = judgePlatformRun(thresholds, ok, aggregate(120, 4), '');
    assert.equal(failed.verdict, 'fail');
    // 4 of 2000 failed: 0.2 % > 0.1 %.
    assert.deepEqual(
      failed.results.map((r) => [r.name, r.value, r.ok]),
      [
        ['latency-p95', 120, true],
        ['error-rate', 0.2, false],
      ],
    );
  });

  it('is inconclusive when Artillery failed or its report counts no request', () => {
    const crashed = judgePlatformRun(thresholds, { code: 1, signal: null }, aggregate(120, 0), 'last lines: x');
    assert.deepEqual([crashed.verdict, crashed.problem], ['inconclusive', 'Artillery ended with 1; last lines: x']);
    const empty = judgePlatformRun(thresholds, ok, undefined, 'last lines: y');
    assert.deepEqual(
      [empty.verdict, empty.problem],
      ['inconclusive', "Artillery's report counts no request; last lines: y"],
    );
  });
});
