import { describe, expect, it } from 'vitest';
import { labelledValues, personName, searchCriteria } from './people';

describe('reading one search box', () => {
  it('takes words for a name, an email or a token with digits for an identifier', () => {
    expect(searchCriteria('Ada Byron')).toEqual([{ label: 'name', input: { name: 'Ada Byron' } }]);
    expect(searchCriteria('ada@example.org')).toEqual([
      { label: 'email', input: { identifier: 'ada@example.org' } },
    ]);
    expect(searchCriteria('AB123456')).toEqual([{ label: 'identifier', input: { identifier: 'AB123456' } }]);
  });

  it('tries eight digits as a date of birth and as an identifier, a dashed date as a date only', () => {
    expect(searchCriteria('18151210').map((c) => c.label)).toEqual(['date of birth', 'identifier']);
    expect(searchCriteria('1815-12-10')).toEqual([
      { label: 'date of birth', input: { dateOfBirth: '1815-12-10' } },
    ]);
    expect(searchCriteria('+44 20 7946 0958')).toEqual([
      { label: 'identifier', input: { identifier: '+44 20 7946 0958' } },
    ]);
  });

  it('combines a name with a year of birth, and waits for two characters', () => {
    expect(searchCriteria('Byron  1815')).toEqual([
      { label: 'name and date of birth', input: { name: 'Byron', dateOfBirth: '1815' } },
    ]);
    expect(searchCriteria(' a ')).toEqual([]);
  });
});

describe('values as people read them', () => {
  it('names a person by their parts, or their full name', () => {
    expect(personName({ given_name: 'Ada', family_name: 'Byron' })).toBe('Ada Byron');
    expect(personName({ full_name: 'A. Lovelace' })).toBe('A. Lovelace');
    expect(personName({})).toBe('Unnamed person');
  });

  it('labels canonical fields in order, other attributes after, and leaves out the face image', () => {
    const rows = labelledValues({ shoe_size: '38', email: 'a@b.c', given_name: 'Ada', face_image: 'data:x' });
    expect(rows.map((r) => r.label)).toEqual(['Given name', 'Email', 'shoe size']);
  });
});
