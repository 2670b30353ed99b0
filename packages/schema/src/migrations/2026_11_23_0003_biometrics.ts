import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Face references enrolled in T5-ABIS (docs/decisions/0012-tech5-biometrics.md). One row per
 * enrolled record (reference_id = the record id, as in ABIS), attached to the golden record the
 * record joined. References follow merges by the golden records' merged_into chain, so a merge
 * moves no rows. A row is written `pending` in the decision's transaction and becomes `enrolled`
 * once ABIS has it; a redelivered record finishes a pending enrolment.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table biometric_references (
      reference_id uuid primary key references records(id),
      golden_id uuid not null references golden_records(id),
      modality text not null default 'face' check (modality in ('face')),
      status text not null check (status in ('pending','enrolled')),
      created_at timestamptz not null default now(),
      enrolled_at timestamptz
    );
    create index biometric_references_golden on biometric_references (golden_id);
    create index golden_records_merged_into on golden_records (merged_into) where merged_into is not null;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists biometric_references;
    drop index if exists golden_records_merged_into;
  `.execute(db);
}
