// The "did you mean" of unknown commands, subcommands and flags: the distance counted by hand, and which word is
// offered (or none) for the typos users make.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, didYouMean, editDistance } from './suggest.ts';

test('edit distance: insertions, deletions, substitutions, and a swap of neighbours as one edit', () => {
  assert.equal(editDistance('check', 'check'), 0);
  assert.equal(editDistance('chek', 'check'), 1, 'one letter left out');
  assert.equal(editDistance('--formt', '--format'), 1);
  assert.equal(editDistance('chekc', 'check'), 1, 'k and c swapped: one edit, where Levenshtein counts 2');
  assert.equal(editDistance('verfiy', 'verify'), 1);
  assert.equal(editDistance('rules', 'ruler'), 1, 'one substitution');
  assert.equal(editDistance('', 'up'), 2);
  assert.equal(editDistance('kitten', 'sitting'), 3, 'the textbook pair: k->s, e->i, +g');
  // Optimal string alignment: "ca" -> "abc" is 3 (no substring edited twice), where unrestricted Damerau says 2.
  assert.equal(editDistance('ca', 'abc'), 3);
});

test('closest: the nearest word within 1 edit per 3 letters (2 at most), case-insensitive, ties to the earlier word', () => {
  const slo = ['check', 'rules', 'convert', 'dashboard', 'alertmanager', 'validate'];
  assert.equal(closest('chek', slo), 'check');
  assert.equal(closest('CHECK', slo), 'check');
  assert.equal(closest('dashbaord', slo), 'dashboard');
  assert.equal(closest('valdiate', slo), 'validate');
  assert.equal(closest('frobnicate', slo), undefined, 'too far from every word');
  assert.equal(closest('rulezzz', slo), undefined, '3 edits');
  assert.equal(closest('ab', ['up', 'cd']), undefined, 'a 2-letter word is 2 edits from anything of 2 letters');
  assert.equal(closest('tcsh', ['bash', 'zsh', 'fish']), undefined, '2 from bash, but 4 letters allow 1 edit');
  assert.equal(closest('fihs', ['bash', 'zsh', 'fish']), 'fish', 'a swap is 1 edit');
  assert.equal(closest('--formt', ['--format', '--out']), '--format', '7 letters allow 2 edits');
  assert.equal(closest('--frmt', ['--format', '--out']), '--format', '2 edits');
  assert.equal(closest('x', ['up']), undefined);
  assert.equal(closest('lod', ['load', 'loud']), 'load', 'both 1 away: the first');
  assert.equal(closest('anything', []), undefined);
});

test('didYouMean: the tail of the message, or nothing', () => {
  assert.equal(didYouMean('--formt', ['--format', '--out', '--help']), "; did you mean '--format'?");
  assert.equal(didYouMean('--bogus', ['--format', '--out', '--help']), '');
});
