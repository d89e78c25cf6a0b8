// The generated Alertmanager configuration under Alertmanager's own checker (`amtool check-config`, Debian's
// prometheus-alertmanager), after showing that the checker refuses a broken routing tree; and the routing
// itself under `amtool config routes test`: a page reaches slo-page, a ticket slo-ticket, anything else the
// default receiver. The same for every kind of receiver (webhook, Slack and PagerDuty by their secret files),
// and for the --route-only output merged into a configuration of one's own (testdata/existing-alertmanager.yaml)
// as its header says: the SLO alerts take the SLO routes, the team's own alerts keep the team's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
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
}).text;
const file = join(work, 'alertmanager.yml');
writeFileSync(file, config);
const name = seed.slos.find((slo) => slo.name === 'availability')!.alerting.name;
/** Slack and PagerDuty by files that do not exist here: the files are Alertmanager's to read, at its start. */
const SECRETS = {
  slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-api-url', channel: '#slo' },
  pagerdutyRoutingKeyFile: '/etc/alertmanager/secrets/pagerduty-routing-key',
};

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
    assert.equal(await route(file, [`alertname=${name}`, 'sloth_severity=page']), 'slo-page');
    assert.equal(await route(file, [`alertname=${name}`, 'sloth_severity=ticket']), 'slo-ticket');
    assert.equal(await route(file, ['alertname=SomethingElse', 'sloth_severity=page']), 'default');
  });

  it('amtool check-config accepts Slack and PagerDuty receivers named by their secret files', async () => {
    const full = join(work, 'full.yml');
    writeFileSync(full, renderAlertmanagerConfig(seed, { ...SECRETS, pageWebhookUrl: 'http://127.0.0.1:9/page' }).text);
    const result = await amtoolRun(['check-config', full]);
    assert.equal(result.ok, true, result.output);
    assert.match(result.output, /SUCCESS[\s\S]*- 1 inhibit rules\n - 3 receivers/);
  });

  it('merged as its header says, the --route-only output passes amtool and routes the SLO alerts, and only them', async () => {
    const existing = readFileSync(join(import.meta.dirname, 'testdata', 'existing-alertmanager.yaml'), 'utf8');
    const subtree = renderAlertmanagerConfig(seed, { ...SECRETS, routeOnly: true }).text;
    const merged = join(work, 'merged.yml');
    writeFileSync(merged, merge(existing, subtree));
    const result = await amtoolRun(['check-config', merged]);
    assert.equal(result.ok, true, result.output);
    assert.match(result.output, /SUCCESS[\s\S]*- 2 inhibit rules\n - 4 receivers/);
    // An SLO page labelled critical too reaches slo-page: the subtree comes before the team's own routes.
    assert.equal(await route(merged, [`alertname=${name}`, 'sloth_severity=page', 'severity=critical']), 'slo-page');
    assert.equal(await route(merged, [`alertname=${name}`, 'sloth_severity=ticket']), 'slo-ticket');
    // An SLO alert of neither severity stays with the team's root receiver (the subtree names none of its own).
    assert.equal(await route(merged, [`alertname=${name}`]), 'team-default');
    assert.equal(await route(merged, ['alertname=DiskFull', 'severity=critical']), 'team-oncall');
    assert.equal(await route(merged, ['alertname=DiskFull', 'sloth_severity=page']), 'team-default');

    // The checker fails a merge that leaves the receivers out: the subtree names them.
    const withoutReceivers = join(work, 'merged-without-receivers.yml');
    const { receivers: _, ...rest } = parse(subtree) as Record<string, unknown>;
    writeFileSync(withoutReceivers, merge(existing, stringify(rest)));
    // spawnSync, not amtoolRun: amtool says why on stdout, which a failed runCommand does not keep.
    const refused = spawnSync(amtool(), ['check-config', withoutReceivers], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(refused.status, 1, refused.stdout + refused.stderr);
    assert.match(refused.stdout, /FAILED: undefined receiver "slo-page" used in route/);
  });
});

/** The receiver amtool picks for an alert with these labels. */
async function route(configFile: string, labels: string[]): Promise<string> {
  const result = await amtoolRun(['config', 'routes', 'test', `--config.file=${configFile}`, ...labels]);
  assert.equal(result.ok, true, result.output);
  return result.stdout.trim();
}

/**
 * The merge the --route-only header asks of a user, done on the parsed YAML: the subtree's routes first in the
 * root route's routes, its receivers and inhibit rules appended to the configuration's.
 */
function merge(existingText: string, routeOnlyText: string): string {
  const existing = parse(existingText) as {
    route: { routes?: unknown[] };
    receivers?: unknown[];
    inhibit_rules?: unknown[];
  };
  const part = parse(routeOnlyText) as { routes: unknown[]; receivers?: unknown[]; inhibit_rules?: unknown[] };
  existing.route.routes = [...part.routes, ...(existing.route.routes ?? [])];
  existing.receivers = [...(existing.receivers ?? []), ...(part.receivers ?? [])];
  existing.inhibit_rules = [...(existing.inhibit_rules ?? []), ...(part.inhibit_rules ?? [])];
  return stringify(existing);
}
