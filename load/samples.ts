// Per-request samples of a load run: one line per request, written by the processor in every Artillery worker
// (appended, so workers never overwrite each other). They are what the run is judged on: the thresholds are
// measured on the samples of the judged window (the warm-up's are cut off at its boundary, load/run.ts), and
// `harness load compare` reads them back. Artillery's own report keeps only summaries (P50/P95/P99 per 10 s
// period, warm-up included); a window cut at any instant, and a confidence interval, need the samples.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Environment variable naming the file the processor appends samples to; none are kept without it. */
export const SAMPLES_ENV = 'MYSTOCKS_LOAD_SAMPLES_FILE';
/** File name of the samples inside a run's folder. */
export const SAMPLES_FILE = 'samples.jsonl';

/** One request as the client saw it. */
export interface Sample {
  /** When the response arrived (or the request failed), ms since the epoch. */
  t: number;
  /** Route template (the request's name), e.g. `/api/market/quotes/:symbol`. */
  endpoint: string;
  /**
   * Time to the first byte of the response, ms: the same timing as Artillery's `http.response_time`. For a
   * request that got no response (status 0), the time it waited until the error (a timeout waits its whole
   * timeout; a refused connection almost none).
   */
  ms: number;
  /** HTTP status; 0 when the client got none (timeout, refused or reset connection). */
  status: number;
  /** The response failed its endpoint's status or shape check (load/processor.ts); absent means it passed. */
  checkFailed?: boolean;
}

/**
 * Appends one sample. A single `write` of one short line to a file opened with O_APPEND is atomic on Linux, so
 * lines from concurrent workers never interleave. Synchronous on purpose: a worker can end at any time, and an
 * in-memory buffer would lose its tail (a few hundred bytes per second at the rates this machine can drive).
 */
export function appendSample(file: string, sample: Sample): void {
  appendFileSync(file, formatSample(sample));
}

/**
 * One sample as a line of samples.jsonl: `[t, endpoint, ms to 0.01, status]`, then `1` when its check failed,
 * and a newline.
 */
export function formatSample(sample: Sample): string {
  const row = [sample.t, sample.endpoint, Math.round(sample.ms * 100) / 100, sample.status];
  return `${JSON.stringify(sample.checkFailed ? [...row, 1] : row)}\n`;
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
      typeof row[3] !== 'number' ||
      (row.length > 4 && row[4] !== 1)
    ) {
      throw new Error(`${file}:${i + 1}: expected [t, endpoint, ms, status] or [..., 1], got ${line.slice(0, 80)}`);
    }
    samples.push({
      t: row[0],
      endpoint: row[1],
      ms: row[2],
      status: row[3],
      ...(row[4] === 1 ? { checkFailed: true } : {}),
    });
  }
  return samples;
}

/** File name of the warm-up's samples, split off samples.jsonl after the run. */
export const WARMUP_SAMPLES_FILE = 'warmup-samples.jsonl';

/**
 * Splits a run's samples at the warm-up's boundary: those that arrived before it go to `warmupFile`, the rest
 * stay in `file`, which then holds the judged window only (what `harness load compare` and the report read).
 * Nothing is lost: the two files together hold every sample. Without a boundary (no warm-up) the file is read
 * as it is. A missing file is no samples.
 */
export function splitSamples(
  file: string,
  boundaryMs: number | undefined,
  warmupFile: string,
): { judged: Sample[]; warmup: Sample[] } {
  if (!existsSync(file)) return { judged: [], warmup: [] };
  const all = readSamples(file);
  if (boundaryMs === undefined) return { judged: all, warmup: [] };
  const judged = all.filter((s) => s.t >= boundaryMs);
  const warmup = all.filter((s) => s.t < boundaryMs);
  writeFileSync(warmupFile, warmup.map(formatSample).join(''));
  writeFileSync(file, judged.map(formatSample).join(''));
  return { judged, warmup };
}

/**
 * The nearest-rank `q` quantile of values sorted ascending: the smallest value that at least q of them do not
 * exceed (index ceil(q x n) - 1). Undefined for no values. The one percentile of the load run's own figures
 * (thresholds, merged periods, the /healthz probes).
 */
export function nearestRank(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
