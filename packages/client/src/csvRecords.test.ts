import { describe, expect, it } from 'vitest';
import { csvRecords } from './csvRecords';

async function read(chunks: string[], delimiter?: string): Promise<Array<Record<string, string>>> {
  const rows: Array<Record<string, string>> = [];
  async function* source() {
    for (const c of chunks) yield await Promise.resolve(c);
  }
  for await (const row of csvRecords(source(), delimiter)) rows.push(row);
  return rows;
}

const TEXT = '\uFEFFexternal_id,name,note\r\np1,"Lima, Ana","said ""hi""\nthen left"\r\n\r\np2,Jo,\n';
const ROWS = [
  { external_id: 'p1', name: 'Lima, Ana', note: 'said "hi"\nthen left' },
  { external_id: 'p2', name: 'Jo', note: '' },
];

describe('csvRecords', () => {
  it('reads quoted delimiters, doubled quotes, line breaks in quotes, CRLF, a BOM and blank lines', async () => {
    expect(await read([TEXT])).toEqual(ROWS);
  });

  it('reads the same rows however the text is cut into chunks', async () => {
    for (let cut = 1; cut < TEXT.length; cut++) {
      expect(await read([TEXT.slice(0, cut), TEXT.slice(cut)]), `cut at ${cut}`).toEqual(ROWS);
    }
    expect(await read([...TEXT])).toEqual(ROWS);
  });

  it('takes another delimiter, and refuses a quoted field left open', async () => {
    expect(await read(['a;b\n1;"x;y"\n'], ';')).toEqual([{ a: '1', b: 'x;y' }]);
    await expect(read(['a,b\n1,"open\n'])).rejects.toThrow('inside a quoted field');
  });
});
