// The generated Alertmanager configuration under Alertmanager's own checker (`amtool check-config`, Debian's
// prometheus-alertmanager), after showing that the checker refuses a broken routing tree; and the routing
// itself under `amtool config routes test`: a page reaches slo-page, a ticket slo-ticket, anything else the
// default receiver.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findBinary, runCommand } from '../../stack/process.ts';
import { DEFAULT_CONFIG_PATH, parseSloConfig } from '../load.ts';
import { renderAlertmanagerConfig } from './alertmanager.ts';

const work = mkdtempSync(join(tmpdir(), 'slo-alertmanager-test-'));
after(() => rmSync(work, { recursive: true, force: true }));
const amtool = () => findBinary('amtool');
const seed = parseSloConfig(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'), 'slo-config.yaml').model;
const config = renderAlertmanagerConfig(seed, {
  pageWebhookUrl: 'http://127.0.0.1:9/page',
  ticketWebhookUrl: 'http://127.0.0.1:9/ticket',
});
const file = join(work, 'alertmanager.yml');
writeFileSync(file, config);

/** amtool's exit status and output, without throwing on a non-zero exit. */
async function amtoolRun(args: string[]): Promise<{ ok: boolean; output: string; stdout: string }> {
  try {
    const { stdout, stderr } = await runCommand(amtool(), args, { timeoutMs: 30_000 });
    return { ok: true, output: stdout + stderr, stdout };
  } catch (error) {
    return { ok: false, output: String((error as Error).message), stdout: '' };
  }
}

describe('harness slo alertmanager', () => {
  it('amtool check-config refuses a route to a receiver that does not exist (the checker can fail)', async () => {
    const broken = join(work, 'broken.yml');
    writeFileSync(broken, config.replace('receiver: slo-ticket', 'receiver: slo-tickets'));
    const result = await amtoolRun(['check-config', broken]);
    assert.equal(result.ok, false, result.output);
    assert.match(result.output, /failed to validate 1 file/);
  });

  it('amtool check-config accepts the configuration for the seed SLOs', async () => {
    const result = await amtoolRun(['check-config', file]);
    assert.equal(result.ok, true, result.output);
    assert.match(result.output, /SUCCESS/);
  });

  it('routes a page to slo-page, a ticket to slo-ticket and other alerts to the default receiver', async () => {
    const route = async (labels: string[]) => {
      const result = await amtoolRun(['config', 'routes', 'test', `--config.file=${file}`, ...labels]);
      assert.equal(result.ok, true, result.output);
      return result.stdout.trim();
    };
    const name = seed.slos.find((slo) => slo.name === 'availability')!.alerting.name;
    assert.equal(await route([`alertname=${name}`, 'sloth_severity=page']), 'slo-page');
    assert.equal(await route([`alertname=${name}`, 'sloth_severity=ticket']), 'slo-ticket');
    assert.equal(await route(['alertname=SomethingElse', 'sloth_severity=page']), 'default');
  });
});
