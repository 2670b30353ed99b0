import { stringify } from 'csv-stringify/sync';
import type { Db } from '@nexus/actors';
import { batchResults, RESULT_COLUMNS, resultRow, type BatchRecordView } from './batchRecords';
import { spreadsheetSafe } from './spreadsheetSafe';

const CHUNK_ROWS = 500;

/** Every cell made safe to open in a spreadsheet: records carry whatever their senders typed. */
const safeRow = (record: BatchRecordView) => resultRow(record).map(spreadsheetSafe);

/** A batch's results as CSV text in chunks of rows: the header first, then one row per record. */
export async function* batchResultsCsv(db: Db, batchId: string): AsyncGenerator<string> {
  const rows = batchResults(db, batchId);
  // Started before the header goes out, so an unknown batch fails before any byte is sent.
  const first = await rows.next();
  yield stringify([[...RESULT_COLUMNS]]);
  let pending: string[][] = first.done ? [] : [safeRow(first.value)];
  for await (const record of rows) {
    pending.push(safeRow(record));
    if (pending.length >= CHUNK_ROWS) {
      yield stringify(pending);
      pending = [];
    }
  }
  if (pending.length > 0) yield stringify(pending);
}
