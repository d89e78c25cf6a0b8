// The end of a run's schedule, told to the journeys. Artillery waits, after its last arrival, for every virtual
// user to finish its journey: a market-browsing journey that arrived last still thinks 5 s between its steps, so
// a run used to end some 8 s after its schedule, with a thinning tail of requests that no phase asked for. Here,
// when the run's last phase completes (the harness's plugin in Artillery's main process sees it), the journeys
// are told: a journey that is thinking stops there and sends none of its remaining steps, as a user who leaves,
// and a request already sent completes and is judged. So the run ends with its schedule, its arrivals are the
// ones the profile asked for, and no burst of hurried steps lands at the end.
//
// Artillery runs the journeys in worker threads of its main process, so the word goes by a BroadcastChannel,
// which reaches every thread of one process (each generator of `--generators N` is a process of its own, with
// its own channel). A script run by hand, without the harness's plugin, is never told: its journeys think to the
// end, as Artillery's own `think` does.

import { BroadcastChannel } from 'node:worker_threads';

/** The channel's name: the plugin posts on it, the processor in each worker listens. */
const SCHEDULE_CHANNEL = 'mystocks-load-schedule';
const ENDED = 'ended';

/** Tells every worker of this Artillery process that the schedule has ended. Called once, in the main thread. */
export function announceScheduleEnd(): void {
  const channel = new BroadcastChannel(SCHEDULE_CHANNEL);
  channel.postMessage(ENDED);
  channel.close();
}

/**
 * The schedule as one worker sees it: `ended` once told, and pauses that end early when it is. Created once per
 * worker (the processor module's load); its channel is unref'd, so it never keeps a worker alive.
 */
export class ScheduleWatch {
  ended = false;
  readonly #wakers = new Set<() => void>();

  constructor() {
    const channel = new BroadcastChannel(SCHEDULE_CHANNEL);
    channel.onmessage = (event) => {
      if ((event as { data?: unknown }).data !== ENDED) return;
      this.ended = true;
      for (const wake of [...this.#wakers]) wake();
      channel.close();
    };
    channel.unref();
  }

  /** Waits `seconds`, or less if the schedule ends first; `done` is called exactly once. */
  pause(seconds: number, done: () => void): void {
    if (this.ended) {
      done();
      return;
    }
    const wake = (): void => {
      clearTimeout(timer);
      this.#wakers.delete(wake);
      done();
    };
    const timer = setTimeout(wake, seconds * 1000);
    this.#wakers.add(wake);
  }
}
