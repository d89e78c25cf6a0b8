// Ports handed to the local stack's services. What a stale netavark rule does (a connection to the port is taken
// elsewhere) needs root and a container killed without teardown, so it is not made here: the check that skips
// such a port was shown by hand against one (stack/ports.ts). This holds the check to its other side: a port
// that nothing rewrites reaches itself, and one already taken is refused.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { freePort, reachesItself } from './ports.ts';

describe('ports for the local stack', () => {
  test('a free port reaches a listener on itself, and freePort hands out such ports', async () => {
    const port = await freePort();
    assert.equal(await reachesItself(port), true);
  });

  test('a port another listener holds is refused', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const address = holder.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      assert.equal(await reachesItself(port), false);
    } finally {
      holder.close();
    }
  });
});
