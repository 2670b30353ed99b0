/**
 * String comparators. Levenshtein comes from `fastest-levenshtein` (the fastest maintained
 * implementation on npm). Jaro-Winkler and optimal-string-alignment Damerau-Levenshtein are
 * written here: the npm Jaro-Winkler packages use a non-standard match window or prefix bonus
 * (one gives a bonus of 5 characters), and none offers a symmetric, bounded OSA distance.
 */
import { distance } from 'fastest-levenshtein';

/**
 * Flags of matched characters, kept between calls: a batch of decisions calls the comparators
 * millions of times, and two fresh arrays per call cost more than the comparison itself. Single
 * threaded (a worker thread has its own module), and never held across a call.
 */
let aFlags = new Uint8Array(64);
let bFlags = new Uint8Array(64);

/** Jaro similarity in [0, 1]; inputs are put in a fixed order so the result is symmetric. */
export function jaro(s1: string, s2: string): number {
  if (s1 === s2) return 1;
  const a = s1 <= s2 ? s1 : s2;
  const b = s1 <= s2 ? s2 : s1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  if (aFlags.length < a.length) aFlags = new Uint8Array(a.length * 2);
  else aFlags.fill(0, 0, a.length);
  if (bFlags.length < b.length) bFlags = new Uint8Array(b.length * 2);
  else bFlags.fill(0, 0, b.length);
  const aMatched = aFlags;
  const bMatched = bFlags;
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(b.length - 1, i + window);
    const ai = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (bMatched[j] === 1 || ai !== b.charCodeAt(j)) continue;
      aMatched[i] = 1;
      bMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (aMatched[i] === 0) continue;
    while (bMatched[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) halfTranspositions++;
    j++;
  }
  const t = Math.floor(halfTranspositions / 2);
  return (matches / a.length + matches / b.length + (matches - t) / matches) / 3;
}

/**
 * Jaro-Winkler similarity in [0, 1]: Jaro boosted by the common prefix (up to 4 characters,
 * scale 0.1), applied only above Winkler's 0.7 threshold as in the original definition.
 */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j <= 0.7) return j;
  let prefix = 0;
  const max = Math.min(4, a.length, b.length);
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return Math.min(1, j + prefix * 0.1 * (1 - j));
}

/** Levenshtein edit distance (insertions, deletions, substitutions). */
export function levenshtein(a: string, b: string): number {
  return distance(a, b);
}

/**
 * Damerau-Levenshtein distance, optimal string alignment variant: a swap of two adjacent
 * characters ("1956" / "1965") costs one edit, the commonest keying error after substitution.
 */
export function damerauLevenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const cols = b.length + 1;
  // Three rows (two back, one back, current) in one array kept between calls (see aFlags).
  if (osaRows.length < 3 * cols) osaRows = new Int32Array(6 * cols);
  const rows = osaRows;
  let prev2 = 0;
  let prev = cols;
  let cur = 2 * cols;
  for (let j = 0; j < cols; j++) {
    rows[prev2 + j] = 0;
    rows[prev + j] = j;
  }
  let last = 0;
  for (let i = 1; i <= a.length; i++) {
    rows[cur] = i;
    const ai = a.charCodeAt(i - 1);
    const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    // The cell to the left and the one up-left are carried in locals (they were just read or
    // written), so only the cell above and the transposition cell come from the buffer.
    let left = i;
    let diag = i - 1;
    for (let j = 1; j <= b.length; j++) {
      const up = rows[prev + j];
      if (up === undefined) throw new Error(`damerauLevenshtein: row buffer has no cell ${prev + j}`);
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let v = Math.min(up + 1, left + 1, diag + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && aBefore === bj) {
        const swapped = rows[prev2 + j - 2];
        if (swapped === undefined)
          throw new Error(`damerauLevenshtein: row buffer has no cell ${prev2 + j - 2}`);
        v = Math.min(v, swapped + 1);
      }
      rows[cur + j] = v;
      diag = up;
      left = v;
    }
    last = left;
    const oldest = prev2;
    prev2 = prev;
    prev = cur;
    cur = oldest;
  }
  return last;
}

let osaRows = new Int32Array(3 * 64);

/** 1 - distance / longer length: a similarity in [0, 1] from an edit distance. */
export function levenshteinSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - levenshtein(a, b) / longer;
}
