// A load run's fixed overhead: wall time less its scheduled arrivals (docs/performance.md, "Load start").
// One local stack (no Prometheus); the same API script (the harness's JavaScript bundles, load/run-script.ts) run
// three ways, alternating, ROUNDS times:
//   before   Artillery as the harness started it until December 2026: its own launcher (bin/run, which loads every
//            Artillery command), and the last journeys finishing their think times after the last arrival;
//   after    Artillery as the harness starts it now: load/artillery-run.ts (the `run` command alone), and the
//            harness's plugin telling the journeys when the schedule ends (load/schedule.ts);
//   harness  a whole `harness load` run (runLoad) with the profile's 10 s warm-up as its first phase, as users
//            run it: preflight, Artillery, the judge, and the summary, HTML and Allure files.
// Each Artillery run has one phase of ARRIVAL_SECONDS at 1 journey/s (after its warm-up, where it has one): the
// market-browsing journeys of the mix think 5 s, so `before` waits for them and `after` does not.
// Prints each run's overhead (warm-up included) and, from this one run of the bench, the medians' ratio
// before : after.
//   node bench/load/start-overhead.ts [rounds] [arrivalSeconds]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
const artilleryBin = join(dirname(createRequire(import.meta.url).resolve('artillery/package.json')), 'bin', 'run');
const artilleryRun = join(loadDir, 'artillery-run.ts');
const stack = await startStack('local', { withPrometheus: false });

type Way = 'before' | 'after';

/** Runs Artillery on the bundled script the `way` given and returns its wall time in seconds. */
const timeArtillery = async (script: string, way: Way, runId: string): Promise<number> => {
  const plan: LoadPlan = {
    runId,
    profile: 'smoke',
    target: stack.info.apiUrl,
    phases: [{ name: 'bench', duration: arrivalSeconds, arrivalRate: 1 }],
    scenarios: [],
    occasionalPct: 10,
    // The plugin is what tells the journeys the schedule has ended; with no stats file it writes nothing.
    progressPlugin: way === 'after',
    chromiumPath: '/usr/bin/chromium',
  };
  const args =
    way === 'before'
      ? [artilleryBin, 'run', '--output', join(reportDir, `${runId}.json`), script]
      : [artilleryRun, '--output', join(reportDir, `${runId}.json`), script];
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, args, {
      stdio: 'ignore',
      env: {
        ...process.env,
        ARTILLERY_DISABLE_TELEMETRY: 'true',
        ARTILLERY_PLUGIN_PATH: join(loadDir, 'plugins'),
        [PLAN_ENV]: JSON.stringify(plan),
      },
    });
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) throw new Error(`artillery (${way}) exited ${code} on ${script}`);
  return (performance.now() - started) / 1000;
};

const WARMUP_SECONDS = 10; // smoke's default warm-up (load/profiles.ts)
const overheads: Record<Way | 'harness', number[]> = { before: [], after: [], harness: [] };
try {
  for (let round = 1; round <= rounds; round++) {
    const prepared = prepareRunScript(
      join(loadDir, 'scenarios', 'api.ts'),
      join(loadDir, 'processor.ts'),
      `bench-${round}`,
    );
    try {
      for (const way of ['before', 'after'] as const) {
        overheads[way].push((await timeArtillery(prepared.path, way, `${way}-${round}`)) - arrivalSeconds);
      }
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
      `round ${round}: overhead before ${overheads.before.at(-1)!.toFixed(1)} s, after ${overheads.after.at(-1)!.toFixed(1)} s, ` +
        `harness load (10 s warm-up phase) ${overheads.harness.at(-1)!.toFixed(1)} s`,
    );
  }
} finally {
  await stack.stop();
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `median overhead: before ${median(overheads.before).toFixed(1)} s, after ${median(overheads.after).toFixed(1)} s ` +
    `(ratio ${(median(overheads.before) / median(overheads.after)).toFixed(2)}); ` +
    `harness load with its warm-up phase ${median(overheads.harness).toFixed(1)} s`,
);
