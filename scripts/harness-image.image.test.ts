// The harness's container image (deploy/harness-image/Containerfile, built by scripts/build-harness-image.sh):
// what this file alone proves is that the image, built with no registry, gates a deployment from inside a
// container. `harness verify --stack external --skip e2e` run by `podman run` against a local stack started here
// (its API and Prometheus reached over the host's network, as a deployment's URLs would be) exits 0 with the
// verdict line and writes its reports (summary.md, verify.json, the SLO report, the Allure HTML report) into the
// folder mounted on the image's working directory; the run is judged, not inconclusive: a 20 s smoke load against
// an SLO file of one 99 % objective, which needs 100 events (docs/slo.md "Minimum evidence"), where the shipped
// file's 99.9 % objectives would need 1000. Also: `--help` as the image's entry, Debian's Chromium in it, and its
// configuration (non-root user `node`, the entry, /work a volume).
//
// The image tier (`npm run test:image`), not `npm test`: it builds a large image (the first build fetches Chromium
// and about a thousand npm packages: about 9 minutes on a fresh 2-core machine, which would take CI past its 30;
// with unchanged inputs the script finds the image by its tag in about a second), then starts a whole stack and a
// load run as a stack test does. The build packs the checkout, which rewrites its dist/ (as scripts/package.stack.test.ts does).
// What it does not cover: the E2E stage inside the container (Chromium is only shown to start), Docker as the
// engine, and the image in a Kubernetes cluster (deploy/k8s/load-generator).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { shortVerifySloFile } from '../slo/testing/configs.ts';
import { findContainerEngine } from '../stack/containers/engine.ts';
import { type Stack, startStack } from '../stack/index.ts';

const REPO = resolve(import.meta.dirname, '..');
const CLI = process.env.CONTAINER_CLI || 'podman';
if (!process.env.HARNESS_STATE_DIR) {
  const state = mkdtempSync(join(tmpdir(), 'harness-image-test-state-'));
  process.env.HARNESS_STATE_DIR = state;
  after(() => rmSync(state, { recursive: true, force: true }));
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { cwd: REPO, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 99) : 0, stdout, stderr }),
    );
  });
}

// Skipped (with the reason) only when no container engine answers, as the containers stack tests decide it (an
// engine's socket answers): a CI job's container has Podman installed but cannot run it, and has no socket. An
// engine that answers while the CLI (CONTAINER_CLI, podman by default) fails is a failure, not a skip.
const skip = (await findContainerEngine())
  ? false
  : 'no container engine answers (DOCKER_HOST, Docker or Podman socket)';

/** The SLO file mounted into the container: availability at 99 %, judgeable on 20 s of load. */
const SLO_FILE = shortVerifySloFile();

