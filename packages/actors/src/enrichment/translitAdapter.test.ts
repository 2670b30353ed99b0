import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@nexus/schema';
import { comparePair, DEFAULT_MODEL, normaliseRecord, blockingKeys } from '@nexus/matching';
import { romanise, scriptsOf } from './romanise';
import { TranslitAdapter, SKELETON_MARK } from './translitAdapter';
import { givenNameVariantRoot, spellingSkeleton } from './transliterationVariants';

const record = (fields: Partial<CanonicalRecord>): CanonicalRecord => ({
  source: 's',
  external_id: 'x',
  attributes: {},
  ...fields,
});

const local = new TranslitAdapter();
const enrich = (fields: Partial<CanonicalRecord>) => {
  const r = record(fields);
  return local.answer({ record: r, normalised: normaliseRecord(r) });
};

describe('romanise', () => {
  it('writes names of other scripts in Latin letters and leaves Latin ones alone', () => {
    expect(romanise('Юрий Щербаков')).toBe('Yuriy Shcherbakov');
    expect(romanise('Αλέξανδρος Παπαδόπουλος')).toBe('Alexandros Papadopoulos');
    expect(romanise('ΠΑΠΑΔΟΠΟΥΛΟΣ')).toBe('PAPADOPOULOS');
    expect(romanise('राजेश कुमार')).toBe('rajes kumar');
    expect(romanise('王小明')?.toLowerCase()).toBe('wangxiaoming');
    expect(romanise('김민준')?.toLowerCase()).toBe('gimminjun');
    expect(romanise('محمد')).toBe('mhmd');
    expect(romanise('Müller')).toBeUndefined();
    expect(romanise('O’Brien-Smith')).toBeUndefined();
  });

  it('names the scripts it romanised', () => {
    expect(scriptsOf('Иван Παπας')).toEqual(['Cyrillic', 'Greek']);
    expect(scriptsOf('Ann')).toEqual([]);
  });
});

describe('transliteration variants', () => {
  it('brings the spellings of one romanised name to one skeleton', () => {
    const same = (names: string[]) => new Set(names.map(spellingSkeleton)).size;
    expect(same(['shcherbakov', 'scherbakow', 'chtcherbakoff', 'schtscherbakow'])).toBe(1);
    expect(same(['ivanov', 'ivanoff', 'ivanow', 'ivanof'])).toBe(1);
    expect(same(['kowalski', 'kowalsky', 'kovalskiy'])).toBe(1);
    expect(same(['yuriy', 'iurii', 'jurij', 'yuri'])).toBe(1);
    expect(same(['sergeyev', 'sergejew', 'sergeev'])).toBe(1);
    expect(same(['abramovich', 'abramowicz', 'abramovitch'])).toBe(1);
  });

  it('keeps apart names that differ in more than their spelling', () => {
    // A wife and her husband: -ova is not -ov.
    expect(spellingSkeleton('ivanova')).not.toBe(spellingSkeleton('ivanov'));
    expect(spellingSkeleton('kowalska')).not.toBe(spellingSkeleton('kowalski'));
    expect(spellingSkeleton('petrov')).not.toBe(spellingSkeleton('petrenko'));
    expect(spellingSkeleton('smith')).not.toBe(spellingSkeleton('schmidt'));
    expect(spellingSkeleton('ann')).toBeUndefined();
  });

  it('maps the given names no rule recovers to their group', () => {
    for (const name of ['mohammed', 'mohamed', 'muhammed', 'mohammad'])
      expect(givenNameVariantRoot(name)).toBe('muhammad');
    expect(givenNameVariantRoot('youssef')).toBe('yusuf');
    expect(givenNameVariantRoot('mary')).toBeUndefined();
  });
});

describe('the local adapter', () => {
  it('compares a Cyrillic record by its romanised names and keeps what was sent', () => {
    const sent = { given_name: 'Юрий', family_name: 'Щербаков', date_of_birth: '1970-02-03' };
    const answer = enrich(sent);
    expect(answer.result.normalised.given).toBe('yuriy');
    expect(answer.result.normalised.family).toBe('shcherbakov');
    expect(answer.contribution).toMatchObject({
      outcome: 'applied',
      scripts: ['Cyrillic'],
      changed: [
        { field: 'given_name', from: 'Юрий', to: 'Yuriy' },
        { field: 'family_name', from: 'Щербаков', to: 'Shcherbakov' },
      ],
    });
    // The stage hands the pipeline a new normalised form; the record it was given is unchanged.
    expect(sent.given_name).toBe('Юрий');
  });

  it('makes a Cyrillic and a Latin record of one person agree on their names', () => {
    const latin = enrich({ given_name: 'Yuri', family_name: 'Scherbakow', date_of_birth: '1970-02-03' })
      .result.normalised;
    const cyrillic = enrich({ given_name: 'Юрий', family_name: 'Щербаков', date_of_birth: '1970-02-03' })
      .result.normalised;
    const plain = normaliseRecord(
      record({ given_name: 'Юрий', family_name: 'Щербаков', date_of_birth: '1970-02-03' }),
    );
    const level = (a: typeof latin, b: typeof latin, field: string) =>
      comparePair(a, b, DEFAULT_MODEL).fields.find((f) => f.field === field)?.level;
    expect(level(plain, latin, 'family_name')).toBe('different');
    expect(level(cyrillic, latin, 'family_name')).not.toBe('different');
    expect(level(cyrillic, latin, 'given_name')).not.toBe('different');
    expect(comparePair(cyrillic, latin, DEFAULT_MODEL).total).toBeGreaterThan(
      comparePair(plain, latin, DEFAULT_MODEL).total,
    );
  });

  it('adds variants as alternate forms, after the codes that block', () => {
    const n = enrich({ given_name: 'Mohammed', family_name: 'Ivanoff' }).result.normalised;
    expect(n.given).toBe('mohammed');
    expect(n.givenRoots).toContain('muhammad');
    expect(n.familyCodes?.at(-1)).toBe(`${SKELETON_MARK}ivanov`);
    expect(n.familyCodes?.[0]).not.toContain(SKELETON_MARK);
    const other = enrich({ given_name: 'Muhammad', family_name: 'Ivanov' }).result.normalised;
    const levels = comparePair(n, other, DEFAULT_MODEL).fields;
    expect(levels.find((f) => f.field === 'given_name')?.level).toBe('nickname');
    // Mohammed and Muhammad block under one given-name key.
    const keys = (x: typeof n) =>
      blockingKeys({ ...x, dob: { precision: 'year', digits: '1980', year: 1980 } });
    expect(keys(n).filter((k) => k.startsWith('gy:'))).toEqual(
      keys(other).filter((k) => k.startsWith('gy:')),
    );
  });

  it('says unchanged when there is nothing to add', () => {
    expect(enrich({ given_name: 'Ann', family_name: 'Lee' }).contribution).toEqual({ outcome: 'unchanged' });
  });
});
