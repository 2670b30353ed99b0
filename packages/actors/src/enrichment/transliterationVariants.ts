/**
 * Known transliteration variants: one name romanised by different conventions (English, German,
 * French, ICAO passports) or spelt from an unvowelled script. They become alternate forms of a
 * normalised name, used for comparison and blocking; the name itself is never rewritten.
 *
 * Two kinds:
 * - given names with vowels no rule recovers (Muhammad/Mohammed/Mohamed): a table of groups,
 *   each name mapped to the group's first spelling;
 * - a spelling skeleton for any name: the endings and letter groups that conventions write
 *   differently (-ov/-off/-ow, -sky/-ski/-skiy, -vich/-wicz, shch/sch, kh/h, y/j/i, w/v...)
 *   brought to one form, and doubled letters made single.
 * Deliberately narrow: a rule that made two different names one (-ova is not -ov: a wife and her
 * husband) would merge two people, the worst error this engine can make.
 */

const GIVEN_GROUPS = `
muhammad mohammed mohammad mohamed mohamad muhammed mohamud mohammud muhamad mouhamed
ahmad ahmed ahmet
hussein husein hussain husain husayn hosein hossein
hassan hasan hassen
yusuf yousef youssef yusef yousuf yossef
omar umar omer
osman usman uthman othman
abdullah abdallah abdulla
ibrahim ebrahim ibraheem
mustafa mustapha mostafa moustafa
khalid khaled chalid
mahmoud mahmud mahmood
fatima fatimah fatma fatime
aisha ayesha aysha aicha aishah
yuri yury yuriy iouri jurij juri iurii
sergei sergey sergej serguei
aleksei alexey alexei aleksey aleksej alexej
aleksandr alexandr aleksander
dmitri dmitry dmitrij dmitriy
nikolai nikolay nikolaj
andrei andrey andrej
evgeny yevgeny evgeni evgenii jewgeni yevgeniy evgenij
mikhail michail mikhael
natalia natalya natalja nataliya
tatiana tatyana tatjana
yulia julia yuliya iuliia julija
olga olha
elena yelena jelena
`;

const ROOT = new Map<string, string>();
for (const line of GIVEN_GROUPS.trim().split('\n')) {
  const names = line.trim().split(/\s+/);
  const root = names[0];
  if (root !== undefined) for (const name of names) ROOT.set(name, root);
}

/** The group's spelling of a given name that has transliteration variants, else undefined. */
export function givenNameVariantRoot(given: string): string | undefined {
  return ROOT.get(given);
}

/** Applied in order, to a folded word of [a-z]. */
const ENDINGS: Array<[RegExp, string]> = [
  [/(?:off|ow|of)$/, 'ov'],
  [/(?:ieff|yeff|jeff|eff|iew|yew|jew|iev|yev|jev)$/, 'ev'],
  [/(?:skiy|skij|skii|skyi|sky)$/, 'ski'],
  [/(?:wicz|vitch|vitsch|witsch|witch|wich)$/, 'vich'],
  [/(?:skaja|skaia)$/, 'skaya'],
];

const LETTERS: Array<[RegExp, string]> = [
  [/(?:schtsch|shtch|chtch|shch|sch)/g, 'sh'],
  [/(?:tsch|tch)/g, 'ch'],
  [/kh/g, 'h'],
  [/ph/g, 'f'],
  [/ck/g, 'k'],
  [/x/g, 'ks'],
  [/w/g, 'v'],
  [/(?:tz|ts)/g, 'c'],
  [/ou/g, 'u'],
  [/[yj]/g, 'i'],
  [/^ie/, 'e'],
];

/**
 * The spelling skeleton of a folded name: Shcherbakov, Scherbakow and Chtcherbakoff, or Yuriy,
 * Iurii and Jurij, come out the same. Undefined for names too short to say anything.
 */
export function spellingSkeleton(name: string): string | undefined {
  if (!/^[a-z]+$/.test(name) || name.length < 4) return undefined;
  let s = name;
  for (const [pattern, to] of ENDINGS) s = s.replace(pattern, to);
  for (const [pattern, to] of LETTERS) s = s.replace(pattern, to);
  s = s.replace(/(.)\1+/g, '$1');
  return s.length < 3 ? undefined : s;
}
