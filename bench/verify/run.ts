// Bench: the wall time of one `harness verify` run against the time spent inside its stages' own tools, measured
// in the same run: Playwright's process (spawn to exit), Artillery's process (runLoad's startedAt..endedAt) and
// the SLO queries (evaluateSlos). Their ratio is the harness's overhead: stack up and down, settling, reports.
// Prints a breakdown per stage (docs/performance.md, "harness verify").
//   node bench/verify/run.ts [--stack local] [--duration 30] [--spec e2e/market.spec.ts]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verify } from '../../cli/verify/verify.ts';
import { parseStackMode } from '../../stack/mode.ts';

const { values } = parseArgs({
  options: {
    stack: { type: 'string', default: 'local' },
    duration: { type: 'string', default: '30' },
    // The whole suite by default; a spec keeps the bench short on a busy machine.
    spec: { type: 'string' },
  },
});

const reportsDir = mkdtempSync(join(tmpdir(), 'harness-bench-verify-'));
const result = await verify({
  stack: parseStackMode(String(values.stack)),
  durationSeconds: Number(values.duration),
  reportsDir,
  ...(values.spec ? { e2eArgs: [values.spec] } : {}),
  log: () => {},
});
// The overhead does not depend on the verdict, but a run that did not pass is said so beside the figures (a busy
// machine can breach the latency SLOs).
const verdict = result.verdict === 'pass' ? 'pass' : `${result.verdict}, see ${result.paths.summary}`;

const tools = result.toolMs.e2e + result.toolMs.load + result.toolMs.slo;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(
  `harness verify --stack ${values.stack} --duration ${values.duration}${values.spec ? ` -- ${values.spec}` : ''}`,
);
console.log(`verdict: ${verdict}`);
console.log('stage     wall     of which the tool');
for (const stage of result.stages) {
  const tool =
    stage.stage === 'e2e'
      ? result.toolMs.e2e
      : stage.stage === 'load'
        ? result.toolMs.load
        : stage.stage === 'slo'
          ? result.toolMs.slo
          : 0;
  console.log(
    `${stage.stage.padEnd(8)} ${s(stage.durationMs).padStart(7)}  ${tool > 0 ? s(tool).padStart(7) : '      -'}`,
  );
}
console.log(`wall time of the run:         ${s(result.wallMs)}`);
console.log(
  `sum of the tools' own runs:   ${s(tools)} (Playwright ${s(result.toolMs.e2e)}, Artillery ${s(result.toolMs.load)}, SLO queries ${(result.toolMs.slo).toFixed(0)} ms)`,
);
console.log(`overhead ratio (wall / tools): ${(result.wallMs / tools).toFixed(2)}x`);
