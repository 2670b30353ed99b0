import { resolveHeader } from './columns';
import { CsvAssembler, type CsvRow } from './csvRows';
import { RecordFileError } from './errors';
import type { PhysicalLine } from './lines';
import { badRow, toRecordRow, type ReaderContext, type RecordRow } from './rows';
import { required } from '@nexus/schema';

/** Reads CSV records after a header row; the delimiter is detected from the header. */
export async function* readCsvRecords(
  lines: AsyncIterable<PhysicalLine>,
  ctx: ReaderContext,
): AsyncGenerator<RecordRow> {
  let assembler: CsvAssembler | undefined;
  let columns: string[] | undefined;
  let rows = 0;

  function* handle(row: CsvRow): Generator<RecordRow> {
    if (columns === undefined) {
      if ('error' in row) {
        throw new RecordFileError(
          'FILE.NO_HEADER',
          ctx.path,
          `the header on line ${row.line} cannot be read: it ${row.error}`,
        );
      }
      if (row.fields.every((f) => f === '')) {
        throw new RecordFileError(
          'FILE.NO_HEADER',
          ctx.path,
          `line ${row.line} should be a header of column names`,
        );
      }
      columns = resolveHeader(row.fields, ctx.map, ctx.path);
      ctx.onColumns?.(columns.filter((c) => c !== ''));
      return;
    }
    rows++;
    if ('error' in row) {
      yield badRow(row.line, row.error, row.text);
      return;
    }
    if (row.fields.length !== columns.length) {
      const n = row.fields.length;
      const msg = `has ${n} field${n === 1 ? '' : 's'} where the header has ${columns.length} columns`;
      yield badRow(row.line, msg, row.text);
      return;
    }
    const raw: Record<string, string> = {};
    columns.forEach((c, i) => {
      if (c !== '') raw[c] = required(row.fields[i], `csv: field ${i} of line ${row.line}`);
    });
    yield toRecordRow(row.line, raw, row.text, ctx.source);
  }

  for await (const line of lines) {
    assembler ??= new CsvAssembler(undefined, ctx.maxRowChars);
    for (const row of assembler.push(line)) yield* handle(row);
  }
  for (const row of assembler?.end() ?? []) yield* handle(row);
  if (columns === undefined) throw new RecordFileError('FILE.EMPTY', ctx.path, 'has no header and no rows');
  if (rows === 0) throw new RecordFileError('FILE.EMPTY', ctx.path, 'has a header line but no rows');
}
