import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { readRecordFile, type ReadRecordFileOptions } from './readRecordFile';
import type { RecordRow } from './rows';

/** A temp folder for one test file, removed after its tests. */
export function tempFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    dir,
    /** Writes `content` to a new file named `name` (made unique) and returns its path. */
    write(name: string, content: string | Buffer): string {
      const path = join(dir, `${n++}-${name}`);
      writeFileSync(path, content);
      return path;
    },
  };
}

export async function readAll(path: string, options: ReadRecordFileOptions = {}): Promise<RecordRow[]> {
  const rows: RecordRow[] = [];
  for await (const row of readRecordFile(path, options)) rows.push(row);
  return rows;
}

/** `{ line, ok }` plus the external id or the first error message: compact to compare. */
export function summary(rows: RecordRow[]): Array<[number, string]> {
  return rows.map((r) => [
    r.line,
    r.ok ? r.record.external_id : `ERROR ${r.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
  ]);
}
