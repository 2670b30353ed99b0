/**
 * Names written in another script, in Latin letters, so that "Щербаков" and "Shcherbakov" can be
 * compared at all (folded Cyrillic has no Double Metaphone code and no similarity to Latin).
 *
 * `any-ascii` does the work (docs/decisions/0041-enrichment-stage.md): one maintained table for
 * every Unicode block (Cyrillic, Greek, Arabic, Hebrew, Devanagari, CJK, Hangul, Thai...), no
 * dependencies, the same answer for the same text. Latin letters with diacritics are left alone:
 * folding (matching/fold.ts) already compares them.
 */
import anyAscii from 'any-ascii';

/** A letter of a script other than Latin: what makes a value worth romanising. */
const OTHER_SCRIPT = /(?!\p{Script=Latin})\p{L}/u;

export function hasOtherScript(text: string): boolean {
  return OTHER_SCRIPT.test(text);
}

/** The scripts of a value's non-Latin letters, for the explanation ("Cyrillic", "Greek"). */
export function scriptsOf(text: string): string[] {
  const found = new Set<string>();
  for (const [name, pattern] of SCRIPTS) if (pattern.test(text)) found.add(name);
  return [...found];
}

const SCRIPTS: Array<[string, RegExp]> = [
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Han', /\p{Script=Han}/u],
  ['Kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Armenian', /\p{Script=Armenian}/u],
];

/**
 * Greek ΟΥ is one vowel, "ou" in every official romanisation (ELOT 743, ISO 843); letter by
 * letter it would become "oy" and Παπαδόπουλος would never meet Papadopoulos.
 */
function greekDigraphs(text: string): string {
  return text.replace(/ο[υύ]/g, 'ou').replace(/Ο[υύ]/g, 'Ou').replace(/Ο[ΥΎ]/g, 'OU');
}

/**
 * The value in Latin letters, or undefined when it has nothing to romanise. Han, Kana and Hangul
 * syllables come out run together (王小明 -> WangXiaoMing), which folds to one word as the name
 * is usually written in Latin letters.
 */
export function romanise(text: string): string | undefined {
  if (!hasOtherScript(text)) return undefined;
  const latin = anyAscii(greekDigraphs(text.normalize('NFC')))
    .replace(/\s+/g, ' ')
    .trim();
  return latin === '' ? undefined : latin;
}
