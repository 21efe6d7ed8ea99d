/** "Did you mean" suggestions for misspelled keys and values. Pure; no Node imports. */

/**
 * Optimal-string-alignment edit distance: insertions, deletions, substitutions and transpositions of adjacent
 * characters each cost 1 (so `Loign` is 1 away from `Login`).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate `input` most likely means: one equal to it ignoring case, else the nearest (ignoring case) within
 * `maxDistance` edits, provided it does not replace the whole input (`x` suggests nothing). Ties go to the candidate
 * listed first. `undefined` when nothing is close.
 */
export function closestMatch(input: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  const lower = input.toLowerCase();
  const sameIgnoringCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameIgnoringCase !== undefined) return sameIgnoringCase;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= maxDistance && bestDistance < input.length ? best : undefined;
}

/** ` (did you mean "X"?)` when a candidate is close to `input`, else the empty string. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closestMatch(input, candidates);
  return match === undefined || match === input ? '' : ` (did you mean ${JSON.stringify(match)}?)`;
}
