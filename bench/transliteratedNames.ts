// A development set of names written in two scripts or transliterated two ways, built from a
// labelled set (bench:accuracy --enrichment builds it from rldata500 and FEBRL 3). The labels
// stay the same; only names change, seeded, so every run builds the same file:
// - of every person recorded more than once, each record after the first has its given and
//   family names rewritten with probability 1/2: in Cyrillic (4 in 10), in Greek (3 in 10), or
//   in Latin letters spelt as another transliteration convention writes them (3 in 10: sch/sh,
//   ck/k, w/v, ph/f, -ov/-off, -ski/-sky, y/i, j/y);
// - of the people recorded once, 15% have their names written in Cyrillic, so records in another
//   script that must NOT join anyone are there too (a precision check, not only a recall one).
// Cyrillic and Greek are written letter by letter as a clerk would transcribe the spoken name
// (German/English reading: sch -> ш, ch -> х, z -> ц, w -> в; th -> θ), not by any one standard,
// so that romanising them back gives a spelling of its own (Schmidt -> Шмидт -> Shmidt).
//
//   npx tsx bench/transliteratedNames.ts --out DIR     writes DIR/<set>.csv and DIR/<set>_truth.csv
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { seededRandom } from '@nexus/schema';
import { firstFile, labelledDatasets, readTruth, type LabelledDataset } from './datasets';

const NAME_COLUMNS = new Set(['given_name', 'family_name', 'surname', 'first_name']);

