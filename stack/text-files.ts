// Reading what child processes write: the last lines of a log for an error message, and a growing file
// followed line by line for progress (Artillery's periods, Playwright's output).
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The last `count` lines of a text, without trailing blank lines. */
export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/**
 * Follows a growing file, calling `onLine` for each complete non-blank line, until stop(); stop() reads what
 * is left, including a last line the writer ended without a newline. A line `onLine` cannot handle is
 * skipped (the follower is for progress; the file itself stays the record).
 */
export function tailLines(path: string, onLine: (line: string) => void): { stop(): Promise<void> } {
  let offset = 0;
  let pending = '';
  let running = true;
  const deliver = (line: string) => {
    if (line.trim() === '') return;
    try {
      onLine(line);
    } catch {
      // skipped: see above
    }
  };
  const readNew = async (): Promise<void> => {
    if (!existsSync(path)) return;
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size <= offset) return;
      const buffer = Buffer.alloc(size - offset);
      await handle.read(buffer, 0, buffer.length, offset);
      offset = size;
      const lines = (pending + buffer.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) deliver(line);
    } finally {
      await handle.close();
    }
  };
  const loop = (async () => {
    while (running) {
      await readNew();
      await sleep(500);
    }
    await readNew();
    deliver(pending);
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
