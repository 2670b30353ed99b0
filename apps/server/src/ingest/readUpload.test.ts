import { describe, expect, it } from 'vitest';
import { MAX_BATCH_RECORDS } from '@nexus/schema';
import { readUpload } from './readUpload';

describe('reading a file uploaded from the dashboard', () => {
  it('reads CSV with the server reader: valid records, and the rows that are not with their line', async () => {
    const csv = [
      'external_id;given_name;family_name;date_of_birth',
      'a1;Ana;Silva;1980-01-02',
      ';Bruno;Souza;1981-02-03',
      'a3;Carla;"Costa; Lima";1982-03-04;extra',
      'a4;Davi;Rocha;1983-04-05',
    ].join('\n');
    const reading = await readUpload('people.csv', csv);
    expect(reading.format).toBe('csv');
    expect(reading.columns).toEqual(['external_id', 'given_name', 'family_name', 'date_of_birth']);
    expect(reading.records.map((r) => r.external_id)).toEqual(['a1', 'a4']);
    expect(reading.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(reading.problems[0]!.errors[0]!.field).toBe('external_id');
    expect(reading.problems[1]!.errors[0]!.message).toMatch(/5 fields where the header has 4/);
    expect(reading.problemCount).toBe(2);
  });

  it('reads NDJSON and JSON arrays', async () => {
    const ndjson = await readUpload(
      'x.ndjson',
      '{"external_id":"n1","given_name":"Ana","family_name":"Lima"}\n',
    );
    expect(ndjson).toMatchObject({ format: 'ndjson', records: [{ external_id: 'n1' }] });
    const json = await readUpload(
      'x.json',
      JSON.stringify([
        { external_id: 'j1', given_name: 'Ana', family_name: 'Lima' },
        { given_name: 'no id' },
      ]),
    );
    expect(json.format).toBe('json');
    expect(json.records.map((r) => r.external_id)).toEqual(['j1']);
    expect(json.problems).toEqual([{ line: 2, errors: [expect.objectContaining({ field: 'external_id' })] }]);
  });

  it('refuses what is not a batch, naming the file and what to do', async () => {
    await expect(readUpload('a.csv', '  \n')).rejects.toThrow(/is empty/);
    await expect(readUpload('a.csv', 'external_id,given_name\n')).rejects.toThrow(
      /^a\.csv: has a header line but no rows/,
    );
    await expect(readUpload('a.json', '[{"external_id": ')).rejects.toThrow(/not valid JSON/);
    await expect(readUpload('a.json', '{"external_id":"x"}')).resolves.toMatchObject({ format: 'ndjson' });
    const tooMany = Array.from({ length: MAX_BATCH_RECORDS + 1 }, (_, i) => ({
      external_id: `t${i}`,
      given_name: 'A',
      family_name: 'B',
    }));
    await expect(readUpload('big.json', JSON.stringify(tooMany))).rejects.toThrow(/split it/);
  });
});
