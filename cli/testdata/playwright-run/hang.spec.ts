import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';

/** Says the test is under way (the worker's pid, in RUN_TEST_DIR/<name>), then waits for ever. */
function underWay(name: string): Promise<never> {
  writeFileSync(join(process.env.RUN_TEST_DIR ?? '.', name), String(process.pid));
  return new Promise(() => {});
}

test('waits without a browser', async () => {
  await underWay('no-browser');
});

test('waits with a browser open', async ({ page }) => {
  await page.setContent('<p>waiting</p>');
  await underWay('browser');
});
