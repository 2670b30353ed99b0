import path from 'node:path';
import { PENDING_RECORD_STATUSES, type DecisionCounts, type FieldError } from '@nexus/schema';
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

/** A dedupe run cancels nothing, so its summary has no `cancelled`. */
export interface DedupeSummary extends Omit<DecisionCounts, 'cancelled'> {
  records: number;
  seconds: number;
  records_per_second: number;
  /** Which model decided: learned from the input, or the defaults when it was too small. */
  model: string;
}

const BATCH = 1000;

export function sourceFor(file: string, source: string | undefined): string {
  return source ?? path.basename(file).replace(/\.[^.]+$/, '');
}

export interface LoadedRecords {
  read: number;
  /** Records stored (duplicates of a stored record are not stored again). */
  stored: number;
  batchIds: string[];
  invalid: Array<{ source: string; externalId: string | undefined }>;
  /** Stored records with a face image: those need Tech5, so the stream decides them. */
  faces: number;
}

/**
 * Stores every file through the same path A as the API (batches of BATCH in one transaction each,
 * status `received`), reporting bad rows; `afterBatch` runs after each batch is stored (the
 * stream path wakes the relay there).
 */
export async function loadRecords(
  db: Db,
  partitions: number,
  input: DedupeInput,
  hooks: {
    onProblem: (p: RowProblem) => void;
    onProgress?: (p: DedupeProgress) => void;
    afterBatch?: () => void;
    decided?: (batchIds: string[]) => Promise<number>;
  },
): Promise<LoadedRecords> {
  const loaded: LoadedRecords = { read: 0, stored: 0, batchIds: [], invalid: [], faces: 0 };
  for (const file of input.files) {
    const source = sourceFor(file, input.source);
    let pending: Array<{ line: number; record: unknown }> = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const receipt = await submitBatch(db, partitions, {
        source,
        records: pending.map((p) => p.record),
      });
      for (const r of receipt.rejected) {
        const row = pending[r.index]!;
        hooks.onProblem({ file, line: row.line, errors: r.errors, severity: 'error' });
        loaded.invalid.push({ source, externalId: (row.record as { external_id?: string }).external_id });
      }
      loaded.batchIds.push(receipt.batchId);
      loaded.stored += receipt.accepted - receipt.duplicates.length;
      pending = [];
      hooks.afterBatch?.();
    };
    for await (const row of readRecordFile(file, { map: input.map, source })) {
      loaded.read++;
      if (!row.ok) {
        hooks.onProblem({ file, line: row.line, errors: row.errors, severity: 'error' });
        loaded.invalid.push({ source, externalId: row.externalId });
        continue;
      }
      if (row.warnings.length > 0)
        hooks.onProblem({ file, line: row.line, errors: row.warnings, severity: 'warning' });
      if (row.record.face_image) loaded.faces++;
      pending.push({ line: row.line, record: resolveFaceImagePath(row.record, file) });
      if (pending.length >= BATCH) await flush();
      if (loaded.read % 500 === 0)
        hooks.onProgress?.({
          read: loaded.read,
          stored: loaded.stored,
          decided: hooks.decided ? await hooks.decided(loaded.batchIds) : 0,
        });
    }
    await flush();
  }
  return loaded;
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
): Promise<LoadedRecords> {
  const loaded = await loadRecords(db, engine.bus.partitions, input, {
    ...hooks,
    afterBatch: () => engine.changes.announce('records_stored'),
    decided: (batchIds) => countDecided(db, batchIds),
  });
  await waitForDecisions(db, loaded, hooks.onProgress);
  return loaded;
}

/** Waits until every stored record of the batches is decided (by the engine, elsewhere). */
export async function waitForDecisions(
  db: Db,
  loaded: LoadedRecords,
  onProgress: (p: DedupeProgress) => void,
): Promise<void> {
  for (;;) {
    const decided = await countDecided(db, loaded.batchIds);
    onProgress({ read: loaded.read, stored: loaded.stored, decided });
    if (decided >= loaded.stored) break;
    await new Promise((r) => setTimeout(r, 200));
  }
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
