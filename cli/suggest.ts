// "Did you mean": the nearest of a few known words to a mistyped one, for unknown commands, subcommands and flags.

/**
 * The optimal-string-alignment distance (restricted Damerau-Levenshtein): the fewest insertions, deletions,
 * substitutions and swaps of two neighbouring letters that turn `a` into `b`, no substring edited twice. A swap
 * counts 1, so `chekc` is 1 from `check` where plain Levenshtein says 2. Dynamic programming over the prefixes:
 * d[i][j] is the distance of a[0..i) to b[0..j); O(|a| |b|) time, the words here are a few letters long.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Further than this, a suggestion is a guess rather than a typo's correction. */
export const MAX_SUGGESTION_DISTANCE = 2;

/**
 * How many edits a word of this length may be from the one offered: one per three letters, at most
 * MAX_SUGGESTION_DISTANCE. A short word is a few edits from anything (`tcsh` is 2 from `bash`, `ab` 2 from `up`),
 * so `chek` (4 letters) gets 1 and `--formt` (7) gets 2.
 */
function allowedDistance(word: string): number {
  return Math.min(MAX_SUGGESTION_DISTANCE, Math.floor(word.length / 3));
}

/**
 * The known word nearest to `word` (case-insensitive), if it is within allowedDistance; ties go to the earlier
 * word.
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: { word: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < (best?.distance ?? Number.POSITIVE_INFINITY)) best = { word: candidate, distance };
  }
  if (best === undefined || best.distance > allowedDistance(word)) return undefined;
  return best.word;
}

/** "; did you mean 'check'?" or nothing: the tail of an "unknown ..." message. */
export function didYouMean(word: string, known: readonly string[]): string {
  const suggestion = closest(word, known);
  return suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
}
