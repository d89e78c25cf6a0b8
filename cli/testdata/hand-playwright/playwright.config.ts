// The project's own Playwright config (playwright.config.ts: its reporters, and where they write, `output()`)
// with one browserless test in place of the suites, for cli/finished-runs.int.test.ts: a hand run
// (`npx playwright test`) must write a run folder of its own and only then point the links in reports/ at it.
// Replaced here: the tests, the projects (no log-in set-up) and the global set-up (no stack).
import { defineConfig } from '@playwright/test';
import base from '../../../playwright.config.ts';

const { globalSetup: _noStack, ...rest } = base;

export default defineConfig({
  ...rest,
  testDir: import.meta.dirname,
  testMatch: 'hand-run.spec.ts',
  workers: 1,
  projects: [{ name: 'hand' }],
});
