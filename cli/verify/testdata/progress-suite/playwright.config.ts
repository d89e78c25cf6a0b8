// A three-test suite for progress-reporter.int.test.ts: one passes, one fails, one fails once and passes on its retry.
// No browser: the reporter is what is under test. The progress file's path comes from the test.
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: 'outcomes.spec.ts',
  retries: 1,
  workers: 1,
  outputDir: join(process.env.PROGRESS_TEST_DIR ?? import.meta.dirname, 'test-results'),
  reporter: [
    [
      join(import.meta.dirname, '..', '..', 'progress-reporter.ts'),
      { outputFile: join(process.env.PROGRESS_TEST_DIR ?? import.meta.dirname, 'progress.jsonl') },
    ],
  ],
});
