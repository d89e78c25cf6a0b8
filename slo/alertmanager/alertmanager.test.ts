// The Alertmanager configuration as text (golden files in testdata/, UPDATE_GOLDEN=1 rewrites them) and as a user
// meets it through `harness slo alertmanager` run in this process: a receiver with nowhere to send is a warning on
// stderr and a comment in the output; --route-only gives the SLO subtree, its receivers and the inhibit rule and
// nothing else; Slack and PagerDuty are named by their secret files, which are never read. That Alertmanager
// accepts each output, and routes alike once the subtree is merged into a configuration of one's own, is
// alertmanager.int.test.ts (amtool).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { parse } from 'yaml';
import { run } from '../../cli/commands/slo.ts';
import { HarnessError } from '../../core/outcome.ts';
import { parseSloConfig } from '../load.ts';
import { type AlertmanagerOptions, renderAlertmanagerConfig } from './alertmanager.ts';

const here = import.meta.dirname;
const validPath = join(here, '..', 'spec', 'testdata', 'valid.yaml');
// Two SLOs, a ratio and a threshold, each with its alert: a file that changes less often than the seed.
const model = parseSloConfig(readFileSync(validPath, 'utf8'), 'valid.yaml').model;
const SLACK_FILE = '/etc/alertmanager/secrets/slack-api-url';
const PAGERDUTY_FILE = '/etc/alertmanager/secrets/pagerduty-routing-key';
const work = mkdtempSync(join(tmpdir(), 'slo-alertmanager-unit-'));
after(() => rmSync(work, { recursive: true, force: true }));

const PAGE_WARNING =
  'receiver slo-page has nowhere to send: Alertmanager drops the page alerts it takes; give --page-webhook URL, --pagerduty-routing-key-file F or --slack-api-url-file F --slack-channel C';
const TICKET_WARNING =
  'receiver slo-ticket has nowhere to send: Alertmanager drops the ticket alerts it takes; give --ticket-webhook URL or --slack-api-url-file F --slack-channel C';

function golden(name: string, actual: string): void {
  const file = join(here, 'testdata', name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `differs from testdata/${name} (UPDATE_GOLDEN=1 rewrites it)`);
}

const CASES: Record<string, AlertmanagerOptions> = {
  'full.golden.yaml': {
    pageWebhookUrl: 'https://oncall.example/hook',
    slack: { apiUrlFile: SLACK_FILE, channel: '#slo' },
    pagerdutyRoutingKeyFile: PAGERDUTY_FILE,
  },
  'no-receivers.golden.yaml': {},
  'route-only.golden.yaml': {
    routeOnly: true,
    ticketWebhookUrl: 'https://tickets.example/hook',
    pagerdutyRoutingKeyFile: PAGERDUTY_FILE,
  },
};

