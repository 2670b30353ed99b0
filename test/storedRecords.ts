import { randomUUID } from 'node:crypto';
import type { Db } from '@nexus/actors';
import type { RecordStatus } from '@nexus/schema';

/**
 * A record row as the engine leaves it once decided (no batch, partition 0), for suites that
 * build golden records around stored records. The external id is the record id unless given.
 */
export async function insertStoredRecord(
  db: Db,
  payload: Record<string, string>,
  status: RecordStatus,
  explanation?: object,
): Promise<string> {
  const id = randomUUID();
  const externalId = payload.external_id ?? id;
  await db
    .insertInto('records')
    .values({
      id,
      batch_id: null,
      source: 'fixture',
      external_id: externalId,
      partition: 0,
      payload: JSON.stringify({ ...payload, external_id: externalId }) as never,
      status,
      explanation: explanation ? (JSON.stringify(explanation) as never) : null,
    })
    .execute();
  return id;
}
