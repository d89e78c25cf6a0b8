// `harness load`'s flags of where the load is generated, run in this process through the dispatcher
// (cli/dispatch.ts runHarness): --generator-index (one generator of --generators N, as a pod of
// deploy/k8s/load-generator runs it) and --platform/--count/--region (Artillery's cloud workers). Every combination
// that makes no sense is a usage error, exit 2, one line, before a target is looked up or a request sent. The
// arguments Artillery then gets are load/platform.test.ts's. Last, the command a generator's summary records.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { reproduceCommand } from '../../load/command.ts';
import { runHarness } from '../dispatch.ts';

/** `harness load ARGS` must end with exit 2 and exactly this one line on stderr, the usage error's. */
async function refused(args: string[], message: string): Promise<void> {
  const ran = await runHarness(['load', ...args]);
  assert.equal(ran.exitCode, 2, `harness load ${args.join(' ')}: exit ${ran.exitCode}\n${ran.stderr}`);
  assert.equal(ran.stderr, `harness load: ${message} (harness load --help)\n`, `harness load ${args.join(' ')}`);
  assert.equal(ran.stdout, '');
}

describe('harness load --platform: what makes no sense is refused', () => {
  it('--count and --region without --platform', async () => {
    await refused(
      ['--profile', 'smoke', '--count', '2'],
      "--count needs --platform (Artillery's cloud workers); --generators N runs here",
    );
    await refused(
      ['--profile', 'smoke', '--region', 'eu-west-1'],
      "--region needs --platform (Artillery's cloud workers); --generators N runs here",
    );
  });

  it('an unknown platform, with the nearest one offered', async () => {
    await refused(
      ['--profile', 'smoke', '--platform', 'gcp:run'],
      "--platform: 'gcp:run' is not one of aws:lambda, aws:ecs, az:aci",
    );
    await refused(
      ['--profile', 'smoke', '--platform', 'aws:lamda'],
      "--platform: 'aws:lamda' is not one of aws:lambda, aws:ecs, az:aci; did you mean 'aws:lambda'?",
    );
  });

  it('--platform with --generators, --generator-index, --prometheus or a warm-up', async () => {
    const stress = ['--profile', 'stress', '--platform', 'aws:lambda', '--count', '4'];
    await refused(
      [...stress, '--generators', '2'],
      "--generators does not go with --platform: --platform's workers are --count N; --generators N runs processes on this machine",
    );
    await refused(
      [...stress, '--generator-index', '1'],
      '--generator-index does not go with --platform: it picks one generator of a run on this machine (--generators N)',
    );
    await refused(
      [...stress, '--prometheus', 'http://prometheus.example.com'],
      '--prometheus does not go with --platform: a cloud run makes no saturation read-out',
    );
    await refused(
      [...stress, '--warmup', '10s'],
      "--warmup does not go with --platform: its run is judged on Artillery's report of the whole run, which a warm-up would enter",
    );
  });

  it('a count that is not a whole number, a region that is not one, a count that does not divide the rates', async () => {
    await refused(
      ['--profile', 'stress', '--platform', 'aws:ecs', '--count', '2.5'],
      "--count: expected a whole number from 1, got '2.5'",
    );
    await refused(
      ['--profile', 'stress', '--platform', 'aws:ecs', '--region', 'EU West'],
      "--region: 'EU West' is not a region name (lower-case letters, digits and '-': eu-west-1)",
    );
    await refused(
      ['--profile', 'smoke', '--platform', 'aws:ecs', '--count', '2'],
      "--count 2: phase 'light' runs 3 journeys/s, which 2 workers given one plan cannot share in whole journeys (Artillery refuses a fractional constant rate); counts that divide every constant rate of this run: 1, 3",
    );
    await refused(
      ['--profile', 'breakpoint', '--platform', 'az:aci', '--warmup', '0'],
      '--platform: the breakpoint profile runs on this machine only (its early stop reads each period as it comes)',
    );
  });

  describe('a target or Pushgateway on this machine, which no cloud worker reaches', () => {
    // The run's stack file is looked up (and ignored, the flags winning): in a folder of this test's own.
    let dir: string;
    const saved = process.env.HARNESS_REPORTS_DIR;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'load-platform-'));
      process.env.HARNESS_REPORTS_DIR = dir;
    });
    after(() => {
      if (saved === undefined) delete process.env.HARNESS_REPORTS_DIR;
      else process.env.HARNESS_REPORTS_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    });

    it('is refused', async () => {
      const smoke = ['--profile', 'smoke', '--platform', 'aws:lambda', '--count', '3'];
      await refused(
        [...smoke, '--target', 'http://127.0.0.1:3000', '--pushgateway', 'https://pgw.example.com'],
        "--platform: the target http://127.0.0.1:3000 is this machine's loopback, which no cloud worker reaches; give one they can reach (--target URL)",
      );
      await refused(
        [...smoke, '--target', 'https://mystocks.example.com', '--pushgateway', 'http://localhost:9091'],
        "--platform: the Pushgateway http://localhost:9091 is this machine's loopback, which no cloud worker reaches; give one they can reach (--pushgateway URL)",
      );
    });
  });
});

describe('harness load --generator-index: one generator of a run', () => {
  it('needs --generators, and is one of 0 to N-1', async () => {
    await refused(
      ['--profile', 'smoke', '--generator-index', '1', '--run-id', 'nightly'],
      '--generator-index needs --generators N, the number of generators of the whole run',
    );
    await refused(
      ['--profile', 'smoke', '--generators', '2', '--generator-index', '2', '--run-id', 'nightly'],
      "--generator-index: expected a whole number from 0 to 1, got '2'",
    );
    await refused(
      ['--profile', 'smoke', '--generators', '2', '--generator-index=-1', '--run-id', 'nightly'],
      "--generator-index: expected a whole number from 0 to 1, got '-1'",
    );
  });
});

describe("a generator's summary: the command that sends the same load again", () => {
  it('keeps --generators and --generator-index, even of a run of one', () => {
    const base = { profile: 'stress', target: 'https://mystocks.example.com' };
    assert.equal(
      reproduceCommand({ ...base, generators: 4, generatorIndex: 2 }),
      'harness load --profile stress --target https://mystocks.example.com --generators 4 --generator-index 2',
    );
    assert.equal(
      reproduceCommand({ ...base, generators: 1, generatorIndex: 0 }),
      'harness load --profile stress --target https://mystocks.example.com --generators 1 --generator-index 0',
    );
    assert.equal(
      reproduceCommand({ ...base, generators: 1 }),
      'harness load --profile stress --target https://mystocks.example.com',
    );
  });
});
