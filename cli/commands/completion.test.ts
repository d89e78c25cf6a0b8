// `harness completion zsh|fish`, run in this process through the dispatcher (cli/dispatch.ts runHarness). zsh and
// fish are not installed on the CI image: their scripts are checked for the words the bash script completes, not run. The
// bash script is run in bash by cli/harness.int.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runHarness } from '../dispatch.ts';

test('the zsh script completes subcommands, flags, files after a file flag and folders after a folder flag', async () => {
  const zsh = await runHarness(['completion', 'zsh']);
  assert.equal(zsh.exitCode, 0);
  assert.match(zsh.stdout, /compdef _harness harness/);
  assert.match(zsh.stdout, /'slo check'\) compadd -- .*--format/);
  const zshFiles = zsh.stdout.split('\n').find((line) => line.endsWith(') _files; return ;;')) ?? '';
  const zshFileFlags = zshFiles.trim().replace(') _files; return ;;', '').split('|');
  for (const flag of ['--slo-config', '--out', '--baseline', '--spans', '--prometheus-key-file']) {
    assert.ok(zshFileFlags.includes(flag), `zsh completes files after ${flag}: ${zshFiles}`);
  }
  assert.match(zsh.stdout, /^ {4}--allure-dir\) _files -\/; return ;;$/m);
});

test('the fish script completes no file names unless a flag takes one, and each flag as its command takes it', async () => {
  const fish = await runHarness(['completion', 'fish']);
  assert.equal(fish.exitCode, 0);
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
      "complete -c harness -n '__fish_seen_subcommand_from load; and not __fish_seen_subcommand_from compare merge' -l profile -x -a 'smoke average stress spike soak breakpoint'",
    ),
  );
  assert.ok(
    lines.includes("complete -c harness -n '__fish_seen_subcommand_from up' -l json"),
    'a boolean flag takes nothing',
  );
});
