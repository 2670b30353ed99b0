import { sql } from 'kysely';
import type { RawRecordMessage, RecordStatus } from '@nexus/schema';
import type { Db } from '../../db/database';
import { sealPersonal } from '../../privacy/personalFields';

/**
 * claimRecordRow for a whole micro-batch in one statement: writes the rows path B has not written
 * yet, locks them all, and returns each one's status (a terminal one means a redelivery). A
 * (source, external_id) held by another record id fails the statement (23505); the caller then
 * decides the batch one record at a time, where that record is answered on its own.
 */
export async function claimRecordRows(
  trx: Db,
  partition: number,
  messages: readonly RawRecordMessage[],
): Promise<Map<string, RecordStatus>> {
  const rows = messages.map((m) => ({
    id: m.recordId,
    batch_id: m.batchId,
    submitted_by_id: m.submittedById ?? null,
    source: m.source,
    external_id: m.record.external_id,
    payload: sealPersonal(m.record),
    received_at: m.receivedAt,
  }));
  // Ordered by id so two claims of overlapping rows (a partition changing hands) lock alike.
  const { rows: claimed } = await sql<{ id: string; status: RecordStatus }>`
    insert into records (id, batch_id, submitted_by_id, source, external_id, partition, payload, status, received_at)
    select t.id, t.batch_id, t.submitted_by_id, t.source, t.external_id, ${partition}, t.payload, 'relayed', t.received_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as t(id uuid, batch_id uuid, submitted_by_id uuid,
      source text, external_id text, payload jsonb, received_at timestamptz)
    order by t.id
    on conflict (id) do update set partition = records.partition
    returning id, status`.execute(trx);
  return new Map(claimed.map((r) => [r.id, r.status]));
}
