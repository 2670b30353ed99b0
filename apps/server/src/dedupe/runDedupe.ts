import path from 'node:path';
import { PENDING_RECORD_STATUSES, type FieldError } from '@nexus/schema';
import type { Db } from '@nexus/actors';
import { readRecordFile } from '../files';
import type { Engine } from '../engine/engine';
import { submitBatch } from '../ingest/submitBatch';
import { resolveFaceImagePath } from './facePaths';

export interface DedupeInput {
  files: string[];
  source?: string;
  map?: Record<string, string>;
}

export interface RowProblem {
  file: string;
  line: number;
  errors: FieldError[];
  /** Problems that stop the row (errors) or only a field (warnings). */
  severity: 'error' | 'warning';
}

export interface DedupeProgress {
  read: number;
  stored: number;
  decided: number;
}

export interface DedupeSummary {
  records: number;
  new: number;
  linked: number;
  review: number;
  rejected: number;
  dead_lettered: number;
  seconds: number;
  records_per_second: number;
  /** Which model decided: learned from the input, or the defaults when it was too small. */
  model: string;
}

const BATCH = 1000;

export function sourceFor(file: string, source: string | undefined): string {
  return source ?? path.basename(file).replace(/\.[^.]+$/, '');
}

/**
 * Loads every file through the same path A as the API (batches stored, relayed, decided) and
 * waits until the engine has decided every stored record. Bad rows are reported, good rows go on.
 */
export async function loadAndDecide(
  db: Db,
  engine: Engine,
  input: DedupeInput,
  hooks: { onProblem: (p: RowProblem) => void; onProgress: (p: DedupeProgress) => void },
): Promise<{
  read: number;
  batchIds: string[];
  invalid: Array<{ source: string; externalId: string | undefined }>;
}> {
  let read = 0;
  const batchIds: string[] = [];
  let stored = 0;
  const invalid: Array<{ source: string; externalId: string | undefined }> = [];
  for (const file of input.files) {
    const source = sourceFor(file, input.source);
    let pending: Array<{ line: number; record: unknown }> = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const receipt = await submitBatch(db, engine.bus.partitions, {
        source,
        records: pending.map((p) => p.record),
      });
      for (const r of receipt.rejected) {
        const row = pending[r.index]!;
        hooks.onProblem({ file, line: row.line, errors: r.errors, severity: 'error' });
        invalid.push({ source, externalId: (row.record as { external_id?: string }).external_id });
      }
      batchIds.push(receipt.batchId);
      stored += receipt.accepted - receipt.duplicates.length;
      pending = [];
      engine.relay.kick();
    };
    for await (const row of readRecordFile(file, { map: input.map, source })) {
      read++;
      if (!row.ok) {
        hooks.onProblem({ file, line: row.line, errors: row.errors, severity: 'error' });
        invalid.push({ source, externalId: row.externalId });
        continue;
      }
      if (row.warnings.length > 0)
        hooks.onProblem({ file, line: row.line, errors: row.warnings, severity: 'warning' });
      pending.push({ line: row.line, record: resolveFaceImagePath(row.record, file) });
      if (pending.length >= BATCH) await flush();
      if (read % 500 === 0) hooks.onProgress({ read, stored, decided: await countDecided(db, batchIds) });
    }
    await flush();
  }
  for (;;) {
    const decided = await countDecided(db, batchIds);
    hooks.onProgress({ read, stored, decided });
    if (decided >= stored) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { read, batchIds, invalid };
}

async function countDecided(db: Db, batchIds: string[]): Promise<number> {
  if (batchIds.length === 0) return 0;
  const row = await db
    .selectFrom('records')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('batch_id', 'in', batchIds)
    .where('status', 'not in', PENDING_RECORD_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
