// Settling before an SLO check over a window that has just ended: Prometheus holds a sample of the window's end
// only after the next scrape, so the check waits one scrape interval plus a margin, then (bounded by one more
// interval) until the service's job has a scrape at or after the end. Scrape discovery (the job's interval from
// Prometheus' own configuration) lives here too, so both speak to Prometheus through the evaluator's client.
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { parseDuration } from '../../core/duration.ts';
import type { PrometheusClient } from './prometheus.ts';

/** Prometheus' own default scrape interval, assumed when the configuration cannot be read. */
export const PROMETHEUS_DEFAULT_SCRAPE_SECONDS = 15;

/**
 * The scrape interval of `job`, in seconds: the job's own `scrape_interval`, else the global one, from the
 * configuration Prometheus serves; undefined when it serves none (or neither is set).
 */
export async function discoverScrapeInterval(client: PrometheusClient, job: string): Promise<number | undefined> {
  const yaml = await client.configYaml();
  if (yaml === undefined) return undefined;
  let config: {
    global?: { scrape_interval?: string };
    scrape_configs?: { job_name?: string; scrape_interval?: string }[];
  };
  try {
    config = (parse(yaml) ?? {}) as typeof config;
  } catch {
    return undefined;
  }
  const text =
    config.scrape_configs?.find((c) => c.job_name === job)?.scrape_interval ?? config.global?.scrape_interval;
  const ms = text === undefined ? undefined : parseDuration(text);
  return ms === undefined ? undefined : ms / 1000;
}

/** Unix seconds of the newest scrape of `job` (`max(timestamp(up{job=...}))`), or undefined without one. */
export async function latestScrape(
  client: PrometheusClient,
  job: string,
  atSeconds: number,
): Promise<number | undefined> {
  const outcome = await client.query(`max(timestamp(up{job=${JSON.stringify(job)}}))`, atSeconds);
  return outcome.kind === 'value' && Number.isFinite(outcome.value) ? outcome.value : undefined;
}

/** What {@link settle} needs. */
export interface SettleOptions {
  client: PrometheusClient;
  /** The scrape job of the service whose SLOs are checked. */
  job: string;
  /** The end of the window the SLOs are checked over. */
  end: Date;
  /** The job's scrape interval, seconds. */
  intervalSeconds: number;
  /** Seconds added to one interval before the first look. */
  marginSeconds: number;
  log: (line: string) => void;
}

/**
 * Waits until Prometheus holds the scrape covering `end` (see the file's comment), at most two scrape intervals
 * plus the margin after `end`. Never fails: a missing scrape is said, and the SLO check then judges what there is
 * (an SLO without data is inconclusive there). Returns what it found, for the summary.
 */
export async function settle(options: SettleOptions): Promise<string> {
  const { client, job, end, intervalSeconds, marginSeconds, log } = options;
  const until = end.getTime() + (intervalSeconds + marginSeconds) * 1000;
  const waitMs = Math.max(0, until - Date.now());
  log(
    `waiting ${(waitMs / 1000).toFixed(1)} s: one scrape interval (${intervalSeconds} s) plus ${marginSeconds} s after the load's end`,
  );
  await sleep(waitMs);
  const deadline = Date.now() + intervalSeconds * 1000;
  const endSeconds = end.getTime() / 1000;
  for (;;) {
    const latest = await latestScrape(client, job, Date.now() / 1000);
    if (latest !== undefined && latest >= endSeconds) {
      return `scraped ${(latest - endSeconds).toFixed(1)} s past the end`;
    }
    if (Date.now() >= deadline) {
      const text =
        latest === undefined
          ? `Prometheus has no scrape of job ${job}`
          : `the latest scrape of job ${job} is ${(endSeconds - latest).toFixed(1)} s before the end`;
      log(`${text}; checking the SLOs anyway`);
      return text;
    }
    await sleep(500);
  }
}
