/**
 * Text folding shared by every normaliser: records arrive from many sources with different
 * keyboards, encodings and habits, and "José", "JOSE" and "jose" must compare equal.
 */

/** Letters that NFKD does not decompose into a base letter plus a mark. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
};

const COMBINING_MARKS = /\p{M}+/gu;
const SPECIAL = /[ßæœøđðłþıħŧ]/g;

/** NFKD, diacritics stripped, lower case; every other character is kept. */
export function foldCase(value: string): string {
  // Lower case after a first NFKD (compatibility forms such as ㎁ decompose to capitals) and
  // decompose again (lower-casing İ gives i plus a combining dot).
  return value
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(SPECIAL, (c) => SPECIAL_LETTERS[c] ?? c);
}

/**
 * Folded words: apostrophes vanish (o'brien = obrien), any other run of non letters/digits
 * becomes a word break. The result is a list of non-empty words of [a-z0-9] and other letters.
 */
export function foldWords(value: string): string[] {
  return foldCase(value)
    .replace(/['’`´ʼ]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Folded words joined by one space; undefined when nothing is left. */
export function foldText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const words = foldWords(value);
  return words.length === 0 ? undefined : words.join(' ');
}
