/**
 * Gender codes as sources write them: letters in several languages, ISO/IEC 5218 digits
 * (1 male, 2 female, 0 unknown, 9 not applicable). Anything else is treated as unknown rather
 * than as a third value, because an unknown code says nothing about a match.
 */
export type Gender = 'm' | 'f';

const MALE = new Set([
  'm',
  'male',
  'man',
  'boy',
  '1',
  'h',
  'hombre',
  'homme',
  'masculin',
  'masculino',
  'masculine',
  'mr',
]);
const FEMALE = new Set([
  'f',
  'female',
  'woman',
  'girl',
  '2',
  'w',
  'mujer',
  'femme',
  'feminin',
  'femenino',
  'feminino',
  'feminine',
  'mrs',
  'ms',
]);

export function normaliseGender(value: string): Gender | undefined {
  const text = value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .trim()
    .toLowerCase()
    .replace(/[.\s]+/g, '');
  if (MALE.has(text)) return 'm';
  if (FEMALE.has(text)) return 'f';
  return undefined;
}