let image = '';
let stack: Stack | undefined;
/** The folder mounted on /work: the SLO file in, the reports out. */
const work = mkdtempSync(join(tmpdir(), 'harness-image-work-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('the harness image', { skip, timeout: 45 * 60_000 }, () => {
  before(
    async () => {
      const started = performance.now();
      const built = await run('bash', ['scripts/build-harness-image.sh'], 40 * 60_000);
      assert.equal(built.code, 0, built.stderr.slice(-4000));
      image = built.stdout.trim().split('\n').at(-1) ?? '';
      assert.match(image, /^localhost\/mystocks\/harness:\d+\.\d+\.\d+-[0-9a-f]{12}$/);
      console.log(`# ${image}: built or found in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      stack = await startStack('local', {});
    },
    { timeout: 45 * 60_000 },
  );
  after(async () => {
    await stack?.stop();
  });

  it('runs `harness --help` as its entry, as uid 1000 in /work, with Debian Chromium', async () => {
    const help = await run(CLI, ['run', '--rm', image, '--help'], 120_000);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^usage: harness <command> \[options\]/);
    const inspected = await run(CLI, ['image', 'inspect', '--format', '{{json .Config}}', image], 60_000);
    assert.equal(inspected.code, 0, inspected.stderr);
    const config = JSON.parse(inspected.stdout) as {
      User: string;
      WorkingDir: string;
      Entrypoint: string[];
      Volumes: Record<string, unknown>;
      Env: string[];
    };
    assert.deepEqual(
      [config.User, config.WorkingDir, config.Entrypoint, Object.keys(config.Volumes)],
      ['node', '/work', ['harness'], ['/work']],
    );
    assert.ok(config.Env.includes('CHROMIUM_PATH=/usr/bin/chromium'), config.Env.join('\n'));
    const chromium = await run(CLI, ['run', '--rm', '--entrypoint', 'chromium', image, '--version'], 120_000);
    assert.equal(chromium.code, 0, chromium.stderr);
    assert.match(chromium.stdout, /^Chromium \d+\.\d+\.\d+\.\d+ built on Debian GNU\/Linux 12 \(bookworm\)/);
  });

  it('gates a running stack: `verify --stack external --skip e2e` exits 0, reports in the mounted folder', async () => {
    assert.ok(stack?.info.prometheusUrl, 'the local stack has a Prometheus');
    writeFileSync(join(work, 'slo.yaml'), SLO_FILE);
    // The container's user (uid 1000) writes its reports here.
    chmodSync(work, 0o777);
    const verify = await run(
      CLI,
      [
        'run',
        '--rm',
        '--network',
        'host',
        '-v',
        `${work}:/work`,
        '-e',
        `API_URL=${stack.info.apiUrl}`,
        '-e',
        `PROMETHEUS_URL=${stack.info.prometheusUrl}`,
        image,
        'verify',
        '--stack',
        'external',
        '--skip',
        'e2e',
        '--duration',
        '20',
        '--slo-config',
        'slo.yaml',
      ],
      10 * 60_000,
    );
    const output = `${verify.stdout}\n${verify.stderr}`.slice(-6000);
    assert.equal(verify.code, 0, output);
    assert.match(
      verify.stdout,
      /^harness verify: PASS \(exit 0\) in [\d.]+ s — e2e skipped \(--skip e2e\): browser tests did not run$/m,
      output,
    );

    // One run folder, under the mounted folder's reports/ (the image's working directory is /work).
    const runs = readdirSync(join(work, 'reports', 'runs')).filter((name) => name.startsWith('verify-'));
    assert.equal(runs.length, 1, runs.join(', '));
    const runDir = join(work, 'reports', 'runs', runs[0] ?? '');
    const verifyJson = JSON.parse(readFileSync(join(runDir, 'verify.json'), 'utf8')) as {
      verdict: string;
      exitCode: number;
      stages: { stage: string; result: string }[];
      paths: { runDir: string };
    };
    assert.equal(verifyJson.verdict, 'pass');
    assert.equal(verifyJson.exitCode, 0);
    assert.deepEqual(
      verifyJson.stages.map((s) => [s.stage, s.result]),
      [
        ['stack', 'pass'],
        ['e2e', 'skipped'],
        ['load', 'pass'],
        ['settle', 'pass'],
        ['slo', 'pass'],
        ['report', 'pass'],
        ['down', 'pass'],
      ],
    );
    assert.equal(verifyJson.paths.runDir, `/work/reports/runs/${runs[0]}`);
    assert.match(readFileSync(join(runDir, 'summary.md'), 'utf8'), /PASS/);
    // The mounted SLO file was the one judged, on enough events: its one SLO, met.
    const slo = JSON.parse(readFileSync(join(runDir, 'slo', 'slo.json'), 'utf8')) as {
      slos: { name: string; status: string; events?: number; minEvents?: number }[];
    };
    assert.deepEqual(
      slo.slos.map((s) => [s.name, s.status, s.minEvents]),
      [['availability', 'pass', 100]],
    );
    assert.ok((slo.slos[0]?.events ?? 0) >= 100, `${slo.slos[0]?.events} events`);
    // Allure 3 built the HTML report inside the container.
    assert.ok(existsSync(join(runDir, 'allure-report', 'awesome', 'index.html')), 'the Allure report');
  });
});
