/**
 * The one teardown mechanism: a `Teardown` scope is a stack of named stop actions, run newest first (the API before
 * the database it uses), each exactly once, whatever ends the run: a normal stop(), an error path, `await using`,
 * or a signal. Scopes nest: the process-wide scope, {@link processTeardown}, holds one scope per run
 * (`RunTeardown`, stack/state.ts), which holds that run's processes, work directories and containers. The signal
 * handler closes the process-wide scope, and with it every run's.
 *
 * Code that starts something registers it in the current scope ({@link currentTeardown}): the scope a stack's start
 * entered (`enter()`), else the process-wide one. So a ManagedProcess started anywhere under a run's start belongs
 * to that run without being handed the run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type StopAction = () => Promise<void> | void;

/** One registered stop action. */
export interface TeardownEntry {
  readonly name: string;
  /**
   * Runs the action unless it has already run or is running; every caller (stop(), `await using`, the scope's
   * close) shares the one run. The entry stays in its scope until the action has finished, so a scope that is
   * closing meanwhile waits for it rather than finishing, removing directories or exiting while it is in flight.
   */
  run(): Promise<void>;
  /** Forgets the action without running it: what it would undo was undone another way. */
  cancel(): void;
}

/** Ids grow across all scopes, so "newest" is registration order whichever scope an entry is in. */
let nextId = 0;
const current = new AsyncLocalStorage<Teardown>();
let handlersInstalled = false;
let signalWaiters: ((signal: NodeJS.Signals) => void)[] = [];

/** A stack of named stop actions, run newest first, each exactly once; see the module comment. */
export class Teardown implements AsyncDisposable {
  readonly name: string;
  readonly parent: Teardown | undefined;
  readonly #entries = new Map<number, TeardownEntry>();
  /** This scope as one entry of its parent: closing the parent closes it. */
  readonly #inParent: TeardownEntry | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;

  /** A scope; inside `parent` (closed with it, as one of its entries) when given. */
  constructor(name: string, parent?: Teardown) {
    this.name = name;
    this.parent = parent;
    this.#inParent = parent?.add(name, () => this.#closeOnce());
  }

  /** True once close() has begun. */
  get closing(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Registers a stop action. Into a scope that has already closed, it goes to the parent instead, so something
   * whose start was in flight when its run stopped is still stopped (by the parent's close, at the latest on a
   * signal); a scope that is closing runs it in this close.
   */
  add(name: string, action: StopAction): TeardownEntry {
    if (this.#closed && this.parent) return this.parent.add(name, action);
    installSignalHandlers();
    const id = nextId++;
    let running: Promise<void> | undefined;
    const entry: TeardownEntry = {
      name,
      run: () => {
        running ??= (async () => {
          try {
            await action();
          } finally {
            this.#entries.delete(id);
          }
        })();
        return running;
      },
      cancel: () => {
        this.#entries.delete(id);
      },
    };
    this.#entries.set(id, entry);
    return entry;
  }

  /** A scope inside this one. */
  child(name: string): Teardown {
    return new Teardown(name, this);
  }

  /** Runs `fn` with this scope as the current one: what `fn` starts (and what that starts) registers here. */
  enter<T>(fn: () => T): T {
    return current.run(this, fn);
  }

  /**
   * Runs every action, newest first; a failure is said and the others still run. Actions registered while it runs
   * (a service whose start was already under way) run too: it loops until nothing is left. Exactly once: a second
   * call gets the first call's promise.
   */
  close(): Promise<void> {
    return this.#inParent ? this.#inParent.run() : this.#closeOnce();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #closeOnce(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#entries.size > 0) {
        const newest = [...this.#entries.values()].at(-1);
        if (!newest) break;
        try {
          await newest.run();
        } catch (error) {
          console.error(`teardown of ${newest.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      this.#closed = true;
    })();
    return this.#closing;
  }
}

/** The process-wide scope: every run's scope is in it, and a signal closes it. */
export const processTeardown = new Teardown('harness process');

/** The scope that code running now registers into: the innermost one entered, else {@link processTeardown}. */
export function currentTeardown(): Teardown {
  return current.getStore() ?? processTeardown;
}

/**
 * Registers a stop action in the current scope; returns the function that forgets it again (for code whose own
 * stop ran). The short form of `currentTeardown().add(name, cleanup)`.
 */
export function onTeardown(name: string, cleanup: StopAction): () => void {
  const entry = currentTeardown().add(name, cleanup);
  return () => entry.cancel();
}

/** Closes the process-wide scope: every registered action of every run, newest first (what a signal does). */
export function teardownAll(): Promise<void> {
  return processTeardown.close();
}

/**
 * Resolves on the next SIGINT, SIGTERM or SIGHUP instead of the default teardown-and-exit, so a long-running
 * command (`harness up`) can stop its stack in order and exit with its own code. A further signal while it is
 * stopping falls back to the default: every registered action runs and the process exits.
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
      if (signalWaiters.length > 0 && !processTeardown.closing) {
        const waiters = signalWaiters;
        signalWaiters = [];
        for (const resolve of waiters) resolve(signal);
        return;
      }
      if (processTeardown.closing) {
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
