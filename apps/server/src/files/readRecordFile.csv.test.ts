import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseColumnMap } from './columns';
import { readAll, summary, tempFiles } from './testFiles';

const files = tempFiles();
const febrlMap = parseColumnMap(
  'rec_id=external_id,surname=family_name,suburb=locality,soc_sec_id=national_id',
);
const dataset3 = fileURLToPath(new URL('../../../../../shared/data/febrl/dataset3.csv', import.meta.url));

describe('readRecordFile: CSV', () => {
  it('reads FEBRL 3 with the FEBRL map: every row, as text, trimmed', async () => {
    const rows = await readAll(dataset3, { map: febrlMap, source: 'febrl3' });
    expect(rows).toHaveLength(5000);
    expect(rows.every((r) => r.ok)).toBe(true);
    // line 100: rec-1130-dup-0, lauren, sounness, 18, leist street, moondani, seaforth, 0832, qld, 19900129, 6693616
    expect(rows.find((r) => r.line === 100)).toEqual({
      line: 100,
      ok: true,
      warnings: [],
      record: {
        external_id: 'rec-1130-dup-0',
        source: 'febrl3',
        given_name: 'lauren',
        family_name: 'sounness',
        street_number: '18',
        locality: 'seaforth',
        postcode: '0832',
        state: 'qld',
        date_of_birth: '19900129',
        national_id: '6693616',
        attributes: { address_1: 'leist street', address_2: 'moondani' },
      },
    });
  });

  it('reads a FEBRL-style comma-space file, keeping leading zeros and empty values out', async () => {
    const path = files.write(
      'febrl.csv',
      'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n' +
        'rec-1-org, mitchell, green, 7, wallaby place, delmar, cleveland, 0800, sa, 19560409, 0804974\n' +
        'rec-1-dup-0, mitchell, , 7, wallaby place, , cleveland, 0800, sa, 19561309, 0804974\n',
    );
    const columns: string[][] = [];
    const rows = await readAll(path, { map: febrlMap, onColumns: (c) => columns.push(c) });
    expect(columns).toEqual([
      [
        'external_id',
        'given_name',
        'family_name',
        'street_number',
        'address_1',
        'address_2',
        'locality',
        'postcode',
        'state',
        'date_of_birth',
        'national_id',
      ],
    ]);
    expect(summary(rows)).toEqual([
      [2, 'rec-1-org'],
      [3, 'rec-1-dup-0'],
    ]);
    const dup = rows[1]!;
    if (!dup.ok) throw new Error('expected a record');
    expect(dup.record.postcode).toBe('0800');
    expect(dup.record.national_id).toBe('0804974');
    expect(dup.record.family_name).toBeUndefined();
    expect(dup.record.attributes).toEqual({ address_1: 'wallaby place' });
    expect(dup.warnings).toEqual([{ field: 'date_of_birth', message: 'month 13 does not exist' }]);
  });

  it.each([
    ['semicolon', ';'],
    ['tab', '\t'],
    ['pipe', '|'],
  ])('detects a %s delimiter from the header', async (_name, d) => {
    const path = files.write(
      'people.txt',
      [
        ['External_ID', 'Given_Name', 'Family_Name', 'Postcode'],
        ['a1', 'Ann', "O'Neil, Jr", '01234'],
        ['a2', 'Bob', '', ''],
      ]
        .map((r) => r.join(d))
        .join('\n'),
    );
    const rows = await readAll(path, { source: 'crm' });
    expect(rows.map((r) => (r.ok ? r.record : r))).toEqual([
      {
        external_id: 'a1',
        source: 'crm',
        given_name: 'Ann',
        family_name: "O'Neil, Jr",
        postcode: '01234',
        attributes: {},
      },
      { external_id: 'a2', source: 'crm', given_name: 'Bob', attributes: {} },
    ]);
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it('reads quoted fields with delimiters, quotes and line breaks, with a BOM and CRLF, and keeps line numbers right', async () => {
    const path = files.write(
      'quoted.csv',
      '\uFEFFexternal_id,given_name,street,note\r\n' +
        '1,"Smith, Ann","1 High St\r\nFlat 2\r\nBack door",plain\r\n' +
        '\r\n' +
        '2,"Say ""Bo""",,"a;b|c"\r\n' +
        '3,Cy,"x\ny",z\r\n' +
        '4,Di,,\r\n',
    );
    const rows = await readAll(path);
    expect(summary(rows)).toEqual([
      [2, '1'],
      [6, '2'],
      [7, '3'],
      [9, '4'],
    ]);
    const [first, second] = rows;
    expect(first?.ok && first.record).toMatchObject({
      given_name: 'Smith, Ann',
      street: '1 High St\r\nFlat 2\r\nBack door',
    });
    expect(first?.ok && first.record.attributes).toEqual({ note: 'plain' });
    expect(second?.ok && second.record).toMatchObject({
      given_name: 'Say "Bo"',
      attributes: { note: 'a;b|c' },
    });
  });

  it('reports each broken row with its line and what is wrong, and lets every good row through', async () => {
    const path = files.write(
      'broken.csv',
      [
        'external_id,given_name,family_name',
        'g1,Ann,Lee', // 2
        'b1,Bob', // 3: too few fields
        'g2,Cy,Ng', // 4
        'b2,Dan,Roe,extra', // 5: too many
        'b3,"Eve"x,Poe', // 6: text after a closing quote
        'g3,"Fay, F",Hu', // 7
        ',Gus,Ito', // 8: no external_id
        'b4,"Hal,Jo', // 9: quote never closed
        'g4,Ida,Kay', // 10
        'b5,,', // 11: nothing to match on
        'g5,Jan,"Lu"', // 12
      ].join('\n'),
    );
    const rows = await readAll(path);
    expect(summary(rows)).toEqual([
      [2, 'g1'],
      [3, 'ERROR (row) has 2 fields where the header has 3 columns'],
      [4, 'g2'],
      [5, 'ERROR (row) has 4 fields where the header has 3 columns'],
      [
        6,
        'ERROR (row) has "x,Poe" after the closing quote of field 2, where "," or the end of the line should be',
      ],
      [7, 'g3'],
      [8, 'ERROR external_id is required'],
      [
        9,
        'ERROR (row) has "Lu\\"" after the closing quote of field 2 on line 12, where "," or the end of the line should be (is a quote on line 9 never closed?)',
      ],
      [10, 'g4'],
      [
        11,
        'ERROR (record) has no name, national_id, email, phone, face_image, or date of birth with a place to match on',
      ],
      [12, 'g5'],
    ]);
    expect(rows[1]).toMatchObject({ ok: false, raw: 'b1,Bob' });
    expect(rows[6]).toMatchObject({ ok: false, raw: ',Gus,Ito' });
  });

  it('reports a value over the field limit and a row over the size limit, and goes on', async () => {
    const long = 'x'.repeat(1_500);
    const path = files.write(
      'huge.csv',
      `external_id,given_name\nh1,${long}\nh2,"${'y'.repeat(6_000)}\n${'z'.repeat(6_000)}"\nh3,${'w'.repeat(20_000)}\nok,Ann\n`,
    );
    const rows = await readAll(path, { maxRowChars: 10_000, chunkSize: 1_024 });
    expect(summary(rows)).toEqual([
      [2, 'ERROR given_name is longer than 1,000 characters'],
      [3, 'ERROR (row) is longer than 10,000 characters (has a quote in field 2 that is never closed?)'],
      [4, 'ERROR (row) has 1 field where the header has 2 columns'],
      [5, 'ERROR (row) is longer than 10,000 characters'],
      [6, 'ok'],
    ]);
    const bad = rows[0];
    expect(bad?.ok === false && bad.raw).toMatch(/^h1,x{197}\.\.\. \(1,503 characters\)$/);
  });

  it('loses only one row to a quote left open near the top of a long file', async () => {
    const body = Array.from({ length: 50_000 }, (_, i) => `r${i},N${i}`).join('\n');
    const rows = await readAll(files.write('open.csv', `external_id,given_name\nx,"oops\n${body}\n`));
    expect(rows).toHaveLength(50_001);
    expect(summary(rows.slice(0, 2))).toEqual([
      [2, 'ERROR (row) has a quote in field 2 that is never closed'],
      [3, 'r0'],
    ]);
    expect(rows.filter((r) => !r.ok)).toHaveLength(1);
  });

  it('reads a face image data: URL of several megabytes with the default limit', async () => {
    const image = `data:image/png;base64,${'A'.repeat(3_000_000)}`;
    const path = files.write('faces.csv', `external_id,face_image\r\nf1,"${image}"\r\nf2,faces/f2.png\r\n`);
    const rows = await readAll(path);
    expect(rows.map((r) => r.ok && r.record.face_image)).toEqual([image, 'faces/f2.png']);
  });
});
