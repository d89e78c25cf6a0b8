// Page-object methods report themselves as steps: in Playwright's HTML report, in traces, and in Allure (which
// records `test.step` as its own steps). A plain function rather than a decorator, since decorators are not
// erasable syntax and the project runs on Node's type stripping. `box: true` makes a failure inside a step
// point at the spec line that called it, so the message reads as the user's action that went wrong.
import { test } from '@playwright/test';

/**
 * Runs `body` as a boxed test step titled `title` and returns its result. Outside a Playwright test (the same
 * page objects drive Artillery's Playwright engine in load/scenarios/browser.ts) there is no test to report
 * steps to, and `body` simply runs.
 */
export function step<T>(title: string, body: () => Promise<T>): Promise<T> {
  try {
    test.info();
  } catch {
    return body();
  }
  return test.step(title, body, { box: true });
}
