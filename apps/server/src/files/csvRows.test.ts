import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvAssembler, DELIMITERS, detectDelimiter, type CsvRow, type Delimiter } from './csvRows';
import { readLines } from './lines';
import { tempFiles } from './testFiles';

const files = tempFiles();

function parse(text: string, delimiter: Delimiter = ',', max = 1000): CsvRow[] {
  const a = new CsvAssembler(delimiter, max);
  const out = text.split('\n').flatMap((t, i) => a.push({ no: i + 1, text: t }));
  return [...out, ...a.end()].map((r) => ('error' in r ? { line: r.line, error: r.error, text: r.text } : r));
}
const fields = (rows: CsvRow[]) => rows.map((r) => ('fields' in r ? [r.line, r.fields] : [r.line, r.error]));

describe('detectDelimiter', () => {
  it('picks the delimiter used most outside quotes in the header', () => {
    expect(detectDelimiter('rec_id, given_name, surname')).toBe(',');
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb\tc,d')).toBe('\t');
    expect(detectDelimiter('"a,b,c"|"d"|e')).toBe('|');
    expect(detectDelimiter('external_id')).toBe(',');
  });
});

describe('CsvAssembler', () => {
  it('trims blanks around fields and quotes but keeps them inside quotes', () => {
    expect(fields(parse('a, b ,  " c " ,"d"  '))).toEqual([[1, ['a', 'b', ' c ', 'd']]]);
    expect(fields(parse('a\t "b"\t\tc', '\t'))).toEqual([[1, ['a', 'b', '', 'c']]]);
  });

  it('reads doubled quotes, delimiters and line breaks inside quotes; a row starts where its first line is', () => {
    const rows = parse('1,"say ""hi"", ok"\n2,"two\nlines, here"\n3,x\r\n4,"crlf\r\nkept"\r\n5,"a"');
    expect(fields(rows)).toEqual([
      [1, ['1', 'say "hi", ok']],
      [2, ['2', 'two\nlines, here']],
      [4, ['3', 'x']],
      [5, ['4', 'crlf\r\nkept']],
      [7, ['5', 'a']],
    ]);
  });

  it('keeps a quote inside an unquoted value as text', () => {
    expect(fields(parse('a,5" tall,b'))).toEqual([[1, ['a', '5" tall', 'b']]]);
  });

  it('skips blank lines and rows of empty values', () => {
    expect(fields(parse('a,b\n\n  \n,\n"",""\nc,d'))).toEqual([
      [1, ['a', 'b']],
      [6, ['c', 'd']],
    ]);
  });

  it('reports text after a closing quote and goes on with the next line', () => {
    expect(fields(parse('1,"abc"def,x\n2,y,z'))).toEqual([
      [1, 'has "def,x" after the closing quote of field 2, where "," or the end of the line should be'],
      [2, ['2', 'y', 'z']],
    ]);
  });

  it('reports a quote never closed at its line and reads the lines after it again', () => {
    expect(fields(parse('1,"open,x\n2,y,z\n3,u,v'))).toEqual([
      [1, 'has a quote in field 2 that is never closed'],
      [2, ['2', 'y', 'z']],
      [3, ['3', 'u', 'v']],
    ]);
    // the quote is "closed" by a later row's quote, which then breaks: still only line 1 is lost
    expect(fields(parse('1,"open,x\n2,y,z\n3,"w",v'))).toEqual([
      [1, expect.stringContaining('after the closing quote of field 2') as string],
      [2, ['2', 'y', 'z']],
      [3, ['3', 'w', 'v']],
    ]);
  });

  it('gives up on a quoted value that runs past the size limit', () => {
    const rows = parse(`1,"${'x'.repeat(30)}\n${'y'.repeat(30)}\n2,b`, ',', 50);
    expect(fields(rows)).toEqual([
      [1, 'is longer than 50 characters (has a quote in field 2 that is never closed?)'],
      [2, ['yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy']],
      [3, ['2', 'b']],
    ]);
    const a = new CsvAssembler(',', 50);
    expect(fields(a.push({ no: 9, text: 'xxx', overlong: true }))).toEqual([
      [9, 'is longer than 50 characters'],
    ]);
  });
});

const special = fc.constantFrom(
  ',',
  ';',
  '\t',
  '|',
  '"',
  '""',
  '\n',
  '\r\n',
  '\r',
  ' ',
  'é',
  '漢',
  '😀',
  '\uFEFF',
  "'",
);
const value = fc.string({
  unit: fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
  maxLength: 12,
});

describe('property: a properly quoted CSV reads back to the same values', () => {
  it('holds for any table of strings, any delimiter, line ending and read size', async () => {
    const table = fc
      .integer({ min: 1, max: 5 })
      .chain((width) =>
        fc.array(fc.array(value, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }),
      );
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom(...DELIMITERS),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        async (rows, delimiter, eol, bom, chunkSize) => {
          const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
          const text = rows.map((r) => r.map(quote).join(delimiter)).join(eol) + (bom ? eol : '');
          const path = files.write('table.csv', (bom ? '\uFEFF' : '') + text);
          const got: string[][] = [];
          let assembler: CsvAssembler | undefined;
          for await (const line of readLines(path, { maxLineChars: 10_000, chunkSize })) {
            assembler ??= new CsvAssembler(undefined, 10_000);
            for (const row of assembler.push(line))
              got.push('fields' in row ? row.fields : [`ERROR ${row.error}`]);
          }
          for (const row of assembler?.end() ?? [])
            got.push('fields' in row ? row.fields : [`ERROR ${row.error}`]);
          expect(got).toEqual(rows.filter((r) => r.some((v) => v !== '')));
        },
      ),
      { numRuns: 300 },
    );
  });
});
