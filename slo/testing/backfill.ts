// Test support: a real Prometheus filled with exactly known series by `promtool tsdb create-blocks-from
// openmetrics`, so every SLI value can be computed by hand in advance. Used by the tests and bench/slo.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LocalPrometheus,
  type PrometheusWebConfig,
  type StartedLocalPrometheus,
} from '../../stack/local/prometheus.ts';
import { findBinary, runCommand } from '../../stack/process.ts';

/** One metric family in OpenMetrics: its series and their samples (time in seconds, value). */
export interface Family {
  /** Family name: `http_requests` for the counter `http_requests_total`, `up` for a gauge. */
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  series: { name: string; labels: Record<string, string>; samples: [number, number][] }[];
}

/** OpenMetrics text of the families: `# TYPE` lines, timestamps in seconds, a final `# EOF`. */
export function toOpenMetrics(families: Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const series of family.series) {
      const labels = Object.entries(series.labels)
        .map(([key, value]) => `${key}="${value}"`)
        .join(',');
      for (const [time, value] of series.samples) lines.push(`${series.name}{${labels}} ${value} ${time}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

/** A Prometheus over backfilled data; stop() also removes the data. */
export interface BackfilledPrometheus extends AsyncDisposable {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Backfills the OpenMetrics text into a fresh TSDB and starts Prometheus on it (retention 15 y); `web` secures
 * it (LocalPrometheusOptions.web).
 */
export async function startBackfilledPrometheus(
  openMetrics: string,
  web?: PrometheusWebConfig,
): Promise<BackfilledPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'slo-backfill-'));
  const input = join(dir, 'data.om');
  const dataDir = join(dir, 'tsdb');
  writeFileSync(input, openMetrics);
  let prometheus: StartedLocalPrometheus | undefined;
  try {
    await runCommand(findBinary('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', input, dataDir], {
      timeoutMs: 120_000,
    });
    prometheus = await new LocalPrometheus({ dataDir, retention: '15y', web }).start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const started = prometheus;
  const stop = async () => {
    await started.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: started.url, stop, [Symbol.asyncDispose]: stop };
}
