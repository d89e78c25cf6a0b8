// Per-request samples of a load run: one line per response, written by the processor in every Artillery
// worker (appended, so workers never overwrite each other) and read back by `harness load compare`. Artillery's
// own report keeps only summaries (P50/P95/P99 per 10 s period); a confidence interval needs the samples.
import { appendFileSync, readFileSync } from 'node:fs';

/** Environment variable naming the file the processor appends samples to; none are kept without it. */
export const SAMPLES_ENV = 'MYSTOCKS_LOAD_SAMPLES_FILE';
/** File name of the samples inside a run's folder. */
export const SAMPLES_FILE = 'samples.jsonl';

/** One response as the client saw it. */
export interface Sample {
  /** When the response arrived, ms since the epoch. */
  t: number;
  /** Route template (the request's name), e.g. `/api/market/quotes/:symbol`. */
  endpoint: string;
  /** Time to the first byte of the response, ms: the same timing as Artillery's `http.response_time`. */
  ms: number;
  /** HTTP status; 0 when the client got none. */
  status: number;
}

/**
 * Appends one sample. A single `write` of one short line to a file opened with O_APPEND is atomic on Linux, so
 * lines from concurrent workers never interleave. Synchronous on purpose: a worker can end at any time, and an
 * in-memory buffer would lose its tail (a few hundred bytes per second at the rates this machine can drive).
 */
export function appendSample(file: string, sample: Sample): void {
  appendFileSync(file, formatSample(sample));
}

/** One sample as a line of samples.jsonl: `[t, endpoint, ms to 0.01, status]` and a newline. */
export function formatSample(sample: Sample): string {
  return `${JSON.stringify([sample.t, sample.endpoint, Math.round(sample.ms * 100) / 100, sample.status])}\n`;
}

/** Reads a samples file; a torn last line (a worker killed mid-write) is skipped, anything else malformed throws. */
export function readSamples(file: string): Sample[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const samples: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      if (i >= lines.length - 2) continue;
      throw new Error(`${file}:${i + 1}: not a sample: ${(error as Error).message}`);
    }
    if (
      !Array.isArray(row) ||
      typeof row[0] !== 'number' ||
      typeof row[1] !== 'string' ||
      typeof row[2] !== 'number' ||
      typeof row[3] !== 'number'
    ) {
      throw new Error(`${file}:${i + 1}: expected [t, endpoint, ms, status], got ${line.slice(0, 80)}`);
    }
    samples.push({ t: row[0], endpoint: row[1], ms: row[2], status: row[3] });
  }
  return samples;
}
