import { describe, expect, it } from 'vitest';
import { readAll, summary, tempFiles } from './testFiles';

const files = tempFiles();

describe('readRecordFile: NDJSON', () => {
  it('reads one object a line, reports bad lines with their number and skips blank ones', async () => {
    const path = files.write(
      'people.ndjson',
      [
        '{"external_id":"n1","given_name":"Ann","postcode":"0800","attributes":{"tier":"gold"}}', // 1
        '', // 2
        '{"external_id":"n2","given_name":"Bob",', // 3: cut short
        '  {"External_ID":"n3","Given_Name":"Cy","age":41}  \r', // 4
        '["n4","Dan"]', // 5
        '"just text"', // 6
        'null', // 7
        '{"given_name":"Eve"}', // 8: no external_id
        '{"external_id":"n5","given_name":{"first":"Fay"}}', // 9
        '{"external_id":"n6","email":"g@example.org"}', // 10
        '   ', // 11
      ].join('\n'),
    );
    const rows = await readAll(path, { source: 'app' });
    expect(summary(rows)).toEqual([
      [1, 'n1'],
      [3, expect.stringMatching(/^ERROR \(row\) is not valid JSON \(.+\)$/) as string],
      [4, 'n3'],
      [5, 'ERROR (row) is an array, not a JSON object of field names to values'],
      [6, 'ERROR (row) is a string, not a JSON object of field names to values'],
      [7, 'ERROR (row) is null, not a JSON object of field names to values'],
      [8, 'ERROR external_id is required'],
      [9, 'ERROR given_name must be a text value, not an object or list'],
      [10, 'n6'],
    ]);
    expect(rows[0]).toMatchObject({
      ok: true,
      record: { source: 'app', postcode: '0800', attributes: { tier: 'gold' } },
    });
    expect(rows[2]).toMatchObject({ ok: true, record: { given_name: 'Cy', attributes: { age: '41' } } });
    expect(rows[1]).toMatchObject({ ok: false, raw: '{"external_id":"n2","given_name":"Bob",' });
  });

  it('applies --map to keys, reports keys that collide, and announces the first object’s columns', async () => {
    const path = files.write(
      'mapped.jsonl',
      '{"id":"m1","surname":"Lee","cluster":"7"}\n{"id":"m2","surname":"Ng","family_name":"Ng"}\n{"id":"m3","surname":"Ho"}\n',
    );
    const columns: string[][] = [];
    const rows = await readAll(path, {
      map: { ID: 'external_id', surname: 'family_name' },
      onColumns: (c) => columns.push(c),
    });
    expect(columns).toEqual([['external_id', 'family_name', 'cluster']]);
    expect(summary(rows)).toEqual([
      [1, 'm1'],
      [2, 'ERROR (row) has both "surname" and "family_name" as family_name'],
      [3, 'm3'],
    ]);
  });

  it('sniffs NDJSON from the first character when the extension says nothing', async () => {
    const path = files.write('export.txt', '\n\n{"external_id":"s1","full_name":"Ann Lee"}\n');
    expect(summary(await readAll(path))).toEqual([[3, 's1']]);
  });

  it('reports a line over the size limit and goes on', async () => {
    const big = JSON.stringify({ external_id: 'big', given_name: 'x'.repeat(5_000) });
    const path = files.write('big.ndjson', `${big}\n{"external_id":"ok","given_name":"Ann"}\n`);
    expect(summary(await readAll(path, { maxRowChars: 1_000, chunkSize: 256 }))).toEqual([
      [1, 'ERROR (row) is longer than 1,000 characters'],
      [2, 'ok'],
    ]);
  });
});
