import { sql } from 'kysely';
import type { RawRecordMessage, RecordStatus } from '@nexus/schema';
import type { Db } from '../db/database';
import { sealPersonal } from '../privacy/personalFields';

export class DuplicateExternalIdError extends Error {
  readonly code = 'RECORD.DUPLICATE_EXTERNAL_ID';
}

/**
 * Makes sure the record's row exists (path B writes it here, path A wrote it at ingest) and locks
 * it for this decision, in one statement: the no-op update on conflict takes the row lock and
 * returns the status another delivery may already have set.
 */
export async function claimRecordRow(
  trx: Db,
  partition: number,
  message: RawRecordMessage,
): Promise<RecordStatus> {
  try {
    const { rows } = await sql<{ status: RecordStatus }>`
      insert into records (id, batch_id, submitted_by_id, source, external_id, partition, payload, status, received_at)
      values (${message.recordId}, ${message.batchId}, ${message.submittedById ?? null}, ${message.source},
              ${message.record.external_id}, ${partition}, ${JSON.stringify(sealPersonal(message.record))}::jsonb, 'relayed',
              ${message.receivedAt})
      on conflict (id) do update set partition = records.partition
      returning status`.execute(trx);
    const claimed = rows[0];
    if (!claimed) throw new Error(`record ${message.recordId}: the claim returned no row`);
    return claimed.status;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new DuplicateExternalIdError(
        `record ${message.recordId}: ${message.source}/${message.record.external_id} is already another record`,
        { cause: error },
      );
    }
    throw error;
  }
}
