import { describe, expect, it } from 'vitest';
import { normaliseRecord } from '@nexus/matching';
import { candidateQuery, goldenRecordDocument } from './goldenRecordDocument';

const record = (r: Record<string, string>) => normaliseRecord({ external_id: 'x', attributes: {}, ...r });

describe('golden record documents', () => {
  it('hold every member, already normalised (the node has no folding or phonetic filters)', () => {
    const doc = goldenRecordDocument('active', [
      record({
        given_name: 'Zoë',
        family_name: "O'Brien",
        date_of_birth: '1980-03-07',
        national_id: 'AB 12-34',
      }),
      record({ given_name: 'Bob', family_name: 'Smith', email: 'Bob.Smith@Example.com', postcode: '2000' }),
    ]);
    expect(doc.given).toContain('zoe');
    expect(doc.family).toEqual(expect.arrayContaining(['obrien', 'smith']));
    expect(doc.given).toContain('robert'); // a nickname's formal name
    expect(doc.dob).toEqual(['19800307']);
    expect(doc.dob_md).toEqual(['0307']);
    expect(doc.national_id).toEqual(['ab1234']);
    expect(doc.family_codes.length).toBeGreaterThan(0);
    expect(doc.postcode).toEqual(['2000']);
  });

  it('query on fuzzy family names, codes, dates and identifiers, active golden records only', () => {
    const query = candidateQuery(
      record({
        given_name: 'Jon',
        family_name: 'Smyth',
        date_of_birth: '19800307',
        phone: '+61 2 9999 0000',
      }),
    );
    const text = JSON.stringify(query);
    expect(text).toContain('"fuzziness":"AUTO"');
    expect(text).toContain('"dob"');
    expect(text).toContain('"family_codes"');
    expect(text).toContain('"phone"');
    expect(text).toContain('{"term":{"status":"active"}}');
    expect(candidateQuery(record({}))).toBeUndefined();
  });
});
