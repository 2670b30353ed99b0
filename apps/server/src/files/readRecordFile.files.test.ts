import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordFileError } from './errors';
import { readRecordFile } from './readRecordFile';
import { readAll, tempFiles } from './testFiles';

const files = tempFiles();

async function fileError(path: string, options = {}): Promise<RecordFileError> {
  const err: unknown = await readAll(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof RecordFileError) return err;
  throw new Error(`expected a RecordFileError, got ${String(err)}`);
}

describe('readRecordFile: whole-file problems', () => {
  it('FILE.NOT_FOUND for a missing file', async () => {
    const path = join(files.dir, 'missing.csv');
    const err = await fileError(path);
    expect(err).toMatchObject({
      name: 'RecordFileError',
      code: 'FILE.NOT_FOUND',
      path,
      message: `${path}: no such file`,
    });
  });

  it('FILE.EMPTY for an empty file, a blank one, and a header without rows', async () => {
    expect(await fileError(files.write('empty.csv', ''))).toMatchObject({
      code: 'FILE.EMPTY',
      message: expect.stringMatching(/: is empty$/) as string,
    });
    expect((await fileError(files.write('blank.csv', '\n \r\n\n'))).message).toMatch(
      /: has only blank lines$/,
    );
    expect((await fileError(files.write('blank.ndjson', '\n\n'))).code).toBe('FILE.EMPTY');
    const headerOnly = await fileError(files.write('header.csv', 'external_id,given_name\n\n'));
    expect(headerOnly).toMatchObject({
      code: 'FILE.EMPTY',
      message: expect.stringMatching(/: has a header line but no rows$/) as string,
    });
  });

  it('FILE.NO_HEADER when the header cannot be read', async () => {
    const err = await fileError(files.write('noheader.csv', '"external_id,given_name\n'));
    expect(err.code).toBe('FILE.NO_HEADER');
    expect(err.message).toMatch(
      /the header on line 1 cannot be read: it has a quote in field 1 that is never closed$/,
    );
    expect((await fileError(files.write('commas.csv', ',,,\n1,2,3,4\n'))).code).toBe(
      'FILE.NO_EXTERNAL_ID_COLUMN',
    );
  });

  it('FILE.NO_EXTERNAL_ID_COLUMN names the columns seen and suggests --map', async () => {
    const path = files.write('febrl.csv', 'rec_id, given_name, surname\nrec-1-org, ann, lee\n');
    const err = await fileError(path);
    expect(err.code).toBe('FILE.NO_EXTERNAL_ID_COLUMN');
    expect(err.message).toBe(
      `${path}: no external_id column; columns seen: rec_id, given_name, surname. Name the record id column with --map rec_id=external_id`,
    );
    const data = await fileError(files.write('data.csv', 'rec-1-org, ann, lee\n'));
    expect(data.message).toContain('(the first line must be a header of column names)');
  });

  it('FILE.DUPLICATE_COLUMN when two columns end up with one name', async () => {
    const err = await fileError(files.write('dup.csv', 'external_id,surname,family_name\n1,a,b\n'), {
      map: { surname: 'family_name' },
    });
    expect(err.code).toBe('FILE.DUPLICATE_COLUMN');
  });

  it('FILE.UNREADABLE for a directory, a binary file and a JSON array', async () => {
    expect(await fileError(files.dir)).toMatchObject({
      code: 'FILE.UNREADABLE',
      message: expect.stringContaining('is a directory') as string,
    });
    const gzip = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x0a]);
    expect((await fileError(files.write('people.csv.gz', gzip))).message).toContain(
      'is not a UTF-8 text file',
    );
    const utf16 = Buffer.from('\uFEFFexternal_id\n1\n', 'utf16le');
    expect((await fileError(files.write('utf16.csv', utf16))).code).toBe('FILE.UNREADABLE');
    const array = await fileError(files.write('people.json', '[{"external_id":"1"}]'));
    expect(array.message).toContain('is a JSON array; write one JSON object per line (NDJSON) instead');
  });
});

describe('readRecordFile: streaming', () => {
  it('stops reading when the signal aborts', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => `id${i},Name${i}`).join('\n');
    const path = files.write('many.csv', `external_id,given_name\n${rows}\n`);
    const controller = new AbortController();
    let seen = 0;
    const reading = (async () => {
      for await (const _row of readRecordFile(path, { signal: controller.signal, chunkSize: 512 })) {
        if (++seen === 10) controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBeLessThan(200);
    const aborted = readRecordFile(path, { signal: AbortSignal.abort() })[Symbol.asyncIterator]();
    await expect(aborted.next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('can stop early and read again', async () => {
    const path = files.write('again.csv', 'external_id,given_name\n1,a\n2,b\n3,c\n');
    for await (const row of readRecordFile(path)) {
      expect(row.line).toBe(2);
      break;
    }
    expect((await readAll(path)).length).toBe(3);
  });
});