function transcribe(name: string, table: Array<[string, string]>, final?: [string, string]): string {
  let out = '';
  const lower = name.toLowerCase();
  for (let i = 0; i < lower.length;) {
    const hit = table.find(([from]) => lower.startsWith(from, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += lower[i];
      i++;
    }
  }
  if (final) out = out.replace(new RegExp(`${final[0]}(?=\\s|$)`, 'g'), final[1]);
  return out.replace(/(^|\s)(\S)/g, (_, s: string, c: string) => s + c.toUpperCase());
}

const CYRILLIC: Array<[string, string]> = [
  ['sch', 'ш'],
  ['tsch', 'ч'],
  ['ch', 'х'],
  ['sh', 'ш'],
  ['ck', 'к'],
  ['ph', 'ф'],
  ['th', 'т'],
  ['ei', 'ай'],
  ['ey', 'ей'],
  ['eu', 'ой'],
  ['ie', 'и'],
  ['ue', 'ю'],
  ['oe', 'ё'],
  ['ae', 'э'],
  ['qu', 'кв'],
  ['x', 'кс'],
  ['ä', 'э'],
  ['ö', 'ё'],
  ['ü', 'ю'],
  ['ß', 'сс'],
  ['a', 'а'],
  ['b', 'б'],
  ['c', 'к'],
  ['d', 'д'],
  ['e', 'е'],
  ['f', 'ф'],
  ['g', 'г'],
  ['h', 'х'],
  ['i', 'и'],
  ['j', 'й'],
  ['k', 'к'],
  ['l', 'л'],
  ['m', 'м'],
  ['n', 'н'],
  ['o', 'о'],
  ['p', 'п'],
  ['r', 'р'],
  ['s', 'с'],
  ['t', 'т'],
  ['u', 'у'],
  ['v', 'в'],
  ['w', 'в'],
  ['y', 'и'],
  ['z', 'ц'],
];

const GREEK: Array<[string, string]> = [
  ['sch', 'σχ'],
  ['ch', 'χ'],
  ['th', 'θ'],
  ['ph', 'φ'],
  ['ps', 'ψ'],
  ['ck', 'κ'],
  ['ks', 'ξ'],
  ['x', 'ξ'],
  ['ou', 'ου'],
  ['u', 'ου'],
  ['ä', 'ε'],
  ['ö', 'ο'],
  ['ü', 'ι'],
  ['ß', 'σ'],
  ['a', 'α'],
  ['b', 'μπ'],
  ['c', 'κ'],
  ['d', 'ντ'],
  ['e', 'ε'],
  ['f', 'φ'],
  ['g', 'γκ'],
  ['h', ''],
  ['i', 'ι'],
  ['j', 'γι'],
  ['k', 'κ'],
  ['l', 'λ'],
  ['m', 'μ'],
  ['n', 'ν'],
  ['o', 'ο'],
  ['p', 'π'],
  ['q', 'κ'],
  ['r', 'ρ'],
  ['s', 'σ'],
  ['t', 'τ'],
  ['v', 'β'],
  ['w', 'β'],
  ['y', 'ι'],
  ['z', 'ζ'],
];

/** Another transliteration convention's spelling, in Latin letters. */
function respell(name: string): string {
  const rules: Array<[RegExp, string]> = [
    [/sch/gi, 'sh'],
    [/ck/gi, 'k'],
    [/w/gi, 'v'],
    [/ph/gi, 'f'],
    [/ov\b/gi, 'off'],
    [/ski\b/gi, 'sky'],
    [/y/gi, 'i'],
    [/j/gi, 'y'],
    [/tz/gi, 'ts'],
  ];
  let out = name;
  for (const [pattern, to] of rules) out = out.replace(pattern, to);
  return out === name ? `${name}${/[aeiou]$/i.test(name) ? 'h' : 'e'}` : out;
}

type Writing = 'cyrillic' | 'greek' | 'respelt';

function rewrite(value: string, how: Writing): string {
  if (value.trim() === '') return value;
  if (how === 'cyrillic') return transcribe(value, CYRILLIC, ['с', 'с']);
  if (how === 'greek') return transcribe(value, GREEK, ['σ', 'ς']);
  return respell(value);
}

export interface TwoScriptSet {
  set: LabelledDataset;
  /** Records rewritten, by how. */
  rewritten: Record<Writing | 'singleton_cyrillic', number>;
}

/** Writes `<dir>/<name>.csv` and its truth from `base`; the set is scored like any other. */
export function writeTwoScriptSet(base: LabelledDataset, dir: string, seed = 17): TwoScriptSet {
  const random = seededRandom(seed);
  const truth = readTruth(base.truth);
  const header = parse(fs.readFileSync(firstFile(base), 'utf8'), { to_line: 1 })[0] as string[];
  const idColumn =
    header.find((h) => base.map.split(',').some((m) => m === `${h}=external_id`)) ?? 'external_id';
  const rows: Array<Record<string, string>> = base.files.flatMap((file) =>
    parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }),
  );
  const size = new Map<string, number>();
  for (const entity of truth.values()) size.set(entity, (size.get(entity) ?? 0) + 1);
  const seen = new Set<string>();
  const rewritten = { cyrillic: 0, greek: 0, respelt: 0, singleton_cyrillic: 0 };
  for (const row of rows) {
    const entity = truth.get((row[idColumn] ?? '').trim());
    if (entity === undefined) continue;
    const first = !seen.has(entity);
    seen.add(entity);
    let how: Writing | undefined;
    if ((size.get(entity) ?? 1) === 1) {
      if (random() < 0.15) {
        how = 'cyrillic';
        rewritten.singleton_cyrillic++;
      }
    } else if (!first && random() < 0.5) {
      const pick = random();
      how = pick < 0.4 ? 'cyrillic' : pick < 0.7 ? 'greek' : 'respelt';
      rewritten[how]++;
    }
    if (how === undefined) continue;
    for (const column of header)
      if (NAME_COLUMNS.has(column.trim())) row[column] = rewrite((row[column] ?? '').trim(), how);
  }
  const slug = base.source.replace(/[^a-z0-9]+/gi, '_');
  const file = path.join(dir, `${slug}_two_scripts.csv`);
  fs.writeFileSync(file, stringify(rows, { header: true, columns: header }));
  return {
    set: {
      ...base,
      name: `${base.name} in two scripts`,
      files: [file],
      splink: '-',
      goal: undefined,
      orders: false,
    },
    rewritten,
  };
}

/** The bases: a German-name set with dates only, and an English-name set with addresses. */
export function twoScriptBases(): LabelledDataset[] {
  return labelledDatasets().filter((s) => s.name === 'rldata500' || s.name === 'FEBRL 3 without soc_sec_id');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out =
    process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ??
    process.argv[process.argv.indexOf('--out') + 1];
  if (!out || out.startsWith('--')) throw new Error('usage: tsx bench/transliteratedNames.ts --out DIR');
  fs.mkdirSync(out, { recursive: true });
  for (const base of twoScriptBases()) {
    const { set, rewritten } = writeTwoScriptSet(base, out);
    fs.copyFileSync(base.truth, path.join(out, `${path.basename(firstFile(set), '.csv')}_truth.csv`));
    console.log(`${set.files[0]}: ${JSON.stringify(rewritten)}`);
  }
}
