import { stringify } from 'csv-stringify/sync';
import type { Db } from '@nexus/actors';
import { batchResults, RESULT_COLUMNS, resultRow } from './batchRecords';

const CHUNK_ROWS = 500;

/** A batch's results as CSV text in chunks of rows: the header first, then one row per record. */
export async function* batchResultsCsv(db: Db, batchId: string): AsyncGenerator<string> {
  const rows = batchResults(db, batchId);
  // Started before the header goes out, so an unknown batch fails before any byte is sent.
  const first = await rows.next();
  yield stringify([[...RESULT_COLUMNS]]);
  let pending: string[][] = first.done ? [] : [resultRow(first.value)];
  for await (const record of rows) {
    pending.push(resultRow(record));
    if (pending.length >= CHUNK_ROWS) {
      yield stringify(pending);
      pending = [];
    }
  }
  if (pending.length > 0) yield stringify(pending);
}
