// Run ids name folders (reports/load/<id>/, reports/runs/<id>/) and label metrics, so one that came from the
// command line must never reach outside its folder: `--run-id ../../x` would write anywhere the user can, and
// `--run-id a/b` would nest folders that `load compare` and the clean-up never look in.
import { HarnessError } from './outcome.ts';

/** Letters, digits, `-`, `_` and `.`, 1 to 128 of them; no separator, and never `.` or `..`. */
const SAFE_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** True when `name` is usable as one path segment and one label value. */
export function isSafeRunId(name: string): boolean {
  return SAFE_NAME.test(name) && name !== '.' && name !== '..';
}

/** Returns `name` when it is a safe run id, else throws a usage error (exit 2) naming `source`. */
export function checkRunId(name: string, source = '--run-id'): string {
  if (!isSafeRunId(name)) {
    throw new HarnessError(
      `${source}: '${name}' is not a safe run id (letters, digits, '-', '_' and '.', at most 128, not '.' or '..')`,
    );
  }
  return name;
}
