/**
 * The ledger of faces a micro-batch inserted into ABIS ahead of its decision (ADR 0055, "Faces
 * left in ABIS"). Written and committed before the inserts, cleared once each face is held by a
 * biometric reference or out of ABIS again: whatever interrupts a batch in between (a crash, a
 * failed clean-up, a record then dead-lettered), the sweep (`sweepFacesAhead`) finds the face
 * here, since MOSIP ABIS cannot list what it holds.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database';

/** Before the inserts: these faces may be in ABIS from now on, on behalf of this batch. */
export async function noteFacesAhead(
  db: Db,
  batchId: string,
  referenceIds: readonly string[],
): Promise<void> {
  if (referenceIds.length === 0) return;
  await sql`
    insert into faces_inserted_ahead (reference_id, batch_id)
    select unnest(${[...referenceIds]}::uuid[]), ${batchId}::uuid
    on conflict (reference_id) do update set batch_id = excluded.batch_id, inserted_at = now()`.execute(db);
}

/** After the clean-up: this batch's faces are held by a reference or out of ABIS. */
export async function forgetFacesAhead(
  db: Db,
  batchId: string,
  referenceIds: readonly string[],
): Promise<void> {
  if (referenceIds.length === 0) return;
  await sql`
    delete from faces_inserted_ahead
    where reference_id = any(${[...referenceIds]}::uuid[]) and batch_id = ${batchId}::uuid`.execute(db);
}
