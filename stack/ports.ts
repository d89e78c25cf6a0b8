import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSameProcessAlive } from './state.ts';

/**
 * Ports handed out by any harness process on this machine: one file per port, created exclusively and holding
 * the pid of the process it was given to. The OS only promises a port was free when it was asked; between
 * freePort() and the service's own bind another harness run could be handed the same one. With the
 * reservation it cannot: a port is skipped while the process that reserved it lives. Processes that are not
 * the harness are not stopped by this; a conflict with one of them is retried (retryOnPortConflict).
 */
const RESERVATIONS_DIR = join(tmpdir(), 'mystocks-harness-ports');

/** A TCP port on 127.0.0.1 that the OS reports free and no live harness process has reserved; reserved now. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await osFreePort();
    if ((await reachesItself(port)) && reserve(port)) return port;
  }
  throw new Error(`no free port: 20 ports in a row were reserved by other harness runs (${RESERVATIONS_DIR})`);
}

function osFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS gave no port'))));
    });
  });
}

/**
 * Whether a connection to 127.0.0.1:`port` arrives at a listener on that port. On a host that also runs Podman
 * containers, netavark's rules for a container's published port rewrite every connection to that host port
 * (the nat table's OUTPUT chain, localhost included), and a container killed without netavark's teardown leaves
 * them behind. A service started on such a port listens fine and is never reached: a fresh-machine run's local
 * Prometheus on port 46733, a stale rule's port for a PostgreSQL container long gone, waited 30 s for a
 * readiness answer that could not come. Such a port is skipped. Checked by hand against that stale rule; no
 * automated test makes one.
 */
export function reachesItself(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    let client: Socket | undefined;
    const server = createServer((socket) => {
      // The client closes first (done destroys it), so the TIME_WAIT is on its own port, not on the one checked:
      // a service that binds without SO_REUSEADDR could not take a port in TIME_WAIT.
      socket.on('error', () => {});
      done(true);
    });
    const timer = setTimeout(() => done(false), 1_000);
    function done(reached: boolean): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client?.destroy();
      server.close(() => resolve(reached));
    }
    server.once('error', () => done(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      client = connect({ port, host: '127.0.0.1' });
      client.once('error', () => done(false));
    });
  });
}

/** Reserves `port` for this process; false when a live process holds it. A dead holder's file is taken over. */
function reserve(port: number): boolean {
  mkdirSync(RESERVATIONS_DIR, { recursive: true });
  const file = join(RESERVATIONS_DIR, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readText(file));
      if (holder === process.pid) return true;
      if (Number.isInteger(holder) && holder > 0 && isSameProcessAlive(holder)) return false;
      rmSync(file, { force: true }); // Its holder is gone: take it over on the next attempt.
    }
  }
  return false;
}

/** Drops this process's reservations (called on exit; a crashed process's are taken over by the next run). */
export function releasePorts(): void {
  let names: string[];
  try {
    names = readdirSync(RESERVATIONS_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    const file = join(RESERVATIONS_DIR, name);
    if (Number(readText(file)) === process.pid) rmSync(file, { force: true });
  }
}
process.once('exit', releasePorts);

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** What a service says when its port was taken between freePort() and its own bind. */
const PORT_CONFLICT = /EADDRINUSE|address already in use/i;

/**
 * Runs `start` again (up to `attempts` times) when it failed because its port was taken meanwhile: a service
 * builder that picks its port inside start() then gets a new one. Any other failure is thrown at once.
 */
export async function retryOnPortConflict<T>(
  start: () => Promise<T>,
  attempts = 3,
  onRetry: (message: string) => void = () => {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      const message = error instanceof Error ? `${error.message}\n${String(error.cause ?? '')}` : String(error);
      if (attempt >= attempts || !PORT_CONFLICT.test(message)) throw error;
      onRetry(`port taken before the service bound it; retrying (attempt ${attempt + 1} of ${attempts})`);
    }
  }
}
