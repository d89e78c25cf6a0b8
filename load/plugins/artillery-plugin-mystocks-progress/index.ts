// An Artillery plugin (loaded through ARTILLERY_PLUGIN_PATH=load/plugins, which `harness load` sets) that appends
// each reporting period, as aggregated over all workers, to the file named by MYSTOCKS_LOAD_STATS_FILE as one
// JSON line. The harness reads that file while the run goes on: progress lines, and the breakpoint profile's
// early stop. Artillery's own JSON report is written only at the end, and not at all after an early stop.
// It also writes a line when each phase starts (`{"phaseStarted": {...}}`): the warm-up is the run's first
// phase, and the start of the phase after it is the boundary of the judged window (load/run.ts).
// And when the run's last phase completes, it tells the journeys in Artillery's workers that the schedule has
// ended (load/schedule.ts), so the journeys still thinking stop instead of running on for seconds.
import { appendFileSync } from 'node:fs';
import { announceScheduleEnd } from '../../schedule.ts';

/** The part of Artillery's `stats` event that is written. */
interface PeriodStats {
  period?: string | number;
  firstMetricAt?: number;
  lastMetricAt?: number;
  counters?: Record<string, number>;
  rates?: Record<string, number>;
  summaries?: Record<string, Record<string, number>>;
}

/** Artillery's `phaseStarted` event: the phase as scripted, its index, and when the first worker began it. */
interface PhaseStarted {
  index?: number;
  name?: string;
  startTime?: number;
}

interface StatsEvents {
  on(event: 'stats', listener: (stats: PeriodStats) => void): void;
  on(event: 'phaseStarted' | 'phaseCompleted', listener: (phase: PhaseStarted) => void): void;
}

/** The part of the script the plugin reads: how many phases it has. */
interface Script {
  config?: { phases?: unknown[] };
}

/** Asks Artillery for its current metrics format (without this, plugins get the legacy one). */
export const LEGACY_METRICS_FORMAT = false;

export class Plugin {
  constructor(script: Script, events: StatsEvents) {
    // Workers load plugins too; the aggregated periods exist only in the main process.
    if (process.env.LOCAL_WORKER_ID !== undefined) return;
    // Artillery's main process passes on the first worker's `phaseCompleted` of each phase; the workers start
    // their phases together, so the last phase's is the schedule's end, to within the workers' start skew.
    const lastPhase = (script.config?.phases?.length ?? 0) - 1;
    events.on('phaseCompleted', ({ index }) => {
      if (index === lastPhase) announceScheduleEnd();
    });
    const file = process.env.MYSTOCKS_LOAD_STATS_FILE;
    if (!file) return;
    events.on('stats', (stats) => {
      const { period, firstMetricAt, lastMetricAt, counters, rates, summaries } = stats;
      const line = JSON.stringify({ period: Number(period), firstMetricAt, lastMetricAt, counters, rates, summaries });
      appendFileSync(file, `${line}\n`);
    });
    events.on('phaseStarted', ({ index, name, startTime }) => {
      appendFileSync(file, `${JSON.stringify({ phaseStarted: { index, name, startTime } })}\n`);
    });
  }
}
