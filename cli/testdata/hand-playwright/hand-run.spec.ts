import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

// The worker evaluates the config again: its output folder (test-results/ of the run) must be the runner's.
test('a hand run writes its own folder', () => {
  writeFileSync(test.info().outputPath('worker.txt'), 'written by the worker\n');
  expect(1 + 1).toBe(2);
});