describe('Alertmanager configuration', () => {
  for (const [name, options] of Object.entries(CASES)) {
    it(`renders ${name}`, () => golden(name, renderAlertmanagerConfig(model, options).text));
  }

  it('warns of each receiver with nowhere to send, on its own and as a comment of the output', () => {
    const none = renderAlertmanagerConfig(model, {});
    assert.deepEqual(none.warnings, [PAGE_WARNING, TICKET_WARNING]);
    assert.match(
      none.text,
      new RegExp(`^# warning: ${escapeRegex(PAGE_WARNING)}\n# warning: ${escapeRegex(TICKET_WARNING)}$`, 'm'),
    );
    // A page webhook alone leaves the ticket queue with nowhere to send; Slack reaches both; PagerDuty pages only.
    assert.deepEqual(renderAlertmanagerConfig(model, { pageWebhookUrl: 'https://x.example/' }).warnings, [
      TICKET_WARNING,
    ]);
    assert.deepEqual(
      renderAlertmanagerConfig(model, { slack: { apiUrlFile: SLACK_FILE, channel: '#slo' } }).warnings,
      [],
    );
    assert.deepEqual(renderAlertmanagerConfig(model, { pagerdutyRoutingKeyFile: PAGERDUTY_FILE }).warnings, [
      TICKET_WARNING,
    ]);
    assert.doesNotMatch(renderAlertmanagerConfig(model, CASES['full.golden.yaml']!).text, /warning/);
  });

  it('--route-only gives the SLO subtree, its receivers and the inhibit rule: no root route, no default receiver', () => {
    const { text } = renderAlertmanagerConfig(model, { routeOnly: true, pageWebhookUrl: 'https://x.example/' });
    const doc = parse(text) as {
      routes: Array<{ receiver?: string; matchers: string[]; routes: Array<{ receiver: string }> }>;
      receivers: Array<{ name: string }>;
      inhibit_rules: unknown[];
    };
    assert.deepEqual(Object.keys(doc), ['routes', 'receivers', 'inhibit_rules']);
    assert.equal(doc.routes.length, 1);
    const [subtree] = doc.routes;
    // No receiver of its own: an SLO alert of neither severity stays with the receiver of the tree it joins.
    assert.equal(subtree!.receiver, undefined);
    assert.deepEqual(subtree!.matchers, [
      'alertname=~"MystocksApiErrorRateBudgetBurn|MystocksApiLatencyP95BoundBreach"',
    ]);
    assert.deepEqual(
      subtree!.routes.map((route) => route.receiver),
      ['slo-page', 'slo-ticket'],
    );
    assert.deepEqual(
      doc.receivers.map((receiver) => receiver.name),
      ['slo-page', 'slo-ticket'],
    );
    // The whole configuration routes through the very same subtree.
    const full = parse(renderAlertmanagerConfig(model, { pageWebhookUrl: 'https://x.example/' }).text) as {
      route: { receiver: string; routes: unknown[] };
    };
    assert.equal(full.route.receiver, 'default');
    assert.deepEqual(full.route.routes, doc.routes);
  });

  it('harness slo alertmanager: the warnings on stderr, the output in --out; secret files named, never read', async (t) => {
    const slackFile = join(work, 'slack-url');
    const pagerdutyFile = join(work, 'pagerduty-key');
    writeFileSync(slackFile, 'https://hooks.slack.example/services/T0/B0/SECRET-SLACK\n');
    writeFileSync(pagerdutyFile, 'SECRET-ROUTING-KEY\n');
    const errors = mock.method(console, 'error', () => {});
    t.after(() => errors.mock.restore());
    const out = join(work, 'alertmanager.yaml');
    const cli = ['alertmanager', '--slo-config', validPath, '--out', out];

    assert.equal(await run(cli), 'pass');
    assert.deepEqual(
      errors.mock.calls.map((call) => call.arguments.join(' ')),
      [`warning: ${PAGE_WARNING}`, `warning: ${TICKET_WARNING}`],
    );
    errors.mock.resetCalls();

    const withSecrets = [...cli, '--route-only', '--slack-api-url-file', slackFile, '--slack-channel', '#slo'];
    assert.equal(await run([...withSecrets, '--pagerduty-routing-key-file', pagerdutyFile]), 'pass');
    assert.deepEqual(errors.mock.calls, []);
    const written = readFileSync(out, 'utf8');
    assert.match(written, new RegExp(`api_url_file: ${escapeRegex(slackFile)}\n`));
    assert.match(written, new RegExp(`routing_key_file: ${escapeRegex(pagerdutyFile)}\n`));
    assert.doesNotMatch(written, /SECRET/);

    // Slack needs both its file and its channel.
    await assert.rejects(run([...cli, '--slack-channel', '#slo']), (error: unknown) => {
      assert.ok(error instanceof HarnessError);
      assert.equal(error.verdict, 'inconclusive');
      assert.equal(error.message, '--slack-api-url-file and --slack-channel go together: give both or neither');
      return true;
    });
  });
});

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
