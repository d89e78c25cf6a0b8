// Load runs whose truth is known, for the tests of the comparison (load/compare.test.ts) and of verify's
// comparison with its baseline (cli/verify/baseline-load.test.ts): per-request samples drawn from a seeded
// generator, so every run of a test sees the same numbers, and written as a run folder the way Artillery's
// processor writes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadedRun, mulberry32 } from '../compare.ts';
import { formatSample, SAMPLES_FILE, type Sample } from '../samples.ts';

/** The shape of a fabricated run. */
export interface RunShape {
  seconds: number;
  /** Requests per second per endpoint. */
  rate: number;
  /** Median latency per endpoint, ms. */
  endpoints: Record<string, number>;
  /** Latency added to one endpoint, ms. */
  extra?: Record<string, number>;
  /** Standard deviation of the log of a per-second slowdown factor shared by all requests of that second. */
  burstiness?: number;
  seed: number;
}

/** A run: each endpoint's latency is lognormal around its median, times a shared per-second factor. */
export function makeRun(id: string, shape: RunShape): LoadedRun {
  const random = mulberry32(shape.seed);
  // Box-Muller: a standard normal from two uniforms.
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const samples: Sample[] = [];
  const t0 = 1_800_000_000_000;
  for (let second = 0; second < shape.seconds; second++) {
    const factor = Math.exp((shape.burstiness ?? 0) * normal());
    for (const [endpoint, median] of Object.entries(shape.endpoints)) {
      for (let i = 0; i < shape.rate; i++) {
        const ms = median * Math.exp(0.4 * normal()) * factor + (shape.extra?.[endpoint] ?? 0);
        samples.push({ t: t0 + second * 1000 + Math.floor(random() * 1000), endpoint, ms, status: 200 });
      }
    }
  }
  return { runId: id, dir: `/nonexistent/${id}`, samples };
}

/**
 * Writes a run as `harness load` leaves it: samples.jsonl (in the processor's line format) and a summary.json
 * carrying the run id. Returns the run as loadRun would read it back.
 */
export function writeRunFolder(dir: string, run: LoadedRun): LoadedRun {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, SAMPLES_FILE), run.samples.map(formatSample).join(''));
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify({ runId: run.runId })}\n`);
  return { ...run, dir };
}
