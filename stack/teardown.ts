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

/** Registers a cleanup to run if the process is interrupted; returns the function that unregisters it. */
export function onTeardown(name: string, cleanup: Cleanup): () => void {
  installSignalHandlers();
  const id = nextId++;
  cleanups.set(id, { name, cleanup });
  return () => {
    cleanups.delete(id);
  };
}

/** Runs every registered cleanup, newest first; errors are reported and do not stop the others. */
export function teardownAll(): Promise<void> {
  tearingDown ??= (async () => {
    const pending = [...cleanups.entries()].reverse();
    cleanups.clear();
    for (const [, { name, cleanup }] of pending) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`teardown of ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return tearingDown;
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
      if (tearingDown) {
        // A second signal while tearing down: the user insists; leave now.
        process.exit(code);
      }
      console.error(`\nreceived ${signal}: stopping everything this run started`);
      void teardownAll().finally(() => process.exit(code));
    });
  }
}
