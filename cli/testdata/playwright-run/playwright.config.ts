// A suite whose tests never end, for cli/playwright-run.int.test.ts: the runner's deadline and teardown must stop
// Playwright, its worker and the browser it launched. Each test writes its worker's pid to RUN_TEST_DIR once it
// is under way (that the variable arrives also shows the spec's environment reaching the workers).
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: 'hang.spec.ts',
  workers: 1,
  retries: 0,
  timeout: 0,
  outputDir: join(process.env.RUN_TEST_DIR ?? import.meta.dirname, 'test-results'),
  reporter: 'list',
  // The test picks the browser (CHROMIUM_PATH).
  use: { launchOptions: { executablePath: process.env.CHROMIUM_PATH } },
});
