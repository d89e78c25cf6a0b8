// A load run's fixed overhead: wall time less its scheduled arrivals (docs/performance.md, "Load start").
// One local stack (no Prometheus); the same API script run four ways, alternating, ROUNDS times:
//   ts       Artillery given the TypeScript script, bundling it and its processor with esbuild-wasm in the main
//            process and again in every worker (what the harness did before it bundled itself);
//   js       Artillery given the harness's JavaScript bundles (load/run-script.ts, native esbuild, cached);
//   separate the warm-up as its own Artillery run (10 s) and then the judged run, both given the bundles: what
//            `harness load` did before the warm-up became a phase of the judged run (bare Artillery, so this
//            leaves out the harness's own work and flatters the old way);
//   harness  a whole `harness load` run (runLoad) with the profile's 10 s warm-up as its first phase, as users
//            run it: preflight, Artillery, the judge, and the summary, HTML and Allure files.
// Each Artillery run has one phase of ARRIVAL_SECONDS at 1 journey/s (after its warm-up, where it has one).
// Prints each run's overhead (wall time less scheduled arrivals, warm-up included) and, from this one run of
// the bench, the medians' ratios ts : js and separate : harness.
//   node bench/load/start-overhead.ts [rounds] [arrivalSeconds]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runLoad } from '../../cli/load-run.ts';
import { type LoadPlan, PLAN_ENV } from '../../load/plan.ts';
import { prepareRunScript } from '../../load/run-script.ts';
import { startStack } from '../../stack/index.ts';

const rounds = Number(process.argv[2] ?? 3);
const arrivalSeconds = Number(process.argv[3] ?? 5);
process.env.HARNESS_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'harness-bench-state-'));
const reportDir = mkdtempSync(join(tmpdir(), 'harness-bench-start-'));
const loadDir = join(import.meta.dirname, '..', '..', 'load');
const artillery = join(dirname(createRequire(import.meta.url).resolve('artillery/package.json')), 'bin', 'run');
const stack = await startStack('local', { withPrometheus: false });

/** Runs Artillery on one script and returns its wall time in seconds. */
const timeArtillery = async (script: string, runId: string, seconds = arrivalSeconds): Promise<number> => {
  const plan: LoadPlan = {
    runId,
    profile: 'smoke',
    target: stack.info.apiUrl,
    phases: [{ name: 'bench', duration: seconds, arrivalRate: 1 }],
    scenarios: [],
    occasionalPct: 10,
    progressPlugin: false,
    chromiumPath: '/usr/bin/chromium',
  };
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [artillery, 'run', '--output', join(reportDir, `${runId}.json`), script], {
      stdio: 'ignore',
      env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', [PLAN_ENV]: JSON.stringify(plan) },
    });
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) throw new Error(`artillery exited ${code} on ${script}`);
  return (performance.now() - started) / 1000;
};

const WARMUP_SECONDS = 10; // smoke's default warm-up (load/profiles.ts)
const overheads: Record<'ts' | 'js' | 'separate' | 'harness', number[]> = { ts: [], js: [], separate: [], harness: [] };
try {
  for (let round = 1; round <= rounds; round++) {
    const prepared = prepareRunScript(
      join(loadDir, 'scenarios', 'api.ts'),
      join(loadDir, 'processor.ts'),
      `bench-${round}`,
    );
    try {
      // What the harness used to hand Artillery: a TypeScript re-export whose processor is TypeScript too.
      const before = join(prepared.dir, 'before');
      mkdirSync(join(before, 'dist'), { recursive: true });
      writeFileSync(join(before, 'dist', 'package.json'), '{ "type": "commonjs" }\n');
      writeFileSync(join(before, 'processor.ts'), `export * from ${JSON.stringify(join(loadDir, 'processor.ts'))};\n`);
      writeFileSync(
        join(before, 'api.ts'),
        `import * as script from ${JSON.stringify(join(loadDir, 'scenarios', 'api.ts'))};\n` +
          "export const config = { ...script.config, processor: './processor.ts' };\nexport const scenarios = script.scenarios;\n",
      );
      const ts = await timeArtillery(join(before, 'api.ts'), `ts-${round}`);
      const js = await timeArtillery(prepared.path, `js-${round}`);
      overheads.ts.push(ts - arrivalSeconds);
      overheads.js.push(js - arrivalSeconds);
      const separate =
        (await timeArtillery(prepared.path, `warmup-${round}`, WARMUP_SECONDS)) +
        (await timeArtillery(prepared.path, `judged-${round}`));
      overheads.separate.push(separate - WARMUP_SECONDS - arrivalSeconds);
    } finally {
      prepared.dispose();
    }
    const started = performance.now();
    await runLoad({
      profile: 'smoke',
      durationSeconds: arrivalSeconds,
      target: stack.info.apiUrl,
      reportDir,
      runId: `harness-${round}`,
    });
    overheads.harness.push((performance.now() - started) / 1000 - arrivalSeconds - WARMUP_SECONDS);
    console.log(
      `round ${round}: overhead ts ${overheads.ts.at(-1)!.toFixed(1)} s, js ${overheads.js.at(-1)!.toFixed(1)} s, ` +
        `separate warm-up run ${overheads.separate.at(-1)!.toFixed(1)} s, harness load (warm-up phase) ${overheads.harness.at(-1)!.toFixed(1)} s`,
    );
  }
} finally {
  await stack.stop();
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `median overhead: ts ${median(overheads.ts).toFixed(1)} s, js ${median(overheads.js).toFixed(1)} s ` +
    `(ratio ${(median(overheads.ts) / median(overheads.js)).toFixed(2)}); warm-up as a separate run ${median(overheads.separate).toFixed(1)} s, ` +
    `harness load with the warm-up phase ${median(overheads.harness).toFixed(1)} s ` +
    `(ratio ${(median(overheads.separate) / median(overheads.harness)).toFixed(2)})`,
);
