// Loaded before the unit tier's tests (scripts/test-tier.sh unit: `node --import ./scripts/unit-guard.ts`): a unit
// test (`*.test.ts`) is pure, so starting a child process, listening on a port or a socket, or opening a network
// connection fails the test at once with a message that names the tier the test belongs in
// (docs/conventions.md, "Tests"). The tier runs every file in one process (--test-isolation=none), where one file's
// server or child would also outlive it and meet the next file's tests.
//
// What it cannot see: a worker thread's own child processes and sockets (a module loaded there is not patched;
// esbuild's buildSync starts its binary that way), and native code. Reading and writing files is allowed.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const ADVICE =
  'a unit test (*.test.ts) starts no child process and opens no network listener or connection: name a test that ' +
  'needs one *.int.test.ts (one real service or the CLI as a child) or *.stack.test.ts (a whole stack); docs/conventions.md';

function refuse(what: string): never {
  throw new Error(`${what}: ${ADVICE}`);
}

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  // The module's own exports object: ESM imports of node:child_process see the change after syncBuiltinESMExports.
  (childProcess as unknown as Record<string, unknown>)[name] = (command: unknown) =>
    refuse(`child_process.${name}(${JSON.stringify(String(command))})`);
}
// http(s) servers are net.Servers, and fetch, http.request and the database clients connect through net.Socket.
net.Server.prototype.listen = function listen(...args: unknown[]) {
  refuse(`a listener (listen ${JSON.stringify(args[0] ?? null)})`);
} as typeof net.Server.prototype.listen;
net.Socket.prototype.connect = function connect(...args: unknown[]) {
  refuse(`a network connection (connect ${JSON.stringify(args[0] ?? null)})`);
} as typeof net.Socket.prototype.connect;
syncBuiltinESMExports();
