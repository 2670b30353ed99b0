import { randomUUID } from 'node:crypto';
import { parseCanonicalRecord, partitionKey, type FieldError } from '@nexus/schema';
import type { Db, RecordBus } from '@nexus/actors';
import { IngestError } from './errors';

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
class RecentIds {
  private readonly ids = new Map<string, string>();
  constructor(private readonly max: number) {}
  get(key: string): string | undefined {
    return this.ids.get(key);
  }
  set(key: string, id: string): void {
    this.ids.set(key, id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.keys().next().value!);
  }
}
const recent = new RecentIds(100_000);

/**
 * Path B: one record validated and produced to `raw_records` under a new record id (the actor
 * writes the row when it decides). A known (source, external_id) gets its existing id back.
 */
export async function streamRecord(
  db: Db,
  bus: RecordBus,
  input: { source: string; record: unknown },
): Promise<StreamReceipt> {
  const source = input.source.trim();
  if (source === '' || source.length > 200)
    throw new IngestError('SOURCE.INVALID', 'source must be 1 to 200 characters');
  const parsed = parseCanonicalRecord(input.record, { source });
  if (!parsed.ok) throw new IngestError('RECORD.INVALID', 'the record is invalid', { fields: parsed.errors });
  const record = { ...parsed.record, source };
  const key = partitionKey(source, record.external_id);
  const existing = await db
    .selectFrom('records')
    .select('id')
    .where('source', '=', source)
    .where('external_id', '=', record.external_id)
    .executeTakeFirst();
  const known = existing?.id ?? recent.get(key);
  if (known) return { recordId: known, duplicate: true, warnings: parsed.warnings };
  const recordId = randomUUID();
  await bus.publish([
    { key, value: { recordId, batchId: null, source, record, receivedAt: new Date().toISOString() } },
  ]);
  recent.set(key, recordId);
  return { recordId, duplicate: false, warnings: parsed.warnings };
}
