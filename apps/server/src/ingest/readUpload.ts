import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  MAX_BATCH_RECORDS,
  parseCanonicalRecord,
  type CanonicalRecord,
  type FieldError,
} from '@nexus/schema';
import { RequestError } from '../errors/domainError';
import { readRecordFile, RecordFileError } from '../files';

export interface UploadReading {
  format: 'csv' | 'ndjson' | 'json';
  columns: string[];
  /** The rows that are valid records, in file order, ready for ingest.submitBatch. */
  records: CanonicalRecord[];
  /** Rows that cannot be submitted, with the line (CSV/NDJSON) or position (JSON array, 1-based) and why. */
  problems: Array<{ line: number; errors: FieldError[] }>;
  /** All the rows with problems; `problems` holds the first MAX_PROBLEMS. */
  problemCount: number;
  warnings: number;
}

const MAX_PROBLEMS = 200;

const refuse = (message: string) =>
  new RequestError('REQUEST.INVALID', message, { fields: [{ field: 'file', message }] });

/** A JSON array of record objects: what a browser user most often has besides CSV. */
function readJsonArray(content: string): UploadReading {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw refuse(`is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw refuse('is JSON but not an array of records');
  const reading: UploadReading = {
    format: 'json',
    columns: [],
    records: [],
    problems: [],
    problemCount: 0,
    warnings: 0,
  };
  const columns = new Set<string>();
  (value as unknown[]).forEach((item, i) => {
    if (typeof item === 'object' && item !== null) for (const key of Object.keys(item)) columns.add(key);
    const parsed = parseCanonicalRecord(item, {});
    if (parsed.ok) {
      reading.records.push(parsed.record);
      if (parsed.warnings.length > 0) reading.warnings++;
    } else reading.problems.push({ line: i + 1, errors: parsed.errors });
  });
  reading.columns = [...columns];
  return reading;
}

/**
 * Reads a file the dashboard uploads with the server's own readers (the same as `nexus ingest`),
 * so a browser user and a script get the same answer for the same file. Nothing is stored.
 */
export async function readUpload(fileName: string, content: string): Promise<UploadReading> {
  if (content.trim() === '') throw refuse('is empty');
  if (content.trimStart().startsWith('[')) return limit(readJsonArray(content));
  const dir = await mkdtemp(path.join(tmpdir(), 'nexus-upload-'));
  // The reader picks CSV or NDJSON by extension first: keep the user's, not their file name.
  const ext = path
    .extname(fileName)
    .toLowerCase()
    .replace(/[^.a-z]/g, '');
  const file = path.join(dir, `${randomUUID()}${ext}`);
  try {
    await writeFile(file, content, 'utf8');
    const reading: UploadReading = {
      format: 'csv',
      columns: [],
      records: [],
      problems: [],
      problemCount: 0,
      warnings: 0,
    };
    for await (const row of readRecordFile(file, { onColumns: (c) => (reading.columns = c) })) {
      if (row.ok) {
        reading.records.push(row.record);
        if (row.warnings.length > 0) reading.warnings++;
      } else reading.problems.push({ line: row.line, errors: row.errors });
      if (reading.records.length > MAX_BATCH_RECORDS) break;
    }
    reading.format =
      content.trimStart().startsWith('{') || ext === '.ndjson' || ext === '.jsonl' ? 'ndjson' : 'csv';
    return limit(reading);
  } catch (error) {
    if (error instanceof RecordFileError) throw refuse(error.message.replace(file, fileName));
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function limit(reading: UploadReading): UploadReading {
  if (reading.records.length > MAX_BATCH_RECORDS) {
    throw refuse(
      `holds more than ${MAX_BATCH_RECORDS.toLocaleString('en')} records, the most one batch may hold: split it, or use nexus ingest`,
    );
  }
  // A file of all-bad rows is answered with enough to fix it, not megabytes of the same error.
  reading.problemCount = reading.problems.length;
  reading.problems = reading.problems.slice(0, MAX_PROBLEMS);
  return reading;
}
