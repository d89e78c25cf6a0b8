// A local stack's start with PostgreSQL from the seeded template against the way it started before (initdb, then
// the API migrating and seeding an empty database), docs/performance.md "PostgreSQL from a template".
// One warm-up start makes sure the template exists (and says whether it had to build it); then ROUNDS rounds, each
// one start without the template (HARNESS_PG_TEMPLATE=off) and one with it, alternating, each timed from
// startStack() to every service ready (what `harness up --stack local` waits for, Prometheus included).
// Prints each start's total and its PostgreSQL and API times, then the medians and their ratio, from this one run.
//   node bench/stack/local-start.ts [rounds]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../../stack/index.ts';

const rounds = Number(process.argv[2] ?? 3);
process.env.HARNESS_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'harness-bench-state-'));

interface Timing {
  total: number;
  postgres: number;
  api: number;
}

/** One local stack start to ready, and stop; with or without the template; seconds. */
async function timeStart(template: boolean, lines: string[] = []): Promise<Timing> {
  if (template) delete process.env.HARNESS_PG_TEMPLATE;
  else process.env.HARNESS_PG_TEMPLATE = 'off';
  const started = performance.now();
  const stack = await startStack('local', { log: (line) => lines.push(line) });
  const total = (performance.now() - started) / 1000;
  await stack.stop();
  const ms = (name: string) => (stack.info.services.find((s) => s.name === name)?.startMs ?? Number.NaN) / 1000;
  return { total, postgres: ms('postgres'), api: ms('api') };
}

const show = (t: Timing) => `${t.total.toFixed(2)} s (postgres ${t.postgres.toFixed(2)} s, api ${t.api.toFixed(2)} s)`;

const warmLines: string[] = [];
const warm = await timeStart(true, warmLines);
const templateLine = warmLines.find((line) => line.includes('from template')) ?? 'postgres: no template used';
console.log(`warm-up with the template: ${show(warm)}; ${templateLine}`);

const before: Timing[] = [];
const after: Timing[] = [];
for (let round = 1; round <= rounds; round++) {
  before.push(await timeStart(false));
  after.push(await timeStart(true));
  console.log(`round ${round}: initdb + seed ${show(before.at(-1)!)}; template ${show(after.at(-1)!)}`);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const medians = (timings: Timing[]): Timing => ({
  total: median(timings.map((t) => t.total)),
  postgres: median(timings.map((t) => t.postgres)),
  api: median(timings.map((t) => t.api)),
});
const [m0, m1] = [medians(before), medians(after)];
console.log(
  `median: initdb + seed ${show(m0)}; template ${show(m1)}; ratio ${(m0.total / m1.total).toFixed(2)} ` +
    `(postgres + api ${((m0.postgres + m0.api) / (m1.postgres + m1.api)).toFixed(2)})`,
);
