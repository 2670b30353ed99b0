/**
 * After the decision commits: the record's face joins ABIS as reference = the record id. The
 * pending row written with the decision makes this at-least-once and idempotent: a redelivered
 * record finishes a pending enrolment and does nothing when it is done (and ABIS answering
 * "reference exists" counts as done).
 */
import { sql } from 'kysely';
import { PENDING_RECORD_STATUSES, type CanonicalRecord } from '@nexus/schema';
import type { Db } from '../db/database';
import { markEnrolled, referenceStatus } from './biometricReferences';
import { supportsBatchFaces, type BiometricStages } from './biometricStages';

export async function completeEnrolment(
  db: Db,
  biometrics: BiometricStages,
  decided: { recordId: string; status: string; goldenId: string | null; replayed: boolean },
  searched: boolean,
  record: CanonicalRecord,
): Promise<void> {
  if (!record.face_image) return;
  const reference = decided.replayed ? await referenceStatus(db, decided.recordId) : null;
  // A micro-batch inserts its live faces before deciding and takes out those that joined no
  // golden record after its commit (ADR 0055); a crash in between left one in ABIS that no
  // reference row holds: the redelivery takes it out (a face never inserted counts as done).
  if (
    decided.replayed &&
    reference === null &&
    decided.status === 'review' &&
    supportsBatchFaces(biometrics)
  ) {
    await biometrics.remove(decided.recordId);
    return;
  }
  const pending = decided.replayed ? reference === 'pending' : searched && decided.goldenId !== null;
  if (!pending) return;
  await biometrics.enrol(decided.recordId, record);
  await markEnrolled(db, decided.recordId);
}

/**
 * Whether the record was decided before (a redelivery needs no liveness check or search again),
 * and the database's clock now: faces enrolled before this moment were in ABIS before the search.
 */
export async function priorDecision(db: Db, recordId: string): Promise<{ decided: boolean; at: Date }> {
  const { rows } = await sql<{ status: string | null; now: Date }>`
    select (select status from records where id = ${recordId}) as status, clock_timestamp() as now`.execute(
    db,
  );
  const status = rows[0]?.status ?? null;
  return {
    decided: status !== null && !(PENDING_RECORD_STATUSES as readonly string[]).includes(status),
    at: rows[0]?.now ?? new Date(0),
  };
}
