/**
 * One place that knows everything this process started, so that it is stopped on success, error, Ctrl-C or
 * SIGTERM. Started services register a cleanup; `await using` and explicit stop() unregister it again.
 * Cleanups run newest first (the API before the database it uses), each bounded by the service's own timeout.
 */
type Cleanup = () => Promise<void>;

const cleanups = new Map<number, { name: string; cleanup: Cleanup }>();
let nextId = 0;
let handlersInstalled = false;
let tearingDown: Promise<void> | undefined;
let signalWaiters: ((signal: NodeJS.Signals) => void)[] = [];

/** Registers a cleanup to run if the process is interrupted; returns the function that unregisters it. */
export function onTeardown(name: string, cleanup: Cleanup): () => void {
  installSignalHandlers();
  const id = nextId++;
  cleanups.set(id, { name, cleanup });
  return () => {
    cleanups.delete(id);
  };
}

/**
 * Runs every registered cleanup, newest first; errors are reported and do not stop the others.
 * Cleanups registered while it runs (a service whose start was already under way) are run too: it loops until
 * nothing is left, so a process spawned during teardown is not orphaned.
 */
export function teardownAll(): Promise<void> {
  tearingDown ??= (async () => {
    while (cleanups.size > 0) {
      const newest = Math.max(...cleanups.keys());
      const entry = cleanups.get(newest);
      cleanups.delete(newest);
      if (!entry) continue;
      try {
        await entry.cleanup();
      } catch (error) {
        console.error(`teardown of ${entry.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return tearingDown;
}

/**
 * Resolves on the next SIGINT, SIGTERM or SIGHUP instead of the default teardown-and-exit, so a long-running
 * command (`harness up`) can stop its stack in order and exit with its own code. A further signal while it is
 * stopping falls back to the default: every registered cleanup runs and the process exits.
 */
export function nextShutdownSignal(): Promise<NodeJS.Signals> {
  installSignalHandlers();
  return new Promise((resolve) => {
    signalWaiters.push(resolve);
  });
}

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      if (signalWaiters.length > 0 && !tearingDown) {
        const waiters = signalWaiters;
        signalWaiters = [];
        for (const resolve of waiters) resolve(signal);
        return;
      }
      if (tearingDown) {
        // A second signal while tearing down: the user insists; leave now.
        process.exit(code);
      }
      console.error(`\nreceived ${signal}: stopping everything this run started`);
      // Work the signal interrupted now fails as its resources go away: testcontainers' log wait, for one,
      // throws from a stream 'end' handler once its container is removed. Those failures are the interruption
      // itself, not a new fault; left to Node they would end the process with 1 before the teardown finished
      // and the signal's own code. They are said in one line each and the teardown goes on.
      const interrupted = (error: unknown) => {
        console.error(`interrupted by ${signal}: ${error instanceof Error ? error.message : String(error)}`);
      };
      process.on('uncaughtException', interrupted);
      process.on('unhandledRejection', interrupted);
      void teardownAll().finally(() => process.exit(code));
    });
  }
}
