// The dependency tree stays free of network-copyleft and source-available licences (DESIGN.md: teams must be
// able to adopt the harness without legal review). Checked over every package npm installed, from the lock file,
// so a new transitive dependency under AGPL fails `npm test` the day it arrives.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

/** Licences that a team could not adopt without legal review. */
const FORBIDDEN = /\b(AGPL|SSPL|BUSL|Commons[- ]Clause|Elastic-2\.0)/i;

/**
 * Packages that declare no licence at all, looked at by hand: none carries AGPL text. A new unknown one fails the
 * test until someone has looked at it too.
 */
const REVIEWED_WITHOUT_LICENCE = new Set([
  'node_modules/buffers', // 0.1.1, via exceljs -> unzipper: no licence field and no LICENSE file.
]);

interface LockPackage {
  version?: string;
  optional?: boolean;
  /** A workspace's link in node_modules: the workspace's own entry (its folder's path) carries its licence. */
  link?: boolean;
  license?: string | { type?: string };
}

/** True when an SPDX expression leaves a permitted choice: `A OR B` is fine if either side is. */
function permitted(expression: string): boolean {
  const alternatives = expression.replace(/[()]/g, '').split(/\s+OR\s+/i);
  return alternatives.some((alternative) => !FORBIDDEN.test(alternative));
}

/** The licence a package declares: the lock file's field, else its own package.json, else its LICENSE text. */
function declaredLicence(path: string, entry: LockPackage): string {
  if (typeof entry.license === 'string') return entry.license;
  if (entry.license?.type) return entry.license.type;
  const manifestPath = join(path, 'package.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { licenses?: { type?: string }[] };
    const types = manifest.licenses?.map((licence) => licence.type).filter(Boolean);
    if (types && types.length > 0) return types.join(' OR ');
  }
  const licenceFile = existsSync(path) ? readdirSync(path).find((name) => /^licen[cs]e/i.test(name)) : undefined;
  if (licenceFile) {
    const text = readFileSync(join(path, licenceFile), 'utf8');
    if (/GNU AFFERO/i.test(text)) return 'AGPL (from LICENSE text)';
    if (/Permission is hereby granted, free of charge/i.test(text)) return 'MIT (from LICENSE text)';
    return `unknown (${licenceFile})`;
  }
  return 'unknown';
}

test('no installed package is under AGPL, SSPL, BUSL or another licence that needs legal review', () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockPackage> };
  const offenders: string[] = [];
  const unknown: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    // The root, and optional packages npm did not install on this machine (another platform's binary, a
    // native build it skipped): what is not installed is not in the tree a team adopts here.
    if (path === '' || entry.link || (entry.optional && !existsSync(path))) continue;
    const licence = declaredLicence(path, entry);
    if (!permitted(licence)) offenders.push(`${path}@${entry.version}: ${licence}`);
    if (licence.startsWith('unknown') && !REVIEWED_WITHOUT_LICENCE.has(path))
      unknown.push(`${path}@${entry.version}: ${licence}`);
  }
  assert.deepEqual(offenders, [], `packages whose licence needs legal review:\n${offenders.join('\n')}`);
  assert.deepEqual(
    unknown,
    [],
    `packages whose licence could not be read (check them by hand):\n${unknown.join('\n')}`,
  );
});

test('the licence check recognises AGPL and accepts a dual licence with a permissive choice', () => {
  assert.equal(permitted('AGPL-3.0-only'), false);
  assert.equal(permitted('(MIT OR AGPL-3.0-or-later)'), true);
  assert.equal(permitted('SSPL-1.0'), false);
  assert.equal(permitted('MPL-2.0'), true);
});
