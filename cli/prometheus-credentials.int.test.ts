// Credentials in a Prometheus URL (docs/security.md, "Credentials in a Prometheus URL"): `http://user:pass@host`
// is refused before anything is sent or written, with a pointer to the credential settings, and the password
// appears in no output and no file. Before, fetch refused the URL itself, and its error (naming the URL whole)
// became every SLO's reason: the password 6 times on stdout, 11 times in the JSON report, in Markdown and JUnit.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../core/outcome.ts';
import { PrometheusClient } from '../slo/evaluate/prometheus.ts';
import { connectExternalStack } from '../stack/external.ts';
import type { StackInfo } from '../stack/types.ts';
import { resolvePrometheus } from './endpoints.ts';

const HARNESS = fileURLToPath(new URL('./harness.ts', import.meta.url));
const USER = 'alice-the-user';
const PASSWORD = 'Zq7-s3cret-pw';

/** The message every refusal carries after its source and the redacted URL. */
const POINTER =
  'carries credentials in the URL, which the harness does not take (a URL is printed and written into reports); give the URL without them, and the credentials with --prometheus-basic-auth-file or HARNESS_PROMETHEUS_BASIC_AUTH (or HARNESS_PROMETHEUS_BASIC_AUTH_FILE), or a token with --prometheus-bearer-token-file or HARNESS_PROMETHEUS_BEARER_TOKEN';

/** A listener standing where the URL points: it must receive nothing. */
let listener: Server;
let received = 0;
let port = 0;
let work: string;

before(async () => {
  listener = createServer((_request, response) => {
    received++;
    response.writeHead(500).end();
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  port = (listener.address() as AddressInfo).port;
  work = mkdtempSync(join(tmpdir(), 'prometheus-credentials-'));
  writeFileSync(
    join(work, 'slo.yaml'),
    'version: 1\nservice: creds\nslos:\n  - name: availability\n    window: 1h\n    objective: 99\n    sli:\n      ratio:\n        bad: sum(increase(errors_total[{{window}}]))\n        total: sum(increase(requests_total[{{window}}]))\n',
  );
});

after(async () => {
  listener.closeAllConnections();
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

const withCredentials = () => `http://${USER}:${PASSWORD}@127.0.0.1:${port}`;

/** Runs `harness ...` in the work directory; resolves with its exit code and output. */
function harness(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [HARNESS, ...args], { cwd: work, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 99) : 0, stdout, stderr }),
    );
  });
}

/** Every file under a directory, as text (the reports a run may have written). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
}

describe('credentials in a Prometheus URL', () => {
  it('are refused from --prometheus, PROMETHEUS_URL and stack.json, naming the source and the credential settings', () => {
    const previous = process.env.PROMETHEUS_URL;
    try {
      delete process.env.PROMETHEUS_URL;
      const refused = (source: string) => (error: unknown) =>
        error instanceof HarnessError &&
        error.message === `${source}: http://[redacted]@127.0.0.1:${port}/ ${POINTER}` &&
        error.verdict === 'inconclusive';
      assert.throws(() => resolvePrometheus({ prometheus: withCredentials() }, undefined), refused('--prometheus'));
      process.env.PROMETHEUS_URL = withCredentials();
      assert.throws(() => resolvePrometheus({}, undefined), refused('PROMETHEUS_URL'));
      delete process.env.PROMETHEUS_URL;
      const stack = { prometheusUrl: withCredentials() } as StackInfo;
      assert.throws(() => resolvePrometheus({}, stack), refused('reports/stack.json'));
      // A user name alone is credentials too; a URL without any is taken as it is.
      assert.throws(() => resolvePrometheus({ prometheus: `http://${USER}@127.0.0.1:${port}` }, undefined));
      assert.equal(
        resolvePrometheus({ prometheus: `http://127.0.0.1:${port}` }, undefined)?.url,
        `http://127.0.0.1:${port}`,
      );
    } finally {
      if (previous === undefined) delete process.env.PROMETHEUS_URL;
      else process.env.PROMETHEUS_URL = previous;
    }
  });

  it('are refused by the Prometheus client itself (a library caller), the password not in the message', () => {
    assert.throws(
      () => new PrometheusClient({ url: withCredentials() }),
      (error: unknown) =>
        error instanceof HarnessError &&
        error.message.startsWith(`the Prometheus URL: http://[redacted]@127.0.0.1:${port}/ carries credentials`) &&
        !error.message.includes(PASSWORD),
    );
  });

  it('are refused by the external stack (PROMETHEUS_URL), before any probe', async () => {
    await assert.rejects(
      connectExternalStack({}, { API_URL: `http://127.0.0.1:${port}`, PROMETHEUS_URL: withCredentials() }),
      (error: unknown) =>
        error instanceof HarnessError &&
        error.message === `external stack: PROMETHEUS_URL: http://[redacted]@127.0.0.1:${port}/ ${POINTER}`,
    );
    assert.equal(received, 0);
  });

  it('harness slo check --prometheus: exit 2, nothing sent, no report written, the password nowhere', async () => {
    const out = join(work, 'check-flag');
    const { code, stdout, stderr } = await harness([
      ...['slo', 'check', '--config', join(work, 'slo.yaml'), '--prometheus', withCredentials()],
      ...['--format', 'junit', '--out', join(out, 'slo.xml'), '--allure-dir', join(out, 'allure')],
    ]);
    assert.equal(code, 2, stderr);
    assert.equal(stderr, `harness: --prometheus: http://[redacted]@127.0.0.1:${port}/ ${POINTER}\n`);
    assert.equal(stdout, '');
    assert.deepEqual(filesUnder(out), []);
    assert.equal(received, 0);
  });

  it('harness slo check with PROMETHEUS_URL, and harness up --stack external: the same, the password nowhere', async () => {
    const env = {
      ...process.env,
      PROMETHEUS_URL: withCredentials(),
      API_URL: `http://127.0.0.1:${port}`,
      HARNESS_REPORTS_DIR: join(work, 'reports'),
      HARNESS_STATE_DIR: join(work, '.harness'),
    };
    const check = await harness(
      ['slo', 'check', '--config', join(work, 'slo.yaml'), '--format', 'markdown', '--out', join(work, 'slo.md')],
      env,
    );
    const up = await harness(['up', '--stack', 'external'], env);
    for (const run of [check, up]) {
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        /carries credentials in the URL.*--prometheus-basic-auth-file or HARNESS_PROMETHEUS_BASIC_AUTH/,
      );
      assert.ok(!`${run.stdout}${run.stderr}`.includes(PASSWORD), `${run.stdout}${run.stderr}`);
      assert.ok(!`${run.stdout}${run.stderr}`.includes(USER));
    }
    // Nothing written: no slo.md, no reports/stack.json, no run state; the SLO file is the only file left.
    const files = readdirSync(work, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    assert.deepEqual(
      files.map((entry) => entry.name),
      ['slo.yaml'],
    );
    assert.equal(received, 0);
  });
});
