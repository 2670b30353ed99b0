/**
 * The sweep of faces inserted into ABIS ahead of a decision and left there (ADR 0055, "Faces left
 * in ABIS"): a batch whose clean-up could not reach ABIS or the database, a crash between the
 * inserts and the clean-up, a record then decided one at a time into review, or dead-lettered.
 * MOSIP ABIS cannot list its references, so the sweep reads the ledger of faces inserted ahead
 * (facesAhead.ts), and for each row:
 *
 * - a biometric reference holds the face: it belongs in ABIS; the row goes;
 * - the record is decided (any status but received or relayed) and no reference holds it: the face
 *   leaves ABIS, then the row goes;
 * - the record is not decided yet (or its row is not written yet): a batch may be deciding it now
 *   with its face in ABIS; left to that batch, or to the record's redelivery.
 *
 * The face is taken out under the record's row lock, re-checked: a replay of a dead letter (which
 * sets the record back to relayed) or any decision of the record waits for it, so a face the
 * sweep takes out is never one that a decision after it counts on.
 */
import { sql } from 'kysely';
import { PENDING_RECORD_STATUSES } from '@nexus/schema';
import type { Db } from '../../db/database';

export interface FaceSweepResult {
  /** Faces taken out of ABIS: no reference held them and their records were decided. */
  removed: number;
  /** Rows of faces a biometric reference holds (they stay in ABIS). */
  held: number;
}

const pending = [...PENDING_RECORD_STATUSES];

export async function sweepFacesAhead(
  db: Db,
  remove: (referenceId: string) => Promise<void>,
  limit = 500,
): Promise<FaceSweepResult> {
  const held = await sql`
    delete from faces_inserted_ahead a using biometric_references b
    where b.reference_id = a.reference_id`.execute(db);
  const { rows } = await sql<{ reference_id: string }>`
    select a.reference_id::text as reference_id
    from faces_inserted_ahead a join records r on r.id = a.reference_id
    where r.status <> all(${pending}::text[])
      and not exists (select 1 from biometric_references b where b.reference_id = a.reference_id)
    order by a.inserted_at
    limit ${limit}`.execute(db);
  let removed = 0;
  for (const { reference_id: id } of rows) {
    const done = await db.transaction().execute(async (trx) => {
      // Skip a row someone holds (a replay, a decision): the next sweep sees it again.
      const { rows: still } = await sql`
        select 1 from records r
        where r.id = ${id}::uuid and r.status <> all(${pending}::text[])
          and not exists (select 1 from biometric_references b where b.reference_id = r.id)
        for update of r skip locked`.execute(trx);
      if (still.length === 0) return false;
      await remove(id);
      await sql`delete from faces_inserted_ahead where reference_id = ${id}::uuid`.execute(trx);
      return true;
    });
    if (done) removed++;
  }
  return { removed, held: Number(held.numAffectedRows ?? 0n) };
}
