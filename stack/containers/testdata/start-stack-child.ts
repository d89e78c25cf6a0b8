/**
 * Child process of the signal tests: starts the containers stack with the run id given as argv[2], prints
 * `UP <apiUrl>` once it is up, and then waits to be signalled (stack/teardown.ts removes everything on SIGINT).
 */
import { startContainerStack } from '../stack.ts';

const runId = process.argv[2];
if (!runId) throw new Error('usage: start-stack-child.ts <runId>');
const stack = await startContainerStack({ runId, log: (line) => console.log(line) });
console.log(`UP ${stack.info.apiUrl}`);
// Keep the event loop alive until a signal ends the process.
setInterval(() => {}, 60_000);
