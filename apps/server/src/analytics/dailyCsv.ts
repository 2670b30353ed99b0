import { stringify } from 'csv-stringify/sync';
import type { Db } from '@nexus/actors';
import type { RangeFilter } from './analyticsRepository';
import { DAILY_COLUMNS, dailyFigures } from './analyticsService';

/** The daily rows as CSV: a header of the JSON keys, then one line per day and source (at most max days x sources: one chunk). */
export async function* dailyCsv(db: Db, range: RangeFilter): AsyncGenerator<string> {
  const days = await dailyFigures(db, range);
  yield stringify([[...DAILY_COLUMNS], ...days.map((d) => DAILY_COLUMNS.map((c) => d[c] ?? ''))]);
}
