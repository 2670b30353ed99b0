import { describe, expect, it } from 'vitest';
import { describeUnknownColumns, parseColumnMap, resolveHeader, normaliseColumnMap } from './columns';
import { ColumnMapError, RecordFileError } from './errors';

describe('parseColumnMap', () => {
  it('reads col=field pairs, normalising names and ignoring blanks', () => {
    expect(
      parseColumnMap('rec_id=external_id, Surname = family_name,suburb=locality,soc_sec_id=national_id,'),
    ).toEqual({
      rec_id: 'external_id',
      surname: 'family_name',
      suburb: 'locality',
      soc_sec_id: 'national_id',
    });
    expect(parseColumnMap('')).toEqual({});
  });

  it('rejects a part that is not col=field', () => {
    expect(() => parseColumnMap('rec_id=external_id,x')).toThrow('--map: "x" is not col=field');
    expect(() => parseColumnMap('=given_name')).toThrow('--map: "=given_name" is not col=field');
    expect(() => parseColumnMap('a=')).toThrow('is not col=field');
    expect(() => parseColumnMap('a=b=c')).toThrow('is not col=field');
    expect(() => parseColumnMap('x')).toThrow(ColumnMapError);
  });

  it('names the canonical fields when a target is unknown', () => {
    expect(() => parseColumnMap('surname=last_name')).toThrow(
      /"last_name" \(in "surname=last_name"\) is not a canonical field; use one of external_id, source, given_name, .*face_image/,
    );
  });

  it('rejects a column mapped twice and two columns mapped to one field', () => {
    expect(() => parseColumnMap('a=given_name,A=family_name')).toThrow('column "a" is mapped twice');
    expect(() => parseColumnMap('a=given_name,b=given_name')).toThrow('both "a" and "b" map to given_name');
  });
});

describe('resolveHeader', () => {
  const map = normaliseColumnMap({ REC_ID: 'external_id' });

  it('trims, lower-cases and maps header names', () => {
    expect(resolveHeader([' Rec_ID ', 'Given_Name', 'Extra'], map, 'f.csv')).toEqual([
      'external_id',
      'given_name',
      'extra',
    ]);
  });

  it('says which columns it saw and suggests --map when there is no external_id', () => {
    const err = catchError(() => resolveHeader(['unique_id', 'first_name'], new Map(), 'f.csv'));
    expect(err.code).toBe('FILE.NO_EXTERNAL_ID_COLUMN');
    expect(err.message).toBe(
      'f.csv: no external_id column; columns seen: unique_id, first_name. Name the record id column with --map unique_id=external_id (the first line must be a header of column names)',
    );
    const mapped = catchError(() =>
      resolveHeader(['rec', 'given_name'], normaliseColumnMap({ x: 'family_name' }), 'f.csv'),
    );
    expect(mapped.message).toContain(
      'no external_id column after --map; columns seen: rec, given_name. Name the record id column with --map rec=external_id',
    );
    expect(mapped.message).not.toContain('header of column names');
  });

  it('refuses two columns with the same name, before or after mapping', () => {
    expect(catchError(() => resolveHeader(['external_id', 'a', 'A'], map, 'f.csv')).code).toBe(
      'FILE.DUPLICATE_COLUMN',
    );
    const err = catchError(() => resolveHeader(['rec_id', 'external_id'], map, 'f.csv'));
    expect(err.message).toContain('"rec_id" and "external_id" (columns 1 and 2) both as external_id');
  });
});

describe('describeUnknownColumns', () => {
  it('lists the columns kept as attributes, once each', () => {
    expect(describeUnknownColumns(['external_id', 'Address_1', 'address_2', 'address_1', ''])).toBe(
      '2 columns are not canonical fields and are kept as attributes: address_1, address_2 (rename with --map col=field)',
    );
    expect(describeUnknownColumns(['external_id', 'cluster'])).toBe(
      '1 column is not a canonical field and is kept as an attribute: cluster (rename with --map col=field)',
    );
    expect(describeUnknownColumns(['external_id', 'given_name'])).toBeUndefined();
  });
});

function catchError(fn: () => unknown): RecordFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RecordFileError) return err;
    throw err;
  }
  throw new Error('expected a RecordFileError');
}

describe('dropping columns with --map col=-', () => {
  it('maps the column to nothing, so it is neither a field nor an attribute', () => {
    expect(parseColumnMap('soc_sec_id=-,cluster=-,rec_id=external_id')).toEqual({
      soc_sec_id: '',
      cluster: '',
      rec_id: 'external_id',
    });
    expect(() => parseColumnMap('a=-,a=-')).toThrow(/mapped twice/);
  });
});
