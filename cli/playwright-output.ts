// Where a Playwright run's files go (playwright.config.ts `output()`), and, for a run by hand, the reporter that
// points the names in reports/ at them once the run has ended.
//
// `harness e2e` gives each run a folder (HARNESS_E2E_DIR, reports/runs/e2e-<id>/) and links reports/ to it itself
// (cli/commands/e2e.ts). A run by hand (`npx playwright test`) gets one too: before, its files went straight to
// reports/allure-results and reports/e2e-junit.xml, which are links to a finished run's folder, and so were
// written into that run (results added to its Allure results, its JUnit file replaced). The folder is decided
// once, in Playwright's runner, which evaluates the config first: it puts the folder in the environment
// (HAND_RUN_DIR_ENV), and the workers, which evaluate the config again, inherit it and agree. When the run ends
// the runner's LatestLinksReporter (this module's default export) replaces the links (stack/run-pointer.ts
// linkLatest), for the names the run wrote.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Reporter } from '@playwright/test/reporter';
import { checkRunId } from '../core/run-id.ts';
import { linkLatest } from '../stack/run-pointer.ts';
import { newRunId } from '../stack/state.ts';

/** The hand run's folder, set by the runner and read by its workers. */
export const HAND_RUN_DIR_ENV = 'HARNESS_E2E_HAND_RUN_DIR';

/** The names in reports/ that link to the latest Playwright run's copies (`harness e2e` links the same). */
export const PLAYWRIGHT_LINKS = ['playwright-report', 'e2e-junit.xml', 'allure-results'] as const;

/** Where one Playwright run writes. */
export interface PlaywrightOutput {
  /** The run's folder: its files are `<dir>/<name>`. */
  dir: string;
  /** A run by hand: the config adds LatestLinksReporter, which links reports/ to `dir` at the end. */
  handRun: boolean;
}

/**
 * The run's folder: HARNESS_E2E_DIR when `harness e2e` set it; else a new `<reports>/runs/e2e-<id>/`, decided on
 * the first call in this process tree and kept in `env` (reports: HARNESS_REPORTS_DIR, else `reports` beside the
 * config, `repoDir`).
 */
export function playwrightOutput(repoDir: string, env: NodeJS.ProcessEnv = process.env): PlaywrightOutput {
  if (env.HARNESS_E2E_DIR) return { dir: env.HARNESS_E2E_DIR, handRun: false };
  let dir = env[HAND_RUN_DIR_ENV];
  if (!dir) {
    const reports = env.HARNESS_REPORTS_DIR ? resolve(env.HARNESS_REPORTS_DIR) : join(repoDir, 'reports');
    dir = join(reports, 'runs', checkRunId(`e2e-${newRunId()}`, 'run id'));
    env[HAND_RUN_DIR_ENV] = dir;
  }
  return { dir, handRun: true };
}

/** Options of {@link LatestLinksReporter}. */
export interface LatestLinksOptions {
  /** The run's folder (reports/runs/e2e-<id>); the links go in the reports folder above runs/. */
  dir: string;
}

/**
 * Playwright reporter of a hand run: when the run has ended (onExit, after every reporter's onEnd has written its
 * files), points reports/playwright-report, e2e-junit.xml and allure-results at this run's copies, each replaced
 * atomically. A name the run did not write (`--list`, a run stopped before it began) keeps its old link.
 */
export default class LatestLinksReporter implements Reporter {
  readonly #dir: string;

  constructor(options: LatestLinksOptions) {
    this.#dir = options.dir;
  }

  printsToStdio(): boolean {
    return false;
  }

  async onExit(): Promise<void> {
    const reports = dirname(dirname(this.#dir));
    for (const name of PLAYWRIGHT_LINKS) {
      const own = join(this.#dir, name);
      if (existsSync(own)) linkLatest(join(reports, name), own);
    }
  }
}

/** This module's path, for the config's reporter list (Playwright loads a reporter by path). */
export const LATEST_LINKS_REPORTER = import.meta.filename;
