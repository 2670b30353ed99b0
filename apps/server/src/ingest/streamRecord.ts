import { randomUUID } from 'node:crypto';
import { parseCanonicalRecord, partitionKey, type FieldError } from '@nexus/schema';
import type { Db, RecordBus } from '@nexus/actors';
import { EVERYTHING, mayView, viewerOf, type Submitter } from '../auth/ownership';
import { IngestError } from './errors';
import { claimSource } from './sourceOwners';

export interface StreamReceipt {
  recordId: string;
  /** The (source, external_id) was already known: its record id is answered and nothing is published. */
  duplicate: boolean;
  warnings: FieldError[];
}

/**
 * The record ids streamed by this process, kept a while: path B writes the record row only when
 * the record is decided, so a resubmission before then is answered from here.
 */
interface KnownRecord {
  recordId: string;
  submittedById: string | null;
}

class RecentIds {
  private readonly ids = new Map<string, KnownRecord>();
  constructor(private readonly max: number) {}
  get(key: string): KnownRecord | undefined {
    return this.ids.get(key);
  }
  set(key: string, id: KnownRecord): void {
    this.ids.set(key, id);
    if (this.ids.size > this.max) {
      const oldest = this.ids.keys().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
  }
}
const recent = new RecentIds(100_000);

/**
 * Path B: one record validated and produced to `raw_records` under a new record id (the actor
 * writes the row, with its submitter as owner, when it decides). A known (source, external_id)
 * gets its existing id back, but only when the caller may see that record: an ingest account
 * never learns the id of a record another account submitted. `submitter` is null only for the
 * engine's own runs.
 */
export async function streamRecord(
  db: Db,
  bus: RecordBus,
  input: { source: string; record: unknown },
  submitter: Submitter | null,
): Promise<StreamReceipt> {
  const source = input.source.trim();
  if (source === '' || source.length > 200)
    throw new IngestError('SOURCE.INVALID', 'source must be 1 to 200 characters');
  const parsed = parseCanonicalRecord(input.record, { source });
  if (!parsed.ok) throw new IngestError('RECORD.INVALID', 'the record is invalid', { fields: parsed.errors });
  const record = { ...parsed.record, source };
  const viewer = submitter ? viewerOf(submitter) : EVERYTHING;
  await claimSource(db, source, viewer);
  const key = partitionKey(source, record.external_id);
  const existing = await db
    .selectFrom('records as r')
    .leftJoin('batches as b', 'b.id', 'r.batch_id')
    .select([
      'r.id as recordId',
      (eb) => eb.fn.coalesce('r.submitted_by_id', 'b.submitted_by_id').as('submittedById'),
    ])
    .where('r.source', '=', source)
    .where('r.external_id', '=', record.external_id)
    .executeTakeFirst();
  const known = existing ?? recent.get(key);
  if (known) {
    if (!mayView(viewer, known.submittedById)) {
      throw new IngestError(
        'RECORD.NOT_YOURS',
        `external_id ${record.external_id} of source ${source} was submitted by another account`,
      );
    }
    return { recordId: known.recordId, duplicate: true, warnings: parsed.warnings };
  }
  const recordId = randomUUID();
  const submittedById = submitter?.userId ?? null;
  await bus.publish([
    {
      key,
      value: { recordId, batchId: null, submittedById, source, record, receivedAt: new Date().toISOString() },
    },
  ]);
  recent.set(key, { recordId, submittedById });
  return { recordId, duplicate: false, warnings: parsed.warnings };
}
