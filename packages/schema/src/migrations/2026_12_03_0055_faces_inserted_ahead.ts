import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Faces a micro-batch inserted into T5-ABIS ahead of its decision
 * (docs/decisions/0055-faces-in-the-micro-batch-path.md, "Faces left in ABIS"). A row is written
 * and committed before the insert and deleted once the face is either held by a biometric
 * reference or out of ABIS again, so a face inserted ahead is never lost track of: after a crash,
 * a failed clean-up or a dead letter, the sweep finds it here (MOSIP ABIS cannot list its
 * references). No foreign key: on the Kafka bus the record's row is written by its decision.
 * `batch_id` names the batch that inserted it last, so an older batch's clean-up does not take
 * the row of a newer one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table faces_inserted_ahead (
      reference_id uuid primary key,
      batch_id uuid not null,
      inserted_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table faces_inserted_ahead`.execute(db);
}
